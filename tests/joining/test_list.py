"""The inviter's page: who accepted, who has not, expired; resend and withdraw; scoped by district."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.joining.models import Invitation
from hub.navigation import nav_items_for

pytestmark = pytest.mark.django_db


def test_the_list_shows_accepted_waiting_and_expired(invite, client, inviters):
    accepted, token = invite(email="a@example.org")
    client.post(reverse("joining:accept", args=[token]), {"name": "A", "language": "en",
                                                           "password1": "kitchen-table-42x", "password2": "kitchen-table-42x"})
    client.logout()
    invite(email="w@example.org")
    expired, _ = invite(email="e@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    client.force_login(inviters["carla"].user)
    page = client.get(reverse("joining:invitations")).content.decode()
    assert "1 accepted" in page and "1 waiting" in page and "1 expired" in page
    assert "Accepted" in page and "Expired" in page and "Not accepted yet" in page


def test_a_coordinator_sees_only_their_districts_invitations_and_gets_404_for_another(invite, client, inviters):
    mine, _ = invite(email="mine@example.org")
    theirs, _ = invite(email="theirs@example.org", by="dwayne", district="New Haven")
    client.force_login(inviters["carla"].user)
    page = client.get(reverse("joining:invitations")).content.decode()
    assert "mine@example.org" in page and "theirs@example.org" not in page
    for name in ("joining:resend", "joining:withdraw"):
        assert client.post(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "pending" and theirs.send_count == 1


def test_withdraw_and_resend_from_the_list(invite, client, inviters, mailoutbox, send):
    first, _ = invite(email="one@example.org")
    second, _ = invite(email="two@example.org")
    client.force_login(inviters["carla"].user)
    client.post(reverse("joining:withdraw", args=[first.pk]))
    with send():
        client.post(reverse("joining:resend", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == "withdrawn" and second.send_count == 2
    assert [m.to for m in mailoutbox].count(["two@example.org"]) == 2
    response = client.post(reverse("joining:resend", args=[first.pk]), follow=True)
    assert "nothing to resend" in response.content.decode()


def test_the_staff_navigation_links_the_page_for_inviters_only(inviters):
    assert ("Invitations", reverse("joining:invitations")) in nav_items_for(inviters["carla"].user)
    assert reverse("joining:invitations") not in [url for _, url in nav_items_for(inviters["ana"].user)]


def test_a_trainer_sees_the_invitations_they_sent(invite, client, inviters):
    invite(email="cohort@example.org", by="tomas", district="New Haven")
    invite(email="carlas@example.org")
    client.force_login(inviters["tomas"].user)
    page = client.get(reverse("joining:invitations")).content.decode()
    assert "cohort@example.org" in page and "carlas@example.org" not in page
