"""A coordinator signs in with a password, is asked for a code from an authenticator app, enters it and
reaches the roster; a wrong code is refused first and changes nothing."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, assert_accessible, complete_two_step

pytestmark = pytest.mark.browser


def test_coordinator_passes_the_two_step_page_and_reaches_the_roster(page):
    page.goto("/coordinators/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/accounts/two-step/\?next=%2Fcoordinators%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    assert_accessible(page)

    page.get_by_label("Code from your authenticator app").fill("12345x")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#id_otp_token_error")).to_contain_text("Enter the 6-digit code")
    page.goto("/coordinators/")  # still not signed in for anything else
    expect(page).to_have_url(re.compile(r"/accounts/two-step/"))

    complete_two_step(page)
    expect(page).to_have_url(re.compile(r"/coordinators/$"))
    expect(page.get_by_role("heading", name="Who is trained")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Ana Ruiz"))).to_be_visible()
