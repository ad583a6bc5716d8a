"""A family's private link speaks the language they chose at sign-up, whatever the browser, the language
cookie or the session says; the signed-out home page has a language control and a way in for families."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from roundtable import services

pytestmark = pytest.mark.django_db


def english_browser() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_spanish_familys_link_opened_in_an_english_browser_is_in_spanish(make_roundtable, family):
    made = services.signup_create(roundtable=make_roundtable(), **family(1, preferred_language="es"))
    response = english_browser().get(reverse("roundtable:private", args=[made.token]))
    body = response.content.decode()
    assert response["Content-Language"] == "es" and '<html lang="es">' in body
    assert "Su lugar está confirmado" in body and "Llegar a la escuela cada día" in body
    assert "Cancelar mi inscripción" in body and "Your place is confirmed" not in body


def test_cancelling_and_its_confirmation_are_in_the_familys_language(make_roundtable, family):
    made = services.signup_create(roundtable=make_roundtable(), **family(1, preferred_language="es"))
    client = english_browser()
    response = client.post(reverse("roundtable:cancel", args=[made.token]), follow=True)
    body = response.content.decode()
    assert "Su inscripción está cancelada" in body and "Gracias por avisarnos" in body
    assert response["Content-Language"] == "es"


def test_an_english_familys_link_stays_english_in_a_spanish_session(client, make_roundtable, family):
    made = services.signup_create(roundtable=make_roundtable(), **family(1, preferred_language="en"))
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert "Mesas redondas familiares" in client.get(reverse("roundtable:upcoming")).content.decode()
    body = client.get(reverse("roundtable:private", args=[made.token]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in body and "Your place is confirmed" in body
    # The rest of the site still follows the session's choice.
    assert "Mesas redondas familiares" in client.get(reverse("roundtable:upcoming")).content.decode()


def test_the_signed_out_home_page_has_a_language_control_and_a_way_in_for_families(client, home_page):
    body = client.get("/").content.decode()
    assert f'action="{reverse("set_language")}"' in body and 'name="language" value="es"' in body
    assert "<legend>Language / Idioma</legend>" in body
    assert f'href="{reverse("roundtable:upcoming")}">Family Roundtables — sign up</a>' in body
    assert 'href="/accounts/login/">sign in</a>' in body
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="es">' in body and "Mesas redondas familiares: inscríbase" in body
    assert "Para las familias" in body and "inicien sesión" in body


def test_signed_in_staff_see_their_own_home_page_without_the_families_way_in(client, organiser):
    client.force_login(organiser.user)
    body = client.get("/").content.decode()
    assert "Family Roundtables — sign up" not in body and "What you can do here" in body
