"""State staff open the fidelity page from the impact page, read a small multiple and its table, switch to a
district (its schools as rows), download the CSV and move a target (issue 16). axe on each view."""

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_state_staff_read_fidelity_for_a_district_download_it_and_move_a_target(page):
    sign_in(page, "state")
    page.goto("/coordinators/impact/")
    page.get_by_role("navigation", name="Coordinator pages").get_by_role("link", name="Fidelity").click()
    page.get_by_role("heading", name="Fidelity: is the program run as intended in the state (all districts)?").wait_for()
    assert page.get_by_role("img", name="Visits made in pairs by District").is_visible()
    summary = page.locator("#fidelity-summary tr[data-measure='pairs']")
    assert "%" in summary.inner_text() or "too few to show" in summary.inner_text()
    assert page.locator("table[data-measure='pairs'] tbody tr").count() > 1  # a row per district
    assert_accessible(page)

    page.get_by_label("Scope", exact=True).select_option(label="District: Hartford")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Fidelity: is the program run as intended in Hartford?").wait_for()
    assert page.get_by_role("img", name="Visits in person by School").is_visible()
    assert page.locator("table[data-measure='in_person'] tbody tr[data-unit^='school:']").count() >= 1
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the fidelity figures (CSV)").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.startswith("level,district,school,measure") and "Visits made in pairs" in text and "Hartford" in text

    target = page.get_by_label("Visits made in pairs (%, at least)")
    target.fill("75")
    page.get_by_role("button", name="Save the targets").click()
    page.get_by_text("The fidelity targets are saved.").wait_for()
    assert page.get_by_label("Visits made in pairs (%, at least)").input_value() == "75"
    assert "≥ 75%" in page.locator("#fidelity-summary tr[data-measure='pairs']").inner_text()
    assert_accessible(page)
