"""Two Hartford visitors open their district's room; what one posts appears for the other without a
reload, and markup in a message is shown as text."""

import secrets

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def second_page(browser, hub_server):
    context = browser.new_context(base_url=hub_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def open_hartford_room(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Discussion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discussion")
    page.get_by_role("link", name="Hartford", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hartford")
    expect(page.locator("#discussion")).to_have_attribute("data-connection", "live")


def test_two_visitors_talk_live_in_the_hartford_room(page, second_page):
    ana, marcus = page, second_page
    sign_in(ana, "visitor")
    sign_in(marcus, "marcus")
    open_hartford_room(ana)
    assert_accessible(ana)
    open_hartford_room(marcus)
    room_url = marcus.url

    tip = f"What worked on a hard visit: a text the day before ({secrets.token_hex(3)})."
    ana.get_by_label("Your message").fill(tip)
    ana.get_by_role("button", name="Send").click()
    expect(marcus.get_by_role("log").get_by_text(tip)).to_be_visible()
    expect(ana.get_by_role("log").get_by_text(tip)).to_have_count(1)
    assert marcus.url == room_url  # no reload

    markup = f"<script>window.pwned = 1</script> <b>bold?</b> see https://example.org/leap {secrets.token_hex(2)}"
    marcus.get_by_label("Your message").fill(markup)
    marcus.get_by_role("button", name="Send").click()
    shown = ana.get_by_role("log").locator(".msg-body").filter(has_text="<script>window.pwned = 1</script>")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text("<b>bold?</b>")
    assert ana.evaluate("window.pwned") is None
    link = shown.get_by_role("link", name="https://example.org/leap")
    expect(link).to_have_attribute("rel", "noopener nofollow ugc")

    # The server rendering (after a reload) shows the same, as text.
    ana.reload()
    expect(ana.get_by_role("log").get_by_text(tip)).to_be_visible()
    expect(ana.get_by_role("log").locator(".msg-body").filter(has_text="<script>window.pwned")).to_have_count(1)
    assert_accessible(ana)
