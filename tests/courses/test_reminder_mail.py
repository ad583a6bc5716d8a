"""Certificate notices are written for their reader: the visitor's reminder and the coordinator's
notice each in their own language, with a text and an HTML part and the Hub's links; a reminder still
queued when the certificate was revoked is skipped with the reason."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import translation

from courses import services
from courses.models import Certificate
from hub.models import Language
from hub.outbox.models import Message
from hub.outbox.services import message_deliver
from hub.roles import COORDINATOR, VISITOR
from tests.outbox.written import BASE_URL, assert_escaped, assert_written_for

pytestmark = pytest.mark.django_db
MARKUP = "<b>Ruiz</b>"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


@pytest.fixture
def spanish():
    return tuple(Language.objects.filter(code="es"))


@pytest.fixture
def certificate(orgs, make_person, course, modules, finish_course, spanish):
    lucia = make_person("lucia", roles=[VISITOR], first_name="Lucía", last_name=MARKUP,
                        home_district=orgs["Hartford"], languages=spanish)
    finish_course(lucia, course, modules)
    services.practice_credit_record(person=lucia, course_code="LEAP-101", source="t", source_ref="1",
                                    attended_on=date.today())
    return Certificate.objects.get()


def test_the_visitor_and_the_coordinator_each_read_the_notice_in_their_language(
        certificate, orgs, make_person, monkeypatch):
    make_person("carla", roles=[COORDINATOR], home_district=orgs["Hartford"])  # reads English
    monkeypatch.setattr(services, "_lapse_watchers", [lambda ids: {pid: ["carla@example.org"] for pid in ids}])
    with translation.override("en"):
        assert services.certificate_reminders_send(now=certificate.valid_until - timedelta(days=20)) == {
            "visitor": 1, "coordinator": 1}
    visitor = Message.objects.get(recipient="lucia@example.org")
    assert_written_for(visitor, language="es", subject="Su certificado LEAP-101 vence en 20 días",
                       says="no se le podrán asignar nuevos casos")
    assert "Module 1" in visitor.body_text
    coordinator = Message.objects.get(recipient="carla@example.org")
    assert coordinator.language == "en" and coordinator.subject.endswith("LEAP-101 certificate expires in 20 days")
    assert coordinator.body_html.strip() and "holds open home-visit cases" in coordinator.body_html
    assert_escaped(coordinator, MARKUP)  # the visitor's name, as text


def test_a_reminder_still_queued_when_the_certificate_was_revoked_is_skipped(certificate):
    services.certificate_reminders_send(now=certificate.valid_until - timedelta(days=5))
    (reminder,) = Message.objects.filter(recipient="lucia@example.org")
    services.certificate_revoke(certificate=certificate, by=None, reason="Withdrawn")
    assert message_deliver(message_id=reminder.pk) == "skipped"
    reminder.refresh_from_db()
    assert reminder.last_error == "The certificate was revoked." and mail.outbox == []
