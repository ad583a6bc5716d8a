"""My training asks sessions (through the planner it registered) which live practice a person has booked."""

from datetime import timedelta

import pytest
from django.urls import reverse

from courses.models import CourseIndexPage, CoursePage
from hub.dates import day_label
from hub.program import PROGRAM_TZ
from sessions import services
from sessions.models import Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def leap_course(home_page):
    index = CourseIndexPage(title="Courses", slug="courses")
    home_page.add_child(instance=index)
    course = CoursePage(title="LEAP 101", slug="leap-101", code="LEAP-101", summary="Before your first visit.",
                        audience="New visitors", requires_live_practice=True)
    index.add_child(instance=course)
    course.save_revision().publish()
    return course


def my_training(client, person) -> str:
    client.force_login(person.user)
    return client.get(reverse("courses:my_training")).content.decode()


def test_a_seat_at_an_upcoming_practice_shows_its_day_and_links_to_it(client, make_series, visitor, leap_course):
    series = make_series(kind=Kind.LEAP101_PRACTICE, title="LEAP 101 live practice", capacity=1)
    later = series.event.start + timedelta(weeks=1)
    services.registration_create(series=series, start=later, person=visitor)
    html = my_training(client, visitor)
    assert f"Live practice: registered for {day_label(later, 'long')}" in html
    assert "Live practice: not yet" not in html


def test_a_waitlist_place_says_so_and_the_soonest_booking_counts(client, make_series, visitor, visitors, leap_course):
    series = make_series(kind=Kind.LEAP101_PRACTICE, title="LEAP 101 live practice", capacity=1)
    first = series.event.start
    services.registration_create(series=series, start=first, person=visitors[0])
    services.registration_create(series=series, start=first, person=visitor)  # full: the waitlist
    services.registration_create(series=series, start=first + timedelta(weeks=2), person=visitor)
    html = my_training(client, visitor)
    assert f"Live practice: on the waitlist for {day_label(first.astimezone(PROGRAM_TZ), 'long')}" in html


def test_without_a_booking_my_training_links_to_the_live_practice_sessions(client, make_series, visitor,
                                                                          leap_course):
    make_series(kind=Kind.CONNECTION)  # another kind of session is no live practice
    html = my_training(client, visitor)
    assert "Live practice: not yet." in html
    assert f'href="{reverse("training_sessions:upcoming")}?kind=leap101">Register for a session' in html
