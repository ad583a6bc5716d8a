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


def test_hartfords_own_module_is_done_by_its_certified_demo_visitors_and_asked_of_no_one_elsewhere(home_page):
    from coordinators.selectors.eligibility import visit_eligibility
    from courses.models import ModuleCompletion, ModulePage
    from hub.models import District, Person

    seed_organisations()
    seed_site_and_people()
    seed_courses()
    hartford = District.objects.get(name="Hartford")
    module = ModulePage.objects.get(slug="visiting-in-hartford")
    assert module.district == hartford and module.required
    done = set(ModuleCompletion.objects.filter(module=module).values_list("person__user__username", flat=True))
    assert done == {"marcus", "luis", "dana"}  # Hartford's certified visitors; Ana (4 of 7) has not got there
    people = list(Person.objects.filter(user__username__in=["marcus", "luis", "visitor"])
                  .select_related("user", "school", "partner"))
    found = visit_eligibility(people=people, district=hartford)
    eligible = {p.user.username: found[p.pk] for p in people}
    assert eligible["marcus"].ok and eligible["luis"].ok
    assert "district_modules_missing" in {r.code for r in eligible["visitor"].reasons}
    seed_coordinators()
    assert Assignment.objects.filter(case__district=hartford, visitors__user__username="marcus").exists()
