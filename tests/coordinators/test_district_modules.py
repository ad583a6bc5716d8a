"""A district's own required modules: on top of LEAP 101, the gate (assignment, the board, the roster's
"can take cases now", the case page's candidates) asks for them in the case's district, and only there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coordinators import selectors, services
from coordinators.errors import AssignmentRefused, NotCertified
from coordinators.models import Assignment, DistrictSettings
from coordinators.selectors import RosterFilters
from coordinators.selectors.eligibility import person_eligibility, visit_eligibility
from courses.demo import _publish, complete_module
from courses.models import ModulePage
from hub.models import Person, School
from hub.roles import VISITOR
from tests.coordinators.conftest import make_case
from tests.courses.conftest import module_body

pytestmark = pytest.mark.django_db

REFUSED = "{name} still has 1 Hartford module to finish before taking cases there: Visiting in Hartford."


@pytest.fixture
def hartford_module(leap, hartford, marcus, luis):
    """Hartford adds its own required module to LEAP 101 after Marcus and Luis were certified."""
    return _publish(leap, ModulePage(title="Visiting in Hartford", slug="visiting-in-hartford", estimated_minutes=15,
                                     district=hartford, body=module_body(9)))


@pytest.fixture
def new_haven_pair(orgs, visitor_factory):
    school = School.objects.get(district=orgs["New Haven"], name="Fair Haven School")
    return [visitor_factory("jordan", "Jordan", "Price", school=school),
            visitor_factory("thiago", "Thiago", "Costa", school=school)]


def refused(case, visitors, by) -> list[str]:
    count = Assignment.objects.count()
    with pytest.raises(AssignmentRefused) as caught:
        services.case_assign(case=case, visitors=visitors, by=by.user)
    assert Assignment.objects.count() == count, "a refusal changes nothing"
    return caught.value.reasons


def test_a_certified_pair_missing_hartfords_module_is_refused_naming_it_then_assigned_once_done(
        case, coordinator, marcus, luis, hartford_module):
    assert refused(case, [marcus, luis], coordinator) == [REFUSED.format(name="Marcus Bell"),
                                                         REFUSED.format(name="Luis Ortega")]
    for person in (marcus, luis):
        complete_module(person, hartford_module, None)  # the real services: the check, then module_complete
    assignment = services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    assert set(assignment.visitors.all()) == {marcus, luis}


def test_the_visitor_reads_the_reason_as_you_in_english_and_spanish(marcus, hartford, hartford_module):
    eligibility = person_eligibility(person=marcus, district=hartford)
    assert not eligibility.ok and not eligibility.certified  # it is training: "certified" for here is false
    assert eligibility.describe() == ["Before you take cases in Hartford, finish 1 module of its own: "
                                      "Visiting in Hartford."]
    [reason] = eligibility.reasons
    assert (reason.code, reason.params["count"], reason.params["modules"]) == (
        "district_modules_missing", 1, ("Visiting in Hartford",))
    with translation.override("es"):
        assert eligibility.describe() == ["Antes de tomar casos en Hartford, termina 1 módulo propio del distrito: "
                                          "Visiting in Hartford."]
        assert eligibility.describe(about="Marcus Bell") == [
            "A Marcus Bell le falta terminar 1 módulo de Hartford antes de tomar casos allí: Visiting in Hartford."]


def test_a_visitor_of_another_district_is_unaffected(orgs, coordinator_nh, new_haven_pair, hartford_module):
    new_haven = orgs["New Haven"]
    DistrictSettings.objects.update_or_create(district=new_haven, defaults={"visits_in_pairs": True})
    case = make_case(new_haven, School.objects.get(district=new_haven, name="Fair Haven School"), coordinator_nh,
                     ref="NHV-1")
    assert all(e.ok for e in visit_eligibility(people=new_haven_pair, district=new_haven).values())
    assignment = services.case_assign(case=case, visitors=new_haven_pair, by=coordinator_nh.user)
    assert assignment.visitors.count() == 2


def test_volunteering_on_the_board_is_refused_as_training_with_the_module_named(
        case, coordinator, marcus, hartford_module):
    services.case_open_for_volunteers(case=case, by=coordinator.user, note="")
    with pytest.raises(NotCertified) as caught:
        services.case_volunteer(case=case, visitor=marcus)
    assert "finish 1 module of its own: Visiting in Hartford" in str(caught.value)


def test_the_roster_says_certified_but_not_able_to_take_cases_and_why(client, coordinator, marcus, luis,
                                                                      hartford_module):
    rows = {r.person.user.username: r for r in selectors.roster(user=coordinator.user, filters=RosterFilters()).rows}
    assert rows["marcus"].status.is_current  # LEAP 101 itself is unchanged for him
    assert not rows["marcus"].can_take_cases
    assert rows["marcus"].district_training == [REFUSED.format(name="Marcus Bell")]
    client.force_login(coordinator.user)
    html = client.get(reverse("coordinators:roster")).content.decode()
    assert REFUSED.format(name="Marcus Bell") in html
    html = client.get(reverse("coordinators:roster_person", args=[marcus.pk])).content.decode()
    assert REFUSED.format(name="Marcus Bell") in html
    complete_module(marcus, hartford_module, None)
    rows = {r.person.user.username: r for r in selectors.roster(user=coordinator.user, filters=RosterFilters()).rows}
    assert rows["marcus"].can_take_cases and rows["marcus"].district_training == []
    assert not rows["luis"].can_take_cases


def test_the_case_pages_candidates_follow_the_gate(coordinator, case, marcus, luis, hartford_module):
    candidates = {r.person.user.username: r for r in selectors.case_view(user=coordinator.user, case=case).candidates}
    assert not candidates["marcus"].can_take_cases and not candidates["luis"].can_take_cases
    complete_module(marcus, hartford_module, None)
    candidates = {r.person.user.username: r for r in selectors.case_view(user=coordinator.user, case=case).candidates}
    assert candidates["marcus"].can_take_cases and not candidates["luis"].can_take_cases


def test_the_gate_takes_the_same_queries_however_many_visitors(hartford, school, make_person, marcus, luis,
                                                              hartford_module):
    def count(ids) -> int:
        people = list(Person.objects.filter(pk__in=ids).select_related("user", "school", "partner"))
        with CaptureQueriesContext(connection) as queries:
            visit_eligibility(people=people, district=hartford)
        return len(queries)

    one = count([marcus.pk])
    more = [make_person(f"v{n}", roles=[VISITOR], school=school).pk for n in range(5)]
    complete_module(luis, hartford_module, None)
    assert count([marcus.pk, luis.pk, *more]) == one
