"""`scope_for(user)`: the districts a person may see, by role and by where they work."""

import pytest
from django.contrib.auth.models import AnonymousUser

from hub.models import District, Partner, Region, School
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, VISITOR
from hub.selectors import scope_for

pytestmark = pytest.mark.django_db


def names(user):
    return sorted(scope_for(user).values_list("name", flat=True))


def test_a_coordinator_sees_only_their_home_district(orgs, make_person):
    carla = make_person(roles=[COORDINATOR], home_district=orgs["Hartford"])
    assert names(carla.user) == ["Hartford"]


def test_a_school_visitor_sees_their_school_district(orgs, make_person):
    school = School.objects.get(name="Fair Haven School")
    jordan = make_person(roles=[VISITOR], school=school)
    assert names(jordan.user) == ["New Haven"]


def test_a_partner_visitor_sees_every_district_their_partner_serves(orgs, make_person):
    partner = Partner.objects.get(name="Capitol Region Youth Service Bureau")
    dana = make_person(roles=[VISITOR], home_district=orgs["Hartford"], partner=partner)
    assert names(dana.user) == ["East Hartford", "Hartford", "Manchester"]


def test_regional_staff_see_the_districts_of_their_region(orgs, make_person):
    rita = make_person(roles=[REGIONAL_STAFF], region=Region.objects.get(code="learn"))
    assert names(rita.user) == ["New London", "Norwich"]


@pytest.mark.parametrize("role", [STATE_STAFF, TRAINER])
def test_state_staff_and_trainers_see_every_district(orgs, make_person, role):
    person = make_person(roles=[role])
    assert len(names(person.user)) == District.objects.count() == 15


def test_roles_add_up(orgs, make_person):
    both = make_person(roles=[COORDINATOR, REGIONAL_STAFF], home_district=orgs["Danbury"],
                       region=Region.objects.get(code="learn"))
    assert names(both.user) == ["Danbury", "New London", "Norwich"]


def test_nobody_without_a_reason_sees_anything(orgs, make_person, django_user_model):
    assert names(AnonymousUser()) == []
    no_role = make_person(roles=[], home_district=orgs["Hartford"])
    assert names(no_role.user) == []
    no_profile = django_user_model.objects.create_user("bare", password="x-long-password-1")
    assert names(no_profile) == []
    gone = make_person(roles=[COORDINATOR], home_district=orgs["Hartford"])
    gone.user.is_active = False
    gone.user.save()
    assert names(gone.user) == []


def test_scope_takes_the_same_number_of_queries_whatever_the_data(orgs, make_person,
                                                                  django_assert_num_queries):
    partner = Partner.objects.get(name="Capitol Region Youth Service Bureau")
    dana = make_person(roles=[VISITOR], home_district=orgs["Hartford"], partner=partner,
                       school=School.objects.get(name="Bulkeley High School"))
    user = type(dana.user).objects.get(pk=dana.user.pk)
    with django_assert_num_queries(3):  # roles, profile, districts
        list(scope_for(user))
    for i in range(20):
        School.objects.create(district=orgs["Hartford"], name=f"Extra school {i}")
    user = type(dana.user).objects.get(pk=dana.user.pk)
    with django_assert_num_queries(3):
        list(scope_for(user))
