"""Every role, district and active change is audited in one place (hub.membership.recording), whichever
path made it: the Django admin (a user's groups, a person's home district), an invitation, code."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from hub.audit.models import AuditEntry
from hub.membership.recording import changes_by
from hub.roles import COORDINATOR, VISITOR
from hub.services import roles_ensure
from tests.joining.conftest import *  # noqa: F403 - the joining fixtures (invite, inviters, send)

pytestmark = pytest.mark.django_db
User = get_user_model()


def trail(user, action):
    return list(AuditEntry.objects.filter(action=action, object_id=str(user.pk)).order_by("pk")
                .values_list("actor__username", "detail"))


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", "a-long-root-password")


def admin_client(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


def test_changing_a_users_groups_in_the_django_admin_is_audited_with_who_from_and_to(root, make_person, orgs):
    marcus = make_person("marcus", roles=[VISITOR], first_name="Marcus", last_name="Bell",
                         home_district=orgs["Hartford"])
    groups = roles_ensure()
    user = marcus.user
    response = admin_client(root).post(reverse("admin:auth_user_change", args=[user.pk]), {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "groups": [groups[VISITOR].pk, groups[COORDINATOR].pk],
        "last_login_0": "", "last_login_1": "", "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert trail(user, "person.role")[-1] == ("root", "Visitor → Coordinator, Visitor · via admin")
    entry = AuditEntry.objects.filter(action="person.role", object_id=str(user.pk)).latest("pk")
    assert entry.district == orgs["Hartford"]  # in Hartford's trail


def test_changing_a_persons_district_in_the_django_admin_is_audited(root, make_person, orgs):
    marcus = make_person("marcus", roles=[VISITOR], home_district=orgs["Hartford"])
    response = admin_client(root).post(reverse("admin:hub_person_change", args=[marcus.pk]), {
        "user": marcus.user.pk, "job_title": "", "home_district": orgs["New Haven"].pk, "region": "",
        "school": "", "partner": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert trail(marcus.user, "person.district")[-1] == ("root", "Hartford → New Haven · via admin")


def test_switching_an_account_off_in_the_admin_is_audited(root, make_person):
    ana = make_person("ana", roles=[VISITOR])
    user = ana.user
    admin_client(root).post(reverse("admin:auth_user_change", args=[user.pk]), {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "groups": [roles_ensure()[VISITOR].pk], "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S")})
    assert trail(user, "person.active") == [("root", "active → inactive · via admin")]


def test_an_invitation_records_the_role_and_district_it_gives_as_the_inviters(invite, client, orgs):
    invitation, token = invite(organisation="Parkville Community School")
    password = "kitchen-table-visits-42"
    client.post(reverse("joining:accept", args=[token]),
                {"name": "Lena Park", "language": "en", "password1": password, "password2": password})
    lena = User.objects.get(email="lena.park@example.org")
    via = f"via invitation {invitation.pk}"
    assert trail(lena, "person.role") == [("carla", f"— → Visitor · {via}")]
    assert trail(lena, "person.district") == [("carla", f"— → Hartford · {via}")]


def test_an_invitation_to_an_existing_account_records_the_added_role(invite, make_person, client, orgs):
    invitation, token = invite(email="marcus@example.org", by="samira", role=COORDINATOR)
    marcus = make_person("marcus", roles=(VISITOR,), home_district=orgs["Hartford"])
    client.force_login(marcus.user)
    client.post(reverse("joining:accept", args=[token]))
    assert trail(marcus.user, "person.role")[-1] == (
        "samira", f"Visitor → Coordinator, Visitor · via invitation {invitation.pk}")


def test_group_side_changes_and_code_outside_a_request_are_audited_too(make_person):
    ana = make_person("ana", roles=[VISITOR])
    group = Group.objects.get(name=COORDINATOR)
    group.user_set.add(ana.user)
    assert trail(ana.user, "person.role")[-1] == (None, "Visitor → Coordinator, Visitor · via code")
    with changes_by(by=None, via="support script"):
        group.user_set.clear()
    assert trail(ana.user, "person.role")[-1] == (None, "Coordinator, Visitor → Visitor · via support script")
    ana.user.groups.clear()
    assert trail(ana.user, "person.role")[-1] == (None, "Visitor → — · via code")


def test_saving_without_a_change_writes_nothing(make_person, orgs):
    ana = make_person("ana", roles=[VISITOR], home_district=orgs["Hartford"])
    before = AuditEntry.objects.count()
    ana.job_title = "Family liaison"
    ana.save()
    ana.user.groups.add(Group.objects.get(name=VISITOR))
    ana.user.save(update_fields=["last_login"])
    ana.user.save()
    assert AuditEntry.objects.count() == before
