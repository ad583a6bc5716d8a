"""A Hartford coordinator imports a case file with a bad row: the form sends her to the import's page,
whose progress bar (moved by a static script polling the job's status, no reload) reaches the end; the
page then shows the row that was not imported and why. Both states of the page pass axe, and the
import is listed under "My recent jobs". A real task worker runs the import beside the Hub's daphne."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, sign_in
from tests.support import TaskWorker

pytestmark = pytest.mark.browser

HEADER = "student_id,first_name,last_initial,grade,school,home_language,days_enrolled,days_absent,referral_reason\n"
GOOD = 4000


@pytest.fixture(scope="module")
def worker(hub_env):
    worker = TaskWorker(hub_env, "jobs-journey")
    yield worker
    worker.stop()


def test_a_coordinator_watches_a_case_import_reach_the_end_and_sees_the_row_error(page, worker):
    rows = "".join(f"E2E-{i},Maya,L,4,Parkville Community School,Spanish,50,8,Mornings\n" for i in range(GOOD))
    bad = "E2E-BAD,Leo,Lopez,3,Parkville Community School,English,50,8,\n"  # two letters for an initial
    sign_in(page, "coordinator")
    page.goto("/coordinators/cases/")
    page.get_by_role("link", name="Import cases (CSV)").click()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "cases.csv", "mimeType": "text/csv", "buffer": (HEADER + rows + bad).encode()}])
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    job_url = page.url
    page.get_by_role("heading", name="Import of student cases").wait_for()
    assert_accessible(page)

    # The script reloads the page once the job is done: the result appears without anyone reloading.
    result = page.get_by_role("region", name="Result")
    result.wait_for(timeout=60_000)
    bar = page.locator("progress#job-progress")
    assert bar.get_attribute("max") == bar.get_attribute("value") == str(GOOD + 1)
    assert f"{GOOD + 1:,} of {GOOD + 1:,} rows, 1 error" in page.locator("#job-progress-label").inner_text()
    assert f"{GOOD:,} added" in result.get_by_role("status").inner_text()
    errors = page.get_by_role("table", name="Rows not imported")
    assert re.search(rf"{GOOD + 2}\s+Give only the last initial", errors.inner_text())
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="My recent jobs").click()
    row = page.get_by_role("row", name=re.compile(r"Import of student cases \(cases\.csv\)"))
    assert "Finished" in row.first.inner_text()
    assert row.first.get_by_role("link").get_attribute("href") in job_url
    assert_accessible(page)


def test_without_javascript_the_job_page_refreshes_itself_until_the_import_is_done(page, browser, worker):
    """The same coordinator, JavaScript off: the page's <noscript> refresh brings the result."""
    sign_in(page, "coordinator")
    origin = "/".join(page.url.split("/", 3)[:3])
    context = browser.new_context(base_url=origin, java_script_enabled=False, storage_state=page.context.storage_state(),
                                  viewport={"width": 390, "height": 844})
    try:
        no_js = context.new_page()
        no_js.set_default_timeout(15_000)
        no_js.goto("/coordinators/cases/import/")
        rows = "".join(f"NOJS-{i},Leo,L,3,Parkville Community School,English,50,8,\n" for i in range(20_000))
        no_js.get_by_label("CSV file").set_input_files(
            files=[{"name": "more-cases.csv", "mimeType": "text/csv", "buffer": (HEADER + rows).encode()}])
        no_js.get_by_role("button", name="Import").click()
        no_js.wait_for_url(re.compile(r"/jobs/\d+/$"))
        if not no_js.get_by_role("region", name="Result").count():  # not done yet: it refreshes itself
            assert no_js.locator('noscript').count() == 1
        no_js.get_by_role("region", name="Result").wait_for(timeout=90_000)
        assert "20,000 of 20,000 rows, 0 errors" in no_js.locator("#job-progress-label").inner_text()
        assert "20,000 added" in no_js.get_by_role("region", name="Result").inner_text()
    finally:
        context.close()
