"""Certificate expiry reminders: 90, 30 and 7 days ahead, once each, and the coordinator notice."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from courses import services
from courses.models import Certificate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_at_once")]


@pytest.fixture
def certificate(visitor, course, modules, finish_course):
    finish_course(visitor, course, modules)
    services.practice_credit_record(person=visitor, course_code="LEAP-101", source="t", source_ref="1",
                                    attended_on=date.today())
    return Certificate.objects.get()


def test_each_reminder_goes_once_at_90_30_and_7_days(certificate):
    expires = certificate.valid_until
    assert services.certificate_reminders_send(now=expires - timedelta(days=120))["visitor"] == 0
    for days, subject in ((89, "expires in 89 days"), (29, "expires in 29 days"), (6, "expires in 6 days")):
        mail.outbox.clear()
        now = expires - timedelta(days=days, hours=1)
        assert services.certificate_reminders_send(now=now)["visitor"] == 1
        assert services.certificate_reminders_send(now=now)["visitor"] == 0
        assert len(mail.outbox) == 1 and subject in mail.outbox[0].subject
        assert mail.outbox[0].to == ["ana@example.org"]


def test_a_first_run_late_sends_only_the_most_urgent_reminder(certificate):
    now = certificate.valid_until - timedelta(days=5)
    assert services.certificate_reminders_send(now=now) == {"visitor": 1, "coordinator": 0}
    assert services.certificate_reminders_send(now=now + timedelta(days=1)) == {"visitor": 0, "coordinator": 0}


def test_the_coordinator_hears_about_a_visitor_with_open_cases(certificate, monkeypatch):
    monkeypatch.setattr(services, "_lapse_watchers", [])
    services.lapse_watcher_register(lambda ids: {pid: ["carla@example.org"] for pid in ids})
    now = certificate.valid_until - timedelta(days=20)
    assert services.certificate_reminders_send(now=now) == {"visitor": 1, "coordinator": 1}
    assert {m.to[0] for m in mail.outbox} == {"ana@example.org", "carla@example.org"}
    assert services.certificate_reminders_send(now=now) == {"visitor": 0, "coordinator": 0}


def test_revoked_certificates_get_no_reminder_and_the_command_reports(certificate, capsys):
    services.certificate_revoke(certificate=certificate, by=None, reason="Withdrawn")
    call_command("send_certificate_reminders")
    assert "Sent 0 visitor reminder(s)" in capsys.readouterr().out
    assert mail.outbox == []


def test_the_reminder_names_the_modules_the_renewal_takes(certificate):
    services.certificate_reminders_send(now=certificate.valid_until - timedelta(days=5))
    assert "start your renewal on My training and take Module 1 again" in mail.outbox[0].body
