"""The coordinators' demo step builds cases at every stage once, through the services."""

import pytest

from coordinators.demo import seed_coordinators
from coordinators.models import Assignment, AttendanceMonth, CaseEvent, StudentCase, Visit
from courses.demo import seed_courses
from hub.demo import seed_organisations, seed_site_and_people

pytestmark = pytest.mark.django_db


def test_the_demo_step_is_idempotent_and_leaves_accepted_hartford_cases_to_assign(home_page):
    seed_organisations()
    seed_site_and_people()
    seed_courses()
    seed_coordinators()
    counts = [m.objects.count() for m in (StudentCase, CaseEvent, Assignment, Visit, AttendanceMonth)]
    statuses = set(StudentCase.objects.values_list("status", flat=True))
    assert statuses == {"referred", "offered", "declined", "accepted", "assigned", "visited"}
    assert StudentCase.objects.filter(district__name="Hartford", status="accepted").count() >= 2
    assert Visit.objects.filter(barriers__isnull=False).exists()
    assert Assignment.objects.filter(visitors__user__username="dana").exists()
    seed_coordinators()
    assert [m.objects.count() for m in (StudentCase, CaseEvent, Assignment, Visit, AttendanceMonth)] == counts
