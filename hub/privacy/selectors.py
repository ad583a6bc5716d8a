"""Privacy reads: who a request is about (`subject_for_*`), what the Hub holds about them (the export's
sections, the erasure plan), and the record of past requests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from hub.models import Person
from hub.privacy.errors import PrivacyError
from hub.privacy.models import PrivacyRequest
from hub.privacy.registry import (
    FAMILY,
    PERSON,
    STUDENT,
    Holding,
    Subject,
    blockers,
    family_normaliser,
    holdings,
    student_finder,
    subject_ref,
)


def subject_for_person(*, username: str) -> Subject:
    username = (username or "").strip()
    if not username:
        raise PrivacyError("Give a user name with --username.")
    user = get_user_model().objects.filter(username__iexact=username).first()
    if user is None:
        raise PrivacyError(f"No account has the user name {username!r}. Nothing was exported or changed.")
    person = Person.objects.filter(user=user).first()
    return Subject(kind=PERSON, label=f"account {user.username}", ref=subject_ref(PERSON, f"user:{user.pk}"),
                   user=user, person=person, username=user.username, full_name=user.get_full_name().strip())


def subject_for_family(*, email: str = "", phone: str = "") -> Subject:
    if not (email or "").strip() and not (phone or "").strip():
        raise PrivacyError("Give the family's --email or --phone, as they signed up.")
    emails, phones = (), ()
    try:
        if (email or "").strip():
            emails = (family_normaliser("email", str.lower)(email),)
        if (phone or "").strip():
            phones = (family_normaliser("phone", str.strip)(phone),)
    except ValueError as error:
        raise PrivacyError(str(error)) from None
    identifier = "|".join([f"email:{e}" for e in emails] + [f"phone:{p}" for p in phones])
    subject = Subject(kind=FAMILY, label=" / ".join(emails + phones), ref=subject_ref(FAMILY, identifier),
                      emails=emails, phones=phones)
    if not any(h.queryset(subject).exists() for h in holdings(FAMILY)):
        raise PrivacyError(f"No family sign-up has {subject.label}. Nothing was exported or changed.")
    return subject


def subject_for_student(*, case_id) -> Subject:
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise PrivacyError(f"--student takes a case number, got {case_id!r}.") from None
    finder = student_finder()
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
    found = [message for func in blockers(subject.kind) for message in [func(subject)] if message]
    return ErasurePlan(subject, lines, found)


def privacy_requests(*, reference: str = "") -> models.QuerySet:
    found = PrivacyRequest.objects.all()
    return found.filter(subject_ref=reference) if reference else found



def may_read_privacy_requests(user) -> bool:
    """State staff (and superusers) read the record of privacy requests; nobody else."""
    from hub.roles import STATE_STAFF, has_role

    return bool(user.is_authenticated and (user.is_superuser or has_role(user, STATE_STAFF)))
