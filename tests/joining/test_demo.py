"""The demo step: waiting invitations (one expired) and an accepted one, made once."""

import pytest
from django.contrib.auth import get_user_model

from hub.demo import seed_organisations, seed_site_and_people
from hub.joining.demo import seed_invitations
from hub.joining.models import Invitation
from hub.roles import VISITOR, roles_of

pytestmark = pytest.mark.django_db


def test_the_demo_has_waiting_expired_and_accepted_invitations_once(mailoutbox):
    seed_organisations()
    seed_site_and_people()
    seed_invitations()
    statuses = sorted(i.status for i in Invitation.objects.all())
    assert statuses == ["accepted", "expired", "pending", "pending", "pending"]
    accepted = Invitation.objects.get(state="accepted")
    assert roles_of(accepted.account) == {VISITOR} and accepted.account.person.home_district.name == "Hartford"
    before = (list(Invitation.objects.values()), get_user_model().objects.count())
    seed_invitations()
    assert (list(Invitation.objects.values()), get_user_model().objects.count()) == before
