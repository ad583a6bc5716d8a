"""People are made through `person_create`, which refuses a profile that contradicts itself."""

import pytest
from django.contrib.auth import get_user_model

from hub.errors import InvalidPerson
from hub.models import Person, School
from hub.roles import COORDINATOR, REGIONAL_STAFF, TRAINER, VISITOR, roles_of

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_a_profile_roles_and_their_schools_district(orgs, make_person):
    school = School.objects.get(name="Harding High School")
    rosa = make_person("rosa", roles=[VISITOR], school=school)
    assert rosa.home_district == orgs["Bridgeport"]
    assert roles_of(rosa.user) == {VISITOR}
    assert not rosa.user.is_staff
    assert rosa.user.check_password("a-long-test-password")


def test_trainers_get_wagtail_admin_access_and_visitors_do_not(orgs, make_person):
    trainer = make_person(roles=[TRAINER])
    visitor = make_person(roles=[VISITOR], home_district=orgs["Hartford"])
    assert trainer.user.has_perm("wagtailadmin.access_admin")
    assert trainer.user.is_staff
    assert not visitor.user.has_perm("wagtailadmin.access_admin")


@pytest.mark.parametrize(
    "profile, message",
    [
        ({"roles": [COORDINATOR]}, "A coordinator needs a home district."),
        ({"roles": [REGIONAL_STAFF]}, "Regional staff need a region."),
        ({"roles": ["Superhero"]}, "Unknown role: Superhero."),
    ],
)
def test_contradictory_profiles_are_refused_and_nothing_is_created(orgs, make_person, profile, message):
    users_before = get_user_model().objects.count()
    with pytest.raises(InvalidPerson, match=message):
        make_person(**profile)
    assert get_user_model().objects.count() == users_before
    assert Person.objects.count() == 0


def test_a_school_outside_the_home_district_is_refused(orgs, make_person):
    with pytest.raises(InvalidPerson, match="is not in Hartford"):
        make_person(roles=[VISITOR], home_district=orgs["Hartford"],
                    school=School.objects.get(name="Fair Haven School"))
    assert Person.objects.count() == 0


def test_a_taken_user_name_is_refused_whatever_its_case(orgs, make_person):
    make_person("ana", roles=[VISITOR], home_district=orgs["Hartford"])
    with pytest.raises(InvalidPerson, match="taken"):
        make_person("ANA", roles=[VISITOR], home_district=orgs["Hartford"])
    assert Person.objects.count() == 1
