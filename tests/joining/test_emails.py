"""Joining's emails are templates with a text and an HTML part in the recipient's language, links on
the Hub's address: the invitation (the invitation's language, whoever invites), the learner notices
(the request's language), and the "this address has an account" notice (the account owner's, not the
form's), with an invitee's name that holds markup shown as text in the HTML part."""

import pytest
from django.utils import translation

from hub.joining import services
from hub.models import Language
from hub.outbox.models import Message
from hub.roles import VISITOR
from tests.outbox.written import BASE_URL, assert_escaped, assert_written_for

pytestmark = pytest.mark.django_db
NAME = "Lena <script>alert(1)</script> Park"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


def _to(address):
    (message,) = Message.objects.filter(recipient=address)
    return message


def test_an_invitation_sent_from_an_english_page_is_written_in_the_invitees_spanish(inviters, orgs):
    with translation.override("en"):
        services.invitation_create(by=inviters["carla"].user, data=services.InvitationData(
            email="lena@example.org", name=NAME, role=VISITOR, district=orgs["Hartford"], language="es"))
    message = _to("lena@example.org")
    assert_written_for(message, language="es", subject="Está invitada o invitado al Home Visit Hub",
                       says="Test Carla le invita al Home Visit Hub")
    assert f"{BASE_URL}/join/" in message.body_text
    assert_escaped(message, "<script>alert(1)</script>")


def _learner(email, language="en", name="Keisha Brown"):
    return services.LearnerData(email=email, password="porch-light-visits-42", language=language, name=name,
                                organisation="Providence Public Schools", region="Rhode Island",
                                country="United States")


def test_a_learner_request_in_spanish_is_acknowledged_in_spanish_with_both_parts(inviters):
    with translation.override("en"):
        services.learner_signup(data=_learner("kb@example.org", language="es"))
    message = _to("kb@example.org")
    assert message.subject == "Recibimos su solicitud para hacer LEAP 101"
    assert message.language == "es" and "Providence Public Schools" in message.body_html
    assert '<html lang="es">' in message.body_html


def test_someone_signing_up_in_english_with_a_spanish_readers_address_tells_the_owner_in_spanish(
        orgs, make_person):
    make_person("rosa", roles=(VISITOR,), home_district=orgs["Hartford"],
                languages=tuple(Language.objects.filter(code="es")))
    with translation.override("en"):
        services.learner_signup(data=_learner("rosa@example.org", language="en", name="Someone Else"))
    message = _to("rosa@example.org")
    assert_written_for(message, language="es", subject="Su solicitud para hacer LEAP 101",
                       says="Este correo ya tiene una cuenta")
