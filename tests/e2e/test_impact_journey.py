"""State staff open the impact page, switch to a district and to one breakdown, and download the CSV
(issue 16). The demo's evaluation students (coordinators.demo) give the page figures to show."""

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_state_staff_read_the_impact_table_for_a_district_and_download_it(page):
    sign_in(page, "state")
    page.goto("/coordinators/dashboard/")
    page.get_by_role("link", name="See the impact table").click()
    page.get_by_role("heading", name="Does it make a difference? Attendance after the first visit in the state "
                                     "(all districts)").wait_for()
    overall = page.locator("#impact-overall tbody td[data-months='6']")
    assert "n=" in overall.inner_text()  # the demo's students: a figure, not "too few to show"
    assert page.get_by_role("img", name="Average attendance rate by month since the first visit").is_visible()
    assert_accessible(page)

    page.get_by_label("Scope", exact=True).select_option(label="District: Hartford")
    page.get_by_label("Breakdown", exact=True).select_option(label="Grade band")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Does it make a difference? Attendance after the first visit in Hartford").wait_for()
    table = page.get_by_role("table", name="Attendance change after the first visit by Grade band")
    assert table.is_visible()
    assert page.locator("table[data-breakdown='el']").count() == 0
    assert "6–8" in table.inner_text()
    assert page.get_by_text("This is an estimate, not a causal claim:").is_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these tables (CSV)").click()
    path = download.value.path()
    text = open(path, encoding="utf-8-sig").read()
    assert text.startswith("section,group,n_1m") and "Grade band" in text and "Where the first visit" not in text
