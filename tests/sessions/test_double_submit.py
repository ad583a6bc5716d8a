"""Sent twice, a trainer's new-series form schedules one series and a registration stays one seat: the
person lands on the same page with no error. At once from many threads: one series, one seat
(PostgreSQL)."""

import uuid
from datetime import time, timedelta

import pytest
from django.contrib.messages import constants, get_messages
from django.db import connection
from django.utils import timezone
from schedule.models import Event

from sessions import errors, services
from sessions.models import Registration, Repeat, Series
from sessions.selectors import occurrence_key
from tests.double_submit import at_once, form_token
from tests.support import require_postgres

pytestmark = pytest.mark.django_db

SENDS = 5
NEW = "/sessions/manage/new/"


def series_post(**extra):
    first = timezone.localdate() + timedelta(days=2)
    return {"kind": "connection", "title": "Peer circle", "audience": "all", "capacity": "12",
            "repeat": Repeat.WEEKLY, "weekday": str(first.weekday()), "first_date": first.isoformat(),
            "last_date": (first + timedelta(weeks=4)).isoformat(), "start_time": "16:00",
            "duration_minutes": "60", **extra}


def series_spec():
    first = timezone.localdate() + timedelta(days=2)
    return dict(kind="connection", title="Peer circle", capacity=12, first_date=first, start_time=time(16, 0),
                duration_minutes=60, repeat=Repeat.ONCE)


def test_a_new_series_form_sent_five_times_schedules_one_series(client, trainer):
    client.force_login(trainer.user)
    token = form_token(client.get(NEW))
    responses = [client.post(NEW, series_post(form_token=token)) for _ in range(SENDS)]
    series = Series.objects.get()
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, f"/sessions/series/{series.pk}/")] * SENDS
    assert Event.objects.count() == 1 and series.slug == "peer-circle"


def test_a_freshly_drawn_series_form_schedules_a_second_series(client, trainer):
    client.force_login(trainer.user)
    for _ in range(2):
        token = form_token(client.get(NEW))
        client.post(NEW, series_post(form_token=token))
        client.post(NEW, series_post(form_token=token))
    assert sorted(Series.objects.values_list("slug", flat=True)) == ["peer-circle", "peer-circle-2"]


def test_the_edit_form_is_not_mistaken_for_a_new_series(client, trainer):
    client.force_login(trainer.user)
    client.post(NEW, series_post(form_token=form_token(client.get(NEW))))
    series = Series.objects.get()
    edit = f"/sessions/manage/{series.pk}/edit/"
    response = client.post(edit, series_post(title="Peer circle (evenings)", form_token=form_token(client.get(edit))))
    assert response.status_code == 302 and Series.objects.get().title == "Peer circle (evenings)"


def test_another_trainers_token_schedules_their_own_series(trainer, make_person):
    from hub.roles import TRAINER

    other = make_person("kim", roles=[TRAINER])
    token = uuid.uuid4()
    mine = services.series_create(by=trainer.user, form_token=token, **series_spec())
    theirs = services.series_create(by=other.user, form_token=token, **series_spec())
    assert theirs.pk != mine.pk and theirs.created_by == other.user


def test_registering_five_times_keeps_one_seat_and_shows_no_error(client, make_series, visitor):
    series = make_series(capacity=3)
    url = f"/sessions/{series.pk}/{occurrence_key(series.event.start)}/"
    client.force_login(visitor.user)
    responses = [client.post(url + "register/") for _ in range(SENDS)]
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, url)] * SENDS
    for response in responses:
        assert not [m for m in get_messages(response.wsgi_request) if m.level >= constants.WARNING]
    assert "already have a seat" in str(list(get_messages(responses[-1].wsgi_request))[-1])
    assert Registration.objects.filter(person=visitor, status="confirmed").count() == 1


def test_registering_twice_for_a_full_session_keeps_one_waitlist_place(client, make_series, visitors):
    series = make_series(capacity=1)
    services.registration_create(series=series, start=series.event.start, person=visitors[0])
    url = f"/sessions/{series.pk}/{occurrence_key(series.event.start)}/"
    client.force_login(visitors[1].user)
    for _ in range(SENDS):
        client.post(url + "register/")
    assert Registration.objects.filter(person=visitors[1], status="waitlisted").count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_one_series_token_sent_by_many_threads_at_once_schedules_one_series(trainer):
    require_postgres(connection)
    token = uuid.uuid4()
    results, failures = at_once(6, lambda _: services.series_create(by=trainer.user, form_token=token,
                                                                      **series_spec()).pk)
    assert failures == [] and len(results) == 6 and len(set(results)) == 1
    assert Series.objects.count() == 1 and Event.objects.count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_same_person_registering_from_many_threads_at_once_holds_one_seat(make_series, visitor):
    require_postgres(connection)
    series = make_series(capacity=3)

    def register(_):
        try:
            return services.registration_create(series=series, start=series.event.start, person=visitor).pk
        except errors.AlreadyRegistered:
            return "already"

    results, failures = at_once(6, register)
    assert failures == []
    assert sorted(map(str, results)).count("already") == 5
    assert Registration.objects.filter(person=visitor).count() == 1
