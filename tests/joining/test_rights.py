"""Who may invite whom: one rule for the form's choices, the import and the service."""

import pytest
from django.urls import reverse

from hub.joining import services
from hub.joining.errors import NotAllowed
from hub.joining.models import Invitation
from hub.joining.selectors import invite_refusal, invite_rights
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, VISITOR

pytestmark = pytest.mark.django_db


def data(district=None, role=VISITOR, email="new.person@example.org"):
    return services.InvitationData(email=email, name="New Person", role=role, district=district)


def test_a_coordinator_may_invite_visitors_into_their_own_district_only(inviters, orgs):
    rights = invite_rights(inviters["carla"].user)
    assert rights.roles == (VISITOR,)
    assert list(rights.districts()) == [orgs["Hartford"]]
    assert invite_refusal(rights, role=VISITOR, district_id=orgs["Hartford"].pk) is None
    assert "own district" in invite_refusal(rights, role=VISITOR, district_id=orgs["New Haven"].pk)
    for role in (TRAINER, COORDINATOR, STATE_STAFF, REGIONAL_STAFF):
        assert "may not invite someone as" in invite_refusal(rights, role=role, district_id=orgs["Hartford"].pk)


def test_trainers_invite_visitors_anywhere_and_trainers_but_not_coordinators_or_state_staff(inviters, orgs):
    rights = invite_rights(inviters["tomas"].user)
    assert set(rights.roles) == {VISITOR, TRAINER}
    assert invite_refusal(rights, role=VISITOR, district_id=orgs["New Haven"].pk) is None
    assert invite_refusal(rights, role=TRAINER, district_id=None) is None
    assert invite_refusal(rights, role=COORDINATOR, district_id=orgs["Hartford"].pk)
    assert invite_refusal(rights, role=STATE_STAFF, district_id=None)


def test_state_staff_may_give_coordinator_and_state_staff_but_statewide_roles_take_no_district(inviters, orgs):
    rights = invite_rights(inviters["samira"].user)
    assert invite_refusal(rights, role=COORDINATOR, district_id=orgs["New Haven"].pk) is None
    assert invite_refusal(rights, role=STATE_STAFF, district_id=None) is None
    assert "leave the district empty" in invite_refusal(rights, role=TRAINER, district_id=orgs["Hartford"].pk)
    assert "Choose the district" in invite_refusal(rights, role=VISITOR, district_id=None)
    assert invite_refusal(rights, role=REGIONAL_STAFF, district_id=None)  # needs a region: the admin


def test_visitors_and_regional_staff_invite_nobody(inviters, make_person, orgs, client):
    assert not invite_rights(inviters["ana"].user).may_invite
    client.force_login(inviters["ana"].user)
    assert client.get(reverse("joining:invitations")).status_code == 403
    assert client.post(reverse("joining:invite"), {"name": "X", "email": "x@example.org", "role": VISITOR,
                                                   "district": orgs["Hartford"].pk, "language": "en"}).status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(("role", "district"), [(TRAINER, None), (COORDINATOR, "Hartford"), (STATE_STAFF, None),
                                                (VISITOR, "New Haven")])
def test_the_service_refuses_a_coordinator_outside_their_rights_and_creates_nothing(inviters, orgs, mailoutbox,
                                                                                    role, district):
    with pytest.raises(NotAllowed):
        services.invitation_create(data=data(orgs.get(district), role), by=inviters["carla"].user)
    assert not Invitation.objects.exists() and not mailoutbox


@pytest.mark.parametrize(("role", "district", "reason"), [
    (TRAINER, "", "may not invite someone as Trainer"),
    (COORDINATOR, "Hartford", "may not invite someone as Coordinator"),
    (STATE_STAFF, "", "may not invite someone as State staff"),
    (VISITOR, "New Haven", "only invite people into your own district"),
    ("Superuser", "Hartford", "Choose one of the roles"),
])
def test_a_crafted_post_outside_the_rights_is_refused_with_the_reason(inviters, orgs, client, role, district,
                                                                      reason):
    client.force_login(inviters["carla"].user)
    response = client.post(reverse("joining:invite"), {
        "name": "Crafted", "email": "crafted@example.org", "role": role,
        "district": orgs[district].pk if district else "", "language": "en", "organisation": ""})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_form_offers_only_the_roles_and_districts_of_the_rule(inviters, client):
    client.force_login(inviters["carla"].user)
    page = client.get(reverse("joining:invite")).content.decode()
    assert '<option value="Visitor"' in page and '<option value="Trainer"' not in page
    assert ">Hartford<" in page and ">New Haven<" not in page
