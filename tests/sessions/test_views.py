"""The pages: the upcoming list and month view (in a fixed number of queries), registering from the
occurrence page, the trainer's series form and attendance."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hub.program import PROGRAM_TZ
from sessions import services
from sessions.models import Attendance, Registration, Repeat, Series
from sessions.selectors import occurrence_key, rule_starts

pytestmark = pytest.mark.django_db


def build(make_series, visitors, n_series: int, weeks: int):
    """n_series weekly series of `weeks` weeks, every occurrence persisted with two registrations."""
    today = timezone.localdate()
    made = []
    for n in range(n_series):
        series = make_series(title=f"Series {n}", first_date=today + timedelta(days=1 + n % 7),
                             last_date=today + timedelta(weeks=weeks), capacity=1)
        for start in rule_starts(series, series.event.start, series.event.start + timedelta(weeks=weeks)):
            for person in visitors[:2]:
                services.registration_create(series=series, start=start, person=person)
        made.append(series)
    return made


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("url", ["/sessions/", "/sessions/month/"])
def test_the_listing_takes_the_same_number_of_queries_for_few_and_many_occurrences(
        client, make_series, visitors, url, django_assert_num_queries):
    client.force_login(visitors[0].user)
    build(make_series, visitors, n_series=1, weeks=2)
    small, _ = count_queries(client, url)
    build(make_series, visitors, n_series=6, weeks=10)
    large, response = count_queries(client, url)
    assert large == small
    assert response.content.decode().count('class="occurrence-card') > 10 or url.endswith("month/")
    with django_assert_num_queries(small):
        client.get(url)


def test_the_upcoming_list_shows_new_york_times_seats_left_and_filters_by_kind(client, make_series, visitors):
    series = make_series(capacity=3, title="Thursday circle", start_time=time(18, 30))
    make_series(kind="talk_tuesday", title="Talk Tuesday")
    services.registration_create(series=series, start=series.event.start, person=visitors[1])
    client.force_login(visitors[0].user)
    html = client.get("/sessions/").content.decode()
    assert "Thursday circle" in html and "6:30 PM" in html and "2 seats left" in html and "Talk Tuesday" in html
    html = client.get("/sessions/", {"kind": "talk_tuesday"}).content.decode()
    assert "Thursday circle" not in html and "Talk Tuesday" in html


def test_registering_from_the_occurrence_page_says_when_it_is_a_waitlist_place(client, make_series, visitors):
    series = make_series(capacity=1)
    url = f"/sessions/{series.pk}/{occurrence_key(series.event.start)}/"
    client.force_login(visitors[0].user)
    response = client.post(url + "register/", follow=True)
    assert "your seat is confirmed" in response.content.decode()
    assert "meet.example.org" in response.content.decode()
    client.force_login(visitors[1].user)
    html = client.get(url).content.decode()
    assert "meet.example.org" not in html and "Join the waitlist" in html
    html = client.post(url + "register/", follow=True).content.decode()
    assert "This session is full, so you are on the waitlist (number 1)" in html
    assert Registration.objects.filter(status="waitlisted").count() == 1


def test_a_refused_registration_shows_the_reason_and_records_nothing(client, make_series, visitor):
    series = make_series(audience="coordinators", kind="coordinators")
    client.force_login(visitor.user)
    url = f"/sessions/{series.pk}/{occurrence_key(series.event.start)}/"
    assert client.get(url).status_code == 403
    assert client.post(url + "register/").status_code == 403
    assert Registration.objects.count() == 0
    assert client.get(f"/sessions/{series.pk}/20200101T000000Z/").status_code in (403, 404)


def test_a_trainer_schedules_a_series_on_the_hub_page_and_visitors_cannot(client, trainer, visitor):
    client.force_login(visitor.user)
    assert client.get("/sessions/manage/new/").status_code == 403
    client.force_login(trainer.user)
    first = timezone.localdate() + timedelta(days=2)
    data = {"kind": "connection", "title": "Peer circle", "audience": "all", "capacity": "12",
            "repeat": Repeat.BIWEEKLY, "weekday": str(first.weekday()), "first_date": first.isoformat(),
            "last_date": (first + timedelta(weeks=12)).isoformat(), "start_time": "16:00",
            "duration_minutes": "60", "join_link": "https://meet.example.org/peer", "facilitators": [trainer.pk]}
    response = client.post("/sessions/manage/new/", data)
    series = Series.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sessions/series/{series.pk}/"
    assert series.event.start.astimezone(PROGRAM_TZ).hour == 16 and list(series.facilitators.all()) == [trainer]
    html = client.get(response["Location"]).content.decode()
    assert "Every other" in html and html.count('class="occurrence-card') == 7
    bad = dict(data, last_date=(first + timedelta(days=1)).isoformat(), repeat=Repeat.WEEKLY,
               weekday=str((first.weekday() + 3) % 7))
    response = client.post("/sessions/manage/new/", bad)
    assert response.status_code == 200 and "gives no session" in response.content.decode()
    assert Series.objects.count() == 1


def test_the_trainer_marks_attendance_and_the_visitor_sees_it(client, make_series, trainer, visitor):
    now = timezone.now().astimezone(PROGRAM_TZ)
    series = make_series(repeat="once", first_date=now.date(), start_time=time(now.hour, 0), duration_minutes=120)
    services.registration_create(series=series, start=series.event.start, person=visitor)
    url = f"/sessions/{series.pk}/{occurrence_key(series.event.start)}/"
    reg = Registration.objects.get()
    client.force_login(trainer.user)
    assert "Attendance of" in client.get(url).content.decode()
    client.post(url + "attendance/", {f"attendance-{reg.pk}": "present"})
    assert Attendance.objects.get().present
    client.force_login(visitor.user)
    html = client.get("/sessions/mine/").content.decode()
    assert "Attended" in html


def test_navigation_offers_sessions_to_members_and_scheduling_to_trainers(client, visitor, trainer):
    client.force_login(visitor.user)
    html = client.get("/sessions/").content.decode()
    nav = html[html.index('aria-label="Main"'):html.index("</nav>", html.index('aria-label="Main"'))]
    assert ">Sessions<" in nav and "Schedule sessions" not in nav
    client.force_login(trainer.user)
    html = client.get("/sessions/").content.decode()
    nav = html[html.index('aria-label="Main"'):html.index("</nav>", html.index('aria-label="Main"'))]
    assert "Schedule sessions" in nav
