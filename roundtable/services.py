"""Rules that change Family Roundtables: roundtables, families' sign-ups (no account), cancelling by
private link, check-in, insights (recorded, edited and deleted by any organiser, never naming a family
unchecked) and the purge of contact details.

Every function takes keyword arguments, runs in one transaction and raises a ``roundtable.errors``
error (a message in the family's or organiser's language) when a rule refuses; a refusal changes
nothing. Seats and the waitlist follow ``hub.capacity``, the one rule shared with live sessions.
Messages to families are sent after the transaction commits, in the language they chose.
"""

import base64
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hub.audit.services import audit_record
from hub.capacity import ACTIVE, SeatStatus, lock_parent, seat_release, seat_take, seats_fill
from hub.idempotency import create_once
from hub.mail import absolute_url, mail_on_commit, mail_render
from hub.models import District
from hub.program import PROGRAM_TZ
from hub.text import normalise_name
from roundtable import errors
from roundtable.formatting import when
from roundtable.models import (
    LANGUAGE_NAMES,
    SITE_LANGUAGES,
    FamilySignup,
    Format,
    HeardFrom,
    Insight,
    Roundtable,
)
from roundtable.selectors import insight_mentions, may_organise, token_hash

NAME_MAX = 120
FREE_TEXT_MAX = 1000
MAX_CHILDREN = 10
MAX_CAPACITY = 500
DEFAULT_RETENTION_DAYS = 90
# Text that looks like markup (<b>, </script>, <!--): refused in what families type, so that nothing
# resembling HTML is ever stored from the public form. It would be escaped on output anyway.
_MARKUP = re.compile(r"<\s*[A-Za-z/!?]")
_PHONE_CHARS = re.compile(r"^[\d\s().+\-]*$")


@dataclass(frozen=True)
class SignupResult:
    signup: FamilySignup
    token: str | None  # the private-link token; None when an existing sign-up was found by its contact
    created: bool


# -- contact details ---------------------------------------------------------------------------------

def phone_normalise(raw: str) -> str:
    """Ten digits of a US number, or "" for no number; InvalidSignup for an impossible one.

    Accepts punctuation ((860) 555-0142, 860.555.0142, +1 860 555 0142) and an optional leading 1.
    The area code and the exchange cannot start with 0 or 1 nor be N11 (911, 411…).
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    invalid = errors.InvalidSignup(
        gettext_lazy("Enter a US phone number with 10 digits, for example 860-555-0142."), field="phone")
    if len(raw) > 30 or not _PHONE_CHARS.match(raw):
        raise invalid
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        raise invalid
    area, exchange = digits[:3], digits[3:6]
    for part in (area, exchange):
        if part[0] in "01" or part[1:] == "11":
            raise invalid
    return digits


def email_normalise(raw: str) -> str:
    email = (raw or "").strip().lower()
    if not email:
        return ""
    try:
        EmailValidator()(email)
    except ValidationError:
        raise errors.InvalidSignup(
            gettext_lazy("Enter a valid email address, for example name@example.com."), field="email") from None
    return email


def _free_text(value: str, *, field: str, limit: int, label) -> str:
    value = normalise_name(value)  # NFC (hub.text): one form for the same name typed on any keyboard
    if len(value) > limit:
        raise errors.InvalidSignup(
            gettext_lazy("%(label)s is too long: please use at most %(limit)d characters.")
            % {"label": label, "limit": limit}, field=field)
    if _MARKUP.search(value):
        raise errors.InvalidSignup(
            gettext_lazy("Please write %(label)s without the signs < and >.") % {"label": label}, field=field)
    return value


# -- roundtables -------------------------------------------------------------------------------------

# What an organiser sets on a roundtable (the create and edit forms, a copy).
EDITABLE = ("title_en", "title_es", "description_en", "description_es", "starts_at", "ends_at", "format", "address",
            "address_es", "join_link", "held_in", "languages", "capacity", "childcare", "district", "is_draft")
# Copied as they are; a copy gets its own dates and starts as a draft.
_COPIED = tuple(f for f in EDITABLE if f not in ("starts_at", "ends_at", "is_draft"))
PLANNING_HORIZON_DAYS = 730


def _within_horizon(day: date) -> bool:
    return day <= timezone.localdate() + timedelta(days=PLANNING_HORIZON_DAYS)


def roundtable_times(*, day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """(starts_at, ends_at) of a roundtable on `day` from `start` to `end`, New York time; the form's
    fields are checked by the rules the services apply (InvalidRoundtable naming the field)."""
    if not _within_horizon(day):
        raise errors.InvalidRoundtable(gettext_lazy("Choose a date within the next two years."), field="starts_at")
    if end <= start:
        raise errors.InvalidRoundtable(gettext_lazy("The roundtable must end after it starts."), field="ends_at")
    return (datetime.combine(day, start, tzinfo=PROGRAM_TZ), datetime.combine(day, end, tzinfo=PROGRAM_TZ))


def _validate_roundtable(rt: Roundtable, *, upcoming_from: datetime | None = None) -> None:
    """Refuse (InvalidRoundtable, naming the field) details that contradict themselves. With
    `upcoming_from`, the roundtable must also start after that moment (a new date an organiser picks)."""
    def refuse(message, field):
        raise errors.InvalidRoundtable(message, field=field)

    if not rt.title_en.strip():
        refuse(gettext_lazy("Give the roundtable a title in English."), "title_en")
    if rt.ends_at <= rt.starts_at:
        refuse(gettext_lazy("The roundtable must end after it starts."), "ends_at")
    if upcoming_from is not None and rt.starts_at <= upcoming_from:
        refuse(gettext_lazy("Choose a date and time that have not passed yet."), "starts_at")
    if not _within_horizon(timezone.localtime(rt.starts_at).date()):
        refuse(gettext_lazy("Choose a date within the next two years."), "starts_at")
    if rt.ends_at - rt.starts_at > timedelta(hours=12):
        refuse(gettext_lazy("A roundtable lasts at most 12 hours: check the end time."), "ends_at")
    try:
        capacity = int(rt.capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= MAX_CAPACITY:
        refuse(gettext_lazy("Seats must be between 1 and 500."), "capacity")
    if rt.format not in Format.values:
        refuse(gettext_lazy("Choose in person or online."), "format")
    if rt.format == Format.IN_PERSON and not rt.address.strip():
        refuse(gettext_lazy("Give the address of an in-person roundtable."), "address")
    if rt.join_link and not rt.join_link.startswith("https://"):
        refuse(gettext_lazy("The video call link must be an https:// address."), "join_link")
    if rt.held_in not in dict(SITE_LANGUAGES):
        refuse(gettext_lazy("Choose English or Spanish."), "held_in")
    if not isinstance(rt.languages, list) or any(code not in LANGUAGE_NAMES for code in rt.languages):
        refuse(gettext_lazy("Unknown language code."), "languages")
    if rt.held_in not in rt.languages:
        rt.languages = [rt.held_in, *rt.languages]
    if rt.offers_spanish:
        # Families who read Spanish get every text in Spanish: the list, the sign-up page, the emails.
        if not rt.title_es.strip():
            refuse(gettext_lazy("Spanish is offered: give the title in Spanish too."), "title_es")
        if rt.description_en.strip() and not rt.description_es.strip():
            refuse(gettext_lazy("Spanish is offered: give the description in Spanish too."), "description_es")


def _clean(value):
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def roundtable_create(*, by, title_en: str, starts_at: datetime, ends_at: datetime, capacity: int,
                      format: str = Format.IN_PERSON, title_es: str = "", description_en: str = "",
                      description_es: str = "", address: str = "", address_es: str = "", join_link: str = "",
                      held_in: str = "en", languages=("en",), childcare: bool = True,
                      district: District | None = None, is_draft: bool = False, form_token=None,
                      must_be_upcoming: bool = False, now: datetime | None = None) -> Roundtable:
    """A new roundtable (organisers only). The organisers' form sends `must_be_upcoming` (a date that has
    passed is refused; demo data and tests record past ones) and its one-time `form_token`: the same
    form sent twice makes one roundtable (hub.idempotency)."""
    if not may_organise(by):
        raise errors.NotAllowed()
    now = now or timezone.now()
    rt = Roundtable(title_en=title_en.strip(), title_es=title_es.strip(), description_en=description_en.strip(),
                    description_es=description_es.strip(), starts_at=starts_at, ends_at=ends_at,
                    capacity=capacity, format=format, address=address.strip(), address_es=address_es.strip(),
                    join_link=join_link, held_in=held_in, languages=list(dict.fromkeys(languages)),
                    childcare=bool(childcare), district=district, is_draft=bool(is_draft), created_by=by,
                    form_token=form_token)
    _validate_roundtable(rt, upcoming_from=now if must_be_upcoming else None)
    rt.capacity = int(rt.capacity)

    def create() -> Roundtable:
        rt.save()
        return rt

    made, _created = create_once(Roundtable, token=form_token, owner={"created_by": by}, create=create)
    return made


def _confirmed_count(roundtable_id: int) -> int:
    return FamilySignup.objects.filter(roundtable_id=roundtable_id, status=SeatStatus.CONFIRMED).count()


def _check_change(rt: Roundtable) -> None:
    """What an edit may not do to a roundtable families have signed up for (InvalidRoundtable)."""
    confirmed = _confirmed_count(rt.pk)
    if int(rt.capacity) < confirmed:
        raise errors.InvalidRoundtable(
            gettext_lazy("%(n)d families already have a confirmed place, so there must be at least %(n)d seats. "
                         "Nobody loses a place by an edit: to have fewer families, ask some to cancel first.")
            % {"n": confirmed}, field="capacity")
    if rt.is_draft and FamilySignup.objects.filter(roundtable_id=rt.pk, status__in=ACTIVE).exists():
        raise errors.InvalidRoundtable(
            gettext_lazy("Families have signed up, so it cannot go back to being a draft."), field="is_draft")


@transaction.atomic
def roundtable_edit(*, roundtable: Roundtable, by, now: datetime | None = None, **changes) -> Roundtable:
    """Change a roundtable's details (organisers only; `changes` are fields of EDITABLE). Refused for a
    cancelled roundtable, for fewer seats than families already confirmed, and for a new date that has
    passed. More seats promote families from the waitlist (told by email). Audited."""
    if not may_organise(by):
        raise errors.NotAllowed()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise errors.InvalidRoundtable(gettext_lazy("That could not be done."))
    now = now or timezone.now()
    rt = lock_parent(Roundtable, roundtable.pk)
    if rt.is_cancelled:
        raise errors.RoundtableCancelled(gettext_lazy("This roundtable was cancelled: it can no longer be changed."))
    moved = ("starts_at" in changes and changes["starts_at"] != rt.starts_at)
    for name, value in changes.items():
        setattr(rt, name, _clean(value))
    if "languages" in changes:
        rt.languages = list(dict.fromkeys(rt.languages or []))
    _validate_roundtable(rt, upcoming_from=now if moved else None)
    rt.capacity = int(rt.capacity)
    _check_change(rt)
    rt.save()
    promoted = seats_fill(capacity=rt.capacity, holders=rt.signups.all())
    _notify_promoted(promoted)
    audit_record(actor=by, action="roundtable.edit", object_type="roundtable", object_id=rt.pk,
                 district=rt.district_id, detail=", ".join(sorted(changes)))
    return rt


@transaction.atomic
def roundtable_update(*, roundtable: Roundtable, by) -> list[FamilySignup]:
    """Save a roundtable edited in the Django admin (its form sets the fields); the same checks as
    `roundtable_edit`. More seats promote from the waitlist."""
    if not may_organise(by):
        raise errors.NotAllowed()
    _validate_roundtable(roundtable)
    if roundtable.pk is None:
        roundtable.created_by = by
        roundtable.save()
        return []
    if lock_parent(Roundtable, roundtable.pk).is_cancelled:
        raise errors.RoundtableCancelled(gettext_lazy("This roundtable was cancelled: it can no longer be changed."))
    _check_change(roundtable)
    roundtable.save()
    promoted = seats_fill(capacity=roundtable.capacity, holders=roundtable.signups.all())
    _notify_promoted(promoted)
    return promoted


@transaction.atomic
def roundtable_copy(*, roundtable: Roundtable, by, starts_at: datetime, ends_at: datetime, form_token=None,
                    now: datetime | None = None) -> Roundtable:
    """A new draft with the same texts, place, languages, seats and childcare on a new date (organisers
    only); cancelled and past roundtables can be copied too. No sign-up is copied. Sending the same
    copy form twice makes one copy."""
    if not may_organise(by):
        raise errors.NotAllowed()
    source = Roundtable.objects.get(pk=roundtable.pk)
    fields = {name: getattr(source, name) for name in _COPIED}
    return roundtable_create(by=by, starts_at=starts_at, ends_at=ends_at, is_draft=True, form_token=form_token,
                             must_be_upcoming=True, now=now, **fields)


@dataclass(frozen=True)
class Cancellation:
    roundtable: Roundtable
    emailed: int  # families told by email
    phone_only: int  # families who gave a phone number only: the organisers call them


@transaction.atomic
def roundtable_cancel(*, roundtable: Roundtable, by, now: datetime | None = None) -> Cancellation:
    """Cancel a roundtable that has not taken place (organisers only). Every family with a place or on
    the waitlist is told by email in the language they chose; their sign-ups and the counts stay as they
    were, the families' private links say it was cancelled, and new sign-ups are refused. Audited."""
    if not may_organise(by):
        raise errors.NotAllowed()
    now = now or timezone.now()
    rt = lock_parent(Roundtable, roundtable.pk)
    if rt.is_cancelled:
        raise errors.RoundtableCancelled(gettext_lazy("This roundtable was already cancelled."))
    if rt.ends_at <= now:
        raise errors.InvalidRoundtable(gettext_lazy("This roundtable has already taken place: it cannot be cancelled."))
    rt.cancelled_at = now
    rt.save(update_fields=["cancelled_at", "updated_at"])
    families = list(FamilySignup.objects.filter(roundtable=rt, status__in=ACTIVE).order_by("created_at", "pk"))
    emailed = [s for s in families if s.email]
    for signup in emailed:
        _notify_roundtable_cancelled(signup, rt)
    audit_record(actor=by, action="roundtable.cancel", object_type="roundtable", object_id=rt.pk,
                 district=rt.district_id, detail=f"{len(families)} families signed up, {len(emailed)} told by email")
    return Cancellation(roundtable=rt, emailed=len(emailed), phone_only=len(families) - len(emailed))


# -- sign-ups ----------------------------------------------------------------------------------------

def _form_private_token(roundtable_id: int, form_token) -> str:
    """The private-link token of a sign-up made by the form with this one-time token (`hub.idempotency`).

    Derived from the form token (keyed with SECRET_KEY), not stored: the link is kept only as a hash, so
    this is how the same form sent again can give the family its link again when the first answer never
    reached the phone. Whoever holds the form token is the browser the form was drawn for."""
    digest = salted_hmac("roundtable.signup.private-link", f"{roundtable_id}:{form_token}",
                         algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def _made_by_form(roundtable_id: int, form_token, *, email: str, phone: str) -> tuple[FamilySignup | None, str]:
    """(the sign-up this form made, its private token), or (None, a token for a new sign-up).

    A form token seen with other contact details (a page kept in a shared cache, a shared computer) is
    ignored: that family gets a sign-up of its own with a random link, never the first family's."""
    if form_token is None:
        return None, secrets.token_urlsafe(24)
    token = _form_private_token(roundtable_id, form_token)
    made = FamilySignup.objects.filter(roundtable_id=roundtable_id, token_hash=token_hash(token)).first()
    if made is None:
        return None, token
    if made.email == email and made.phone == phone:
        return made, token
    return None, secrets.token_urlsafe(24)


def _existing(roundtable_id, *, email: str, phone: str) -> FamilySignup | None:
    same = Q(pk__in=[])
    if email:
        same |= Q(email=email)
    if phone:
        same |= Q(phone=phone)
    return (FamilySignup.objects.filter(same, roundtable_id=roundtable_id, status__in=ACTIVE)
            .order_by("created_at", "pk").first())


def contact_required(*, email: str, phone: str) -> None:
    """A family gives an email address or a phone number (or both): the one place that says so (the
    sign-up form asks it too, to show the message beside the fields)."""
    if not (email or "").strip() and not (phone or "").strip():
        raise errors.InvalidSignup(
            gettext_lazy("Please give an email address or a phone number (or both) so that we can reach you."))


@transaction.atomic
def signup_create(*, roundtable: Roundtable, name: str, email: str = "", phone: str = "",
                  preferred_language: str = "en", interpretation_language: str = "", children_count: int = 0,
                  accessibility_needs: str = "", district: District | None = None, heard_from: str = "",
                  consent: bool = False, now: datetime | None = None, form_token=None) -> SignupResult:
    """Sign a family up: confirmed while seats remain, otherwise waitlisted.

    The same form sent again (its one-time `form_token`): the sign-up it made, with its private token
    (``created`` False), whatever has happened to it since. The same email or phone (normalised) already
    signed up for this roundtable from another form: that sign-up is returned (``created`` False, no
    token) and nothing is written. A confirmation goes to the email, if given, in the family's language,
    with the private link.
    """
    now = now or timezone.now()
    name = _free_text(name, field="name", limit=NAME_MAX, label=gettext_lazy("Your name"))
    if not name:
        raise errors.InvalidSignup(gettext_lazy("Please tell us your name."), field="name")
    email, phone = email_normalise(email), phone_normalise(phone)
    contact_required(email=email, phone=phone)
    accessibility_needs = _free_text(accessibility_needs, field="accessibility_needs", limit=FREE_TEXT_MAX,
                                     label=gettext_lazy("Accessibility needs"))
    if preferred_language not in dict(SITE_LANGUAGES):
        raise errors.InvalidSignup(gettext_lazy("Choose English or Spanish."), field="preferred_language")
    if interpretation_language and interpretation_language not in LANGUAGE_NAMES:
        raise errors.InvalidSignup(gettext_lazy("Choose a language from the list."), field="interpretation_language")
    if heard_from and heard_from not in HeardFrom.values:
        raise errors.InvalidSignup(gettext_lazy("Choose an answer from the list."), field="heard_from")
    try:
        children_count = int(children_count or 0)
    except (TypeError, ValueError):
        children_count = -1
    if not 0 <= children_count <= MAX_CHILDREN:
        raise errors.InvalidSignup(gettext_lazy("Childcare is for 0 to 10 children."), field="children_count")
    if not consent:
        raise errors.InvalidSignup(gettext_lazy("Please tick the box to agree to how we use your information."),
                                   field="consent")

    parent = lock_parent(Roundtable, roundtable.pk)  # SELECT … FOR UPDATE: one seat decision at a time
    if parent.is_cancelled:
        raise errors.RoundtableCancelled()
    if parent.is_draft:
        raise errors.RoundtableNotOpen()
    if parent.ends_at <= now:
        raise errors.SignupClosed()
    made, token = _made_by_form(parent.pk, form_token, email=email, phone=phone)
    if made is not None:
        return SignupResult(signup=made, token=token, created=False)
    existing = _existing(parent.pk, email=email, phone=phone)
    if existing is not None:
        return SignupResult(signup=existing, token=None, created=False)
    signup = FamilySignup(
        roundtable=parent, name=name, email=email, phone=phone, accessibility_needs=accessibility_needs,
        accessibility_requested=bool(accessibility_needs), preferred_language=preferred_language,
        interpretation_language=interpretation_language, children_count=children_count, district=district,
        heard_from=heard_from, consented_at=now, token_hash=token_hash(token),
    )
    seat_take(seat=signup, capacity=parent.capacity, holders=parent.signups.all())
    _notify_signed_up(signup, token)
    return SignupResult(signup=signup, token=token, created=True)


@transaction.atomic
def signup_cancel(*, signup: FamilySignup, now: datetime | None = None) -> list[FamilySignup]:
    """The family gives up its place (by its private link); the first on the waitlist is promoted
    and told by email, in their language. Returns the promoted sign-ups."""
    now = now or timezone.now()
    parent = lock_parent(Roundtable, signup.roundtable_id)
    signup = FamilySignup.objects.get(pk=signup.pk)
    if not signup.is_active:
        raise errors.NotSignedUp()
    if parent.is_cancelled:
        raise errors.RoundtableCancelled(
            gettext_lazy("This roundtable was cancelled by its organisers: there is nothing more to do."))
    if parent.ends_at <= now:
        raise errors.SignupClosed(gettext_lazy("This roundtable has already taken place."))
    promoted = seat_release(seat=signup, capacity=parent.capacity, holders=parent.signups.all())
    signup.roundtable = parent
    _notify_cancelled(signup, now)
    _notify_promoted(promoted)
    return promoted


@transaction.atomic
def signup_check_in(*, signup: FamilySignup, by, present: bool = True, now: datetime | None = None) -> FamilySignup:
    """Mark a family arrived (or undo it) on the day of the roundtable (organisers only)."""
    if not may_organise(by):
        raise errors.NotAllowed()
    now = now or timezone.now()
    parent = lock_parent(Roundtable, signup.roundtable_id)
    signup = FamilySignup.objects.get(pk=signup.pk)
    if parent.is_cancelled:
        raise errors.RoundtableCancelled(gettext_lazy("This roundtable was cancelled: there is no check-in."))
    if not signup.is_active:
        raise errors.NotSignedUp(gettext_lazy("This family cancelled; there is nothing to check in."))
    start_day = timezone.localtime(parent.starts_at).date()
    if timezone.localtime(now).date() < start_day:
        raise errors.CheckInClosed()
    signup.checked_in_at = now if present else None
    signup.save(update_fields=["checked_in_at", "updated_at"])
    return signup


# -- insights ----------------------------------------------------------------------------------------

def _insight_text(*, tag: str, kind: str, text: str) -> str:
    """The insight's text, stripped, once the tag, kind and length are right (InvalidInsight otherwise)."""
    if tag not in Insight.Tag.values:
        raise errors.InvalidInsight(gettext_lazy("Choose a tag: barriers, what helps or ideas for the program."))
    if kind not in Insight.Kind.values:
        raise errors.InvalidInsight(gettext_lazy("Choose a theme or a quote."))
    text = (text or "").strip()
    if not text:
        raise errors.InvalidInsight(gettext_lazy("Write the theme or the quote."))
    limit = 280 if kind == Insight.Kind.QUOTE else 500
    if len(text) > limit:
        raise errors.InvalidInsight(gettext_lazy("Keep it short: at most %(limit)d characters.") % {"limit": limit})
    return text


def _anonymity_check(*, roundtable: Roundtable, text: str, by, confirmed: bool, insight_id=None) -> None:
    """Refuse (InsightNamesFamily) a text that contains the name of a family signed up for the roundtable,
    unless the organiser confirmed it identifies nobody; a confirmed match is audited."""
    found = insight_mentions(roundtable=roundtable, text=text)
    if found and not confirmed:
        raise errors.InsightNamesFamily(found)
    if found:
        audit_record(actor=by, action="insight.name_confirmed", object_type="roundtable",
                     object_id=roundtable.pk, district=roundtable.district_id,
                     detail=f"insight {insight_id or '(new)'}: the organiser confirmed that a word matching "
                            f"{len(found)} signed-up famil{'y' if len(found) == 1 else 'ies'} identifies nobody")


@transaction.atomic
def insight_record(*, roundtable: Roundtable, by, tag: str, text: str, kind: str = Insight.Kind.THEME,
                   anonymity_confirmed: bool = False, form_token=None, now: datetime | None = None) -> Insight:
    """A theme or a short anonymous quote from a roundtable that has started (organisers only).

    A text naming a family signed up for the roundtable (`selectors.insight_mentions`) is refused with
    InsightNamesFamily until the organiser confirms it identifies nobody (`anonymity_confirmed`). The
    same form sent twice (`form_token`, hub.idempotency) records one insight."""
    if not may_organise(by):
        raise errors.NotAllowed()
    now = now or timezone.now()
    if roundtable.starts_at > now:
        raise errors.InvalidInsight(gettext_lazy("Record insights once the roundtable has taken place."))
    text = _insight_text(tag=tag, kind=kind, text=text)

    def create() -> Insight:
        _anonymity_check(roundtable=roundtable, text=text, by=by, confirmed=anonymity_confirmed)
        return Insight.objects.create(roundtable=roundtable, tag=tag, kind=kind, text=text, recorded_by=by,
                                      form_token=form_token)

    insight, _ = create_once(Insight, token=form_token, owner={"recorded_by": by}, create=create)
    return insight


@transaction.atomic
def insight_edit(*, insight: Insight, by, tag: str, kind: str, text: str,
                 anonymity_confirmed: bool = False) -> Insight:
    """Change an insight's tag, kind or text (any organiser), with the same checks as recording it; audited."""
    if not may_organise(by):
        raise errors.NotAllowed()
    insight = Insight.objects.select_for_update().select_related("roundtable").get(pk=insight.pk)
    text = _insight_text(tag=tag, kind=kind, text=text)
    _anonymity_check(roundtable=insight.roundtable, text=text, by=by, confirmed=anonymity_confirmed,
                     insight_id=insight.pk)
    insight.tag, insight.kind, insight.text = tag, kind, text
    insight.save(update_fields=["tag", "kind", "text", "updated_at"])
    audit_record(actor=by, action="insight.edit", object_type="insight", object_id=insight.pk,
                 district=insight.roundtable.district_id, detail=f"roundtable {insight.roundtable_id}")
    return insight


@transaction.atomic
def insight_delete(*, insight: Insight, by) -> None:
    """Delete an insight (any organiser), say one that names a family; audited (without its text)."""
    if not may_organise(by):
        raise errors.NotAllowed()
    insight = Insight.objects.select_for_update().select_related("roundtable").filter(pk=insight.pk).first()
    if insight is None:
        raise errors.InvalidInsight(gettext_lazy("This insight was already deleted."))
    audit_record(actor=by, action="insight.delete", object_type="insight", object_id=insight.pk,
                 district=insight.roundtable.district_id,
                 detail=f"roundtable {insight.roundtable_id}: {insight.get_tag_display()}, {insight.get_kind_display()}")
    insight.delete()


# -- privacy -----------------------------------------------------------------------------------------

def retention_days() -> int:
    return int(getattr(settings, "ROUNDTABLE_CONTACT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


@transaction.atomic
def contacts_purge(*, now: datetime | None = None, days: int | None = None) -> int:
    """Blank names, emails, phones and accessibility notes of sign-ups to roundtables that ended more
    than `days` (the setting, 90 by default) ago. Counts, needs and insights stay. Returns how many."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    if days < 0:
        raise ValueError("days must be 0 or more")
    due = FamilySignup.objects.filter(roundtable__ends_at__lte=now - timedelta(days=days),
                                      contact_purged_at__isnull=True)
    return due.update(name="", email="", phone="", accessibility_needs="", contact_purged_at=now, updated_at=now)


# -- messages ----------------------------------------------------------------------------------------

def private_url(token: str) -> str:
    path = reverse("roundtable:private", args=[token])
    return absolute_url(path)


def _family_mail(signup: FamilySignup, *, kind: str, template: str, subject, key: str, **context) -> None:
    """One message to a family, written in its language (`templates/roundtable/email/<template>`)."""
    if not signup.email:
        return
    rt = signup.roundtable
    with translation.override(signup.preferred_language):
        subject = str(subject)
        context = {"name": signup.name, "title": rt.title, "when": when(rt.starts_at), "subject": subject,
                   **{k: str(v) for k, v in context.items()}}
        text, html = mail_render(f"roundtable/email/{template}", context, language=signup.preferred_language)
    mail_on_commit(to=signup.email, subject=subject, body=text, html=html, kind=kind, key=key,
                   language=signup.preferred_language, about=signup)  # no district: families are the organisers' to see


def _notify_signed_up(signup: FamilySignup, token: str) -> None:
    rt = signup.roundtable
    with translation.override(signup.preferred_language):
        if signup.status == SeatStatus.CONFIRMED:
            subject = _("You're signed up: %(title)s") % {"title": rt.title}
            status = _("Your place is confirmed.")
        else:
            subject = _("You're on the waitlist: %(title)s") % {"title": rt.title}
            status = _("The roundtable is full, so you are on the waitlist. We will write to you if a place opens.")
        where = rt.place if rt.format == Format.IN_PERSON else _("Online (video call)")
        _family_mail(signup, kind="confirmation", template="signed_up", subject=subject, status=status,
                     where=where, link=private_url(token), key=f"roundtable:signup:{signup.pk}:signed-up")


def _notify_cancelled(signup: FamilySignup, now: datetime) -> None:
    with translation.override(signup.preferred_language):
        subject = _("Cancelled: %(title)s") % {"title": signup.roundtable.title}
    _family_mail(signup, kind="cancellation", template="cancelled", subject=subject,
                 link=absolute_url(reverse("roundtable:signup", args=[signup.roundtable_id])),
                 key=f"roundtable:signup:{signup.pk}:cancelled:{now.timestamp():.0f}")


def _notify_promoted(promoted: list[FamilySignup]) -> None:
    for signup in promoted:
        signup.roundtable = Roundtable.objects.get(pk=signup.roundtable_id)
        with translation.override(signup.preferred_language):
            subject = _("A place opened for you: %(title)s") % {"title": signup.roundtable.title}
        moment = signup.promoted_at or timezone.now()
        _family_mail(signup, kind="promotion", template="promoted", subject=subject,
                     key=f"roundtable:signup:{signup.pk}:promoted:{moment.timestamp():.0f}")


def _notify_roundtable_cancelled(signup: FamilySignup, rt: Roundtable) -> None:
    """The organiser cancelled the roundtable: the family is told in its language."""
    signup.roundtable = rt
    with translation.override(signup.preferred_language):
        subject = _("Cancelled: %(title)s") % {"title": rt.title}
    _family_mail(signup, kind="cancellation", template="roundtable_cancelled", subject=subject,
                 link=absolute_url(reverse("roundtable:upcoming")),
                 key=f"roundtable:{rt.pk}:cancelled:signup:{signup.pk}")
