"""A two-module LEAP 101, a Hartford coordinator, and visitors at the stages the gate cares about."""

from datetime import date

import pytest
from django.utils import timezone

from coordinators import services
from coordinators.models import CaseEvent, StudentCase
from courses import services as course_services
from courses.models import ModulePage, Scenario
from hub.models import Partner, School
from hub.roles import COORDINATOR, VISITOR
from tests.courses.conftest import build_course, finish


@pytest.fixture
def leap(home_page):
    scenario = Scenario.objects.create(
        slug="kitchen-table", title="A first visit", stage="first_visit", setting="Kitchen.",
        family_situation="A grandmother.", role_visitor_a="Lead.", role_visitor_b="Listen.", role_parent="Wary.",
        role_student="Not present.", opening="Thank her.", coach_prompts="Pause.", debrief_questions="What built trust?")
    return build_course(home_page, scenario, modules=2)


def certify(person, course, when=None):
    modules = list(ModulePage.objects.child_of(course).live().order_by("path"))
    finish(person, course, modules, when)
    course_services.practice_credit_record(person=person, course_code="LEAP-101", source="test",
                                           source_ref=f"t:{person.pk}", attended_on=date.today(), now=when)


@pytest.fixture
def certify_person(leap):
    return lambda person, when=None: certify(person, leap, when)


@pytest.fixture
def hartford(orgs):
    return orgs["Hartford"]


@pytest.fixture
def school(hartford):
    return School.objects.get(district=hartford, name="Parkville Community School")


@pytest.fixture
def coordinator(orgs, make_person, hartford):
    return make_person("carla", roles=[COORDINATOR], first_name="Carla", last_name="Mendes", home_district=hartford)


@pytest.fixture
def coordinator_nh(orgs, make_person):
    return make_person("dwayne", roles=[COORDINATOR], first_name="Dwayne", last_name="Harris",
                       home_district=orgs["New Haven"])


@pytest.fixture
def visitor_factory(make_person, school, certify_person):
    def make(username, first, last, *, certified=True, **profile):
        profile.setdefault("school", school)
        person = make_person(username, roles=[VISITOR], first_name=first, last_name=last, **profile)
        if certified:
            certify_person(person)
        return person

    return make


@pytest.fixture
def marcus(visitor_factory):
    return visitor_factory("marcus", "Marcus", "Bell")


@pytest.fixture
def luis(visitor_factory, hartford):
    return visitor_factory("luis", "Luis", "Ortega",
                           school=School.objects.get(district=hartford, name="Bulkeley High School"))


@pytest.fixture
def ana(visitor_factory, leap):
    """In progress: 1 of 2 modules."""
    person = visitor_factory("ana", "Ana", "Ruiz", certified=False)
    course_services.enrollment_start(person=person, course=leap)
    from courses.demo import complete_module

    complete_module(person, ModulePage.objects.child_of(leap).live().order_by("path").first(), None)
    return person


@pytest.fixture
def dana(make_person, hartford, certify_person):
    partner = Partner.objects.get(name="Capitol Region Youth Service Bureau")
    person = make_person("dana", roles=[VISITOR], first_name="Dana", last_name="Whitfield",
                         home_district=hartford, partner=partner)
    certify_person(person)
    return person


def make_case(district, school, by, *, ref="S-1", first="Jaylen", choice="accepted", **extra):
    data = services.CaseData(student_ref=ref, first_name=first, last_initial="R", grade="3", school=school,
                             home_language="Spanish", days_enrolled=extra.pop("enrolled", 60),
                             days_absent=extra.pop("absent", 9), referral_reason="Chronic absence since October")
    case = services.case_create(district=district, data=data, by=by.user)
    if choice:
        services.case_family_choice(case=case, kind=CaseEvent.Kind.OFFERED, by=by.user)
        if choice != "offered":
            services.case_family_choice(case=case, kind=choice, by=by.user)
    return StudentCase.objects.get(pk=case.pk)


@pytest.fixture
def case(hartford, school, coordinator):
    return make_case(hartford, school, coordinator)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def assigned(case, coordinator, marcus, luis):
    """The Hartford case assigned to Marcus and Luis (the barriers list made first, as the demo does)."""
    from coordinators import services

    services.barriers_ensure()
    services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    return case
