"""Single sign-on against a real OpenID Connect provider: django-oauth-toolkit in a second process
(tests/oidc_provider), a Hub daphne process configured for it by environment, and `requests` following
the real redirects between the two (the Hub fetches the provider's discovery document, keys and tokens
server-side). No mock of the provider anywhere."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.oidc_provider.process import Provider
from tests.support import Daphne, manage, server_env

PROVIDER_ID = "school"
PROVIDER_USERS = [
    ["ana", "Visitor@demo.homevisithub.org", "Ana", "Ruiz"],  # the demo visitor (case differs on purpose)
    ["tomas", "trainer@demo.homevisithub.org", "Tomás", "Rivera"],  # the demo trainer: staff, two-step
    ["stranger", "stranger@school.example", "Sam", "Stranger"],  # no account, no invitation
    ["unverified", "visitor2@demo.homevisithub.org", "Una", "Unverified"],  # email_verified: false
    ["newcomer", "newcomer@school.example", "Nia", "Newcomer"],  # invited below
    ["other", "other@school.example", "Otto", "Other"],  # not the invitation's address
]
SETUP = """
from hub.joining import services
from hub.joining.models import Invitation
from hub.joining.selectors import landing_url
from hub.models import District
from hub.roles import VISITOR
from django.contrib.auth import get_user_model
User = get_user_model()
User.objects.filter(username="marcus").update(email="visitor2@demo.homevisithub.org")
state = User.objects.get(username="state")
invitation = services.invitation_create(by=state, data=services.InvitationData(
    email="newcomer@school.example", name="Nia Newcomer", role=VISITOR, district=District.objects.get(name="Hartford")))
token, hashed = services._new_token()
Invitation.objects.filter(pk=invitation.pk).update(token_hash=hashed)
print("SETUP " + json.dumps({"token": token, "landing": landing_url(), "users": User.objects.count()}))
"""


@pytest.fixture(scope="module")
def sso(database_templates, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sso")
    url, drop = database_templates.copy(seeded=True)
    hub = Daphne(env={})
    provider = Provider(folder, hub_url=hub.url, provider_id=PROVIDER_ID, users=PROVIDER_USERS)
    hub.env = server_env(url, HUB_ALLOW_DEMO_DATA="1", **provider.hub_env())
    out = manage("shell", "-c", "import json\n" + SETUP, env=hub.env).stdout
    setup = json.loads(re.search(r"^SETUP (.*)$", out, re.M).group(1))
    hub.start()
    try:
        yield {"hub": hub, "provider": provider, **setup}
    finally:
        hub.stop()
        provider.stop()
        drop()


def csrf(session, hub, path="/accounts/login/") -> tuple[str, str]:
    page = session.get(hub.url + path)
    assert page.status_code == 200, page.text[:500]
    return page.text, session.cookies.get("csrftoken", domain="127.0.0.1") or session.cookies["csrftoken"]


def sso_sign_in(sso, person: str, *, start: str = "/accounts/login/", action: str | None = None):
    """Press "Sign in with Test School" on `start`, sign in at the provider as `person`, follow the
    redirects back. Returns the last response (redirects followed) and the session."""
    hub, provider = sso["hub"], sso["provider"]
    session = requests.Session()
    page, token = csrf(session, hub, start)
    action = action or f"/accounts/oidc/{PROVIDER_ID}/login/"
    assert f'action="{action}"' in page, "the sign-in button is on the page"
    to_provider = session.post(hub.url + action, data={"csrfmiddlewaretoken": token, "process": "login"},
                               headers={"Referer": hub.url + start}, allow_redirects=False)
    assert to_provider.status_code == 302, to_provider.text[:500]
    authorize = to_provider.headers["Location"]
    assert authorize.startswith(provider.url + "/o/authorize/")
    session.get(f"{provider.url}/sign-in/", params={"as": person}, allow_redirects=False)
    back = session.get(authorize, allow_redirects=False)  # the provider answers with the Hub's callback
    assert back.status_code == 302 and back.headers["Location"].startswith(hub.url), back.text[:500]
    return session.get(back.headers["Location"]), session, back.headers["Location"]


def user_count(sso) -> int:
    out = manage("shell", "-c", "from django.contrib.auth import get_user_model; "
                 "print('COUNT', get_user_model().objects.count())", env=sso["hub"].env).stdout
    return int(re.search(r"COUNT (\d+)", out).group(1))


def profile_of(session, sso) -> requests.Response:
    return session.get(sso["hub"].url + "/me/", allow_redirects=False)


def test_the_sign_in_page_shows_one_button_for_the_configured_provider(sso):
    page = requests.get(sso["hub"].url + "/accounts/login/").text
    assert page.count("Sign in with Test School") == 1
    assert 'name="password"' in page  # the Hub's own sign-in stays


def test_a_known_verified_email_signs_in_to_that_account(sso):
    landed, session, _ = sso_sign_in(sso, "ana")
    assert landed.status_code == 200
    profile = profile_of(session, sso)
    assert profile.status_code == 200 and "Ana Ruiz" in profile.text  # signed in as the demo visitor


def test_an_unknown_email_is_refused_with_ask_your_coordinator_and_no_account_is_made(sso):
    before = user_count(sso)
    landed, session, _ = sso_sign_in(sso, "stranger")
    assert landed.status_code == 403
    assert "Ask your coordinator" in landed.text and "stranger@school.example" in landed.text
    assert profile_of(session, sso).status_code == 302  # not signed in
    assert user_count(sso) == before


def test_an_email_the_provider_marks_unverified_is_refused(sso):
    landed, session, _ = sso_sign_in(sso, "unverified")
    assert landed.status_code == 403 and "did not confirm your email address" in landed.text
    assert profile_of(session, sso).status_code == 302


def test_a_forged_state_is_refused_and_a_replayed_one_too(sso):
    hub = sso["hub"]
    landed, session, callback = sso_sign_in(sso, "ana")
    assert landed.status_code == 200
    # The same callback again (the state was used): refused, whoever sends it.
    replay = requests.get(callback)
    assert replay.status_code == 400 and "did not complete" in replay.text
    # A state the Hub never issued, with a real code from the provider.
    parts = parse_qs(urlsplit(callback).query)
    forged = requests.Session()
    resp = forged.get(f"{hub.url}/accounts/oidc/{PROVIDER_ID}/login/callback/",
                      params={"code": parts["code"][0], "state": "forged-state-123"})
    assert resp.status_code == 400 and "nothing was changed" in resp.text
    assert profile_of(forged, sso).status_code == 302


def test_a_provider_error_is_a_clear_page(sso):
    resp = requests.get(f"{sso['hub'].url}/accounts/oidc/{PROVIDER_ID}/login/callback/",
                        params={"error": "access_denied", "state": "x"})
    assert resp.status_code == 400 and "did not complete" in resp.text


def test_an_unconfigured_provider_answers_404(sso):
    session = requests.Session()
    _page, token = csrf(session, sso["hub"])
    resp = session.post(sso["hub"].url + "/accounts/oidc/google/login/", data={"csrfmiddlewaretoken": token},
                        headers={"Referer": sso["hub"].url + "/accounts/login/"})
    assert resp.status_code == 404


def test_staff_still_give_the_hubs_second_step_after_single_sign_on(sso):
    landed, session, _ = sso_sign_in(sso, "tomas")
    assert "/accounts/two-step/" in landed.url  # the trainer is sent to the second step
    for path in ("/me/", "/join/invitations/", "/admin/"):
        resp = session.get(sso["hub"].url + path, allow_redirects=False)
        assert resp.status_code == 302 and "/accounts/two-step/" in resp.headers["Location"], path


def test_an_invitation_is_accepted_by_single_sign_on_with_its_address(sso):
    token = sso["token"]
    start = f"/join/{token}/"
    # Another address at the provider: refused, the invitation stays pending.
    landed, _session, _ = sso_sign_in(sso, "other", start=start, action=f"/join/{token}/sso/{PROVIDER_ID}/")
    assert landed.status_code == 403 and "newcomer@school.example" in landed.text
    before = user_count(sso)
    landed, session, _ = sso_sign_in(sso, "newcomer", start=start, action=f"/join/{token}/sso/{PROVIDER_ID}/")
    assert landed.status_code == 200
    assert urlsplit(landed.url).path == sso["landing"]  # LEAP 101
    assert user_count(sso) == before + 1
    profile = profile_of(session, sso)
    assert profile.status_code == 200 and "Nia Newcomer" in profile.text and "Hartford" in profile.text
    again = requests.get(sso["hub"].url + start)
    assert again.status_code == 410  # the link is used
