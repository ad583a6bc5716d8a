"""The beat's service: each job's due slot queued once, a gap caught up with one run, "run now" idempotent,
a failing run recorded failed (and not repeated), and the real jobs registered by their apps."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import get_commands
from django.utils import timezone

from hub.schedule import errors, services
from hub.schedule.models import Run, State, Trigger
from hub.schedule.registry import jobs
from hub.schedule.selectors import job_statuses
from tests.schedule import jobs as test_jobs

pytestmark = pytest.mark.django_db

NINE = datetime(2026, 12, 2, 14, 0, 30, tzinfo=UTC)  # 09:00:30 in New York


def test_a_tick_queues_each_due_slot_once_and_the_run_records_what_it_did(only_jobs, hourly, on_commit_at_once):
    only_jobs(hourly)
    [run] = services.schedule_tick(now=NINE)
    assert services.schedule_tick(now=NINE + timedelta(seconds=30)) == []  # the same slot: nothing more
    run.refresh_from_db()
    assert (run.job, run.slot, run.state, run.trigger) == ("count_hourly", NINE.replace(second=0), State.FINISHED,
                                                          Trigger.SCHEDULE)
    assert run.summary == "1 call(s) so far" and run.attempts == 1
    assert run.started_at <= run.finished_at
    assert test_jobs.CALLS == ["counting"]


def test_after_a_gap_the_beat_catches_up_once_and_says_how_many_it_skipped(only_jobs, hourly, on_commit_at_once):
    only_jobs(hourly)
    services.schedule_tick(now=NINE)
    later = NINE + timedelta(days=2, hours=5, minutes=20)  # the beat was down over a weekend
    [caught_up] = services.schedule_tick(now=later)
    assert services.schedule_tick(now=later + timedelta(minutes=1)) == []
    assert caught_up.slot == NINE.replace(second=0) + timedelta(days=2, hours=5)
    assert caught_up.trigger == Trigger.CATCH_UP and caught_up.missed_before == 2 * 24 + 5 - 1
    assert Run.objects.count() == 2 and test_jobs.CALLS == ["counting", "counting"]


def test_a_slot_passed_with_no_run_shows_as_missed_until_the_beat_runs_it(only_jobs, daily, hourly):
    only_jobs(daily, hourly)
    morning = datetime(2026, 12, 2, 13, 10, tzinfo=UTC)  # 08:10 in New York: 07:30 and 08:00 passed, nothing ran
    assert {s.job.name: s.missed for s in job_statuses(now=morning)} == {"count_daily": True, "count_hourly": True}
    services.schedule_tick(now=morning)  # queued (the on-commit task never runs here): pending, not missed
    Run.objects.update(created_at=morning)  # as if the tick ran then
    statuses = {s.job.name: s for s in job_statuses(now=morning)}
    assert not statuses["count_daily"].missed and statuses["count_daily"].busy
    assert statuses["count_daily"].last.state == State.QUEUED
    assert statuses["count_daily"].next_due == datetime(2026, 12, 3, 12, 30, tzinfo=UTC)


def test_a_run_whose_task_raises_is_recorded_failed_once_and_marked_missed(only_jobs, failing, on_commit_at_once):
    only_jobs(failing)
    night = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)  # 03:00 in New York
    [run] = services.schedule_tick(now=night)
    run.refresh_from_db()
    assert run.state == State.FAILED and run.error == "RuntimeError: the relay table is locked"
    assert run.finished_at is not None and run.summary == ""
    assert services.schedule_tick(now=night + timedelta(hours=1)) == []  # not retried by itself
    assert test_jobs.CALLS == ["exploding"]
    [status] = job_statuses(now=night)
    assert status.missed and status.missed_reason == "failed" and not status.busy


def test_a_second_copy_of_a_runs_task_does_nothing(only_jobs, hourly, on_commit_at_once):
    only_jobs(hourly)
    [run] = services.schedule_tick(now=NINE)
    assert test_jobs.counting.func(run.pk) == State.FINISHED  # already finished: not run again
    assert test_jobs.CALLS == ["counting"]


def test_run_now_queues_one_run_while_one_is_queued(only_jobs, daily, make_person):
    from hub.roles import STATE_STAFF

    only_jobs(daily)
    samira, now = make_person("samira", roles=(STATE_STAFF,)).user, timezone.now()
    first = services.run_now(job_name="count_daily", by=samira, now=now)
    assert (first.trigger, first.requested_by, first.state) == (Trigger.MANUAL, samira, State.QUEUED)
    with pytest.raises(errors.AlreadyQueued):
        services.run_now(job_name="count_daily", by=samira, now=now + timedelta(minutes=3))
    assert Run.objects.count() == 1
    # Its run covers the latest 07:30: the beat queues nothing more for it.
    assert services.schedule_tick(now=now + timedelta(minutes=4)) == []


def test_run_now_after_a_run_finished_queues_another_and_a_stale_one_does_not_block(
        only_jobs, daily, make_person, on_commit_at_once):
    from hub.roles import STATE_STAFF

    only_jobs(daily)
    samira, now = make_person("samira", roles=(STATE_STAFF,)).user, timezone.now()
    services.run_now(job_name="count_daily", by=samira, now=now)
    second = services.run_now(job_name="count_daily", by=samira, now=now + timedelta(minutes=2))
    assert Run.objects.filter(state=State.FINISHED).count() == 2
    Run.objects.filter(pk=second.pk).update(state=State.RUNNING, started_at=now - timedelta(hours=3))
    services.run_now(job_name="count_daily", by=samira, now=now + timedelta(minutes=3))  # its worker died
    Run.objects.filter(pk=second.pk).update(state=State.QUEUED, created_at=now - timedelta(hours=3))
    services.run_now(job_name="count_daily", by=samira, now=now + timedelta(minutes=4))  # its task was lost
    assert Run.objects.count() == 4


def test_run_now_refuses_people_without_the_role_and_unknown_jobs(only_jobs, daily, make_person):
    from hub.roles import STATE_STAFF, VISITOR

    only_jobs(daily)
    with pytest.raises(errors.NotAllowed):
        services.run_now(job_name="count_daily", by=make_person("ana", roles=(VISITOR,)).user)
    with pytest.raises(errors.UnknownJob):
        services.run_now(job_name="nope", by=make_person("samira", roles=(STATE_STAFF,)).user)
    assert not Run.objects.exists()


def test_the_apps_register_their_jobs_each_named_after_the_command_that_does_it_by_hand():
    names = {job.name: job.schedule.describe() for job in jobs()}
    assert names == {"send_session_reminders": "Every hour", "send_certificate_reminders": "Every day at 07:30",
                     "purge_roundtable_contacts": "Every day at 02:15", "purge_closed_cases": "Every day at 02:45",
                     "jobs_recover": "Every 5 minutes", "jobs_purge_expired": "Every day at 03:00",
                     "outbox_prune": "Every day at 03:30", "outbox_recover": "Every 5 minutes",
                     "runs_prune": "Every day at 03:40",
                     "announce_certificate_lapses": "Every 10 minutes", "impact_refresh": "Every hour"}
    assert set(names) <= set(get_commands())


def test_the_real_jobs_run_through_their_services_and_say_what_they_did(on_commit_at_once):
    services.schedule_tick(now=NINE)
    summaries = dict(Run.objects.values_list("job", "summary"))
    assert set(Run.objects.values_list("state", flat=True)) == {State.FINISHED}
    assert summaries == {
        "send_session_reminders": "0 reminders queued",
        "send_certificate_reminders": "0 visitor reminders queued; 0 coordinator notices queued",
        "purge_roundtable_contacts": "Contact details of 0 sign-ups removed (roundtables ended more than 90 days ago)",
        "purge_closed_cases": "0 cases closed more than 365 days ago purged",
        "jobs_recover": "0 stopped jobs resumed or failed",
        "jobs_purge_expired": "0 expired jobs removed with their files",
        "outbox_prune": "0 old messages and 0 finished task records deleted",
        "outbox_recover": "0 send tasks whose worker stopped queued again; 0 failed after too many tries",
        "runs_prune": "0 old runs deleted",
        "announce_certificate_lapses": "0 people whose certificate ran out told",
        "impact_refresh": "impact figures of 0 students refreshed",
    }


def test_the_clean_up_deletes_old_runs_but_keeps_each_jobs_latest(only_jobs, hourly, on_commit_at_once):
    only_jobs(hourly)
    for hours in (0, 1, 2):
        services.schedule_tick(now=NINE + timedelta(hours=hours))
    assert Run.objects.count() == 3
    assert services.runs_prune(days=90) == 0  # all recent
    later = NINE + timedelta(days=100)
    assert services.runs_prune(days=90, now=later) == 2  # the latest stays, though as old
    [kept] = Run.objects.all()
    assert kept.slot == NINE.replace(second=0) + timedelta(hours=2)
    assert services.runs_prune(days=90, now=later) == 0
