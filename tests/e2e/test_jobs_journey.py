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
