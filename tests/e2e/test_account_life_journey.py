"""Account life in the browser: Hartford's coordinator marks a visitor as moved to New Haven; New Haven's
coordinator sees her under "People moving to your district", accepts, and she is on New Haven's roster
(and no longer on Hartford's). The demo starts with Fatima's move waiting (hub/membership/demo.py): the
journey withdraws it first, then asks again through the page."""

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_a_visitor_moved_by_one_coordinator_and_accepted_by_the_other_is_on_the_new_roster(page, browser,
                                                                                           hub_server):
    sign_in(page, "coordinator")
    page.get_by_role("link", name="Your visitors").first.click()
    page.get_by_role("heading", level=1, name="Your visitors").wait_for()
    row = page.locator("#visitors tr", has_text="Fatima Haddad")
    assert "Moving to New Haven" in row.inner_text()
    assert_accessible(page)
    row.get_by_role("button", name="Withdraw the move Fatima Haddad").click()
    page.get_by_text("The move of Fatima Haddad to New Haven is withdrawn.").wait_for()

    row = page.locator("#visitors tr", has_text="Fatima Haddad")
    row.get_by_label("District Fatima Haddad moved to").select_option(label="New Haven")
    row.get_by_role("button", name="Move Fatima Haddad").click()
    page.get_by_text("Fatima Haddad is moving to New Haven; they stay here until a coordinator there accepts.") \
        .wait_for()
    assert "Moving to New Haven" in page.locator("#visitors tr", has_text="Fatima Haddad").inner_text()
    page.goto("/coordinators/")
    assert page.get_by_text("Fatima Haddad").count() >= 1  # still Hartford's until New Haven accepts

    other = browser.new_context(base_url=hub_server, viewport={"width": 1280, "height": 900})
    nh = other.new_page()
    nh.set_default_timeout(15_000)
    try:
        sign_in(nh, "coordinator.nh")
        nh.goto("/people/")
        nh.get_by_role("link", name="People moving to your district").first.click()
        move = nh.locator("#incoming-moves tr", has_text="Fatima Haddad")
        assert "Hartford" in move.inner_text() and "Carla Mendes" in move.inner_text()
        assert_accessible(nh)
        move.get_by_role("button", name="Accept Fatima Haddad").click()
        nh.get_by_text("Fatima Haddad now belongs to New Haven.").wait_for()
        assert nh.get_by_text("Nobody is waiting to move to your district.").is_visible()

        nh.goto("/coordinators/")
        nh.get_by_text("Fatima Haddad").first.wait_for()
        nh.goto("/people/")
        assert nh.locator("#visitors tr", has_text="Fatima Haddad").count() == 1
    finally:
        other.close()

    page.goto("/coordinators/")
    assert page.get_by_text("Fatima Haddad").count() == 0
    page.goto("/people/")
    assert page.locator("#visitors tr", has_text="Fatima Haddad").count() == 0
    assert "moved to New Haven" in page.locator("#recent-departures").inner_text()
