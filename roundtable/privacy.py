"""What Family Roundtables hold about a family and about staff (registered into hub.privacy from
RoundtableConfig.ready()).

A family is found by the email or phone it signed up with, normalised as the sign-up form does.
Erasure blanks the contact details and needs (as `purge_roundtable_contacts` does after the retention
period) and switches the private link off; the sign-up row stays for the counts.
"""

import hashlib
import secrets

from django.db.models import Q
from django.utils import timezone

from hub.capacity import ACTIVE
from hub.outbox import privacy as outbox_privacy
from hub.privacy.registry import (
    FAMILY,
    PERSON,
    blocker_register,
    custom,
    family_normaliser_register,
    holding_register,
    keep,
)
from roundtable import errors, services


def _normalised(func):
    def normalise(raw: str) -> str:
        try:
            return func(raw)
        except errors.InvalidSignup as error:
            raise ValueError(str(error)) from None

    return normalise


family_normaliser_register("email", _normalised(services.email_normalise))
family_normaliser_register("phone", _normalised(services.phone_normalise))


def family_signups(subject):
    from roundtable.models import FamilySignup

    where = Q(pk__in=[])
    if subject.emails:
        where |= Q(email__in=subject.emails)
    if subject.phones:
        where |= Q(phone__in=subject.phones)
    return FamilySignup.objects.filter(where)


def _signup_erase(queryset, subject, now) -> int:
    """remove name, email, phone and needs; switch the private link off; keep the seat for the counts"""
    count = 0
    for signup in queryset:
        signup.name = signup.email = signup.phone = signup.accessibility_needs = ""
        signup.contact_purged_at = signup.contact_purged_at or now
        signup.token_hash = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
        signup.save(update_fields=["name", "email", "phone", "accessibility_needs", "contact_purged_at",
                                   "token_hash", "updated_at"])
        count += 1
    return count


def _upcoming_signups(subject) -> str | None:
    upcoming = family_signups(subject).filter(status__in=ACTIVE, roundtable__ends_at__gt=timezone.now())
    n = upcoming.count()
    if n:
        return (f"The family still holds {n} place(s) at upcoming roundtables: cancel them first (the family's "
                "private link, or the organiser's page), then erase.")
    return None


holding_register(
    "roundtable.FamilySignup", subject=FAMILY, find=family_signups, section="Family Roundtable sign-ups",
    fields=[("Roundtable", "roundtable.title_en"), ("Starts", "roundtable.starts_at"), ("Status", "status"),
            ("Name", "name"), ("Email", "email"), ("Phone", "phone"), ("Reads", "preferred_language"),
            ("Interpreter", "interpretation_language"), ("Children coming", "children_count"),
            ("Access needs", "accessibility_needs"), ("District", "district"), ("Heard from", "heard_from"),
            ("Agreed to the privacy note", "consented_at"), ("Checked in", "checked_in_at"),
            ("Contact details removed", "contact_purged_at")],
    erase=custom(_signup_erase),
    reason="Your place at a roundtable and how to reach you. Contact details go 90 days after the evening "
           "anyway; the seat stays as a count.")
blocker_register(FAMILY, _upcoming_signups)


def family_messages(subject):
    """The outbox's messages to the addresses the family gave (found before the sign-ups lose them)."""
    from hub.outbox.models import Message

    emails = set(subject.emails) | set(family_signups(subject).exclude(email="").values_list("email", flat=True))
    return Message.objects.filter(recipient__in=emails) if emails else Message.objects.none()


holding_register("outbox.Message", subject=FAMILY, find=family_messages, fields=outbox_privacy.FIELDS,
                 section="Emails the Hub sent you", erase=outbox_privacy.ERASE, order=10,
                 reason="Confirmations and promotions sent to the family: the address and the words go.")
holding_register(
    "roundtable.Roundtable", subject=PERSON, find="created_by", section="Roundtables you created",
    fields=[("Roundtable", "title_en"), ("Starts", "starts_at")], erase=keep(),
    reason="Who created it, for the record; the account is anonymised.")
holding_register(
    "roundtable.Insight", subject=PERSON, find="recorded_by", section="Roundtable insights you recorded",
    fields=[("Insight", "text"), ("When", "created_at")], erase=keep(),
    reason="Anonymous insights belong to the program; who recorded them is kept, the account anonymised.")
