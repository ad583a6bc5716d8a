"""The discussion room beside a live session: for its registrants and trainers, open around it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.discussion.errors import NoAccess
from hub.discussion.services import message_post, room_for_reader
from sessions import services
from sessions.selectors import occurrence_key

pytestmark = pytest.mark.django_db


def chat_url(series, start):
    return reverse("training_sessions:occurrence_chat", args=[series.pk, occurrence_key(start)])


def test_a_registrant_opens_the_session_chat_and_others_cannot_read_it(client, make_series, visitors, trainer):
    soon = timezone.localtime() + timedelta(minutes=30)  # the room opens an hour before the session
    series = make_series(capacity=5, first_date=soon.date(), start_time=soon.time().replace(second=0, microsecond=0),
                         weekday=soon.weekday())
    start = series.event.start
    services.registration_create(series=series, start=start, person=visitors[0])
    client.force_login(visitors[0].user)
    response = client.post(chat_url(series, start))
    assert response.status_code == 302 and "/discussion/" in response["Location"]
    slug = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    room = room_for_reader(slug=slug, user=visitors[0].user)
    message, _ = message_post(room=room, author=visitors[0].user, body="See you at 4!", client_id="c1")
    assert message.pk
    with pytest.raises(NoAccess):
        message_post(room=room, author=visitors[1].user, body="Let me in", client_id="c2")
    client.force_login(visitors[1].user)
    assert "/discussion/" not in client.post(chat_url(series, start))["Location"]
    client.force_login(trainer.user)
    assert "/discussion/" in client.post(chat_url(series, start))["Location"]


def test_the_session_chat_is_closed_until_an_hour_before(client, make_series, visitors):
    series = make_series(capacity=5)  # tomorrow evening
    start = series.event.start
    services.registration_create(series=series, start=start, person=visitors[0])
    client.force_login(visitors[0].user)
    response = client.post(chat_url(series, start), follow=True)
    assert "open from an hour before the session" in response.content.decode()
    from hub.discussion.models import Room

    room = Room.objects.get(external_ref__startswith="occurrence:")
    with pytest.raises(NoAccess):
        room_for_reader(slug=room.slug, user=visitors[0].user)
