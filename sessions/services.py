"""Rules that change live sessions: series, occurrences, registrations, attendance, feeds, reminders.

Every function takes keyword arguments, runs in one transaction and raises a ``sessions.errors``
error (a message for the person) when a rule refuses; a refusal changes nothing. E-mails are sent
after the transaction commits. Seats and the waitlist follow ``hub.capacity``.
"""

import itertools
import logging
import re
from datetime import date, datetime, time, timedelta

from dateutil import rrule
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from schedule.models import Calendar, Event, Occurrence, Rule

from courses.models import SessionCredit
from courses.services import (
    observation_record,
    practice_credit_record,
    practice_credit_withdraw,
    session_credit_record,
    session_credit_withdraw,
)
from hub.capacity import ACTIVE, SeatStatus, lock_parent, seat_release, seat_take, seats_fill
from hub.dates import day_label
from hub.idempotency import create_once
from hub.mail import absolute_url, mail_on_commit, mail_render
from hub.models import District, Person
from hub.program import CERTIFICATION_COURSE, PROGRAM_TZ
from hub.selectors import language_of
from sessions import errors
from sessions.models import (
    Attendance,
    Audience,
    CalendarFeed,
    Kind,
    Registration,
    ReminderSent,
    Repeat,
    Series,
    SessionOccurrence,
    feed_token,
)
from sessions.selectors import (
    audience_refusal,
    is_scheduled_start,
    may_manage_sessions,
    rule_starts,
    viewer_for,
)

log = logging.getLogger(__name__)

ATTENDANCE_SOURCE = "training_sessions.attendance"
CALENDAR_SLUG = "hub-training"
MAX_OCCURRENCES = 200          # a weekly series over almost four years; a daily one over ten is refused
MAX_SPAN_DAYS = 2 * 366        # first to last date
MAX_DURATION_MINUTES = 12 * 60
MAX_CAPACITY = 1000
_RRULE_DAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]
_DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


# -- series ------------------------------------------------------------------------------------------

def _require_manager(user) -> None:
    if not may_manage_sessions(user):
        raise errors.NotAllowed("Only trainers and state staff can schedule sessions.")


def _recurrence(*, repeat: str, weekday: int | None, nth: int | None, first_date: date,
                last_date: date | None, start_time: time) -> tuple[str | None, str, list[datetime]]:
    """(rule frequency, rule params, the first few local starts) or InvalidSeries with the reason.

    Counting stops at MAX_OCCURRENCES + 1, so even a daily rule over a century cannot hang.
    """
    first_local = datetime.combine(first_date, start_time)
    if repeat == Repeat.ONCE:
        return None, "", [first_local]
    if repeat not in Repeat.values:
        raise errors.InvalidSeries("Choose how the series repeats.")
    if last_date is None:
        raise errors.InvalidSeries("A repeating series needs a last date.")
    if last_date < first_date:
        raise errors.InvalidSeries("The last date is before the first date.")
    if (last_date - first_date).days > MAX_SPAN_DAYS:
        raise errors.InvalidSeries("A series can run for at most two years; schedule a new one after that.")
    kwargs: dict = {}
    if repeat in (Repeat.WEEKLY, Repeat.BIWEEKLY, Repeat.MONTHLY_NTH):
        if weekday is None or not 0 <= weekday <= 6:
            raise errors.InvalidSeries("Choose the weekday the series meets on.")
        kwargs["byweekday"] = _RRULE_DAYS[weekday]
    if repeat == Repeat.MONTHLY_NTH:
        if nth not in (1, 2, 3, 4, -1):
            raise errors.InvalidSeries("Choose which weekday of the month (first to fourth, or last).")
        kwargs["bysetpos"] = nth
    frequency = {Repeat.WEEKLY: rrule.WEEKLY, Repeat.BIWEEKLY: rrule.WEEKLY, Repeat.MONTHLY_NTH: rrule.MONTHLY,
                 Repeat.DAILY: rrule.DAILY}[repeat]
    if repeat == Repeat.BIWEEKLY:
        kwargs["interval"] = 2
    if repeat in (Repeat.WEEKLY, Repeat.BIWEEKLY):
        # Count "every other week" from the first meeting day on or after the first date (dateutil
        # would count from the week of the first date, skipping a fortnight if that day had passed).
        first_local += timedelta(days=(weekday - first_date.weekday()) % 7)
    until = datetime.combine(last_date, start_time)
    starts = list(itertools.islice(rrule.rrule(frequency, dtstart=first_local, until=until, **kwargs),
                                   MAX_OCCURRENCES + 1))
    if not starts:
        raise errors.InvalidSeries("That pattern gives no session between the first and the last date.")
    if len(starts) > MAX_OCCURRENCES:
        raise errors.InvalidSeries(
            f"That pattern gives more than {MAX_OCCURRENCES} sessions; shorten the series or meet less often."
        )
    day = _DAY_CODES[weekday] if weekday is not None else ""
    params = {Repeat.WEEKLY: f"byweekday:{day}", Repeat.BIWEEKLY: f"interval:2;byweekday:{day}",
              Repeat.MONTHLY_NTH: f"byweekday:{day};bysetpos:{nth}", Repeat.DAILY: ""}[repeat]
    freq_name = {Repeat.WEEKLY: "WEEKLY", Repeat.BIWEEKLY: "WEEKLY", Repeat.MONTHLY_NTH: "MONTHLY",
                 Repeat.DAILY: "DAILY"}[repeat]
    return freq_name, params, starts


def _rule_for(frequency: str, params: str) -> Rule:
    rule = Rule.objects.filter(frequency=frequency, params=params).order_by("pk").first()
    if rule is None:
        name = f"{frequency.lower()} {params}".strip()[:32]
        rule = Rule.objects.create(name=name, description=f"{frequency} {params}".strip(),
                                   frequency=frequency, params=params)
    return rule


def _calendar() -> Calendar:
    calendar = Calendar.objects.filter(slug=CALENDAR_SLUG).first()
    return calendar or Calendar.objects.create(name="Hub training", slug=CALENDAR_SLUG)


def _unique_slug(title: str, exclude_pk=None) -> str:
    base = slugify(title)[:60] or "session"
    slug, n = base, 1
    while Series.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _validate_details(*, kind, title, audience, district, capacity, join_link, duration_minutes) -> str:
    if kind not in Kind.values:
        raise errors.InvalidSeries("Choose the kind of session.")
    title = (title or "").strip()
    if not title:
        raise errors.InvalidSeries("Give the series a title.")
    if audience not in Audience.values:
        raise errors.InvalidSeries("Choose who the session is for.")
    if audience == Audience.DISTRICT and district is None:
        raise errors.InvalidSeries("Choose the district this session is for.")
    if not 1 <= int(capacity) <= MAX_CAPACITY:
        raise errors.InvalidSeries(f"Seats per session must be between 1 and {MAX_CAPACITY}.")
    if not 1 <= int(duration_minutes) <= MAX_DURATION_MINUTES:
        raise errors.InvalidSeries("A session lasts between 1 minute and 12 hours.")
    if join_link and not re.match(r"^https://", join_link):
        raise errors.InvalidSeries("The join link must be an https:// address.")
    return title[:255]


@transaction.atomic
def series_create(*, by, kind: str, title: str, capacity: int, first_date: date, start_time: time,
                  duration_minutes: int, repeat: str = Repeat.ONCE, weekday: int | None = None,
                  nth: int | None = None, last_date: date | None = None, description: str = "",
                  audience: str = Audience.ALL, district: District | None = None, join_link: str = "",
                  facilitators=(), scenarios=(), slug: str | None = None, form_token=None) -> Series:
    """A new series: a django-scheduler Event with its Rule on the Hub's training calendar.

    The trainer's form sent again (its one-time token, `hub.idempotency`) returns the series it made."""
    _require_manager(by)
    spec = dict(kind=kind, title=title, capacity=capacity, first_date=first_date, start_time=start_time,
                duration_minutes=duration_minutes, repeat=repeat, weekday=weekday, nth=nth, last_date=last_date,
                description=description, audience=audience, district=district, join_link=join_link,
                facilitators=facilitators, scenarios=scenarios, slug=slug)
    series, _ = create_once(Series, token=form_token, owner={"created_by": by},
                            create=lambda: _series_create(by=by, form_token=form_token, **spec))
    return series


def _series_create(*, by, kind, title, capacity, first_date, start_time, duration_minutes, repeat, weekday, nth,
                   last_date, description, audience, district, join_link, facilitators, scenarios, slug,
                   form_token) -> Series:
    title = _validate_details(kind=kind, title=title, audience=audience, district=district, capacity=capacity,
                              join_link=join_link, duration_minutes=duration_minutes)
    frequency, params, starts = _recurrence(repeat=repeat, weekday=weekday, nth=nth, first_date=first_date,
                                            last_date=last_date, start_time=start_time)
    first = starts[0].replace(tzinfo=PROGRAM_TZ)
    event = Event.objects.create(
        calendar=_calendar(), title=title, description=description or "", creator=by,
        start=first, end=first + timedelta(minutes=int(duration_minutes)),
        rule=_rule_for(frequency, params) if frequency else None,
        end_recurring_period=(datetime.combine(last_date, time(23, 59, 59), tzinfo=PROGRAM_TZ)
                              if frequency else None),
    )
    series = Series.objects.create(
        event=event, slug=slug or _unique_slug(title), kind=kind, audience=audience,
        district=district if audience == Audience.DISTRICT else None, capacity=int(capacity),
        join_link=join_link, repeat=repeat, weekday=weekday if frequency else None,
        nth=nth if repeat == Repeat.MONTHLY_NTH else None, first_date=first_date,
        last_date=last_date if frequency else None, start_time=start_time,
        duration_minutes=int(duration_minutes), created_by=by, form_token=form_token,
    )
    series.facilitators.set(facilitators)
    series.scenarios.set(scenarios)
    return series


@transaction.atomic
def series_update(*, series: Series, by, kind: str, title: str, capacity: int, first_date: date,
                  start_time: time, duration_minutes: int, repeat: str = Repeat.ONCE, weekday: int | None = None,
                  nth: int | None = None, last_date: date | None = None, description: str = "",
                  audience: str = Audience.ALL, district: District | None = None, join_link: str = "",
                  facilitators=(), scenarios=()) -> Series:
    """Change a series. Future occurrences the new pattern drops are removed, unless people are
    registered for them (then the change is refused: cancel or move those first)."""
    _require_manager(by)
    series = Series.objects.select_for_update().select_related("event").get(pk=series.pk)
    title = _validate_details(kind=kind, title=title, audience=audience, district=district, capacity=capacity,
                              join_link=join_link, duration_minutes=duration_minutes)
    frequency, params, starts = _recurrence(repeat=repeat, weekday=weekday, nth=nth, first_date=first_date,
                                            last_date=last_date, start_time=start_time)
    first = starts[0].replace(tzinfo=PROGRAM_TZ)
    event = series.event
    event.title, event.description = title, description or ""
    event.start, event.end = first, first + timedelta(minutes=int(duration_minutes))
    event.rule = _rule_for(frequency, params) if frequency else None
    event.end_recurring_period = (datetime.combine(last_date, time(23, 59, 59), tzinfo=PROGRAM_TZ)
                                  if frequency else None)
    event.save()
    old_capacity = series.capacity
    series.kind, series.audience = kind, audience
    series.district = district if audience == Audience.DISTRICT else None
    series.capacity, series.join_link, series.repeat = int(capacity), join_link, repeat
    series.weekday = weekday if frequency else None
    series.nth = nth if repeat == Repeat.MONTHLY_NTH else None
    series.first_date, series.last_date = first_date, last_date if frequency else None
    series.start_time, series.duration_minutes = start_time, int(duration_minutes)
    series.save()
    series.facilitators.set(facilitators)
    series.scenarios.set(scenarios)

    now = timezone.now()
    future = list(SessionOccurrence.objects.filter(series=series, occurrence__end__gt=now)
                  .select_related("occurrence"))
    orphans = [o for o in future if not is_scheduled_start(series, o.original_start)]
    busy = [o for o in orphans if o.registrations.filter(status__in=ACTIVE).exists()]
    if busy:
        when = ", ".join(day_label(o.original_start, "short") for o in busy[:5])
        raise errors.InvalidSeries(
            f"People are registered for sessions the new pattern drops ({when}). "
            "Move or cancel those sessions first, or keep their dates."
        )
    for orphan in orphans:
        orphan.occurrence.delete()  # cascades to our row
    duration = event.end - event.start
    for occ in future:
        if occ in orphans:
            continue
        if not occ.occurrence.moved:
            occ.occurrence.end = occ.occurrence.start + duration
            occ.occurrence.original_end = occ.occurrence.end
        occ.occurrence.title, occ.occurrence.description = title, event.description
        occ.occurrence.save()
        if series.capacity > old_capacity:
            parent = lock_parent(SessionOccurrence, occ.pk)
            promoted = seats_fill(capacity=series.capacity, holders=parent.registrations.all())
            _notify_promoted(promoted)
    return series


# -- occurrences -------------------------------------------------------------------------------------

def occurrence_ensure(*, series: Series, start: datetime) -> SessionOccurrence:
    """The persisted occurrence of `series` originally at `start`, created once (race-safe).

    Our unique constraint on (series, original_start) is the guard against the duplicate
    ``schedule.Occurrence`` rows django-scheduler would otherwise allow (DEPENDENCIES.md §4).
    """
    start = start.astimezone(PROGRAM_TZ)
    existing = SessionOccurrence.objects.filter(series=series, original_start=start).first()
    if existing is not None:
        return existing
    if not is_scheduled_start(series, start):
        raise errors.NoSuchOccurrence("This series does not meet at that time.")
    event = series.event
    end = start + (event.end - event.start)
    try:
        with transaction.atomic():
            occurrence = (Occurrence.objects.filter(event=event, original_start=start, training__isnull=True)
                          .order_by("pk").first())
            if occurrence is None:
                occurrence = Occurrence.objects.create(
                    event=event, title=event.title, description=event.description, start=start, end=end,
                    original_start=start, original_end=end,
                )
            return SessionOccurrence.objects.create(series=series, occurrence=occurrence, original_start=start)
    except IntegrityError:
        return SessionOccurrence.objects.get(series=series, original_start=start)


def _locked_occurrence(occurrence_id) -> SessionOccurrence:
    occ = lock_parent(SessionOccurrence, occurrence_id)
    occ.occurrence = Occurrence.objects.get(pk=occ.occurrence_id)
    occ.series = Series.objects.select_related("event").get(pk=occ.series_id)
    return occ


@transaction.atomic
def occurrence_cancel(*, series: Series, start: datetime, by, now: datetime | None = None) -> SessionOccurrence:
    """Cancel one date of a series; the others are untouched. Registrants are told."""
    _require_manager(by)
    now = now or timezone.now()
    occ = _locked_occurrence(occurrence_ensure(series=series, start=start).pk)
    if occ.occurrence.cancelled:
        raise errors.OccurrenceCancelled("This session is already cancelled.")
    if occ.occurrence.end <= now:
        raise errors.OccurrencePast("This session is over; there is nothing to cancel.")
    occ.occurrence.cancel()
    _notify_registrants(occ, subject=_("Cancelled: %(title)s, %(when)s"), kind="cancellation",
                        template="date_cancelled", key=f"sessions:{occ.pk}:cancelled:{now.timestamp():.0f}")
    return occ


@transaction.atomic
def occurrence_move(*, series: Series, start: datetime, new_start: datetime, by,
                    now: datetime | None = None) -> SessionOccurrence:
    """Move one date of a series (same length); the others are untouched. Registrants are told."""
    _require_manager(by)
    now = now or timezone.now()
    occ = _locked_occurrence(occurrence_ensure(series=series, start=start).pk)
    if occ.occurrence.cancelled:
        raise errors.OccurrenceCancelled("This session is cancelled; it cannot be moved.")
    if occ.occurrence.end <= now:
        raise errors.OccurrencePast("This session is over; it cannot be moved.")
    if timezone.is_naive(new_start):
        new_start = new_start.replace(tzinfo=PROGRAM_TZ)
    if new_start <= now:
        raise errors.InvalidMove("Move the session to a time in the future.")
    if abs(new_start - occ.original_start) > timedelta(days=90):
        raise errors.InvalidMove("A session can be moved by at most 90 days; schedule a new one instead.")
    old = occ.occurrence.start
    duration = occ.occurrence.end - occ.occurrence.start
    occ.occurrence.move(new_start, new_start + duration)
    _notify_registrants(occ, subject=_("New time: %(title)s"), kind="change", template="date_moved",
                        old_when=old, key=f"sessions:{occ.pk}:moved:{now.timestamp():.0f}")
    return occ


# -- registrations -----------------------------------------------------------------------------------

@transaction.atomic
def registration_create(*, series: Series, start: datetime, person: Person,
                        now: datetime | None = None) -> Registration:
    """Register `person` for the occurrence of `series` originally at `start`.

    Confirmed while seats remain, otherwise waitlisted (``registration.status`` says which). Refused
    for a session that is over or cancelled, for someone outside its audience, or twice.
    """
    now = now or timezone.now()
    refusal = audience_refusal(series=series, viewer=viewer_for(person.user))
    if refusal:
        raise errors.NotInAudience(refusal)
    occ = _locked_occurrence(occurrence_ensure(series=series, start=start).pk)
    if occ.occurrence.cancelled:
        raise errors.OccurrenceCancelled("This session is cancelled; registration is closed.")
    if occ.occurrence.end <= now:
        raise errors.OccurrencePast("This session is over; registration is closed.")
    registration = Registration.objects.filter(occurrence=occ, person=person).first()
    if registration is not None and registration.is_active:
        state = "have a seat" if registration.confirmed else "are on the waitlist"
        raise errors.AlreadyRegistered(f"You already {state} for this session.")
    registration = registration or Registration(occurrence=occ, person=person)
    seat_take(seat=registration, capacity=occ.series.capacity, holders=occ.registrations.all())
    _notify_registered(registration, now)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by, now: datetime | None = None) -> list[Registration]:
    """Give up a seat (or a waitlist place); the first on the waitlist is promoted and told by e-mail.

    Returns the registrations promoted.
    """
    now = now or timezone.now()
    occ = _locked_occurrence(registration.occurrence_id)
    registration = Registration.objects.select_related("person__user").get(pk=registration.pk)
    if registration.person.user_id != getattr(by, "pk", None) and not may_manage_sessions(by):
        raise errors.NotAllowed("You can only cancel your own registration.")
    if not registration.is_active:
        raise errors.NotRegistered("You are not registered for this session.")
    if occ.occurrence.end <= now:
        raise errors.OccurrencePast("This session is over.")
    promoted = seat_release(seat=registration, capacity=occ.series.capacity, holders=occ.registrations.all())
    _notify_promoted(promoted)
    # The session's room and its training cohort's room follow the registration: open sockets leave them.
    from hub.sockets import access_changed

    user_id = registration.person.user_id
    transaction.on_commit(lambda: access_changed([user_id]))
    return promoted


def _visitor_mail(reg: Registration, *, kind: str, template: str, subject, key: str, **context) -> None:
    """One message to a registrant (`templates/sessions/email/<template>.txt` and `.html`), about their
    own seat, written in the registrant's language (`hub.selectors.language_of`), whoever's request
    caused it. `subject` is a translatable text with `%(title)s` and `%(when)s`; datetimes in `context`
    are written as the registrant reads them. The message is about the registration: the outbox skips
    it when the registration or the date was cancelled before it went (`registration_message_reason`)."""
    series = reg.occurrence.series
    language = language_of(reg.person.user)
    with translation.override(language):
        context = {"name": reg.person.full_name, "title": series.title, "when": _when(reg.occurrence.occurrence.start),
                   "join_link": series.join_link, "link": _occurrence_link(reg.occurrence),
                   **{k: _when(v) if isinstance(v, datetime) else v for k, v in context.items()}}
        context["subject"] = subject = str(subject) % {"title": series.title, "when": context["when"]}
        text, html = mail_render(f"sessions/email/{template}", context, language=language)
    mail_on_commit(to=reg.person.user.email, subject=subject, body=text, html=html, kind=kind,
                   person=reg.person, key=key, language=language, about=reg)


def _registration(pk) -> Registration:
    return Registration.objects.select_related("person__user", "occurrence__occurrence",
                                               "occurrence__series__event").get(pk=pk)


def _notify_registered(registration: Registration, now: datetime) -> None:
    reg = _registration(registration.pk)
    subject = (_("You have a seat: %(title)s, %(when)s") if reg.confirmed
               else _("You're on the waitlist: %(title)s, %(when)s"))
    _visitor_mail(reg, kind="confirmation", template="registered", subject=subject, confirmed=reg.confirmed,
                  key=f"sessions:registration:{reg.pk}:{reg.status}:{now.timestamp():.0f}")


def _notify_promoted(promoted: list[Registration]) -> None:
    for registration in promoted:
        reg = _registration(registration.pk)
        moment = getattr(reg, "promoted_at", None) or timezone.now()
        _visitor_mail(reg, kind="promotion", template="promoted", subject=_("You have a seat: %(title)s, %(when)s"),
                      key=f"sessions:registration:{reg.pk}:promoted:{moment.timestamp():.0f}")


def _notify_registrants(occ: SessionOccurrence, *, subject, template: str, kind: str, key: str, **context) -> None:
    """Every registrant of a cancelled or moved date, each in their own language."""
    for reg in (occ.registrations.filter(status__in=ACTIVE)
                .select_related("person__user", "occurrence__occurrence", "occurrence__series__event")):
        _visitor_mail(reg, kind=kind, template=template, subject=subject, key=f"{key}:{reg.pk}", **context)


def _occurrence_link(occ: SessionOccurrence) -> str:
    from sessions.selectors import occurrence_key

    path = reverse("training_sessions:occurrence", args=[occ.series_id, occurrence_key(occ.original_start)])
    return absolute_url(path)


def _when(moment: datetime) -> str:
    """e.g. "Tuesday, March 3, 2026, 3 p.m." in English, "martes, marzo 3, 2026, 15:00" in Spanish
    (the current language; New York time)."""
    local = moment.astimezone(PROGRAM_TZ)
    return f"{formats.date_format(local, 'l')}, {day_label(local, 'full')}, {formats.time_format(local, 'TIME_FORMAT')}"


# -- attendance --------------------------------------------------------------------------------------

@transaction.atomic
def attendance_mark(*, registration: Registration, present: bool, by, now: datetime | None = None) -> Attendance:
    """Mark a registrant attended or absent. At a LEAP 101 live practice, attending records a practice
    credit in `courses` (and correcting to absent withdraws it)."""
    _require_manager(by)
    now = now or timezone.now()
    occ = _locked_occurrence(registration.occurrence_id)
    registration = Registration.objects.select_related("person").get(pk=registration.pk)
    if occ.occurrence.cancelled:
        raise errors.OccurrenceCancelled("This session was cancelled; there is no attendance to mark.")
    if occ.occurrence.start > now:
        raise errors.AttendanceTooEarly("You can mark attendance once the session has started.")
    if not registration.is_active:
        raise errors.NotRegistered(f"{registration.person} cancelled their registration.")
    attendance = Attendance.objects.filter(registration=registration).first()
    was_present = bool(attendance and attendance.present)
    if attendance is None:
        attendance = Attendance.objects.create(registration=registration, present=present, marked_by=by)
    else:
        attendance.present, attendance.marked_by = present, by
        attendance.save(update_fields=["present", "marked_by", "updated_at"])
    if occ.series.kind == Kind.LEAP101_PRACTICE:
        if present:
            practice_credit_record(person=registration.person, course_code=CERTIFICATION_COURSE,
                                   source=ATTENDANCE_SOURCE, source_ref=str(attendance.pk),
                                   attended_on=occ.occurrence.start.astimezone(PROGRAM_TZ).date())
        elif was_present:
            practice_credit_withdraw(source=ATTENDANCE_SOURCE, source_ref=str(attendance.pk))
    if occ.required_for_renewal:
        if present:
            _renewal_credit(occ, registration.person, SessionCredit.Via.LIVE)
        elif was_present:
            session_credit_withdraw(course_code=CERTIFICATION_COURSE, session_ref=str(occ.pk),
                                    person=registration.person, via=SessionCredit.Via.LIVE)
    return attendance


def _renewal_credit(occ: SessionOccurrence, person: Person, via: str) -> None:
    session_credit_record(person=person, course_code=CERTIFICATION_COURSE, session_ref=str(occ.pk),
                          title=occ.series.title, held_on=occ.occurrence.start.astimezone(PROGRAM_TZ).date(), via=via)


@transaction.atomic
def occurrence_renewal_set(*, series: Series, start: datetime, required: bool, by) -> SessionOccurrence:
    """Mark one date of a series as required for renewal (or not). Marking it credits everyone already marked
    present, and everyone who already made it up by its recording; unmarking withdraws every credit of it
    (renewed certificates stand). Setting what is already set changes nothing."""
    from sessions.models import RecordingWatch

    _require_manager(by)
    occ = _locked_occurrence(occurrence_ensure(series=series, start=start).pk)
    if occ.occurrence.cancelled and required:
        raise errors.OccurrenceCancelled("This session was cancelled; it cannot count toward a renewal.")
    if occ.required_for_renewal == required:
        return occ
    occ.required_for_renewal = required
    occ.save(update_fields=["required_for_renewal", "updated_at"])
    if not required:
        session_credit_withdraw(course_code=CERTIFICATION_COURSE, session_ref=str(occ.pk))
        return occ
    for attendance in Attendance.objects.filter(registration__occurrence=occ, present=True).select_related(
            "registration__person"):
        _renewal_credit(occ, attendance.registration.person, SessionCredit.Via.LIVE)
    for watch in RecordingWatch.objects.filter(recording__occurrence=occ, counted_at__isnull=False).select_related(
            "person"):
        _renewal_credit(occ, watch.person, SessionCredit.Via.RECORDING)
    return occ


# -- make-up by recording ------------------------------------------------------------------------------

def _merge(played: list, start: float, end: float) -> list[list[float]]:
    """`played` ([[from, to], ...], in order) with [start, end] added, overlapping parts merged."""
    spans = sorted([[float(a), float(b)] for a, b in played] + [[start, end]])
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def _position(value, duration: int) -> float:
    try:
        position = float(str(value).strip())
    except (TypeError, ValueError):
        raise errors.InvalidProgress("The player's position could not be read.") from None
    if position != position or position in (float("inf"), float("-inf")) or not 0 <= position <= duration + 1:
        raise errors.InvalidProgress("The player's position is outside the recording.")
    return min(position, float(duration))


def _watch_for(*, user, recording, now):
    """The person's make-up state (the selector's rule) and their watch row, locked; MakeupRefused if none."""
    from sessions.models import RecordingWatch
    from sessions.selectors import recording_makeup

    makeup = recording_makeup(user=user, recording=recording, now=now)
    if not makeup.offered:
        raise errors.MakeupRefused(makeup.reason)
    person = viewer_for(user).person
    RecordingWatch.objects.get_or_create(person=person, recording=recording)
    watch = RecordingWatch.objects.select_for_update().get(person=person, recording=recording)
    return makeup, watch


def _count_if_done(makeup, watch, now) -> None:
    from sessions.selectors import MAKEUP_SHARE

    if watch.counted_at is None and watch.played_seconds >= MAKEUP_SHARE * makeup.duration and watch.reflection:
        watch.counted_at = now
        watch.save(update_fields=["counted_at", "updated_at"])
        _renewal_credit(makeup.occurrence, watch.person, SessionCredit.Via.RECORDING)


@transaction.atomic
def recording_progress(*, user, recording, position, now: datetime | None = None):
    """The player reports where it is. The stretch since the last report counts as played only when it moved
    forward no faster than the clock allows (`MAKEUP_PACE`); a seek, a jump ahead, faster playback or a
    replay of a part already played adds nothing. Returns the watch."""
    from sessions.selectors import MAKEUP_PACE

    now = now or timezone.now()
    makeup, watch = _watch_for(user=user, recording=recording, now=now)
    position = _position(position, makeup.duration)
    if watch.position is not None and watch.reported_at is not None:
        elapsed = (now - watch.reported_at).total_seconds()
        advance = position - watch.position
        if 0 < advance <= elapsed * MAKEUP_PACE:
            watch.played = _merge(watch.played, watch.position, position)
            watch.played_seconds = sum(b - a for a, b in watch.played)
    watch.position, watch.reported_at = position, now
    watch.save(update_fields=["played", "played_seconds", "position", "reported_at", "updated_at"])
    _count_if_done(makeup, watch, now)
    return watch


@transaction.atomic
def recording_reflection_save(*, user, recording, text, now: datetime | None = None):
    """The make-up's answer to the recording's question; with enough of it played, the session counts."""
    from sessions.models import RecordingWatch

    now = now or timezone.now()
    makeup, watch = _watch_for(user=user, recording=recording, now=now)
    text = text.strip() if isinstance(text, str) else ""
    if "\x00" in text or any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        raise errors.InvalidProgress(_("Your answer contains a control character; remove it and save again."))
    if len(text) < RecordingWatch.REFLECTION_MIN_LENGTH:
        raise errors.InvalidProgress(_("Write a sentence or two (at least %(n)s characters) to answer the question.")
                                     % {"n": RecordingWatch.REFLECTION_MIN_LENGTH})
    if len(text) > RecordingWatch.REFLECTION_MAX_LENGTH:
        raise errors.InvalidProgress(_("Your answer is %(n)s characters; keep it to %(max)s.") % {
            "n": f"{len(text):,}", "max": f"{RecordingWatch.REFLECTION_MAX_LENGTH:,}"})
    watch.reflection = text
    watch.save(update_fields=["reflection", "updated_at"])
    _count_if_done(makeup, watch, now)
    return watch


def practice_observation_record(*, occurrence: SessionOccurrence, by, participant_id, scenario_id, met=(),
                                note: str = "", outcome: str, form_token=None):
    """A coach's observation of a role play at this LEAP 101 live practice: courses' rule decides
    (`courses.services.observation_record`), asking this app who is at the practice (`practice_facts_of`)."""
    from sessions.selectors import OBSERVATION_SOURCE

    return observation_record(by=by, participant_id=participant_id, course_code=CERTIFICATION_COURSE,
                              scenario_id=scenario_id, source=OBSERVATION_SOURCE, source_ref=str(occurrence.pk),
                              met=met, note=note, outcome=outcome, form_token=form_token)


# -- calendar feeds ----------------------------------------------------------------------------------

@transaction.atomic
def calendar_feed_ensure(*, person: Person) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(person=person).first()
    return feed or CalendarFeed.objects.create(person=person)


@transaction.atomic
def calendar_feed_regenerate(*, person: Person) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = calendar_feed_ensure(person=person)
    feed.token = feed_token()
    feed.save(update_fields=["token", "updated_at"])
    return feed


# -- reminders ---------------------------------------------------------------------------------------

def reminders_send(*, now: datetime | None = None, lead_from: timedelta = timedelta(hours=24),
                   lead_to: timedelta = timedelta(hours=30)) -> int:
    """E-mail each confirmed registrant of a session starting between 24 and 30 hours from now, once.

    Run it hourly. The ``ReminderSent`` row (unique per registration and start time) is written in
    the same transaction as the sending, so a second run, or two runs at once, send nothing twice.
    """
    now = now or timezone.now()
    due = (Registration.objects.filter(
        status=SeatStatus.CONFIRMED, occurrence__occurrence__cancelled=False,
        occurrence__occurrence__start__gte=now + lead_from, occurrence__occurrence__start__lt=now + lead_to)
        .select_related("person__user", "occurrence__occurrence", "occurrence__series__event"))
    sent = 0
    for reg in due:
        start = reg.occurrence.occurrence.start
        if ReminderSent.objects.filter(registration=reg, for_start=start).exists() or not reg.person.user.email:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(registration=reg, for_start=start)
                _visitor_mail(reg, kind="reminder", template="reminder", subject=_("Tomorrow: %(title)s, %(when)s"),
                              key=f"sessions:reminder:{reg.pk}:{start.isoformat()}")
        except IntegrityError:
            continue  # another run sent it
        sent += 1
    return sent


def occurrences_of_series(*, series: Series, start: datetime, end: datetime) -> list[datetime]:
    """Original starts of a series in a window (used by the demo and the feeds)."""
    return rule_starts(series, start, end)


# -- recordings --------------------------------------------------------------------------------------

RECORDINGS_FOLDER = "Session recordings"


@transaction.atomic
def recording_upload(*, uploaded, by, title: str = ""):
    """Store an uploaded recording in django-filer, after checking it is audio or video by its first
    bytes and within the size limit. Returns the filer File (pick it on a RecordingPage)."""
    from filer.models import File, Folder

    from sessions.media import recording_upload_check

    _require_manager(by)
    mime_type = recording_upload_check(uploaded)
    folder = Folder.objects.filter(name=RECORDINGS_FOLDER, parent=None).first() \
        or Folder.objects.create(name=RECORDINGS_FOLDER, parent=None, owner=by)
    return File.objects.create(owner=by, folder=folder, file=uploaded, original_filename=uploaded.name,
                               name=(title or uploaded.name)[:255], mime_type=mime_type, is_public=True)


# -- the chat beside a live session (hub's discussion space) -------------------------------------

def occurrence_ref(occurrence: SessionOccurrence) -> str:
    return f"occurrence:{occurrence.pk}"


@transaction.atomic
def session_room_open(*, row, viewer):
    """The discussion room beside one session, for its registrants and its trainers.

    Created on first use; hub keeps it open from an hour before the session to a day after it.
    """
    from hub.discussion.services import room_for_session

    registered = row.my_registration is not None and row.my_registration.status in ACTIVE
    if row.persisted is None or not (registered or viewer.manager):
        raise errors.NotAllowed("The session chat is for the people registered for this session.")
    return room_for_session(external_ref=occurrence_ref(row.persisted),
                            title=f"{row.series.title}, {day_label(row.start, 'short')}", starts_at=row.start,
                            ends_at=row.end)


def cohort_ref(occurrence: SessionOccurrence) -> str:
    return f"cohort:{occurrence.pk}"


@transaction.atomic
def cohort_room_open(*, row, viewer):
    """The room of one LEAP 101 live training's cohort: its registrants and the trainers, open for good
    (the cohort keeps talking after the training). Created on first use."""
    from hub.discussion.services import room_for_cohort

    if row.series.kind != Kind.LEAP101_PRACTICE or row.persisted is None:
        raise errors.NotAllowed("Only a LEAP 101 live training has a cohort room.")
    registered = row.my_registration is not None and row.my_registration.status in ACTIVE
    if not (registered or viewer.manager):
        raise errors.NotAllowed("The cohort room is for the people registered for this training.")
    return room_for_cohort(external_ref=cohort_ref(row.persisted),
                           title=f"Cohort: {row.series.title}, {day_label(row.start, 'short')}")
