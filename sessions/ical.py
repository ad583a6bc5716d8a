"""iCalendar files made with the `icalendar` library: a personal feed, a series feed, one session.

Times carry the program's TZID (TIME_ZONE, America/New_York) with its VTIMEZONE, so a recurring series keeps its wall-clock time
across daylight saving in every calendar app. A series feed has one master VEVENT with the RRULE,
EXDATE for cancelled dates and an override VEVENT (RECURRENCE-ID) for each moved date. The join
link only appears where the person holds a confirmed seat (the personal feed, their own download).
"""

from datetime import UTC, date, datetime, timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from hub.capacity import SeatStatus
from hub.program import PROGRAM_TZ
from sessions.models import Repeat, Series, SessionOccurrence
from sessions.selectors import OccurrenceRow, my_registrations, occurrence_key

PRODID = "-//Home Visit Hub//Live sessions//EN"
DOMAIN = "homevisithub.org"
_DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _finish(cal: icalendar.Calendar) -> bytes:
    today = timezone.localdate()
    cal.add_missing_timezones(first_date=date(today.year - 3, 1, 1), last_date=date(today.year + 4, 1, 1))
    return cal.to_ical()


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def occurrence_uid(series_id: int, original_start: datetime) -> str:
    return f"session-{series_id}-{occurrence_key(original_start)}@{DOMAIN}"


def _occurrence_event(*, series: Series, original_start: datetime, start: datetime, end: datetime,
                      cancelled: bool, url: str, status: str | None) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", occurrence_uid(series.pk, original_start))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start.astimezone(PROGRAM_TZ))
    event.add("dtend", end.astimezone(PROGRAM_TZ))
    event.add("summary", series.title)
    lines = [series.description] if series.description else []
    if status == SeatStatus.CONFIRMED and series.join_link:
        lines.append(f"Join: {series.join_link}")
        event.add("location", series.join_link)
    elif status == SeatStatus.WAITLISTED:
        lines.append("You are on the waitlist; we will e-mail you if a seat opens.")
    lines.append(_absolute(url))
    event.add("description", "\n\n".join(lines))
    event.add("url", _absolute(url))
    event.add("categories", [series.get_kind_display()])
    if cancelled:
        event.add("status", "CANCELLED")
    elif status == SeatStatus.WAITLISTED:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    return event


def occurrence_ics(*, row: OccurrenceRow) -> bytes:
    """One session, for a download. The join link only for a confirmed seat."""
    cal = _calendar(row.series.title)
    cal.add_component(_occurrence_event(series=row.series, original_start=row.original_start, start=row.start,
                                        end=row.end, cancelled=row.cancelled, url=row.url, status=row.my_status))
    return _finish(cal)


def personal_ics(*, person) -> bytes:
    """Every session the person registered for, from 90 days ago on."""
    cal = _calendar("My Home Visit Hub sessions")
    for reg in my_registrations(person=person, since=timezone.now() - timedelta(days=90)):
        occ = reg.occurrence
        row = OccurrenceRow(series=occ.series, original_start=occ.original_start.astimezone(PROGRAM_TZ),
                            start=occ.occurrence.start, end=occ.occurrence.end)
        cal.add_component(_occurrence_event(series=occ.series, original_start=row.original_start,
                                            start=row.start, end=row.end, cancelled=occ.occurrence.cancelled,
                                            url=row.url, status=reg.status))
    return _finish(cal)


def _rrule(series: Series) -> dict | None:
    if series.repeat == Repeat.ONCE or series.event.rule_id is None:
        return None
    rule: dict = {}
    if series.repeat in (Repeat.WEEKLY, Repeat.BIWEEKLY):
        rule = {"freq": "WEEKLY", "byday": _DAY_CODES[series.weekday]}
        if series.repeat == Repeat.BIWEEKLY:
            rule["interval"] = 2
    elif series.repeat == Repeat.MONTHLY_NTH:
        rule = {"freq": "MONTHLY", "byday": _DAY_CODES[series.weekday], "bysetpos": series.nth}
    elif series.repeat == Repeat.DAILY:
        rule = {"freq": "DAILY"}
    if series.event.end_recurring_period:
        rule["until"] = series.event.end_recurring_period.astimezone(UTC)
    return rule


def series_ics(*, series: Series) -> bytes:
    """The whole series: RRULE, EXDATE for cancelled dates, RECURRENCE-ID overrides for moved ones."""
    from django.urls import reverse

    cal = _calendar(series.title)
    uid = f"series-{series.pk}@{DOMAIN}"
    master = icalendar.Event()
    master.add("uid", uid)
    master.add("dtstamp", timezone.now())
    master.add("dtstart", series.event.start.astimezone(PROGRAM_TZ))
    master.add("dtend", series.event.end.astimezone(PROGRAM_TZ))
    master.add("summary", series.title)
    url = _absolute(reverse("training_sessions:series", args=[series.pk]))
    master.add("description", "\n\n".join(filter(None, [series.description, url])))
    master.add("url", url)
    master.add("categories", [series.get_kind_display()])
    rule = _rrule(series)
    overrides = []
    persisted = SessionOccurrence.objects.filter(series=series).select_related("occurrence")
    if rule:
        master.add("rrule", rule)
        for occ in persisted:
            original = occ.original_start.astimezone(PROGRAM_TZ)
            if occ.occurrence.cancelled:
                master.add("exdate", original)
            elif occ.occurrence.moved:
                moved = icalendar.Event()
                moved.add("uid", uid)
                moved.add("dtstamp", timezone.now())
                moved.add("recurrence-id", original)
                moved.add("dtstart", occ.occurrence.start.astimezone(PROGRAM_TZ))
                moved.add("dtend", occ.occurrence.end.astimezone(PROGRAM_TZ))
                moved.add("summary", f"{series.title} (moved)")
                moved.add("url", url)
                overrides.append(moved)
    else:
        occ = next(iter(persisted), None)
        if occ is not None:
            del master["dtstart"], master["dtend"]
            master.add("dtstart", occ.occurrence.start.astimezone(PROGRAM_TZ))
            master.add("dtend", occ.occurrence.end.astimezone(PROGRAM_TZ))
            if occ.occurrence.cancelled:
                master.add("status", "CANCELLED")
    cal.add_component(master)
    for override in overrides:
        cal.add_component(override)
    return _finish(cal)

