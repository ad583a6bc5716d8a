"""A Hartford coordinator opens the outbox from the navigation, finds the reminder to Ana that failed
(the demo's), filters by state and sends it again; the page passes axe."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_a_coordinator_sends_a_failed_message_again(page):
    sign_in(page, "coordinator")
    page.get_by_role("link", name="Outbox").first.click()
    page.get_by_role("heading", name="Outbox").wait_for()
    assert_accessible(page)

    page.get_by_label("State").select_option("failed")
    page.get_by_role("button", name="Show").click()
    failed = page.get_by_role("row", name=re.compile("Tomorrow: LEAP 101 live practice"))
    assert "Failed" in failed.inner_text() and "Ana Ruiz, Hartford" in failed.inner_text()
    assert "New Haven" not in page.locator("tbody").inner_text()  # only her district's people

    failed.get_by_role("button", name="Send again").click()
    page.get_by_text("The message is queued again").wait_for()
    assert_accessible(page)
    page.get_by_label("State").select_option("queued")
    page.get_by_role("button", name="Show").click()
    again = page.get_by_role("row", name=re.compile("Tomorrow: LEAP 101 live practice"))
    assert "Queued" in again.first.inner_text()
