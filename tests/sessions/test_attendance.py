"""Attendance: marked by trainers once a session has started; at a LEAP 101 live practice it records
(and on correction withdraws) a practice credit through `courses.services`."""

from datetime import timedelta

import pytest

from courses.errors import UnknownCourse
from courses.models import CourseIndexPage, CoursePage, PracticeCredit
from sessions import errors, services
from sessions.models import Attendance, Kind
from sessions.services import ATTENDANCE_SOURCE

pytestmark = pytest.mark.django_db


@pytest.fixture
def leap_course(home_page):
    index = CourseIndexPage(title="Courses", slug="courses")
    home_page.add_child(instance=index)
    course = CoursePage(title="LEAP 101", slug="leap-101", code="LEAP-101", summary="Before your first visit.",
                        audience="New visitors", requires_live_practice=True)
    index.add_child(instance=course)
    return course


def registered(make_series, person, **spec):
    series = make_series(**spec)
    start = series.event.start
    return series, services.registration_create(series=series, start=start, person=person), start


def test_attending_a_leap_101_practice_records_a_credit_and_absent_withdraws_it(
        make_series, visitor, trainer, leap_course):
    series, reg, start = registered(make_series, visitor, kind=Kind.LEAP101_PRACTICE)
    after = start + timedelta(minutes=10)
    attendance = services.attendance_mark(registration=reg, present=True, by=trainer.user, now=after)
    credit = PracticeCredit.objects.get(source=ATTENDANCE_SOURCE, source_ref=str(attendance.pk))
    assert credit.person == visitor and credit.course == leap_course
    assert credit.attended_on == start.date()
    services.attendance_mark(registration=reg, present=True, by=trainer.user, now=after)  # idempotent
    assert PracticeCredit.objects.count() == 1
    services.attendance_mark(registration=reg, present=False, by=trainer.user, now=after)
    assert PracticeCredit.objects.count() == 0
    assert Attendance.objects.get().present is False


def test_attendance_at_other_sessions_records_no_credit(make_series, visitor, trainer, leap_course):
    series, reg, start = registered(make_series, visitor, kind=Kind.CONNECTION)
    services.attendance_mark(registration=reg, present=True, by=trainer.user, now=start + timedelta(minutes=5))
    assert PracticeCredit.objects.count() == 0 and Attendance.objects.get().present


def test_attendance_before_the_session_starts_is_refused(make_series, visitor, trainer):
    series, reg, start = registered(make_series, visitor)
    with pytest.raises(errors.AttendanceTooEarly, match="once the session has started"):
        services.attendance_mark(registration=reg, present=True, by=trainer.user, now=start - timedelta(minutes=5))
    assert Attendance.objects.count() == 0


def test_visitors_cannot_mark_attendance(make_series, visitor):
    series, reg, start = registered(make_series, visitor)
    with pytest.raises(errors.NotAllowed):
        services.attendance_mark(registration=reg, present=True, by=visitor.user, now=start + timedelta(minutes=5))


def test_without_the_course_the_practice_attendance_is_refused_whole(make_series, visitor, trainer):
    series, reg, start = registered(make_series, visitor, kind=Kind.LEAP101_PRACTICE)
    with pytest.raises(UnknownCourse):
        services.attendance_mark(registration=reg, present=True, by=trainer.user, now=start + timedelta(minutes=5))
    assert Attendance.objects.count() == 0
