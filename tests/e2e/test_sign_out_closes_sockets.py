"""Signing out closes the sockets of every open page (issue 13): a visitor with the case board and a
discussion room open in their tabs signs out in another tab; both sockets close within 5 seconds, and a
case the coordinator then puts on the board never reaches the signed-out board."""

import pytest

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_visitor_signing_out_in_one_tab_closes_the_board_and_discussion_sockets_of_the_others(page, browser,
                                                                                                 hub_server):
    sign_in(page, "marcus")
    page.goto("/coordinators/board/")
    page.locator('#case-board[data-connection="live"]').wait_for(state="attached")
    cards_before = page.locator("li.case-card").count()
    room = page.context.new_page()
    room.goto("/discussion/district-hartford/")
    room.locator('#discussion[data-connection="live"]').wait_for(state="attached")

    third = page.context.new_page()
    third.goto("/me/")
    third.get_by_role("button", name="Sign out", exact=True).click()
    third.wait_for_load_state()

    # Within 5 seconds, without either page sending anything, both sockets are closed by the server.
    page.locator('#case-board[data-connection="closed"]').wait_for(state="attached", timeout=5_000)
    room.locator('#discussion[data-connection="closed"]').wait_for(state="attached", timeout=5_000)

    # Nothing more arrives: the coordinator puts a case on the board; the signed-out board never shows it.
    coordinator = browser.new_context(base_url=hub_server, viewport={"width": 390, "height": 844}).new_page()
    sign_in(coordinator, "coordinator")
    coordinator.goto("/coordinators/board/")
    choices = coordinator.locator("#open-case option[value]:not([value=''])")
    coordinator.locator("#open-case").select_option(choices.last.get_attribute("value"))
    coordinator.get_by_label("Note for volunteers").fill("After school works best.")
    coordinator.get_by_role("button", name="Put on the board").click()
    coordinator.get_by_text("The case is on the board.").wait_for()
    page.wait_for_timeout(2_000)
    assert page.locator("li.case-card").count() == cards_before
    assert page.locator('#case-board[data-connection="closed"]').count() == 1
    coordinator.context.close()
