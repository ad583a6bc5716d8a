"""Reads with a rule in them: who may see and join which session, occurrences in a window, feeds.

Occurrences are expanded by django-scheduler's engine (``Event.get_rrule_object``, which merges the
Event's start with its Rule) in America/New_York, so a 6 pm session stays at 6 pm across daylight
saving. Persisted occurrences (moved, cancelled, or with registrations) replace the generated ones.
Listing a window costs a fixed number of queries, however many occurrences it holds.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from hub.capacity import ACTIVE, SeatStatus
from hub.program import CERTIFICATION_COURSE, PROGRAM_TZ
from hub.queries import CALENDAR_FIRST, CALENDAR_LAST
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, roles_of
from hub.selectors import person_for, scope_for
from sessions.models import Audience, Kind, Registration, Series, SessionOccurrence

KEY_FORMAT = "%Y%m%dT%H%M%SZ"


# -- who may do what ------------------------------------------------------------------------------

def may_manage_sessions(user) -> bool:
    """Trainers and state staff schedule sessions and mark attendance."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_of(user) & {TRAINER, STATE_STAFF})


@dataclass
class Viewer:
    """What the audience rules need to know about one person, read once per request."""

    user: object
    person: object
    roles: frozenset
    manager: bool
    district_ids: set[int]
    _certified: bool | None = None

    @property
    def certified(self) -> bool:
        if self._certified is None:
            from courses.selectors import certification_status

            self._certified = bool(self.person) and certification_status(
                person=self.person, course_code=CERTIFICATION_COURSE).is_current
        return self._certified


def viewer_for(user) -> Viewer:
    person = person_for(user)
    manager = may_manage_sessions(user)
    district_ids = set() if manager or person is None else set(scope_for(user).values_list("pk", flat=True))
    return Viewer(user, person, roles_of(user), manager, district_ids)


def audience_refusal(*, series: Series, viewer: Viewer) -> str:
    """Why this person may not register for the series ("" when they may)."""
    if viewer.person is None:
        return "Only members with a Hub profile can register for sessions."
    if viewer.manager:
        return ""
    if series.audience == Audience.COORDINATORS and not viewer.roles & {COORDINATOR, REGIONAL_STAFF}:
        return "This session is for district coordinators only."
    if series.audience == Audience.DISTRICT and series.district_id not in viewer.district_ids:
        return f"This session is for {series.district} staff only."
    if series.audience == Audience.CERTIFIED and not viewer.certified:
        return "This session is for visitors with a current LEAP 101 certificate. Finish LEAP 101 first."
    return ""


def series_visible(*, series: Series, viewer: Viewer) -> bool:
    """Certified-only sessions are listed to everyone (they show what to aim for); the others only to
    the people they are for."""
    return series.audience == Audience.CERTIFIED or not audience_refusal(series=series, viewer=viewer)


# -- occurrences ------------------------------------------------------------------------------------

def occurrence_key(original_start: datetime) -> str:
    return original_start.astimezone(ZoneInfo("UTC")).strftime(KEY_FORMAT)


def parse_occurrence_key(key: str) -> datetime | None:
    """The start an occurrence key names, or None: not a key (strptime would take "٢٠٢٦" for 2026: ASCII
    only), or a time outside the calendar's years (0001-01-01 in New York time is before datetime.min:
    an OverflowError)."""
    if not isinstance(key, str) or not key.isascii():
        return None
    try:
        moment = datetime.strptime(key, KEY_FORMAT)
    except ValueError:
        return None
    if not CALENDAR_FIRST.year <= moment.year <= CALENDAR_LAST.year:
        return None
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(PROGRAM_TZ)


@dataclass
class OccurrenceRow:
    series: Series
    original_start: datetime
    start: datetime
    end: datetime
    cancelled: bool = False
    persisted: SessionOccurrence | None = None
    confirmed: int = 0
    waitlisted: int = 0
    my_registration: Registration | None = None
    refusal: str = ""
    recordings: list = field(default_factory=list)

    @cached_property
    def key(self) -> str:
        return occurrence_key(self.original_start)

    @cached_property
    def url(self) -> str:
        return reverse("training_sessions:occurrence", args=[self.series.pk, self.key])

    @property
    def seats_left(self) -> int:
        return max(self.series.capacity - self.confirmed, 0)

    @property
    def moved(self) -> bool:
        return self.start != self.original_start

    @property
    def my_status(self) -> str | None:
        reg = self.my_registration
        return reg.status if reg is not None and reg.status in ACTIVE else None

    @property
    def is_past(self) -> bool:
        return self.end <= timezone.now()

    @property
    def in_progress(self) -> bool:
        return self.start <= timezone.now() < self.end

    @property
    def local_date(self) -> date:
        return self.start.astimezone(PROGRAM_TZ).date()


def rule_starts(series: Series, start: datetime, end: datetime) -> list[datetime]:
    """Original starts (aware, New York) of the series' occurrences overlapping [start, end)."""
    event = series.event
    duration = event.end - event.start
    rule = event.get_rrule_object(PROGRAM_TZ)
    if rule is None:
        first = event.start.astimezone(PROGRAM_TZ)
        return [first] if first < end and first + duration > start else []
    lo = (start - duration).astimezone(PROGRAM_TZ).replace(tzinfo=None)
    hi = end.astimezone(PROGRAM_TZ).replace(tzinfo=None)
    starts = [naive.replace(tzinfo=PROGRAM_TZ) for naive in rule.between(lo, hi, inc=True)]
    return [s for s in starts if s < end and s + duration > start]


def is_scheduled_start(series: Series, start: datetime) -> bool:
    """Whether the series' rule (or single date) places an occurrence exactly at `start`."""
    event = series.event
    rule = event.get_rrule_object(PROGRAM_TZ)
    local = start.astimezone(PROGRAM_TZ)
    if rule is None:
        return local == event.start
    naive = local.replace(tzinfo=None)
    return rule.after(naive, inc=True) == naive


def _counted(queryset):
    return queryset.select_related("occurrence").annotate(
        n_confirmed=Count("registrations", filter=Q(registrations__status=SeatStatus.CONFIRMED)),
        n_waitlisted=Count("registrations", filter=Q(registrations__status=SeatStatus.WAITLISTED)),
    )


def _row_from_persisted(series: Series, occ: SessionOccurrence) -> OccurrenceRow:
    return OccurrenceRow(
        series=series, original_start=occ.original_start.astimezone(PROGRAM_TZ),
        start=occ.occurrence.start.astimezone(PROGRAM_TZ), end=occ.occurrence.end.astimezone(PROGRAM_TZ),
        cancelled=occ.occurrence.cancelled, persisted=occ,
        confirmed=getattr(occ, "n_confirmed", 0), waitlisted=getattr(occ, "n_waitlisted", 0),
    )


def occurrences_between(*, user, start: datetime, end: datetime, kind: str | None = None,
                        series_ids: list[int] | None = None, viewer: Viewer | None = None
                        ) -> list[OccurrenceRow]:
    """Every occurrence overlapping [start, end) that the user may see, in start order.

    Queries: the viewer (profile, roles, scope), the series, the persisted occurrences with their seat
    counts, the user's registrations — a fixed number, whatever the number of occurrences.
    """
    viewer = viewer or viewer_for(user)
    running_after = SessionOccurrence.objects.filter(occurrence__end__gt=start).values("series_id")
    series_qs = (Series.objects.select_related("event", "event__rule", "district")
                 .filter(Q(event__end__gt=start) | Q(event__end_recurring_period__gte=start)
                         | Q(pk__in=running_after))
                 .filter(event__start__lt=end))
    if kind:
        series_qs = series_qs.filter(kind=kind)
    if series_ids is not None:
        series_qs = series_qs.filter(pk__in=series_ids)
    series_list = [s for s in series_qs if series_visible(series=s, viewer=viewer)]
    by_id = {s.pk: s for s in series_list}
    persisted = _counted(SessionOccurrence.objects.filter(series_id__in=list(by_id)).filter(
        Q(occurrence__start__lt=end, occurrence__end__gt=start)
        | Q(original_start__gte=start - timedelta(days=1), original_start__lt=end)
    ))
    persisted_by_key = {(o.series_id, o.original_start): o for o in persisted}
    rows: list[OccurrenceRow] = []
    for series in series_list:
        for original in rule_starts(series, start, end):
            if (series.pk, original) in persisted_by_key:
                continue  # the persisted row (possibly moved) is added below
            duration = series.event.end - series.event.start
            rows.append(OccurrenceRow(series=series, original_start=original, start=original,
                                      end=original + duration))
    for occ in persisted_by_key.values():
        if occ.occurrence.start < end and occ.occurrence.end > start:
            rows.append(_row_from_persisted(by_id[occ.series_id], occ))
    _attach_viewer(rows, viewer)
    rows.sort(key=lambda r: (r.start, r.series.event.title))
    return rows


def _attach_viewer(rows: list[OccurrenceRow], viewer: Viewer) -> None:
    refusals = {}
    for row in rows:
        if row.series.pk not in refusals:
            refusals[row.series.pk] = audience_refusal(series=row.series, viewer=viewer)
        row.refusal = refusals[row.series.pk]
    ids = [r.persisted.pk for r in rows if r.persisted is not None]
    if viewer.person is None or not ids:
        return
    mine = {reg.occurrence_id: reg for reg in
            Registration.objects.filter(person=viewer.person, occurrence_id__in=ids)}
    for row in rows:
        if row.persisted is not None:
            row.my_registration = mine.get(row.persisted.pk)


def upcoming(*, user, days: int = 42, kind: str | None = None, start: datetime | None = None
             ) -> list[OccurrenceRow]:
    """Occurrences not yet over, in the next `days` days (the upcoming-sessions page)."""
    start = start or timezone.now()
    return occurrences_between(user=user, start=start, end=start + timedelta(days=days), kind=kind)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    first = datetime.combine(date(year, month, 1), time(0), tzinfo=PROGRAM_TZ)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, datetime.combine(following, time(0), tzinfo=PROGRAM_TZ)


def month_weeks(*, year: int, month: int, rows: list[OccurrenceRow]) -> list[list[dict]]:
    """Weeks (Monday first) of {day, in_month, rows} covering the month, for the month view."""
    first = date(year, month, 1)
    last = month_bounds(year, month)[1].date() - timedelta(days=1)
    day = first - timedelta(days=first.weekday())
    stop = last + timedelta(days=6 - last.weekday())
    by_day: dict[date, list[OccurrenceRow]] = {}
    for row in rows:
        by_day.setdefault(row.local_date, []).append(row)
    weeks: list[list[dict]] = []
    while day <= stop:
        if day.weekday() == 0:
            weeks.append([])
        weeks[-1].append({"day": day, "in_month": day.month == month, "rows": by_day.get(day, [])})
        day += timedelta(days=1)
    return weeks


def occurrence_at(*, series: Series, start: datetime, viewer: Viewer) -> OccurrenceRow | None:
    """The occurrence whose original start is `start` (persisted or generated), or None."""
    persisted = _counted(SessionOccurrence.objects.filter(series=series, original_start=start)).first()
    if persisted is not None:
        row = _row_from_persisted(series, persisted)
        row.recordings = list(persisted.recordings.live().order_by("-recorded_on"))
    elif is_scheduled_start(series, start):
        duration = series.event.end - series.event.start
        local = start.astimezone(PROGRAM_TZ)
        row = OccurrenceRow(series=series, original_start=local, start=local, end=local + duration)
    else:
        return None
    _attach_viewer([row], viewer)
    return row


def registrants(*, occurrence: SessionOccurrence) -> list[Registration]:
    """Everyone registered (confirmed first, then the waitlist in order), with attendance."""
    regs = list(occurrence.registrations.filter(status__in=ACTIVE)
                .select_related("person__user", "person__home_district", "attendance"))
    regs.sort(key=lambda r: (r.status != SeatStatus.CONFIRMED, r.created_at, r.pk))
    return regs


def registration_attendance(registration: Registration):
    try:
        return registration.attendance
    except Registration.attendance.RelatedObjectDoesNotExist:
        return None


def my_registrations(*, person, since: datetime | None = None) -> list[Registration]:
    """A person's registrations (any status but cancelled) from `since` on, soonest first."""
    regs = (Registration.objects.filter(person=person, status__in=ACTIVE)
            .select_related("occurrence__occurrence", "occurrence__series__event", "attendance")
            .order_by("occurrence__occurrence__start"))
    if since is not None:
        regs = regs.filter(occurrence__occurrence__end__gte=since)
    return list(regs)


def series_for_managers() -> list[Series]:
    return list(Series.objects.select_related("event", "district").order_by("-event__start"))


def kind_choices() -> list[tuple[str, str]]:
    return list(Kind.choices)


# -- recordings -------------------------------------------------------------------------------------

def recording_topics(*, index_page):
    """The topics of the published recordings under the index, by name."""
    from taggit.models import Tag

    from sessions.models import RecordingPage

    return (Tag.objects.filter(training_sessions_recordingpagetag_items__content_object__in=
                               RecordingPage.objects.live().descendant_of(index_page))
            .distinct().order_by("name"))


def recordings_page(*, index_page, params) -> dict:
    """The archive page for a query string: `q` and `topic` read through `RecordingsQuery` (a value it
    cannot take is `hub.queries.BadQuery`, a 400 page), then `recordings_search`."""
    from hub.queries import query_read
    from sessions.forms import RecordingsQuery

    topics = list(recording_topics(index_page=index_page))
    data = query_read(RecordingsQuery, params, topics=topics)
    return recordings_search(index_page=index_page, query=data["q"], topic=data["topic"], topics=topics)


def recordings_search(*, index_page, query: str = "", topic: str = "", topics=None) -> dict:
    """Published recordings under the index, searched with Wagtail search and filtered by topic."""
    from sessions.models import RecordingPage

    pages = RecordingPage.objects.live().descendant_of(index_page)
    if topic:
        ids = list(pages.filter(topics__slug=topic).values_list("pk", flat=True))
        pages = pages.filter(pk__in=ids)
    if query:
        results = list(pages.search(query))
    else:
        results = list(pages.order_by("-recorded_on"))
    if topics is None:
        topics = recording_topics(index_page=index_page)
    return {"recordings": results, "query": query, "topic": topic, "topics": topics}


def _ref_ids(external_refs, prefix: str) -> list[int]:
    return [int(ref.split(":", 1)[1]) for ref in external_refs
            if ref.startswith(prefix) and ref.split(":", 1)[1].isdigit() and len(ref) < 40]


def session_refs_readable(*, user, external_refs) -> set[str]:
    """Of `external_refs`, the rooms `user` may read: a session's room ("occurrence:<id>") for the people
    registered for it (or on its waitlist), and a training cohort's room ("cohort:<id>", one LEAP 101 live
    training) for the people registered for that training. One query."""
    ids = _ref_ids(external_refs, "occurrence:")
    cohorts = _ref_ids(external_refs, "cohort:")
    if not (ids or cohorts) or not user.is_authenticated:
        return set()
    found = dict(Registration.objects.filter(person__user=user, occurrence_id__in=ids + cohorts, status__in=ACTIVE)
                 .values_list("occurrence_id", "occurrence__series__kind"))
    # a cohort room only ever belongs to a LEAP 101 live training
    return ({f"occurrence:{pk}" for pk in ids if pk in found}
            | {f"cohort:{pk}" for pk in cohorts if found.get(pk) == Kind.LEAP101_PRACTICE})


def practice_plans(*, person, course_codes, now: datetime | None = None) -> dict:
    """For My training (registered with `courses.selectors.practice_planner_register`): the LEAP 101 live
    practice the person holds a seat (or a waitlist place) at, soonest first and not yet over, or where to
    find one to register. One query; only the certification course has live practice sessions here."""
    from courses.selectors import PracticePlan

    if CERTIFICATION_COURSE not in course_codes:
        return {}
    now = now or timezone.now()
    booked = (Registration.objects.filter(
        person=person, status__in=ACTIVE, occurrence__series__kind=Kind.LEAP101_PRACTICE,
        occurrence__occurrence__end__gt=now, occurrence__occurrence__cancelled=False)
        .select_related("occurrence__occurrence").order_by("occurrence__occurrence__start").first())
    if booked is None:
        return {CERTIFICATION_COURSE: PracticePlan(f"{reverse('training_sessions:upcoming')}?kind={Kind.LEAP101_PRACTICE}")}
    occurrence = booked.occurrence
    url = reverse("training_sessions:occurrence", args=[occurrence.series_id, occurrence_key(occurrence.original_start)])
    return {CERTIFICATION_COURSE: PracticePlan(url, occurrence.occurrence.start,
                                               waitlisted=booked.status == SeatStatus.WAITLISTED)}


def registration_message_reason(registration: Registration, kind: str) -> str:
    """Why a queued message about this registration no longer makes sense ("" when it does), asked by
    the outbox just before sending (registered in `SessionsConfig.ready()`): a confirmation, promotion
    or reminder once the date was cancelled or the registration given up. The notices of a cancelled or
    moved date are about exactly that: they always go."""
    if kind in ("cancellation", "change"):
        return ""
    if registration.occurrence.occurrence.cancelled:
        return "The session was cancelled."
    if registration.status not in ACTIVE:
        return "The registration was cancelled."
    return ""


# -- coach-observed role plays at a LEAP 101 live practice (the rule: courses.services.observation_record) ----

OBSERVATION_SOURCE = "training_sessions.occurrence"


def practice_participants(*, occurrence: SessionOccurrence) -> list[Registration]:
    """Who is at a live practice, for its coach: a confirmed seat not marked absent, or marked present."""
    return [reg for reg in registrants(occurrence=occurrence)
            if (reg.status == SeatStatus.CONFIRMED and getattr(registration_attendance(reg), "present", True))
            or getattr(registration_attendance(reg), "present", False)]


def practice_facts_of(*, source_ref: str):
    """What courses needs to know of one occurrence to accept an observation at it (registered with
    `courses.selectors.practice_source_register` from SessionsConfig.ready()): 2 queries."""
    from courses.selectors import PracticeFacts

    try:
        pk = int(source_ref)
    except (TypeError, ValueError):
        return None
    occurrence = SessionOccurrence.objects.select_related("series", "occurrence").filter(pk=pk).first()
    if occurrence is None:
        return None
    course_code = CERTIFICATION_COURSE if occurrence.series.kind == Kind.LEAP101_PRACTICE else ""
    return PracticeFacts(course_code=course_code, held_on=occurrence.occurrence.start.astimezone(PROGRAM_TZ).date(),
                         started=occurrence.occurrence.start <= timezone.now(),
                         cancelled=occurrence.occurrence.cancelled,
                         participant_ids=frozenset(r.person_id for r in practice_participants(occurrence=occurrence)))


# -- make-up by recording (the credit's rule: courses.services.session_credit_record) ------------------

MAKEUP_SHARE = 0.8  # how much of a recording must be played for it to count
MAKEUP_OFFERS_SHOWN = 5
MAKEUP_CANDIDATES = 10  # the newest held recordings of required sessions My training asks the rule about
MAKEUP_PACE = 1.1  # the player may report at most this many seconds of recording per second of clock


@dataclass(frozen=True)
class Makeup:
    """Whether one person may make up the session a recording recorded, and how far they are."""

    offered: bool
    reason: str = ""  # why not (a sentence for the person), when not offered
    occurrence: SessionOccurrence | None = None
    duration: int = 0
    played_seconds: float = 0
    reflection: str = ""
    counted_at: datetime | None = None
    question: str = ""

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.played_seconds / self.duration)) if self.duration else 0

    @property
    def played_enough(self) -> bool:
        return bool(self.duration) and self.played_seconds >= MAKEUP_SHARE * self.duration

    @property
    def needed_percent(self) -> int:
        return round(100 * MAKEUP_SHARE)


def _attended_live(person, occurrence: SessionOccurrence) -> bool:
    from sessions.models import Attendance

    return Attendance.objects.filter(registration__occurrence=occurrence, registration__person=person,
                                     present=True).exists()


def recording_makeup(*, user, recording, now: datetime | None = None, viewer: Viewer | None = None) -> Makeup:
    """May `user` make up the session `recording` recorded, by watching it? Only for a session marked required
    for renewal, held and not cancelled, whose audience includes them, that they did not attend live, with an
    uploaded recording of known length (an external address reports nothing to check). 4 queries at most."""
    from sessions.models import RecordingWatch

    now = now or timezone.now()
    person = person_for(user) if user is not None and user.is_authenticated else None
    occurrence_id = getattr(recording, "occurrence_id", None)
    if person is None or occurrence_id is None:
        return Makeup(False, "Sign in to make up a session by its recording.")
    occurrence = (SessionOccurrence.objects.select_related("occurrence", "series__event", "series__district")
                  .filter(pk=occurrence_id).first())
    if occurrence is None or not occurrence.required_for_renewal:
        return Makeup(False, "This recording's session does not count toward a renewal.")
    if occurrence.occurrence.cancelled or occurrence.occurrence.end > now:
        return Makeup(False, "This session has not been held yet.", occurrence)
    if not recording.video_id or not recording.duration_seconds:
        return Makeup(False, "This recording cannot count as a make-up: it is not played on the Hub.", occurrence)
    if audience_refusal(series=occurrence.series, viewer=viewer or viewer_for(user)):
        return Makeup(False, "This session was not open to you.", occurrence)
    if _attended_live(person, occurrence):
        return Makeup(False, "You attended this session: it already counts.", occurrence)
    watch = RecordingWatch.objects.filter(person=person, recording_id=recording.pk).first()
    return Makeup(True, "", occurrence, recording.duration_seconds,
                  watch.played_seconds if watch else 0, watch.reflection if watch else "",
                  watch.counted_at if watch else None, recording.reflection_question)


def makeup_offers(*, person, course_codes, now: datetime | None = None) -> dict:
    """{course code: [MakeupOffer]}: the recordings the person may still make up (`recording_makeup`, the one
    rule, asked of each of the newest recordings of sessions required for renewal that have been held), for
    My training (registered with `courses.selectors.makeup_planner_register` from SessionsConfig.ready()).
    At most 2 + 3 queries per recording looked at (MAKEUP_CANDIDATES), only for someone a renewal session is
    missing for."""
    from courses.selectors import MakeupOffer
    from sessions.models import RecordingPage

    if CERTIFICATION_COURSE not in course_codes or person is None:
        return {}
    now = now or timezone.now()
    candidates = (RecordingPage.objects.live().filter(occurrence__required_for_renewal=True,
                                                      occurrence__occurrence__end__lte=now)
                  .order_by("-occurrence__occurrence__start")[:MAKEUP_CANDIDATES])
    viewer = viewer_for(person.user)
    offers = []
    for recording in candidates:
        makeup = recording_makeup(user=person.user, recording=recording, now=now, viewer=viewer)
        if makeup.offered and makeup.counted_at is None:
            held_on = makeup.occurrence.occurrence.start.astimezone(PROGRAM_TZ).date()
            offers.append(MakeupOffer(recording.title, held_on, recording.url))
    return {CERTIFICATION_COURSE: offers[:MAKEUP_OFFERS_SHOWN]}
