"""Registration per occurrence: seats, the waitlist, promotion on cancellation, refusals that change
nothing, and the race for the last seat (PostgreSQL, real threads)."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import close_old_connections, connection

from hub.capacity import SeatStatus
from sessions import errors, services
from sessions.models import Audience, Kind, Registration, SessionOccurrence
from tests.support import require_postgres

pytestmark = pytest.mark.django_db


def test_seats_are_confirmed_while_they_last_then_the_waitlist_fills_in_arrival_order(make_series, visitors):
    series = make_series(capacity=2)
    start = series.event.start
    statuses = [services.registration_create(series=series, start=start, person=p).status for p in visitors[:4]]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert SessionOccurrence.objects.filter(series=series).count() == 1


def test_a_cancellation_promotes_the_first_on_the_waitlist_and_emails_them(
        make_series, visitors, django_capture_on_commit_callbacks):
    series = make_series(capacity=1)
    start = series.event.start
    first, second, third = (services.registration_create(series=series, start=start, person=p) for p in visitors[:3])
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=first, by=visitors[0].user)
    assert [r.pk for r in promoted] == [second.pk]
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (SeatStatus.CONFIRMED, SeatStatus.WAITLISTED)
    assert second.promoted_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [visitors[1].user.email]
    assert "You have a seat" in mail.outbox[0].subject and "meet.example.org" in mail.outbox[0].body


def test_cancelling_a_waitlist_place_promotes_nobody(make_series, visitors, django_capture_on_commit_callbacks):
    series = make_series(capacity=1)
    start = series.event.start
    regs = [services.registration_create(series=series, start=start, person=p) for p in visitors[:3]]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_cancel(registration=regs[1], by=visitors[1].user) == []
    assert mail.outbox == []


def test_registering_again_after_cancelling_joins_the_back_of_the_queue(make_series, visitors):
    series = make_series(capacity=1)
    start = series.event.start
    mine = services.registration_create(series=series, start=start, person=visitors[0])
    services.registration_create(series=series, start=start, person=visitors[1])
    services.registration_cancel(registration=mine, by=visitors[0].user)
    again = services.registration_create(series=series, start=start, person=visitors[0])
    assert again.pk == mine.pk and again.status == SeatStatus.WAITLISTED


def test_registering_twice_is_refused_with_a_clear_message(make_series, visitor):
    series = make_series()
    services.registration_create(series=series, start=series.event.start, person=visitor)
    with pytest.raises(errors.AlreadyRegistered, match="already have a seat"):
        services.registration_create(series=series, start=series.event.start, person=visitor)
    assert Registration.objects.count() == 1


def test_a_past_occurrence_is_refused_and_nothing_is_recorded(make_series, visitor):
    series = make_series()
    later = series.event.start + timedelta(weeks=1)
    with pytest.raises(errors.OccurrencePast, match="over"):
        services.registration_create(series=series, start=later, person=visitor, now=later + timedelta(hours=2))
    assert Registration.objects.count() == 0
    assert SessionOccurrence.objects.count() == 0


def test_a_cancelled_occurrence_is_refused(make_series, visitor, trainer):
    series = make_series()
    services.occurrence_cancel(series=series, start=series.event.start, by=trainer.user)
    with pytest.raises(errors.OccurrenceCancelled, match="cancelled"):
        services.registration_create(series=series, start=series.event.start, person=visitor)
    assert Registration.objects.count() == 0


def test_a_time_the_series_does_not_meet_is_refused(make_series, visitor):
    series = make_series()
    with pytest.raises(errors.NoSuchOccurrence):
        services.registration_create(series=series, start=series.event.start + timedelta(hours=1), person=visitor)
    assert SessionOccurrence.objects.count() == 0


def test_audience_rules_are_enforced_by_the_service(make_series, visitor, coordinator, orgs):
    coordinators_only = make_series(audience=Audience.COORDINATORS, kind=Kind.COORDINATOR_MEETING)
    with pytest.raises(errors.NotInAudience, match="coordinators only"):
        services.registration_create(series=coordinators_only, start=coordinators_only.event.start, person=visitor)
    assert services.registration_create(series=coordinators_only, start=coordinators_only.event.start,
                                        person=coordinator).status == "confirmed"
    new_haven = make_series(audience=Audience.DISTRICT, district=orgs["New Haven"], kind=Kind.DISTRICT_TRAINING)
    with pytest.raises(errors.NotInAudience, match="New Haven staff only"):
        services.registration_create(series=new_haven, start=new_haven.event.start, person=visitor)
    hartford = make_series(audience=Audience.DISTRICT, district=orgs["Hartford"], kind=Kind.DISTRICT_TRAINING)
    assert services.registration_create(series=hartford, start=hartford.event.start, person=visitor).confirmed
    certified = make_series(audience=Audience.CERTIFIED, kind=Kind.MHFA)
    with pytest.raises(errors.NotInAudience, match="current LEAP 101 certificate"):
        services.registration_create(series=certified, start=certified.event.start, person=visitor)
    assert Registration.objects.filter(person=visitor).count() == 1


def test_only_the_person_or_a_trainer_may_cancel_a_registration(make_series, visitors, trainer):
    series = make_series()
    reg = services.registration_create(series=series, start=series.event.start, person=visitors[0])
    with pytest.raises(errors.NotAllowed):
        services.registration_cancel(registration=reg, by=visitors[1].user)
    services.registration_cancel(registration=reg, by=trainer.user)
    reg.refresh_from_db()
    assert reg.status == SeatStatus.CANCELLED


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_registrations_for_the_last_seat_end_with_exactly_one_confirmed(make_series, visitors):
    require_postgres(connection)
    series = make_series(capacity=2)
    start = series.event.start
    services.registration_create(series=series, start=start, person=visitors[0])  # one seat left
    barrier = threading.Barrier(len(visitors) - 1)
    outcomes, failures = [], []

    def register(person):
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.registration_create(series=series, start=start, person=person).status)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
        finally:
            close_old_connections()
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=register, args=(p,)) for p in visitors[1:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert sorted(outcomes) == ["confirmed"] + ["waitlisted"] * (len(visitors) - 2)
    occ = SessionOccurrence.objects.get(series=series)
    assert occ.registrations.filter(status="confirmed").count() == 2
    assert occ.registrations.filter(status="waitlisted").count() == len(visitors) - 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_registrations_create_one_occurrence_row(make_series, visitors):
    require_postgres(connection)
    series = make_series(capacity=10)
    start = series.event.start
    barrier = threading.Barrier(len(visitors))
    failures = []

    def register(person):
        try:
            barrier.wait(timeout=10)
            services.registration_create(series=series, start=start, person=person)
        except Exception as error:  # noqa: BLE001
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(p,)) for p in visitors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    from schedule.models import Occurrence

    assert SessionOccurrence.objects.filter(series=series).count() == 1
    assert Occurrence.objects.filter(event=series.event).count() == 1
    assert Registration.objects.filter(occurrence__series=series, status="confirmed").count() == len(visitors)
