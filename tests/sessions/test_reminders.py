"""The reminder command e-mails each confirmed registrant once, about a day ahead."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from hub.program import PROGRAM_TZ
from sessions import services
from sessions.models import ReminderSent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_at_once")]


def test_reminders_go_once_to_confirmed_registrants_of_sessions_about_a_day_away(make_series, visitors):
    in_27_hours = (timezone.now() + timedelta(hours=27)).astimezone(PROGRAM_TZ)
    series = make_series(capacity=2, repeat="once", first_date=in_27_hours.date(),
                         start_time=time(in_27_hours.hour, 0))
    start = series.event.start
    for person in visitors[:3]:  # two confirmed, one waitlisted
        services.registration_create(series=series, start=start, person=person)
    far = make_series(first_date=(timezone.now() + timedelta(days=5)).date())
    services.registration_create(series=far, start=far.event.start, person=visitors[3])
    assert len(mail.outbox) == 4  # each registration is confirmed (a seat or the waitlist)
    mail.outbox.clear()
    call_command("send_session_reminders")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in visitors[:2])
    assert "Tomorrow: Connection Session" in mail.outbox[0].subject
    assert "meet.example.org" in mail.outbox[0].body
    call_command("send_session_reminders")
    assert len(mail.outbox) == 2 and ReminderSent.objects.count() == 2


def test_cancelled_sessions_get_no_reminder(make_series, visitor, trainer):
    now = datetime.combine(timezone.localdate() + timedelta(days=3), time(12), tzinfo=PROGRAM_TZ)
    series = make_series(repeat="once", first_date=(now + timedelta(hours=26)).date(), start_time=time(14))
    services.registration_create(series=series, start=series.event.start, person=visitor)
    services.occurrence_cancel(series=series, start=series.event.start, by=trainer.user)
    assert services.reminders_send(now=now) == 0
