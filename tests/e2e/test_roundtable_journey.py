"""A family on a phone switches to Spanish, signs up for a Family Roundtable without an account, sees
the confirmation in Spanish, opens the private link and cancels; the organiser's counts follow."""

import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

ROUNDTABLE_EN = "Family Roundtable: getting to school every day"  # from roundtable.demo
ROUNDTABLE_ES = "Mesa redonda familiar: llegar a la escuela cada día"


def field(page, label: str):
    """The form field labelled `label` (required fields add " (obligatorio)" / " (required)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \((obligatorio|required)\))?$"))


@pytest.fixture
def organiser_page(browser, hub_server):
    context = browser.new_context(base_url=hub_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def confirmed(organiser) -> str:
    organiser.reload()
    return organiser.locator('[data-count="confirmed"]').inner_text()


def test_family_signs_up_in_spanish_and_cancels_while_the_organiser_counts(page, organiser_page):
    family, organiser = page, organiser_page

    # The organiser opens the roundtable's sign-ups.
    sign_in(organiser, "trainer")
    organiser.get_by_role("navigation", name="Main").get_by_role("link", name="Roundtable organising").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Roundtable organising")
    organiser.get_by_role("link", name=ROUNDTABLE_EN).first.click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text(ROUNDTABLE_EN)
    assert_accessible(organiser)
    before = int(confirmed(organiser).split("/")[0])

    # The family, signed out, finds the roundtables and switches to Spanish.
    family.goto("/")
    family.get_by_role("navigation", name="Main").get_by_role("link", name="Family Roundtables").click()
    expect(family.get_by_role("heading", level=1)).to_have_text("Family Roundtables")
    family.get_by_role("button", name="Español").click()
    expect(family.get_by_role("heading", level=1)).to_have_text("Mesas redondas familiares")
    expect(family.locator("html")).to_have_attribute("lang", "es")
    assert_accessible(family)
    family.get_by_role("link", name=ROUNDTABLE_ES, exact=True).click()
    expect(family.get_by_role("heading", level=1)).to_have_text(ROUNDTABLE_ES)

    # A first try without any way to reach them: the message is in Spanish.
    field(family, "Su nombre").fill("Lucía Fernández")
    family.get_by_role("checkbox").check()
    family.get_by_role("button", name="Inscribirme").click()
    expect(family.get_by_text("Indique un correo electrónico o un número de teléfono").first).to_be_visible()
    assert_accessible(family)

    email = f"lucia.{secrets.token_hex(3)}@example.org"
    field(family, "Correo electrónico").fill(email)
    field(family, "Teléfono (EE. UU.)").fill("(860) 555-0199")
    field(family, "¿Necesita intérprete?").select_option(label="Portugués")
    field(family, "¿Cuántos niños necesitan cuidado durante la mesa redonda?").fill("2")
    family.get_by_role("checkbox").check()
    family.get_by_role("button", name="Inscribirme").click()

    # The confirmation, in Spanish, with the private link.
    expect(family.get_by_role("heading", level=1)).to_have_text("¡Está inscrito!")
    expect(family.get_by_text("Su lugar está confirmado.").first).to_be_visible()
    assert_accessible(family)
    private_link = family.locator(".link-box a").inner_text()
    assert "/roundtables/s/" in private_link
    assert confirmed(organiser).startswith(f"{before + 1} /")
    expect(organiser.get_by_text(email)).to_be_visible()

    # Later, the family opens the private link and cancels.
    family.goto("/")
    family.goto(private_link)
    expect(family.get_by_role("heading", level=1)).to_have_text("Su lugar está confirmado")
    family.get_by_role("button", name="Cancelar mi inscripción").click()
    expect(family.get_by_role("heading", level=1)).to_have_text("Su inscripción está cancelada")
    expect(family.get_by_text("Gracias por avisarnos")).to_be_visible()
    assert_accessible(family)
    assert confirmed(organiser).startswith(f"{before} /")
    expect(organiser.locator('[data-count="cancelled"]')).to_have_text("1")
