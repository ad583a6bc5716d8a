"""Series on django-scheduler: recurrence patterns, New York time across DST, bounds, and changing
one date without touching the others."""

import time as clock
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from schedule.models import Event, Occurrence

from hub.program import PROGRAM_TZ
from sessions import errors, services
from sessions.models import Repeat, Series, SessionOccurrence
from sessions.selectors import rule_starts

pytestmark = pytest.mark.django_db


def window(series, days=400):
    start = series.event.start - timedelta(minutes=1)
    return [s for s in rule_starts(series, start, start + timedelta(days=days))]


def test_every_other_tuesday_matches_django_schedulers_own_expansion(trainer):
    series = services.series_create(by=trainer.user, kind="talk_tuesday", title="Talk Tuesday", capacity=50,
                                    repeat=Repeat.BIWEEKLY, weekday=1, first_date=date(2030, 3, 1),
                                    last_date=date(2030, 5, 1), start_time=time(18), duration_minutes=60)
    ours = window(series)
    assert [s.date() for s in ours] == [date(2030, 3, 5), date(2030, 3, 19), date(2030, 4, 2), date(2030, 4, 16),
                                        date(2030, 4, 30)]
    theirs = Event.objects.get(pk=series.event_id).get_occurrences(datetime(2030, 3, 1, tzinfo=PROGRAM_TZ),
                                                                   datetime(2030, 5, 2, tzinfo=PROGRAM_TZ))
    assert [o.start for o in theirs] == ours
    assert series.event.calendar.slug == "hub-training" and series.event.rule.params == "interval:2;byweekday:TU"


def test_times_stay_at_six_pm_new_york_across_the_daylight_saving_change(trainer):
    series = services.series_create(by=trainer.user, kind="connection", title="C", capacity=5,
                                    repeat=Repeat.WEEKLY, weekday=2, first_date=date(2030, 2, 27),
                                    last_date=date(2030, 3, 20), start_time=time(18), duration_minutes=60)
    starts = window(series)
    assert [s.astimezone(PROGRAM_TZ).hour for s in starts] == [18, 18, 18, 18]
    assert {s.utcoffset() for s in starts} == {timedelta(hours=-5), timedelta(hours=-4)}


def test_monthly_on_the_first_monday_and_the_last_friday(trainer):
    first_monday = services.series_create(by=trainer.user, kind="coordinators", title="Coordinators",
                                          capacity=40, repeat=Repeat.MONTHLY_NTH, weekday=0, nth=1,
                                          first_date=date(2030, 1, 1), last_date=date(2030, 4, 30),
                                          start_time=time(10), duration_minutes=60)
    assert [s.date() for s in window(first_monday)] == [date(2030, 1, 7), date(2030, 2, 4), date(2030, 3, 4),
                                                         date(2030, 4, 1)]
    last_friday = services.series_create(by=trainer.user, kind="wellness", title="Wellness", capacity=40,
                                         repeat=Repeat.MONTHLY_NTH, weekday=4, nth=-1, first_date=date(2030, 1, 1),
                                         last_date=date(2030, 3, 31), start_time=time(12), duration_minutes=45)
    assert [s.date() for s in window(last_friday)] == [date(2030, 1, 25), date(2030, 2, 22), date(2030, 3, 29)]


def test_a_single_session_has_one_occurrence(trainer):
    series = services.series_create(by=trainer.user, kind="mhfa", title="MHFA", capacity=20,
                                    first_date=date(2030, 6, 3), start_time=time(9), duration_minutes=420)
    assert window(series) == [datetime(2030, 6, 3, 9, tzinfo=PROGRAM_TZ)]
    assert series.event.rule is None


@pytest.mark.parametrize("spec, reason", [
    (dict(repeat=Repeat.WEEKLY, weekday=1, first_date=date(2030, 3, 6), last_date=date(2030, 3, 11)),
     "gives no session"),
    (dict(repeat=Repeat.WEEKLY, weekday=1, first_date=date(2030, 3, 6), last_date=date(2030, 3, 1)),
     "before the first date"),
    (dict(repeat=Repeat.WEEKLY, weekday=1, first_date=date(2030, 3, 6), last_date=None), "needs a last date"),
    (dict(repeat=Repeat.DAILY, first_date=date(2030, 1, 1), last_date=date(2040, 1, 1)), "at most two years"),
    (dict(repeat=Repeat.DAILY, first_date=date(2030, 1, 1), last_date=date(2031, 6, 1)), "more than 200 sessions"),
    (dict(repeat=Repeat.MONTHLY_NTH, weekday=1, nth=None, first_date=date(2030, 1, 1), last_date=date(2030, 6, 1)),
     "which weekday of the month"),
])
def test_a_recurrence_with_no_or_too_many_occurrences_is_refused_quickly(trainer, spec, reason):
    began = clock.monotonic()
    with pytest.raises(errors.InvalidSeries, match=reason):
        services.series_create(by=trainer.user, kind="connection", title="C", capacity=5, start_time=time(18),
                               duration_minutes=60, **spec)
    assert clock.monotonic() - began < 2
    assert Series.objects.count() == 0 and Event.objects.count() == 0


def test_visitors_cannot_schedule(visitor):
    with pytest.raises(errors.NotAllowed):
        services.series_create(by=visitor.user, kind="connection", title="C", capacity=5,
                               first_date=date(2030, 1, 1), start_time=time(18), duration_minutes=60)


def test_cancelling_one_date_leaves_the_others_and_tells_its_registrants(
        make_series, visitor, trainer, django_capture_on_commit_callbacks):
    series = make_series()
    first, second = window(series)[:2]
    services.registration_create(series=series, start=first, person=visitor)
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_cancel(series=series, start=first, by=trainer.user)
    assert SessionOccurrence.objects.get(series=series, original_start=first).cancelled
    assert not SessionOccurrence.objects.filter(series=series, original_start=second).exists()
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Cancelled"]
    with pytest.raises(errors.OccurrenceCancelled):
        services.occurrence_cancel(series=series, start=first, by=trainer.user)


def test_moving_one_date_keeps_its_registrations_and_leaves_the_others(make_series, visitor, trainer):
    series = make_series()
    first, second = window(series)[:2]
    reg = services.registration_create(series=series, start=first, person=visitor)
    new_start = first + timedelta(days=1, hours=1)
    services.occurrence_move(series=series, start=first, new_start=new_start, by=trainer.user)
    occ = SessionOccurrence.objects.get(series=series, original_start=first)
    assert occ.start == new_start and occ.end == new_start + timedelta(hours=1) and occ.occurrence.moved
    assert occ.registrations.get() == reg
    assert window(series)[1] == second
    with pytest.raises(errors.InvalidMove):
        services.occurrence_move(series=series, start=first, new_start=first - timedelta(days=30), by=trainer.user)


def test_persisting_the_same_occurrence_twice_keeps_one_row(make_series):
    series = make_series()
    start = series.event.start
    a = services.occurrence_ensure(series=series, start=start)
    b = services.occurrence_ensure(series=series, start=start)
    assert a.pk == b.pk and Occurrence.objects.filter(event=series.event).count() == 1


def test_deleting_a_series_with_registrations_does_not_recurse(make_series, visitor):
    series = make_series()
    services.registration_create(series=series, start=series.event.start, person=visitor)
    Event.objects.get(pk=series.event_id).delete()  # RecursionError without the pre_delete receiver
    assert Series.objects.count() == 0 and SessionOccurrence.objects.count() == 0


def test_changing_the_pattern_is_refused_while_people_hold_seats_on_dropped_dates(make_series, visitor, trainer):
    series = make_series()
    services.registration_create(series=series, start=series.event.start, person=visitor)
    spec = dict(kind=series.kind, title="Renamed", capacity=series.capacity, first_date=series.first_date,
                start_time=time(19), duration_minutes=60, repeat=Repeat.WEEKLY, weekday=series.weekday,
                last_date=series.last_date)
    with pytest.raises(errors.InvalidSeries, match="registered for sessions the new pattern drops"):
        services.series_update(series=series, by=trainer.user, **spec)
    series.refresh_from_db()
    assert series.title == "Connection Session" and series.start_time == time(18)
    spec["start_time"] = time(18)
    services.series_update(series=series, by=trainer.user, **spec)
    assert Series.objects.get(pk=series.pk).title == "Renamed"


def test_raising_the_capacity_promotes_the_waitlist(make_series, visitors, trainer,
                                                    django_capture_on_commit_callbacks):
    series = make_series(capacity=1)
    regs = [services.registration_create(series=series, start=series.event.start, person=p) for p in visitors[:3]]
    spec = dict(kind=series.kind, title=series.title, capacity=2, first_date=series.first_date,
                start_time=series.start_time, duration_minutes=60, repeat=series.repeat, weekday=series.weekday,
                last_date=series.last_date)
    with django_capture_on_commit_callbacks(execute=True):
        services.series_update(series=series, by=trainer.user, **spec)
    assert [r.__class__.objects.get(pk=r.pk).status for r in regs] == ["confirmed", "confirmed", "waitlisted"]
    assert len(mail.outbox) == 1
