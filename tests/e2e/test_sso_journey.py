"""Single sign-on in chromium: an invited newcomer opens their invitation, presses "Sign in with Test
School", signs in at the school's provider (a real OpenID Connect provider in its own process,
tests/oidc_provider) and starts on LEAP 101; the demo visitor signs in from the sign-in page the same way.
No Content-Security-Policy violation on the way (the button posts to the Hub, which redirects to the
provider: form-action must allow it)."""

import json
import re

import pytest

from tests.e2e.conftest import assert_accessible, csp_violations_record
from tests.oidc_provider.process import Provider
from tests.support import Daphne, manage, server_env

pytestmark = pytest.mark.browser
USERS = [["ana", "visitor@demo.homevisithub.org", "Ana", "Ruiz"],
         ["nia", "nia.newcomer@hartford.example.org", "Nia", "Newcomer"]]
SETUP = """
import json
from django.contrib.auth import get_user_model
from hub.joining import services
from hub.joining.models import Invitation
from hub.models import District
from hub.roles import VISITOR
invitation = services.invitation_create(by=get_user_model().objects.get(username="coordinator"),
    data=services.InvitationData(email="nia.newcomer@hartford.example.org", name="Nia Newcomer", role=VISITOR,
                                 district=District.objects.get(name="Hartford")))
token, hashed = services._new_token()
Invitation.objects.filter(pk=invitation.pk).update(token_hash=hashed)
print("TOKEN " + token)
"""


@pytest.fixture(scope="module")
def sso_server(database_templates, hub_env, tmp_path_factory):  # hub_env: skips where the journeys do not run
    url, drop = database_templates.copy(seeded=True)
    hub = Daphne(env={})
    provider = Provider(tmp_path_factory.mktemp("sso-e2e"), hub_url=hub.url, provider_id="school", users=USERS)
    hub.env = server_env(url, SERVE_STATIC="1", HUB_ALLOW_DEMO_DATA="1", **provider.hub_env())
    hub.token = re.search(r"^TOKEN (\S+)$", manage("shell", "-c", SETUP, env=hub.env).stdout, re.M).group(1)
    hub.start()
    yield hub
    hub.stop()
    provider.stop()
    drop()


@pytest.fixture
def sso_page(browser, sso_server):
    context = browser.new_context(base_url=sso_server.url, viewport={"width": 390, "height": 844})
    violations = csp_violations_record(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not violations, json.dumps(violations, indent=1)


def at_the_provider_as(page, username: str) -> None:
    page.get_by_role("heading", name="Test School").wait_for()
    page.get_by_label("School user name").fill(username)
    page.get_by_role("button", name="Sign in").click()


def test_an_invited_newcomer_joins_with_their_school_account_and_starts_on_leap_101(sso_page, sso_server):
    page = sso_page
    page.goto(f"/join/{sso_server.token}/")
    button = page.get_by_role("button", name="Sign in with Test School")
    assert_accessible(page)
    button.click()
    at_the_provider_as(page, "nia")
    page.get_by_role("heading", name=re.compile("LEAP 101")).first.wait_for()
    assert "/courses/" in page.url
    assert "You sign in with your school account" in page.content()
    page.goto("/me/")
    assert "Nia Newcomer" in page.get_by_role("main").inner_text()


def test_the_demo_visitor_signs_in_from_the_sign_in_page_with_their_school_account(sso_page):
    page = sso_page
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with Test School").click()
    at_the_provider_as(page, "ana")
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/me/")
    assert "Ana Ruiz" in page.get_by_role("main").inner_text()
