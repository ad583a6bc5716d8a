"""A home visitor from another state finds "Take LEAP 101" on the signed-out home page, signs up and is
told the request waits for approval (signing in says so too); a trainer approves them in the queue; the
sign-in link in their email brings them, signed in, to LEAP 101.

The Hub runs in its own daphne process with a task worker beside it (as `make run` has): the worker sends
the outbox's mail with the console backend, so the emails (and their links) are read from its output."""

import re
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import assert_accessible, csp_violations_record, sign_in
from tests.support import Daphne, TaskWorker, server_env

pytestmark = pytest.mark.browser
PASSWORD = "porch-light-visits-42"
EMAIL = "jamie.cole@burlington.example.org"
LOGIN_LINK = re.compile(r"https?://[^\s/]+(/accounts/login/\?next=\S+)")


@pytest.fixture(scope="module")
def learner_server(database_templates, hub_env):  # hub_env: skips where the journeys do not run
    url, drop = database_templates.copy(seeded=True)
    env = server_env(url, SERVE_STATIC="1", HUB_ALLOW_DEMO_DATA="1",
                     EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    server = Daphne(env).start()
    server.worker = TaskWorker(env, "learners")
    yield server
    server.worker.stop()
    server.stop()
    drop()


def mail_to(server, email: str, subject: str, timeout: float = 30) -> str:
    """The last email to `email` with `subject`, from the task worker's output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = Path(server.worker.log.name).read_text(encoding="utf-8", errors="replace")
        found = [m for m in log.split("-" * 79) if f"To: {email}" in m and f"Subject: {subject}" in m]
        if found:
            return found[-1]
        time.sleep(0.2)
    raise AssertionError(f"no email {subject!r} to {email}")


def new_page(browser, server):
    context = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844})
    violations = csp_violations_record(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page, violations


def test_a_learner_from_another_state_signs_up_is_approved_and_lands_on_leap_101(browser, learner_server):
    learner_context, learner, learner_violations = new_page(browser, learner_server)
    learner.goto("/")
    learner.get_by_role("link", name="Take LEAP 101").click()
    learner.get_by_role("heading", name="Take LEAP 101", level=1).wait_for()
    assert_accessible(learner)
    learner.get_by_label("Your name").fill("Jamie Cole")
    learner.get_by_label("Email address").fill("Jamie.Cole@Burlington.example.org")
    learner.get_by_label("Organisation").fill("Burlington School District")
    learner.get_by_label("State, province or region").fill("Vermont")
    learner.get_by_label("Country").fill("United States")
    learner.get_by_label(re.compile(r"^Password \(")).fill(PASSWORD)  # "Password (required)"
    learner.get_by_label("Password again").fill(PASSWORD)
    learner.get_by_role("button", name="Ask to join LEAP 101").click()
    learner.get_by_role("heading", name="Thank you: your request is waiting for approval").wait_for()
    assert EMAIL in learner.get_by_role("status").inner_text()
    assert_accessible(learner)
    assert "Vermont" in mail_to(learner_server, EMAIL, "We got your request to take LEAP 101")

    # Not yet: signing in says why.
    learner.goto("/accounts/login/")
    learner.get_by_label("Username").fill(EMAIL)
    learner.get_by_label("Password").fill(PASSWORD)
    learner.get_by_role("button", name="Sign in").click()
    learner.get_by_text("is waiting for approval, so you cannot sign in yet").wait_for()

    trainer_context, trainer, trainer_violations = new_page(browser, learner_server)
    sign_in(trainer, "trainer")
    trainer.goto("/")
    trainer.get_by_role("link", name="Learners to approve").first.click()
    trainer.get_by_role("heading", name="Learners to approve", level=1).wait_for()
    row = trainer.get_by_role("row", name=re.compile("Jamie Cole"))
    assert "Burlington School District" in row.inner_text() and "Vermont, United States" in row.inner_text()
    assert trainer.get_by_role("row", name=re.compile("Keisha Brown")).count() == 1  # the demo's, waiting
    assert_accessible(trainer)
    row.get_by_role("button", name="Approve Jamie Cole").click()
    trainer.get_by_text("Jamie Cole is approved: we emailed them a sign-in link.").wait_for()
    decided = trainer.get_by_role("table", name="Latest decisions").get_by_role("row", name=re.compile("Jamie Cole"))
    assert "Approved" in decided.inner_text()
    trainer_context.close()

    approved = mail_to(learner_server, EMAIL, "You can start LEAP 101")
    link = LOGIN_LINK.search(approved)
    assert link, approved
    learner.goto(link.group(1))
    learner.get_by_label("Username").fill(EMAIL)
    learner.get_by_label("Password").fill(PASSWORD)
    learner.get_by_role("button", name="Sign in").click()
    learner.get_by_role("heading", name=re.compile("LEAP 101")).first.wait_for()
    assert "/courses/" in learner.url
    assert_accessible(learner)
    # No district pages for a learner: the roster answers 403.
    assert learner.goto("/coordinators/").status == 403
    learner_context.close()
    assert not learner_violations and not trainer_violations, (learner_violations, trainer_violations)
