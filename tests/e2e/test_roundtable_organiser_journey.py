"""An organiser creates a Family Roundtable held in Spanish in the Hub's own pages; a family finds it
from the signed-out home page in Spanish and signs up; their private link, opened in an English browser,
is in Spanish; the organiser cancels (after a confirmation) and the family's link and email say so, in
Spanish. The organiser copies it to a new date as a draft."""

import re
import secrets
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, csp_violations_record, sign_in
from tests.e2e.mailbox import messages
from tests.support import Daphne, TaskWorker, server_env

pytestmark = pytest.mark.browser

TITLE_EN = f"Mornings that work {secrets.token_hex(2)}"
TITLE_ES = f"Mañanas que funcionan {TITLE_EN[-4:]}"


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory):
    return tmp_path_factory.mktemp("mailbox")


@pytest.fixture(scope="module")
def hub_server(database_templates, mailbox, hub_env):
    """This module's own Hub (a copy of the seeded database) whose mail is written to `mailbox`. It asks for
    `hub_env` only for its rule of when the journeys run (once, in the SQLite pass of CI)."""
    url, drop = database_templates.copy(seeded=True)
    env = server_env(url, SERVE_STATIC="1", HUB_ALLOW_DEMO_DATA="1", EMAIL_BACKEND="tests.e2e.mailbox.EmailBackend",
                     HUB_TEST_MAILBOX=str(mailbox))
    server = Daphne(env).start()
    worker = TaskWorker(env, "organiser")  # the outbox's worker sends the families' mail
    yield server.url
    worker.stop()
    server.stop()
    drop()


@pytest.fixture
def context_for(browser, hub_server):
    """context_for(locale) -> a new page in a fresh browser context (its own cookies) for that locale."""
    contexts, violations = [], []

    def make(locale: str = "en-US"):
        context = browser.new_context(base_url=hub_server, viewport={"width": 390, "height": 844}, locale=locale)
        contexts.append((context, csp_violations_record(context)))
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context, found in contexts:
        context.close()
        violations.extend(found)
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations)))


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \((obligatorio|required)\))?$"))


def test_an_organiser_runs_a_spanish_roundtable_and_the_family_is_told_in_spanish(context_for, mailbox):
    organiser = context_for()

    # The trainer creates a roundtable held in Spanish.
    sign_in(organiser, "trainer")
    organiser.goto("/roundtables/organise/")
    organiser.get_by_role("link", name="New roundtable").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("New roundtable")
    assert_accessible(organiser)
    field(organiser, "Title in English").fill(TITLE_EN)
    field(organiser, "Description in English").fill("What makes mornings hard, and what helps.")
    field(organiser, "Description in Spanish").fill("Qué hace difíciles las mañanas y qué ayuda.")
    organiser.get_by_role("group", name=re.compile("^The conversation is held in")).get_by_label("Spanish").check()
    languages = organiser.get_by_role("group", name=re.compile("^Languages offered"))
    languages.get_by_label("Spanish").check()
    field(organiser, "Place (address)").fill("Fair Haven School, 164 Grand Avenue, New Haven")
    field(organiser, "Date").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    field(organiser, "Starts at (New York time)").fill("18:00")
    field(organiser, "Ends at (New York time)").fill("20:00")
    field(organiser, "Seats").fill("10")
    organiser.get_by_role("button", name="Create the roundtable").click()

    # Spanish is offered but the Spanish title is missing: a form error, nothing made.
    expect(organiser.get_by_text("Spanish is offered: give the title in Spanish too.")).to_be_visible()
    assert_accessible(organiser)
    field(organiser, "Title in Spanish").fill(TITLE_ES)
    organiser.get_by_role("button", name="Create the roundtable").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text(TITLE_EN)
    expect(organiser.get_by_text("Families can sign up now.")).to_be_visible()
    assert_accessible(organiser)
    detail_url = organiser.url

    # A family, signed out, on the home page: switches to Spanish and finds the way in.
    family = context_for()
    family.goto("/")
    expect(family.get_by_role("link", name="Family Roundtables — sign up")).to_be_visible()
    assert_accessible(family)
    switcher = family.get_by_role("group", name="Language / Idioma")
    switcher.get_by_role("button", name="Español").focus()
    family.keyboard.press("Enter")  # the control works from the keyboard
    expect(family.locator("html")).to_have_attribute("lang", "es")
    assert_accessible(family)
    family.get_by_role("link", name="Mesas redondas familiares: inscríbase").click()
    expect(family.get_by_role("heading", level=1)).to_have_text("Mesas redondas familiares")
    family.get_by_role("link", name=TITLE_ES, exact=True).click()
    expect(family.get_by_role("heading", level=1)).to_have_text(TITLE_ES)
    signup_url = family.url
    expect(family.get_by_text("Qué hace difíciles las mañanas y qué ayuda.")).to_be_visible()
    email = f"rosa.{secrets.token_hex(3)}@example.org"
    field(family, "Su nombre").fill("Rosa Méndez")
    field(family, "Correo electrónico").fill(email)
    family.get_by_role("checkbox").check()
    family.get_by_role("button", name="Inscribirme").click()
    expect(family.get_by_role("heading", level=1)).to_have_text("¡Está inscrito!")
    private_link = family.locator(".link-box a").inner_text()

    # The private link opened on another device whose browser asks for English: still Spanish.
    elsewhere = context_for("en-US")
    elsewhere.goto(private_link)
    expect(elsewhere.locator("html")).to_have_attribute("lang", "es")
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Su lugar está confirmado")
    assert_accessible(elsewhere)

    # The organiser cancels: a confirmation first, saying who will be told.
    organiser.goto(detail_url)
    expect(organiser.locator('[data-count="confirmed"]')).to_have_text("1 / 10")
    organiser.get_by_role("link", name="Cancel the roundtable").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Cancel the roundtable?")
    expect(organiser.get_by_text("1 family will be told by email")).to_be_visible()
    assert_accessible(organiser)
    organiser.get_by_role("button", name="Yes, cancel the roundtable and tell the families").click()
    expect(organiser.get_by_text("This roundtable is cancelled. The families were told")).to_be_visible()
    expect(organiser.locator('[data-count="confirmed"]')).to_have_text("1 / 10")  # the counts stay
    assert_accessible(organiser)

    # The family's link says it was cancelled, in Spanish, and offers no cancel button.
    elsewhere.reload()
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Esta mesa redonda fue cancelada")
    expect(elsewhere.get_by_role("button", name="Cancelar mi inscripción")).to_have_count(0)
    assert_accessible(elsewhere)
    # …and the email, in Spanish.
    # …and the email, in Spanish, sent by the task worker within moments.
    deadline = time.monotonic() + 30
    while True:
        cancelled = [m for m in messages(mailbox) if m["To"] == email and m["Subject"] == f"Cancelada: {TITLE_ES}"]
        if cancelled or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(cancelled) == 1
    assert "está cancelada" in cancelled[0].get_body(preferencelist=("plain",)).get_content()

    # A new family cannot sign up any more: the page says why.
    family.goto(signup_url)
    expect(family.get_by_text("Esta mesa redonda fue cancelada, así que la inscripción está cerrada.")).to_be_visible()
    expect(family.get_by_role("button", name="Inscribirme")).to_have_count(0)

    # The organiser copies it to a new date: a draft to check, then open.
    organiser.get_by_role("link", name="Copy to a new date").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Copy the roundtable")
    assert_accessible(organiser)
    field(organiser, "Date").fill((timezone.localdate() + timedelta(days=40)).isoformat())
    organiser.get_by_role("button", name="Make the copy").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Edit the roundtable")
    expect(organiser.get_by_text("The copy is saved as a draft")).to_be_visible()
    expect(field(organiser, "Title in Spanish")).to_have_value(TITLE_ES)
    assert_accessible(organiser)
