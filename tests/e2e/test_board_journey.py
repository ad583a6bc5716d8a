"""The live case board in the browser: a case a coordinator puts on the board in one tab appears in
another tab over the socket, and a visitor's volunteering updates it, each time as exactly the card the
server renders for that case (one include, coordinators/includes/case_card.html, for both); the pushed
card's forms post like the server's."""

import re

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, assert_accessible, csp_violations_record, sign_in

pytestmark = pytest.mark.browser

# The card as a tree of [tag, sorted attributes, children…], text collapsed; whitespace-only text and
# the per-response CSRF token left out. Both cards are read in the page: the live one from the document,
# the server's from the board's HTML fetched again (parsed by DOMParser, which runs no script).
OUTLINE = """
([html, caseId]) => {
  function outline(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent.replace(/\\s+/g, " ").trim();
      return text || null;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) { return null; }
    const csrf = node.getAttribute("name") === "csrfmiddlewaretoken";
    const attrs = Array.from(node.attributes)
      .filter((a) => !(csrf && a.name === "value"))
      .map((a) => a.name + "=" + a.value).sort();
    const children = Array.from(node.childNodes).map(outline).filter((c) => c !== null);
    return [node.tagName.toLowerCase(), attrs, ...children];
  }
  const selector = 'li.case-card[data-case="' + caseId + '"]';
  const server = new DOMParser().parseFromString(html, "text/html").querySelector(selector);
  const live = document.querySelector(selector);
  return {server: server && outline(server), live: live && outline(live)};
}
"""


def cards(page, case_id: str) -> dict:
    html = page.request.get(page.url).text()
    return page.evaluate(OUTLINE, [html, case_id])


def test_a_card_pushed_over_the_socket_is_the_card_the_server_renders(page):
    sign_in(page, "coordinator")
    page.goto("/coordinators/board/")
    board = page.locator("#case-board")
    board.locator("[data-board-empty]").wait_for()  # the demo board starts empty
    page.locator('#case-board[data-connection="live"]').wait_for(state="attached")  # the snapshot is in

    # Another tab of the same coordinator puts a case on the board through the plain form.
    other = page.context.new_page()
    other.goto(page.url)
    choice = other.locator("#open-case option").filter(has_not_text="Sofia M.").first
    case_id = choice.get_attribute("value")
    other.locator("#open-case").select_option(case_id)
    other.get_by_label("Note for volunteers").fill("Mornings are best; the family speaks Portuguese.")
    other.get_by_role("button", name="Put on the board").click()
    other.get_by_text("The case is on the board.").wait_for()
    other.close()

    card = board.locator(f'li.case-card[data-case="{case_id}"]')
    card.wait_for()
    assert board.locator("[data-board-empty]").is_hidden()
    assert board.locator("[data-board-count]").inner_text() == "1"
    found = cards(page, case_id)
    assert found["server"] and found["live"] == found["server"]
    assert re.fullmatch(rf"Case {case_id} · .+ · .+", card.get_by_role("heading", level=3).inner_text())
    assert "Mornings are best" in card.inner_text() and "No volunteers yet." in card.inner_text()
    buttons = card.get_by_role("button")
    assert [buttons.nth(i).get_attribute("class") for i in range(buttons.count())] == [
        "button button-small", "button button-secondary button-small"]
    card.get_by_role("button", name=f"Assign case {case_id}").wait_for()
    assert_accessible(page)

    # A visitor volunteers with a named pair, from their own browser: the coordinator's card follows.
    visitor = page.context.browser.new_context(base_url=page.url.split("/coordinators/")[0],
                                               viewport={"width": 390, "height": 844})
    violations = csp_violations_record(visitor)
    marcus = visitor.new_page()
    sign_in(marcus, "marcus", DEMO_PASSWORD)
    marcus.goto("/coordinators/board/")
    marcus.locator('#case-board[data-connection="live"]').wait_for(state="attached")
    mine = marcus.locator(f'li.case-card[data-case="{case_id}"]')
    mine.get_by_label("Your pair (optional)").select_option(label="Luis Ortega")
    mine.get_by_role("button", name=f"Volunteer for case {case_id}").click()
    marcus.get_by_text("Thank you: you volunteered.").wait_for()
    visitor.close()
    assert not violations, violations

    card.locator(".volunteer-list li").wait_for()
    assert card.locator(".volunteer-list").inner_text().strip() == "Marcus Bell (with Luis Ortega)"
    found = cards(page, case_id)
    assert found["server"] and found["live"] == found["server"]
    first = card.get_by_label("First visitor")
    assert first.locator("option").all_inner_texts() == ["Choose…", "Marcus Bell", "Luis Ortega (named pair)"]

    # The pushed card's forms post like the server's: take the case off the board again.
    card.get_by_role("button", name=f"Take off the board (case {case_id})").click()
    page.get_by_text("The case is off the board.").wait_for()
    assert page.locator(f'li.case-card[data-case="{case_id}"]').count() == 0
    board.locator("[data-board-empty]").wait_for()
