"""Following the link: a valid one makes the account and lands on LEAP 101; a used, expired, withdrawn or
altered one shows a clear page and changes nothing; an address with an account is offered a sign-in."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from hub.audit.models import AuditEntry
from hub.joining import services
from hub.joining.errors import LinkUnusable
from hub.joining.models import Invitation
from hub.roles import COORDINATOR, VISITOR, roles_of
from tests.joining.conftest import last_token

pytestmark = pytest.mark.django_db
PASSWORD = "kitchen-table-visits-42"
User = get_user_model()


def accept_post(client, token, **extra):
    data = {"name": "Lena Park", "language": "en", "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post(reverse("joining:accept", args=[token]), data)


def test_the_email_is_in_the_invitees_language_and_carries_an_absolute_single_use_link(invite, mailoutbox,
                                                                                       settings):
    invitation, token = invite(language="es", email="Marta.Diaz@Example.org ")
    message = mailoutbox[-1]
    assert message.to == ["marta.diaz@example.org"] and invitation.email == "marta.diaz@example.org"
    assert message.subject == "Está invitada o invitado al Home Visit Hub"
    assert "Hola" in message.body
    assert f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/join/{token}/" in message.body
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert translation.get_language() == "en"  # the override ended with the email


def test_a_valid_link_makes_one_account_with_the_invitations_role_district_and_school(invite, client, orgs):
    invitation, token = invite(organisation="Parkville Community School")
    page = client.get(reverse("joining:accept", args=[token]))
    assert page.status_code == 200 and "lena.park@example.org" in page.content.decode()
    response = accept_post(client, token, name="Lena M. Park", language="es")
    assert response.status_code == 302
    user = User.objects.get(email="lena.park@example.org")
    assert (user.first_name, user.last_name) == ("Lena", "M. Park")
    assert roles_of(user) == {VISITOR}
    assert user.person.home_district == orgs["Hartford"] and user.person.school.name == "Parkville Community School"
    assert user.check_password(PASSWORD)
    assert [lang.code for lang in user.person.languages.all()] == ["es"]
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.account == user and invitation.accepted_at
    assert client.session["_auth_user_id"] == str(user.pk)  # signed in
    assert response.cookies["django_language"].value == "es"
    entry = AuditEntry.objects.get(action="joining.accept")
    assert entry.district_id == orgs["Hartford"].pk and "role Visitor" in entry.detail


def test_the_new_person_lands_on_leap_101(invite, client, home_page):
    from tests.courses.conftest import build_course

    course = build_course(home_page, None, modules=1)
    _, token = invite()
    response = accept_post(client, token)
    assert response["Location"] == course.url
    page = client.get(course.url)
    assert page.status_code == 200 and "LEAP-101 course" in page.content.decode()


@pytest.mark.parametrize("password", ["short", "password", "12345678901", "lena.park@example.org"])
def test_django_password_validators_refuse_weak_passwords_and_nothing_is_made(invite, client, password):
    _, token = invite()
    response = accept_post(client, token, password1=password, password2=password)
    assert response.status_code == 400
    assert not User.objects.filter(email="lena.park@example.org").exists()
    assert Invitation.objects.get().state == "pending"


def test_the_two_passwords_must_match(invite, client):
    _, token = invite()
    response = accept_post(client, token, password2=PASSWORD + "x")
    assert response.status_code == 400 and "not the same" in response.content.decode()
    assert not User.objects.filter(email="lena.park@example.org").exists()


def _used(invite, client):
    _, token = invite()
    accept_post(client, token)
    client.logout()
    return token


def _expired(invite, client):
    invitation, token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    return token


def _withdrawn(invite, client):
    invitation, token = invite()
    services.invitation_withdraw(invitation=invitation, by=invitation.invited_by)
    return token


def _altered(invite, client):
    _, token = invite()
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _replaced_by_resend(invite, client):
    invitation, token = invite()
    services.invitation_resend(invitation=invitation, by=invitation.invited_by)
    return token


@pytest.mark.parametrize(("make", "status", "words"), [
    (_used, 410, "accepted already"), (_expired, 410, "has expired"), (_withdrawn, 410, "was withdrawn"),
    (_altered, 404, "does not open an invitation"), (_replaced_by_resend, 404, "does not open an invitation"),
])
def test_an_unusable_link_shows_why_and_changes_nothing(invite, client, make, status, words):
    token = make(invite, client)
    users, invitations = User.objects.count(), list(Invitation.objects.values())
    for response in (client.get(reverse("joining:accept", args=[token])), accept_post(client, token)):
        assert response.status_code == status
        assert words in response.content.decode()
    assert User.objects.count() == users and list(Invitation.objects.values()) == invitations


@pytest.mark.parametrize("token", ["x", "a" * 101, "%00", "<script>alert(1)</script>"])
def test_a_malformed_token_is_a_clear_404(client, db, token):
    response = client.get(f"/join/{token}/")
    assert response.status_code == 404
    assert "<script>alert" not in response.content.decode()


def test_resend_makes_a_new_link_and_a_new_expiry_and_counts_the_send(invite, mailoutbox, send):
    invitation, old = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    with send():
        services.invitation_resend(invitation=invitation, by=invitation.invited_by)
    new = last_token(mailoutbox, invitation.email)
    invitation.refresh_from_db()
    assert new != old and invitation.send_count == 2 and invitation.expires_at > timezone.now()
    assert services.invitation_for_token(new) == invitation
    with pytest.raises(LinkUnusable):
        services.invitation_for_token(old)


def test_an_address_that_got_an_account_meanwhile_is_offered_a_sign_in_not_a_second_account(
        invite, make_person, client, orgs):
    invitation, token = invite(email="marcus@example.org")
    make_person("marcus", roles=(VISITOR,), home_district=orgs["Hartford"])  # marcus@example.org
    page = client.get(reverse("joining:accept", args=[token])).content.decode()
    assert "Sign in to accept" in page
    response = accept_post(client, token)
    assert response.status_code == 400
    assert User.objects.filter(email__iexact="marcus@example.org").count() == 1
    assert Invitation.objects.get().state == "pending"


def test_signed_in_as_that_address_accepting_links_the_invitation_and_adds_the_role(
        invite, make_person, client, orgs):
    invitation, token = invite(email="marcus@example.org", by="samira", role=COORDINATOR)
    marcus = make_person("marcus", roles=(VISITOR,), home_district=orgs["Hartford"])
    client.force_login(marcus.user)
    assert "Accept with this account" in client.get(reverse("joining:accept", args=[token])).content.decode()
    client.post(reverse("joining:accept", args=[token]))
    marcus.user.refresh_from_db()
    assert roles_of(User.objects.get(pk=marcus.user.pk)) == {VISITOR, COORDINATOR}
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.account == marcus.user
    assert User.objects.filter(email__iexact="marcus@example.org").count() == 1


def test_signed_in_as_someone_else_the_link_does_nothing(invite, inviters, client):
    _, token = invite()
    client.force_login(inviters["ana"].user)
    page = client.get(reverse("joining:accept", args=[token])).content.decode()
    assert "sent to another email address" in page
    client.post(reverse("joining:accept", args=[token]))
    assert Invitation.objects.get().state == "pending"
    assert roles_of(User.objects.get(pk=inviters["ana"].user.pk)) == {VISITOR}


def test_inviting_an_address_with_an_account_is_refused_as_having_one(inviters, orgs):
    from hub.joining.errors import HasAccount

    with pytest.raises(HasAccount, match="already has an account"):
        services.invitation_create(by=inviters["carla"].user, data=services.InvitationData(
            email="ANA@example.org", name="Ana", role=VISITOR, district=orgs["Hartford"]))
    assert not Invitation.objects.exists()


def test_a_second_invitation_for_a_pending_address_is_refused(invite):
    from hub.joining.errors import AlreadyInvited

    invite()
    with pytest.raises(AlreadyInvited):
        invite(email="LENA.PARK@example.org")
    assert Invitation.objects.count() == 1


@pytest.mark.real_two_factor
def test_a_new_coordinator_must_set_up_two_step_sign_in_before_anything_else(invite, client):
    _, token = invite(by="samira", role=COORDINATOR, email="new.coord@example.org")
    response = accept_post(client, token)
    follow = client.get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith(reverse("twofactor:setup"))
    assert client.get(reverse("joining:invitations")).status_code == 302


@pytest.mark.real_two_factor
def test_a_new_visitor_is_not_asked_for_a_second_step(invite, client, home_page):
    from tests.courses.conftest import build_course

    course = build_course(home_page, None, modules=1)
    _, token = invite()
    accept_post(client, token)
    assert client.get(course.url).status_code == 200
