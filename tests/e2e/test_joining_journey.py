"""A Hartford coordinator invites two people, one by the form and one by a staff-list CSV; each opens the
link from their email in a fresh browser, sets a password and is on LEAP 101; the coordinator's list
shows both accepted.

The Hub runs in its own daphne process here with a task worker beside it, as `make run` has: the worker
sends the outbox's mail with the console email backend, so the invitation emails (and their links) are
read from the worker's output."""

import re
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import assert_accessible, csp_violations_record, sign_in
from tests.support import Daphne, TaskWorker, server_env

pytestmark = pytest.mark.browser
PASSWORD = "kitchen-table-visits-42"
LINK = re.compile(r"(https?://[^\s/]+)?(/join/[A-Za-z0-9_-]{20,}/)")


@pytest.fixture(scope="module")
def joining_server(database_templates, hub_env):  # hub_env: skips where the journeys do not run
    url, drop = database_templates.copy(seeded=True)
    env = server_env(url, SERVE_STATIC="1", HUB_ALLOW_DEMO_DATA="1",
                     EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    server = Daphne(env).start()
    server.worker = TaskWorker(env, "joining")  # the outbox's worker sends the invitations (and prints them)
    yield server
    server.worker.stop()
    server.stop()
    drop()


def link_sent_to(server, email: str, timeout: float = 30) -> str:
    """The /join/ link of the last email to `email` in the task worker's output (it sends the mail)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = Path(server.worker.log.name).read_text(encoding="utf-8", errors="replace")
        messages = [m for m in log.split("-" * 79) if f"To: {email}" in m]
        if messages:
            match = LINK.search(messages[-1])
            assert match, messages[-1][-2000:]
            return match.group(2)
        time.sleep(0.2)
    raise AssertionError(f"no email to {email}")


@pytest.fixture
def coordinator_page(browser, joining_server):
    context = browser.new_context(base_url=joining_server.url, viewport={"width": 390, "height": 844})
    violations = csp_violations_record(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not violations, violations


def accept_in_a_fresh_browser(browser, server, path: str, *, name_label, password_label, again_label, button):
    context = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844})
    violations = csp_violations_record(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(path)
    page.get_by_label(name_label).wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile(rf"^{password_label} \(")).fill(PASSWORD)  # "Password (required)"
    page.get_by_label(again_label).fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    page.get_by_role("heading", name=re.compile("LEAP 101")).first.wait_for()
    landed = page.url
    # The link worked once: opened again, it says so and makes nothing.
    page.goto(path)
    used = page.get_by_role("heading", level=1).inner_text()
    context.close()
    assert not violations, violations
    return landed, used


def test_a_coordinator_invites_by_form_and_by_csv_and_both_land_on_leap_101(coordinator_page, browser,
                                                                             joining_server):
    page = coordinator_page
    sign_in(page, "coordinator")
    page.goto("/")
    page.get_by_role("link", name="Invitations").first.click()
    page.get_by_role("heading", name="Invitations", level=1).wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Invite one person").click()
    page.get_by_label("Name").fill("Lena Park")
    page.get_by_label("Email address").fill("Lena.Park@hartford.example.org")
    page.get_by_label("School or partner organisation").fill("Parkville Community School")
    assert_accessible(page)
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Invitation sent to lena.park@hartford.example.org.").wait_for()

    page.get_by_role("link", name="Import a staff list").click()
    csv = ("name,email,school_or_partner,role,language\n"
           "Marta Díaz,marta.diaz@hartford.example.org,Burns Latino Studies Academy,Visitor,es\n"
           "Not Allowed,trainer@hartford.example.org,,Trainer,en\n").encode()
    page.get_by_label("Staff list (CSV)").set_input_files(
        files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": csv}])
    page.get_by_role("button", name="Import and send the invitations").click()
    status = page.get_by_role("region", name="Result").get_by_role("status")
    status.wait_for(timeout=60_000)  # the worker runs the import: under a loaded CI it took over 15 s
    assert "1 invited" in status.inner_text() and "1 with problems" in status.inner_text()
    assert "may not invite someone as Trainer" in page.get_by_role("table", name="Rows not imported").inner_text()
    assert_accessible(page)

    lena = link_sent_to(joining_server, "lena.park@hartford.example.org")
    marta = link_sent_to(joining_server, "marta.diaz@hartford.example.org")
    landed, used = accept_in_a_fresh_browser(browser, joining_server, lena, name_label="Your name",
                                             password_label="Password", again_label="Password again",
                                             button="Create my account")
    assert "/courses/" in landed and used == "This invitation was used"
    # Marta was invited in Spanish: her page speaks Spanish.
    landed, used = accept_in_a_fresh_browser(browser, joining_server, marta, name_label="Su nombre",
                                             password_label="Contraseña", again_label="Repita la contraseña",
                                             button="Crear mi cuenta")
    assert "/courses/" in landed and used == "Esta invitación ya se usó"

    page.goto("/join/invitations/")
    for who in ("Lena Park", "Marta Díaz"):
        assert "Accepted" in page.get_by_role("row", name=re.compile(who)).inner_text()
    assert "Not accepted yet" in page.get_by_role("row", name=re.compile("Elena Marquez")).inner_text()  # demo
