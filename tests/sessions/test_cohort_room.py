"""Rooms follow training (issue 17): each LEAP 101 live training has a cohort room for the people registered
for it and the trainers. It stays open after the training (unlike the session chat), and a person who gives
up their place leaves it at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.discussion.errors import NoAccess
from hub.discussion.models import Room
from hub.discussion.selectors import room_can_read, rooms_readable
from hub.discussion.services import message_post
from sessions import services
from sessions.models import Kind
from sessions.selectors import occurrence_key

pytestmark = pytest.mark.django_db


def cohort_url(series, start):
    return reverse("training_sessions:occurrence_cohort", args=[series.pk, occurrence_key(start)])


def open_cohort(client, person, series, start):
    client.force_login(person.user)
    return client.post(cohort_url(series, start))


@pytest.fixture
def training(make_series):
    return make_series(kind=Kind.LEAP101_PRACTICE, title="LEAP 101 live practice", capacity=5)


def test_a_registrant_opens_the_cohort_room_and_only_the_cohort_and_trainers_read_it(client, training, visitors,
                                                                                       trainer):
    start = training.event.start
    services.registration_create(series=training, start=start, person=visitors[0])
    response = open_cohort(client, visitors[0], training, start)
    assert response.status_code == 302 and "/discussion/cohort-" in response["Location"]
    room = Room.objects.get(kind=Room.Kind.COHORT)
    assert room.closes_at is None  # the cohort keeps talking after the training
    assert "LEAP 101 live practice" in room.title
    assert message_post(room=room, author=visitors[0].user, body="See you Tuesday", client_id="c1")[0].pk
    assert room in rooms_readable(user=visitors[0].user)
    assert room not in rooms_readable(user=visitors[1].user)
    with pytest.raises(NoAccess):
        message_post(room=room, author=visitors[1].user, body="Let me in", client_id="c2")
    assert "/discussion/" not in open_cohort(client, visitors[1], training, start)["Location"]
    assert "/discussion/" in open_cohort(client, trainer, training, start)["Location"]
    assert Room.objects.filter(kind=Room.Kind.COHORT).count() == 1  # opened again, not made again


def test_the_cohort_room_outlives_the_training(client, training, visitors):
    start = training.event.start
    services.registration_create(series=training, start=start, person=visitors[0])
    open_cohort(client, visitors[0], training, start)
    room = Room.objects.get(kind=Room.Kind.COHORT)
    assert room_can_read(user=visitors[0].user, room=room, now=start + timedelta(days=60))


def test_giving_up_the_place_leaves_the_cohort_room_and_open_sockets_are_told(
        client, training, visitors, monkeypatch, django_capture_on_commit_callbacks):
    start = training.event.start
    registration = services.registration_create(series=training, start=start, person=visitors[0])
    open_cohort(client, visitors[0], training, start)
    room = Room.objects.get(kind=Room.Kind.COHORT)
    told = []
    monkeypatch.setattr("hub.sockets.access_changed", lambda user_ids: told.extend(user_ids))
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration, by=visitors[0].user)
    assert told == [visitors[0].user_id]
    assert not room_can_read(user=visitors[0].user, room=room)


def test_only_a_leap_101_live_training_has_a_cohort_room(client, make_series, visitors):
    connection = make_series()  # a Connection Session
    start = connection.event.start
    services.registration_create(series=connection, start=start, person=visitors[0])
    response = open_cohort(client, visitors[0], connection, start)
    assert response.status_code == 302 and "/discussion/" not in response["Location"]
    assert not Room.objects.filter(kind=Room.Kind.COHORT).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Only a LEAP 101 live training has a cohort room" in page
    assert "Open the cohort room" not in page


def test_a_cohort_reference_of_another_kind_of_session_reads_nothing(training, make_series, visitors):
    """A cohort room whose reference names a Connection Session (made by hand in the admin) admits nobody."""
    connection = make_series()
    start = connection.event.start
    services.registration_create(series=connection, start=start, person=visitors[0])
    occurrence = services.occurrence_ensure(series=connection, start=start)
    room = Room.objects.create(kind=Room.Kind.COHORT, slug="cohort-wrong", title="Wrong",
                               external_ref=f"cohort:{occurrence.pk}")
    assert not room_can_read(user=visitors[0].user, room=room, now=timezone.now())
