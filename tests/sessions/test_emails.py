"""Session emails are written for the registrant: in their language (whoever's request caused them),
from templates with a text and an HTML part, links on the Hub's address; and a queued one about a
registration or a date that was cancelled meanwhile is skipped with the reason, never sent."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from hub.models import Language, School
from hub.outbox.models import Message
from hub.outbox.services import message_deliver
from hub.program import PROGRAM_TZ
from hub.roles import VISITOR
from sessions import services
from tests.outbox.written import BASE_URL, assert_escaped, assert_written_for

pytestmark = pytest.mark.django_db

MEET = ("https://meet.example.org",)


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


@pytest.fixture
def lucia(orgs, home_page, make_person):
    """A visitor who reads Spanish (she speaks it, and only it of the site's languages)."""
    return make_person("lucia", roles=[VISITOR], first_name="Lucía", last_name="<script>alert(1)</script>",
                       school=School.objects.get(name="Burns Latino Studies Academy"),
                       languages=tuple(Language.objects.filter(code="es")))


def _messages(person, kind):
    return list(Message.objects.filter(person=person, kind=kind).order_by("pk"))


def test_a_registration_made_in_english_is_confirmed_to_a_spanish_reader_in_spanish(make_series, lucia):
    series = make_series(capacity=1)
    with translation.override("en"):
        services.registration_create(series=series, start=series.event.start, person=lucia)
    (message,) = _messages(lucia, "confirmation")
    assert_written_for(message, language="es", subject="Tiene un lugar: Connection Session",
                       says="Tiene un lugar en Connection Session", external=MEET)
    assert "meet.example.org/connection" in message.body_text
    assert_escaped(message, "<script>alert(1)</script>")


def test_an_english_reader_gets_english_and_a_promotion_goes_in_the_promoted_persons_language(
        make_series, visitor, lucia):
    series = make_series(capacity=1)
    start = series.event.start
    first = services.registration_create(series=series, start=start, person=visitor)
    services.registration_create(series=series, start=start, person=lucia)
    (seat,) = _messages(visitor, "confirmation")
    assert_written_for(seat, language="en", subject="You have a seat: Connection Session",
                       says="You have a seat at Connection Session", external=MEET)
    (waitlist,) = _messages(lucia, "confirmation")
    assert waitlist.subject.startswith("Está en la lista de espera")
    with translation.override("en"):
        services.registration_cancel(registration=first, by=visitor.user)
    (promotion,) = _messages(lucia, "promotion")
    assert_written_for(promotion, language="es", subject="Tiene un lugar", says="Se liberó un lugar",
                       external=MEET)


def test_cancelled_and_moved_dates_are_told_in_each_registrants_language(make_series, trainer, visitor, lucia):
    series = make_series(capacity=5)
    start = series.event.start
    for person in (visitor, lucia):
        services.registration_create(series=series, start=start, person=person)
    second = start + timedelta(weeks=1)
    for person in (visitor, lucia):
        services.registration_create(series=series, start=second, person=person)
    with translation.override("en"):
        services.occurrence_cancel(series=series, start=start, by=trainer.user)
        services.occurrence_move(series=series, start=second, new_start=second + timedelta(hours=2), by=trainer.user)
    (cancelled,) = _messages(lucia, "cancellation")
    assert_written_for(cancelled, language="es", subject="Cancelada: Connection Session",
                       says="La sesión Connection Session del")
    (moved,) = _messages(lucia, "change")
    assert_written_for(moved, language="es", subject="Nuevo horario: Connection Session",
                       says="Su inscripción sigue en pie", external=MEET)
    assert _messages(visitor, "change")[0].subject == "New time: Connection Session"


def _reminder_ready(make_series, person):
    in_27_hours = (timezone.now() + timedelta(hours=27)).astimezone(PROGRAM_TZ)
    series = make_series(capacity=2, repeat="once", first_date=in_27_hours.date(), start_time=time(in_27_hours.hour, 0))
    registration = services.registration_create(series=series, start=series.event.start, person=person)
    assert services.reminders_send() == 1
    return series, registration, _messages(person, "reminder")[0]


def test_the_reminder_is_a_template_in_the_registrants_language(make_series, lucia):
    _series, _registration, reminder = _reminder_ready(make_series, lucia)
    assert_written_for(reminder, language="es", subject="Mañana: Connection Session",
                       says="Le recordamos que tiene un lugar", external=MEET)


def test_a_reminder_queued_before_the_registration_was_cancelled_is_skipped_with_the_reason(make_series, visitor):
    _series, registration, reminder = _reminder_ready(make_series, visitor)
    services.registration_cancel(registration=registration, by=visitor.user)
    assert message_deliver(message_id=reminder.pk) == "skipped"
    reminder.refresh_from_db()
    assert (reminder.state, reminder.last_error) == ("skipped", "The registration was cancelled.")
    assert mail.outbox == []


def test_a_reminder_queued_before_the_date_was_cancelled_is_skipped_but_the_cancellation_goes(
        make_series, trainer, visitor):
    series, registration, reminder = _reminder_ready(make_series, visitor)
    services.occurrence_cancel(series=series, start=series.event.start, by=trainer.user)
    assert message_deliver(message_id=reminder.pk) == "skipped"
    reminder.refresh_from_db()
    assert reminder.last_error == "The session was cancelled."
    (cancelled,) = _messages(visitor, "cancellation")
    assert message_deliver(message_id=cancelled.pk) == "sent"  # the notice about the cancellation itself
    assert [m.subject for m in mail.outbox] == [cancelled.subject]
    confirmation = _messages(visitor, "confirmation")[0]
    assert message_deliver(message_id=confirmation.pk) == "skipped"  # "you have a seat", for a cancelled date
