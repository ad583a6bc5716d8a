"""The privacy registry, and the services that export and erase one subject's data.

Every model that holds data about a person (an account and its `hub.Person`), a student or a family is
declared here by the app that owns it: each app's `privacy.py` (imported from its AppConfig.ready())
calls `holding_register(...)` or `exempt_register(...)`. `hub` never imports the apps above it; they
register into it, as with `hub.navigation` and `hub.demo`. Third-party models (auth, admin, sessions,
Wagtail, filer, django-otp, django-axes) are declared by `hub/privacy_holdings.py` (with hub's own models), and only
for the apps that are installed.

A holding says, for one model and one subject kind:
- how the subject's rows are found: a lookup path (person: to the `auth.User`; student: to the
  `coordinators.StudentCase` id) or a callable `find(subject) -> QuerySet`;
- what an export shows: labelled fields (attribute paths or callables);
- how erasure treats the rows: `delete()`, `anonymise(field=value, ...)`, `keep()` (the rows stay as an
  anonymous count, their person being anonymised) or `custom(func)`;
- why, in one line.

`tests/hub/test_privacy_registry.py` walks every installed model and fails, naming it, when a model
that points at a person, a student or a family, or has fields that look personal, is neither
registered nor exempt.

Services: `subject_for_person`, `subject_for_family`, `subject_for_student`, `privacy_export`,
`privacy_erase`, `privacy_request_record`. The management commands only call these.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac

PERSON = "person"
STUDENT = "student"
FAMILY = "family"
SUBJECT_KINDS = (PERSON, STUDENT, FAMILY)


class PrivacyError(Exception):
    """A request the registry cannot serve as asked (unknown subject, bad arguments)."""


class ErasureRefused(PrivacyError):
    """The subject has something that must be kept or handled first (the message says what)."""


# -- how rows are erased ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Erase:
    action: str  # delete | anonymise | keep | custom
    values: Mapping[str, Any] = field(default_factory=dict)  # anonymise: field -> value or callable(row, subject)
    func: Callable | None = None  # custom: func(queryset, subject, now) -> int

    def describe(self) -> str:
        if self.action == "anonymise":
            return "anonymise " + ", ".join(self.values)
        if self.action == "keep":
            return "keep as an anonymous count"
        if self.action == "custom":
            return (self.func.__doc__ or "custom").strip().splitlines()[0]
        return self.action


def delete() -> Erase:
    return Erase("delete")


def anonymise(**values) -> Erase:
    return Erase("anonymise", values=values)


def keep() -> Erase:
    return Erase("keep")


def custom(func: Callable) -> Erase:
    """`func(queryset, subject, now) -> int` (rows changed); its docstring's first line says what it does."""
    return Erase("custom", func=func)


# -- the registry ------------------------------------------------------------------------------------------

Field = tuple[str, str | Callable]  # (label, attribute path "a.b" or callable(row))


@dataclass(frozen=True)
class Holding:
    model: str  # "app_label.ModelName"
    subject: str  # person | student | family
    find: str | Callable  # lookup path, or callable(subject) -> QuerySet
    fields: tuple[Field, ...]
    erase: Erase
    reason: str
    section: str = ""  # heading in an export (default: the model's verbose name, plural)
    order: int = 50  # erasure order: lower first
    covers: tuple[str, ...] = ()  # relation fields a callable `find` looks through

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def title(self) -> str:
        return self.section or str(self.model_class._meta.verbose_name_plural).capitalize()

    def queryset(self, subject: Subject) -> models.QuerySet:
        model = self.model_class
        if callable(self.find):
            return self.find(subject)
        if self.subject == PERSON:
            value = subject.user.pk if self.find in ("pk", "id") else subject.user
            return model._default_manager.filter(**{self.find: value})
        if self.subject == STUDENT:
            return model._default_manager.filter(**{self.find: subject.case_id})
        raise PrivacyError(f"{self.model}: a family holding needs a callable `find`.")

    @property
    def covered_fields(self) -> set[str]:
        """The model fields this holding finds rows through (to check coverage of relations)."""
        return set(self.covers) | (set() if callable(self.find) else {self.find.split("__", 1)[0]})


@dataclass(frozen=True)
class Exemption:
    model: str
    reason: str


_holdings: list[Holding] = []
_exemptions: dict[str, Exemption] = {}
_blockers: list[tuple[str, Callable]] = []
# Fields of registered models that point at a person but are covered elsewhere: (model, field) -> reason.
_field_notes: dict[tuple[str, str], str] = {}


def _installed(model_label: str) -> bool:
    try:
        apps.get_model(model_label)
    except LookupError:
        return False
    return True


def holding_register(model: str, *, subject: str, find: str | Callable, fields: Iterable[Field] = (),
                     erase: Erase, reason: str, section: str = "", order: int = 50,
                     covers: Iterable[str] = ()) -> Holding | None:
    """Declare what `model` holds about a subject. Ignored when the model's app is not installed."""
    if subject not in SUBJECT_KINDS:
        raise ValueError(f"Unknown subject kind {subject!r}; use one of {', '.join(SUBJECT_KINDS)}.")
    if not reason.strip():
        raise ValueError(f"{model}: say why in `reason`.")
    if not _installed(model):
        return None
    holding = Holding(model=model, subject=subject, find=find, fields=tuple(fields), erase=erase,
                      reason=reason.strip(), section=section, order=order, covers=tuple(covers))
    _holdings[:] = [h for h in _holdings if not (h.model == model and h.subject == subject and h.find == find)]
    _holdings.append(holding)
    return holding


def exempt_register(model: str, *, reason: str) -> None:
    """Declare that `model` holds nothing to export or erase, and why."""
    if not reason.strip():
        raise ValueError(f"{model}: an exemption needs a reason.")
    if _installed(model):
        _exemptions[model] = Exemption(model, reason.strip())


def field_note_register(model: str, field_name: str, *, reason: str) -> None:
    """A field pointing at a person that needs no holding of its own (e.g. covered by a parent's)."""
    if not reason.strip():
        raise ValueError(f"{model}.{field_name}: say why.")
    _field_notes[(model, field_name)] = reason.strip()


def blocker_register(subject: str, func: Callable) -> None:
    """`func(subject) -> str | None`: a reason erasure must wait (e.g. an open case assignment)."""
    if all(existing is not func for _, existing in _blockers):
        _blockers.append((subject, func))


def holdings(subject: str | None = None) -> list[Holding]:
    found = [h for h in _holdings if subject is None or h.subject == subject]
    return sorted(found, key=lambda h: (h.order, h.model))


def exemptions() -> dict[str, Exemption]:
    return dict(_exemptions)


def field_notes() -> dict[tuple[str, str], str]:
    return dict(_field_notes)


# -- the coverage check (used by the registry test) ---------------------------------------------------

PERSONAL_FIELD_NAMES = frozenset({
    "email", "phone", "phone_number", "ip_address", "first_name", "last_name", "last_initial", "username",
    "user_agent",
})


def _label(model) -> str:
    return model._meta.label


def coverage_problems(models_to_check: Iterable[type[models.Model]] | None = None) -> list[str]:
    """One line per model (or field) holding personal data that the registry does not account for.

    A model needs a holding or an exemption when it declares a foreign key, one-to-one or many-to-many
    to auth.User, hub.Person or any model registered as a student or family subject, or a field that
    looks personal (see PERSONAL_FIELD_NAMES, any IP address field, and `name` on student or family
    models). A registered model must also cover each such relation field with a holding whose lookup
    starts from it, or a field note.
    """
    from django.contrib.auth import get_user_model

    user_label = _label(get_user_model())
    registered = {h.model for h in _holdings}
    subject_roots = {user_label, "hub.Person"} | {h.model for h in _holdings if h.subject in (STUDENT, FAMILY)}
    student_family = {h.model for h in _holdings if h.subject in (STUDENT, FAMILY)}
    problems = []
    for model in (models_to_check if models_to_check is not None else apps.get_models()):
        label = _label(model)
        if model._meta.proxy or label in _exemptions:
            continue
        local = list(model._meta.local_fields) + list(model._meta.local_many_to_many)
        relations = [f for f in local if f.is_relation and f.related_model is not None
                     and _label(f.related_model) in subject_roots and not getattr(f, "parent_link", False)
                     and not (f.one_to_one and f.primary_key)]
        personal = [f for f in local if not f.is_relation and (
            f.name in PERSONAL_FIELD_NAMES or isinstance(f, models.GenericIPAddressField)
            or (f.name == "name" and label in student_family))]
        if label == user_label:
            relations = []
        if not relations and not personal:
            continue
        if label not in registered:
            what = ", ".join(f.name for f in relations + personal)
            problems.append(f"{label} holds personal data ({what}) but is neither registered in the privacy "
                            f"registry nor exempt with a reason.")
            continue
        covered = {name for (m, name) in _field_notes if m == label}
        for h in _holdings:
            if h.model == label:
                covered |= h.covered_fields
        for f in relations:
            if f.name not in covered and getattr(f, "attname", f.name) not in covered:
                problems.append(f"{label}.{f.name} points at {_label(f.related_model)} but no holding of "
                                f"{label} finds rows through it (register one, or a field note with a reason).")
    return problems


def student_file_problems(models_to_check: Iterable[type[models.Model]] | None = None) -> list[str]:
    """Student records must never carry files on public storage: no file fields, no filer links."""
    problems = []
    if models_to_check is None:
        models_to_check = list(dict.fromkeys(h.model_class for h in holdings(STUDENT)))
    for model in models_to_check:
        label = _label(model)
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                problems.append(f"{label}.{f.name} is a file field on a student record.")
            elif f.is_relation and f.related_model is not None and f.related_model._meta.app_label == "filer":
                problems.append(f"{label}.{f.name} links a student record to a django-filer file.")
    return problems


# -- subjects ------------------------------------------------------------------------------------------------

def subject_ref(kind: str, identifier: str) -> str:
    """A stable reference for the audit trail: an HMAC (keyed by SECRET_KEY) of the identifier, so
    that an erased email never sits in the database while the same request can be recognised later."""
    return salted_hmac("hub.privacy.subject", f"{kind}:{identifier}").hexdigest()[:32]


@dataclass
class Subject:
    kind: str
    label: str  # how the operator named it (shown in the command's output only, never stored)
    ref: str
    user: Any = None
    person: Any = None
    username: str = ""
    full_name: str = ""  # the account's name before erasure (to find it in free text)
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    case_id: int | None = None


def subject_for_person(*, username: str) -> Subject:
    from django.contrib.auth import get_user_model

    from hub.models import Person

    username = (username or "").strip()
    if not username:
        raise PrivacyError("Give a user name with --username.")
    user = get_user_model().objects.filter(username__iexact=username).first()
    if user is None:
        raise PrivacyError(f"No account has the user name {username!r}. Nothing was exported or changed.")
    person = Person.objects.filter(user=user).first()
    return Subject(kind=PERSON, label=f"account {user.username}", ref=subject_ref(PERSON, f"user:{user.pk}"),
                   user=user, person=person, username=user.username, full_name=user.get_full_name().strip())


_family_normalisers: dict[str, Callable[[str], str]] = {}


def family_normaliser_register(kind: str, func: Callable[[str], str]) -> None:
    """The family app's own normalisation of "email" and "phone" (raising ValueError for bad input)."""
    _family_normalisers[kind] = func


def subject_for_family(*, email: str = "", phone: str = "") -> Subject:
    if not (email or "").strip() and not (phone or "").strip():
        raise PrivacyError("Give the family's --email or --phone, as they signed up.")
    emails, phones = (), ()
    try:
        if (email or "").strip():
            emails = (_family_normalisers.get("email", str.lower)(email),)
        if (phone or "").strip():
            phones = (_family_normalisers.get("phone", str.strip)(phone),)
    except ValueError as error:
        raise PrivacyError(str(error)) from None
    identifier = "|".join([f"email:{e}" for e in emails] + [f"phone:{p}" for p in phones])
    subject = Subject(kind=FAMILY, label=" / ".join(emails + phones), ref=subject_ref(FAMILY, identifier),
                      emails=emails, phones=phones)
    if not any(h.queryset(subject).exists() for h in holdings(FAMILY)):
        raise PrivacyError(f"No family sign-up has {subject.label}. Nothing was exported or changed.")
    return subject


_student_finder: dict[str, Callable] = {}


def student_finder_register(func: Callable[[int], str | None]) -> None:
    """`func(case_id) -> label | None`: the app holding students says whether a case exists."""
    _student_finder["find"] = func


def subject_for_student(*, case_id) -> Subject:
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise PrivacyError(f"--student takes a case number, got {case_id!r}.") from None
    finder = _student_finder.get("find")
    label = finder(case_id) if finder else None
    if label is None:
        raise PrivacyError(f"No student case has the number {case_id}. Nothing was exported or changed.")
    return Subject(kind=STUDENT, label=label, ref=subject_ref(STUDENT, f"case:{case_id}"), case_id=case_id)


def subject_from_options(*, username: str = "", email: str = "", phone: str = "", student=None) -> Subject:
    """The one subject the command line names: --username, or --email/--phone (a family), or --student."""
    given = [name for name, value in (("--username", username), ("--email/--phone", (email or "") + (phone or "")),
                                      ("--student", student)) if value not in (None, "")]
    if not given:
        raise PrivacyError("Name whose data this is: --username (an account), --email or --phone (a family's "
                           "roundtable sign-ups) or --student (a case number).")
    if len(given) > 1:
        raise PrivacyError(f"Name one subject at a time: got {' and '.join(given)}.")
    if username:
        return subject_for_person(username=username)
    if student not in (None, ""):
        return subject_for_student(case_id=student)
    return subject_for_family(email=email, phone=phone)


# -- export ----------------------------------------------------------------------------------------------------

def _value(row, getter) -> Any:
    if callable(getter):
        value = getter(row)
    else:
        value = row
        for part in getter.split("."):
            value = getattr(value, part, None) if value is not None else None
            if callable(value) and not isinstance(value, models.Manager):
                value = value()
    if isinstance(value, models.Manager):
        value = ", ".join(str(v) for v in value.all())
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass
class Section:
    model: str
    title: str
    reason: str
    labels: list[str]
    rows: list[dict[str, Any]]


@dataclass
class Export:
    subject: Subject
    generated_at: datetime
    sections: list[Section]

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for section in self.sections:
            counts[section.model] = counts.get(section.model, 0) + len(section.rows)
        return counts

    def as_json(self) -> dict:
        return {
            "subject": {"kind": self.subject.kind, "reference": self.subject.ref},
            "generated_at": self.generated_at.isoformat(),
            "sections": [{"model": s.model, "title": s.title, "why_we_hold_it": s.reason, "rows": s.rows}
                         for s in self.sections],
        }


def privacy_export_collect(subject: Subject) -> Export:
    """Every registered holding's rows for the subject, labelled (only sections with rows, plus none)."""
    sections = []
    for holding in holdings(subject.kind):
        if not holding.fields:
            continue
        rows = [{label: _value(row, getter) for label, getter in holding.fields}
                for row in holding.queryset(subject).order_by("pk")]
        sections.append(Section(holding.model, holding.title, holding.reason,
                                [label for label, _ in holding.fields], rows))
    return Export(subject=subject, generated_at=timezone.now(), sections=sections)


def privacy_export(*, subject: Subject, operator: str, directory, now: datetime | None = None
                   ) -> tuple[list[Path], Export]:
    """Write `<kind>-export-<ref>-<date>.json` and `.html` in `directory`; record the request."""
    operator = operator_clean(operator)
    directory = Path(directory)
    if not directory.is_dir():
        raise PrivacyError(f"--output must be an existing folder; {directory} is not one. Nothing was exported.")
    export = privacy_export_collect(subject)
    now = now or export.generated_at
    stem = f"{subject.kind}-export-{subject.ref[:12]}-{timezone.localdate(now):%Y-%m-%d}"
    json_path, html_path = directory / f"{stem}.json", directory / f"{stem}.html"
    json_path.write_text(json.dumps(export.as_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    html = render_to_string("hub/privacy/export.html", {
        "export": export, "subject": subject, "kind": subject.kind,
        "sections": [(s, [[row.get(label, "") for label in s.labels] for row in s.rows]) for s in export.sections],
    })
    html_path.write_text(html, encoding="utf-8")
    privacy_request_record(kind="export", subject=subject, operator=operator, counts=export.counts, now=now)
    return [json_path, html_path], export


# -- erasure ---------------------------------------------------------------------------------------------------

@dataclass
class ErasurePlan:
    subject: Subject
    lines: list[tuple[Holding, int]]  # (holding, rows found)
    blockers: list[str]

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for holding, n in self.lines:
            if n and holding.erase.action != "keep":
                counts[holding.model] = counts.get(holding.model, 0) + n
        return counts

    def describe(self) -> list[str]:
        return [f"{h.model} ({h.title}): {n} row(s) — {h.erase.describe()}. Why: {h.reason}"
                for h, n in self.lines if n]


def privacy_erase_plan(subject: Subject) -> ErasurePlan:
    lines = [(h, h.queryset(subject).count()) for h in holdings(subject.kind)]
    blockers = [message for kind, func in _blockers if kind == subject.kind for message in [func(subject)] if message]
    return ErasurePlan(subject, lines, blockers)


def _apply(holding: Holding, subject: Subject, now: datetime) -> int:
    qs = holding.queryset(subject)
    erase = holding.erase
    if erase.action == "keep":
        return 0
    if erase.action == "delete":
        count = qs.count()
        qs.delete()
        return count
    if erase.action == "custom":
        return erase.func(qs, subject, now)
    static = {k: v for k, v in erase.values.items() if not callable(v)}
    dynamic = {k: v for k, v in erase.values.items() if callable(v)}
    model = holding.model_class
    if "updated_at" in {f.name for f in model._meta.concrete_fields}:
        static.setdefault("updated_at", now)
    if not dynamic:
        return qs.update(**static)
    count = 0
    for row in qs:
        for name, value in static.items():
            setattr(row, name, value)
        for name, func in dynamic.items():
            setattr(row, name, func(row, subject))
        row.save(update_fields=list(static) + list(dynamic))
        count += 1
    return count


def privacy_erase_apply(subject: Subject, *, now: datetime) -> dict[str, int]:
    """Apply every holding of the subject's kind (no checks, no audit: callers do both). Rows changed
    per model. The retention purge of closed cases calls this for each case."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for holding in holdings(subject.kind):
            changed = _apply(holding, subject, now)
            if changed:
                counts[holding.model] = counts.get(holding.model, 0) + changed
    return counts


def name_mentions_in(model: str, field_name: str) -> tuple[Callable, Erase]:
    """(find, erase) for a person's full name written into another row's text (e.g. "Visitors: Ana
    Ruiz, Marcus Bell" in an audit entry): the name is replaced by "(removed)", the row kept."""

    def find(subject: Subject):
        manager = apps.get_model(model)._default_manager
        if len(subject.full_name) < 3:
            return manager.none()
        return manager.filter(**{f"{field_name}__contains": subject.full_name})

    def scrub(queryset, subject: Subject, now) -> int:
        """replace the name in the text with (removed)"""
        count = 0
        for row in queryset:
            setattr(row, field_name, getattr(row, field_name).replace(subject.full_name, REMOVED))
            row.save(update_fields=[field_name])
            count += 1
        return count

    return find, custom(scrub)


REMOVED = "(removed)"


def privacy_erase(*, subject: Subject, operator: str, confirm: bool, now: datetime | None = None
                  ) -> ErasurePlan:
    """Without `confirm`: the plan (what would be erased), recorded as a dry run, nothing else changed.

    With `confirm`: refuses (ErasureRefused, recorded) when a blocker names something to do first;
    otherwise applies every holding in one transaction and records the request with the counts.
    """
    operator = operator_clean(operator)
    now = now or timezone.now()
    plan = privacy_erase_plan(subject)
    if not confirm:
        privacy_request_record(kind="erase", subject=subject, operator=operator, counts=plan.counts, now=now,
                               outcome="dry_run")
        return plan
    if plan.blockers:
        privacy_request_record(kind="erase", subject=subject, operator=operator, counts={}, now=now,
                               outcome="refused", detail=" ".join(plan.blockers))
        raise ErasureRefused(" ".join(plan.blockers))
    with transaction.atomic():
        counts = privacy_erase_apply(subject, now=now)
        privacy_request_record(kind="erase", subject=subject, operator=operator, counts=counts, now=now)
    plan.lines = [(h, counts.get(h.model, 0) if h.erase.action != "keep" else n) for h, n in plan.lines]
    return plan


# -- the audit ----------------------------------------------------------------------------------------------

def operator_clean(operator) -> str:
    operator = (operator or "").strip()
    if not operator:
        raise PrivacyError("Say who asked for this with --operator (a name, and a ticket if there is one).")
    if len(operator) > 200:
        raise PrivacyError("--operator is at most 200 characters.")
    return operator


def privacy_request_record(*, kind: str, subject: Subject | None, operator: str, counts: Mapping[str, int],
                           now: datetime | None = None, outcome: str = "done", detail: str = "",
                           subject_kind: str = "", reference: str = ""):
    from hub.models import PrivacyRequest

    return PrivacyRequest.objects.create(
        kind=kind, subject_kind=subject.kind if subject else subject_kind,
        subject_ref=subject.ref if subject else reference, operator=operator_clean(operator),
        outcome=outcome, counts=dict(counts), detail=detail[:1000], at=now or timezone.now(),
    )


def privacy_requests(*, reference: str = "") -> models.QuerySet:
    from hub.models import PrivacyRequest

    found = PrivacyRequest.objects.all()
    return found.filter(subject_ref=reference) if reference else found
