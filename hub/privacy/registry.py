"""The privacy registry: what each model holds about a person, a student or a family, and what erasure
does to it.

Every model that holds data about a person (an account and its `hub.Person`), a student or a family is
declared by the app that owns it: each app's `privacy.py` (imported from its AppConfig.ready())
calls `holding_register(...)` or `exempt_register(...)`. `hub` never imports the apps above it; they
register into it, as with `hub.navigation` and `hub.demo`. Third-party models (auth, admin, sessions,
Wagtail, filer, django-otp, django-axes) and hub's own are declared by `hub.privacy.holdings`, only for
the apps that are installed.

A holding says, for one model and one subject kind:
- how the subject's rows are found: a lookup path (person: to the `auth.User`; student: to the
  `coordinators.StudentCase` id) or a callable `find(subject) -> QuerySet`;
- what an export shows: labelled fields (attribute paths or callables);
- how erasure treats the rows: `delete()`, `anonymise(field=value, ...)`, `keep()` (the rows stay as an
  anonymous count, their person being anonymised) or `custom(func)`;
- why, in one line.

`tests/privacy/test_privacy_registry.py` walks every installed model and fails, naming it, when a model
that points at a person, a student or a family, or has fields that look personal, is neither
registered nor exempt. Finding a subject and reading their rows is `hub.privacy.selectors`; export and
erasure are `hub.privacy.services`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.crypto import salted_hmac

from hub.privacy.errors import PrivacyError

PERSON = "person"
STUDENT = "student"
FAMILY = "family"
SUBJECT_KINDS = (PERSON, STUDENT, FAMILY)


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


def blockers(subject: str) -> list[Callable]:
    """The registered checks that may refuse erasing a subject of this kind (each returns a message or "")."""
    return [func for kind, func in _blockers if kind == subject]


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


_family_normalisers: dict[str, Callable[[str], str]] = {}


def family_normaliser_register(kind: str, func: Callable[[str], str]) -> None:
    """The family app's own normalisation of "email" and "phone" (raising ValueError for bad input)."""
    _family_normalisers[kind] = func


_student_finder: dict[str, Callable] = {}


def student_finder_register(func: Callable[[int], str | None]) -> None:
    """`func(case_id) -> label | None`: the app holding students says whether a case exists."""
    _student_finder["find"] = func


def student_finder() -> Callable[[int], str | None] | None:
    return _student_finder.get("find")


def family_normaliser(kind: str, default: Callable[[str], str]) -> Callable[[str], str]:
    return _family_normalisers.get(kind, default)


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


