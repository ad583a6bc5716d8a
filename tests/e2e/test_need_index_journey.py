"""State staff rank the districts by need (issue 16): they open the need index from their navigation (the
demo holds last school year's figures), upload the example district file for this school year, raise the
enrollment weight and see the ranking change (Hartford first, then Bridgeport), and each page passes axe."""

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def _order(page) -> list[str]:
    return page.locator("#need-ranking tbody th[scope='row']").all_inner_texts()


def test_state_staff_upload_the_district_file_change_a_weight_and_see_the_ranking_change(page):
    sign_in(page, "state")
    page.goto("/coordinators/")
    page.get_by_role("link", name="District need", exact=True).first.click()
    page.get_by_role("heading", name="How the index is computed").wait_for()
    assert len(_order(page)) == 15  # the demo's figures for last school year
    assert_accessible(page)

    page.get_by_role("link", name="Upload the district data file").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the example file (demo figures, CSV)").click()
    example = download.value.path()
    page.get_by_label("District data file (CSV)").set_input_files(example)
    year = page.get_by_label("School year").input_value()
    assert_accessible(page)
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("15 districts read: 15 added").wait_for()
    assert page.get_by_label("School year").input_value() == year
    assert _order(page)[:2] == ["Hartford", "Windham"]
    assert "moved it" in page.locator("#need-moves").inner_text()
    assert_accessible(page)

    page.get_by_label("Weight: Enrollment").fill("100")
    page.get_by_role("button", name="Show the ranking").click()
    page.wait_for_load_state()
    assert page.get_by_label("Weight: Enrollment").input_value() == "100"
    assert _order(page)[:3] == ["Bridgeport", "Hartford", "New Haven"]
    assert page.locator("#need-weights td[data-weight='enrollment']").inner_text() == "100"

    page.get_by_label("Weight: Enrollment").fill("-3")  # the browser's own check would stop this: go round it
    page.goto(page.url.replace("w_enrollment=100", "w_enrollment=-3"))
    assert "Write a number from 0 to 100" in page.locator("[role=alert]").inner_text()
    assert_accessible(page)
