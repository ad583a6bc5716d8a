"""The foundation's browser journey: the home page, signing in and out, the admin, keyboard use."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_home_page_loads_and_has_no_serious_accessibility_violations(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Home Visit Hub")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("LEAP 101").first).to_be_visible()
    assert_accessible(page)


def test_skip_link_is_the_first_tab_stop_and_is_visible_when_focused(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))  # the hash changes asynchronously: wait for it


def test_state_staff_signs_in_reaches_the_content_admin_and_signs_out(page):
    sign_in(page, "state")
    expect(page.get_by_text("Samira Okafor")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Edit the site")).to_be_visible()
    assert_accessible(page)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Site summary")).to_be_visible()
    page.goto("/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    expect(page.get_by_text("Samira Okafor")).to_have_count(0)


def test_wrong_password_says_so_and_signs_nobody_in(page):
    sign_in(page, "visitor", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    assert_accessible(page)


def test_visitor_is_refused_coordinator_and_admin_pages(page):
    sign_in(page, "visitor")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Districts")).to_have_count(0)
    expect(nav.get_by_role("link", name="Edit the site")).to_have_count(0)
    response = page.goto("/districts/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You can't open this page")
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.get_by_text("Burns Latino Studies Academy")).to_have_count(0)
