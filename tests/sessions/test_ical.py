"""Calendars, parsed back with icalendar: one session, a series (RRULE, EXDATE, moved dates) and the
personal feed at a secret address that a new address replaces."""

from datetime import timedelta

import icalendar
import pytest

from hub.program import PROGRAM_TZ
from sessions import services
from sessions.selectors import occurrence_key, rule_starts

pytestmark = pytest.mark.django_db


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_one_session_download_has_its_time_in_new_york_and_the_join_link_only_for_a_seat(
        client, make_series, visitor):
    series = make_series()
    start = series.event.start
    url = f"/sessions/{series.pk}/{occurrence_key(start)}/session.ics"
    client.force_login(visitor.user)
    event = parse(client.get(url)).walk("VEVENT")[0]
    assert event.decoded("dtstart") == start and str(event.decoded("dtstart").tzinfo) == "America/New_York"
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=1)
    assert "meet.example.org" not in event.to_ical().decode()
    services.registration_create(series=series, start=start, person=visitor)
    event = parse(client.get(url)).walk("VEVENT")[0]
    assert "meet.example.org" in str(event["description"]) and str(event["status"]) == "CONFIRMED"


def test_the_series_feed_has_the_rule_cancelled_dates_and_moved_dates(client, make_series, trainer):
    series = make_series(repeat="biweekly")
    starts = rule_starts(series, series.event.start, series.event.start + timedelta(days=70))
    services.occurrence_cancel(series=series, start=starts[1], by=trainer.user)
    services.occurrence_move(series=series, start=starts[2], new_start=starts[2] + timedelta(hours=2),
                             by=trainer.user)
    client.force_login(trainer.user)
    cal = parse(client.get(f"/sessions/series/{series.pk}/calendar.ics"))
    master, moved = cal.walk("VEVENT")
    rule = master["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [2] and rule["BYDAY"] == [
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][series.weekday]]
    assert rule["UNTIL"][0] > starts[-1]
    assert [d.dt for d in master["exdate"].dts] == [starts[1]]
    assert moved["uid"] == master["uid"]
    assert moved.decoded("recurrence-id") == starts[2]
    assert moved.decoded("dtstart") == starts[2] + timedelta(hours=2)
    assert cal.walk("VTIMEZONE")[0]["tzid"] == "America/New_York"
    assert "meet.example.org" not in cal.to_ical().decode()


def test_the_personal_feed_lists_my_sessions_and_a_stolen_token_stops_working(client, make_series, visitor):
    series = make_series()
    services.registration_create(series=series, start=series.event.start, person=visitor)
    feed = services.calendar_feed_ensure(person=visitor)
    old = f"/sessions/feed/{feed.token}.ics"
    events = parse(client.get(old)).walk("VEVENT")  # no sign-in: calendar apps cannot
    assert [e.decoded("dtstart") for e in events] == [series.event.start.astimezone(PROGRAM_TZ)]
    assert "meet.example.org" in str(events[0]["description"])
    client.force_login(visitor.user)
    assert client.post("/sessions/mine/feed/regenerate/").status_code == 302
    client.logout()
    assert client.get(old).status_code == 404
    feed.refresh_from_db()
    assert client.get(f"/sessions/feed/{feed.token}.ics").status_code == 200
    assert client.get("/sessions/feed/not-a-token.ics").status_code == 404
