"""Single sign-on's rule (hub.joining.services.sso_account_for) and its switches: who a verified address
opens, who is refused and that a refusal writes nothing; buttons and allauth's URLs only when a provider
is configured by environment. The full flow against a real provider: tests/integration/test_sso.py."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from hub.joining import selectors, services
from hub.joining.errors import LinkUnusable, SsoRefused
from hub.joining.models import SSO_INVITED, SSO_UNKNOWN, SSO_UNVERIFIED, SSO_WRONG_INVITATION, Invitation
from hub.roles import VISITOR, roles_of

pytestmark = pytest.mark.django_db
User = get_user_model()
SCHOOL = {"provider_id": "school", "name": "Test School", "client_id": "c", "secret": "s",
          "settings": {"server_url": "http://127.0.0.1:9/o"}}


def test_a_verified_address_opens_the_account_that_uses_it_whatever_its_case(inviters):
    assert services.sso_account_for(email=" ANA@Example.org", verified=True) == inviters["ana"].user


def test_an_unverified_address_is_refused_even_when_an_account_uses_it(inviters):
    with pytest.raises(SsoRefused) as refused:
        services.sso_account_for(email="ana@example.org", verified=False)
    assert refused.value.reason == SSO_UNVERIFIED


def test_an_unknown_address_is_told_to_ask_the_coordinator_and_no_account_is_made(inviters):
    before = User.objects.count()
    with pytest.raises(SsoRefused) as refused:
        services.sso_account_for(email="stranger@school.example", verified=True)
    assert refused.value.reason == SSO_UNKNOWN and "ask your coordinator" in str(refused.value)
    assert User.objects.count() == before


def test_a_switched_off_account_is_refused(inviters):
    User.objects.filter(pk=inviters["ana"].user.pk).update(is_active=False)
    with pytest.raises(SsoRefused) as refused:
        services.sso_account_for(email="ana@example.org", verified=True)
    assert "switched off" in str(refused.value)


def test_an_invited_address_without_the_link_is_sent_to_its_invitation(invite):
    invite("lena.park@example.org")
    with pytest.raises(SsoRefused) as refused:
        services.sso_account_for(email="lena.park@example.org", verified=True)
    assert refused.value.reason == SSO_INVITED
    assert not User.objects.filter(email="lena.park@example.org").exists()


def test_the_invitations_link_makes_the_account_without_a_password_and_accepts_it(invite, orgs):
    invitation, token = invite("lena.park@example.org")
    user = services.sso_account_for(email="Lena.Park@example.org", verified=True, invitation_token=token,
                                    name="Lena Park")
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED and invitation.account == user
    assert roles_of(user) == {VISITOR} and user.person.home_district == orgs["Hartford"]
    assert not user.has_usable_password()  # signs in through the provider only
    with pytest.raises(LinkUnusable):  # the link is used now
        services.sso_account_for(email="lena.park@example.org", verified=True, invitation_token=token)


def test_an_invitation_to_another_address_is_refused_and_stays_pending(invite):
    invitation, token = invite("lena.park@example.org")
    with pytest.raises(SsoRefused) as refused:
        services.sso_account_for(email="someone.else@example.org", verified=True, invitation_token=token)
    assert refused.value.reason == SSO_WRONG_INVITATION
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING
    assert not User.objects.filter(email="someone.else@example.org").exists()


def test_an_invitation_to_an_address_with_an_account_adds_its_role_to_that_account(invite, make_person):
    from hub.roles import TRAINER

    invitation, token = invite("lena.park@example.org", by="tomas", role=TRAINER, district=None)
    lena = make_person("lena.park").user  # made in the admin after the invitation went out
    user = services.sso_account_for(email="lena.park@example.org", verified=True, invitation_token=token)
    assert user == lena and TRAINER in roles_of(user)
    assert User.objects.filter(email__iexact="lena.park@example.org").count() == 1


def test_entra_id_vouches_for_an_address_with_its_domain_verified_claim():
    assert selectors.sso_email_verified(provider_id="entra", claims={"xms_edov": True}, verified=False)
    assert not selectors.sso_email_verified(provider_id="entra", claims={}, verified=False)
    assert not selectors.sso_email_verified(provider_id="school", claims={"xms_edov": True}, verified=False)


def test_with_no_provider_configured_there_is_no_button_and_allauths_pages_answer_404(client, settings):
    settings.SSO_APPS = []
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page
    assert client.post("/accounts/oidc/google/login/").status_code == 404
    for path in ("/accounts/signup/", "/accounts/3rdparty/", "/accounts/3rdparty/signup/", "/accounts/email/",
                 "/accounts/password/set/"):
        assert client.get(path).status_code == 404, path


def test_each_configured_provider_gets_one_button_on_the_sign_in_and_invitation_pages(client, settings, invite):
    settings.SSO_APPS = [SCHOOL, {**SCHOOL, "provider_id": "entra", "name": "Microsoft"}]
    page = client.get(reverse("login")).content.decode()
    assert page.count("Sign in with Test School") == 1 and page.count("Sign in with Microsoft") == 1
    assert 'action="/accounts/oidc/school/login/"' in page
    _invitation, token = invite("lena.park@example.org")
    page = client.get(reverse("joining:accept", args=[token])).content.decode()
    assert f'action="/join/{token}/sso/school/"' in page and 'name="password1"' in page


def test_providers_come_from_the_environment_and_are_off_when_unset(monkeypatch):
    from hub.settings import base
    from hub.settings.env import ConfigError

    for name in ("HUB_SSO_GOOGLE_CLIENT_ID", "HUB_SSO_ENTRA_CLIENT_ID", "HUB_SSO_OIDC_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    assert base._sso_apps() == []
    monkeypatch.setenv("HUB_SSO_GOOGLE_CLIENT_ID", "g-id")
    monkeypatch.setenv("HUB_SSO_GOOGLE_DOMAIN", "schools.example")
    monkeypatch.setenv("HUB_SSO_ENTRA_CLIENT_ID", "e-id")
    monkeypatch.setenv("HUB_SSO_ENTRA_TENANT", "common")
    with pytest.raises(ConfigError, match="single tenant"):
        base._sso_apps()
    monkeypatch.setenv("HUB_SSO_ENTRA_TENANT", "0000-tenant")
    apps = {app["provider_id"]: app for app in base._sso_apps()}
    assert apps["google"]["settings"] == {"server_url": "https://accounts.google.com",
                                          "auth_params": {"hd": "schools.example"}}
    assert apps["entra"]["settings"]["server_url"] == "https://login.microsoftonline.com/0000-tenant/v2.0"
