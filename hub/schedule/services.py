"""The beat's state changes: find each job's due slot and queue it once (`schedule_tick`), queue a job
now (`run_now`), and run a queued run (`run_execute`, what a job's task does on the worker).

Catch-up is bounded: a tick queues at most the latest due slot of each job, whatever the gap since the
job's last recorded run (after a weekend with the beat down, one session-reminder run, not 60); the
slots skipped are counted on the run (`missed_before`) and the page says so. The jobs are written to be
safe that way: each works from "now" (reminders due in the next day, contacts older than 90 days) and
is idempotent by its own keys (a reminder is recorded before it is queued).

A run's row and its task are written in one transaction when the task backend keeps its queue in the
same database (django-tasks-db, the default; as the outbox does): a beat that dies after the commit
loses nothing, one that dies before leaves neither. Any other backend (the immediate one of the unit
tests) gets the task on commit. The unique (job, slot) key makes a second beat, a catch-up racing the
tick or a double click wait for the first insert and then find the slot taken: one run per slot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from hub.schedule import errors
from hub.schedule.models import Run, State, Trigger
from hub.schedule.registry import Job, job_named, jobs

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000
SUMMARY_LENGTH = 500
# A slot queued later than this after its time counts as caught up, not on schedule.
ON_TIME = timedelta(minutes=5)


def _queue_in_transaction(job: Job) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(job.task.get_backend(), DatabaseBackend)


def _run_create(*, job: Job, slot: datetime, trigger: str, missed_before: int = 0, by=None) -> Run | None:
    """Insert the run of `job` for `slot` and enqueue its task, in the current transaction; None when the
    slot already has a run (the idempotency key)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = Run.objects.create(job=job.name, slot=slot, trigger=trigger, missed_before=missed_before,
                                         requested_by=by)
        except IntegrityError:
            if Run.objects.filter(job=job.name, slot=slot).exists():
                return None  # another beat, a catch-up or a second click took this slot first
            raise
        if _queue_in_transaction(job):
            job.task.enqueue(run.pk)
        else:
            transaction.on_commit(lambda: job.task.enqueue(run.pk))
    return run


def schedule_tick(*, now: datetime | None = None) -> list[Run]:
    """Queue each job's latest due slot, unless a run already covers it (a run for that slot, or a later
    one: "run now" after the slot counts). Returns the runs queued."""
    now = now or timezone.now()
    queued = []
    last_slots = dict(Run.objects.values_list("job").annotate(last=Max("slot")).order_by())
    for job in jobs():
        slot = job.schedule.latest(now)
        last = last_slots.get(job.name)
        if last is not None and last >= slot:
            continue
        missed = job.schedule.slots_between(last, slot) if last is not None else 0
        trigger = Trigger.CATCH_UP if missed or now - slot > ON_TIME else Trigger.SCHEDULE
        run = _run_create(job=job, slot=slot, trigger=trigger, missed_before=missed)
        if run is not None:
            queued.append(run)
    return queued


def run_now(*, job_name: str, by, now: datetime | None = None) -> Run:
    """Queue a job at once (staff, from the page). Idempotent: while a run of the job is queued or
    running, nothing more is queued (AlreadyQueued); two clicks in the same minute share its key. A run
    queued or running for longer than `selectors.STALE_AFTER` no longer counts (its worker died)."""
    from hub.schedule.selectors import busy_runs, may_see_schedule

    if not may_see_schedule(by):
        raise errors.NotAllowed()
    job = job_named(job_name)
    if job is None:
        raise errors.UnknownJob()
    now = now or timezone.now()
    if busy_runs(now=now).filter(job=job.name).exists():
        raise errors.AlreadyQueued()
    run = _run_create(job=job, slot=now.replace(second=0, microsecond=0), trigger=Trigger.MANUAL, by=by)
    if run is None:
        raise errors.AlreadyQueued()
    return run


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_LENGTH]


def run_execute(*, run_id: int, work: Callable[[], str]) -> str:
    """What a job's task does on the worker: take the queued run (under a row lock, so a second copy of
    the task finds it taken and does nothing), mark it running, do the work, record finished with its
    summary or failed with the error. A failure is recorded, never raised or retried (the next slot, or
    "run now", runs the job again). Returns the run's state."""
    with transaction.atomic():
        run = Run.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return "gone"
        if run.state != State.QUEUED:
            return str(run.state)
        run.state, run.started_at, run.attempts = State.RUNNING, timezone.now(), run.attempts + 1
        run.save(update_fields=["state", "started_at", "attempts"])
    try:
        summary = work()
    except Exception as error:
        logger.exception("scheduled job %s (run %s) failed", run.job, run.pk)
        run.state, run.error = State.FAILED, _describe(error)
    else:
        run.state, run.summary = State.FINISHED, str(summary or "")[:SUMMARY_LENGTH]
    run.finished_at = timezone.now()
    Run.objects.filter(pk=run.pk).update(state=run.state, error=run.error, summary=run.summary,
                                         finished_at=run.finished_at)
    return str(run.state)


def runs_prune(*, days: int | None = None, now: datetime | None = None) -> int:
    """Delete the runs that finished (or failed) more than `days` (SCHEDULE_RUNS_KEEP_DAYS) ago, except each
    job's latest run (the page shows it, and the beat's catch-up starts from it). A job every five
    minutes writes about 100,000 runs a year otherwise. Returns how many went (`manage.py runs_prune`)."""
    from django.conf import settings

    days = days or max(1, int(getattr(settings, "SCHEDULE_RUNS_KEEP_DAYS", 90)))
    before = (now or timezone.now()) - timedelta(days=days)
    latest = Run.objects.values("job").annotate(last=Max("slot")).order_by()
    keep = [run.pk for job in latest for run in Run.objects.filter(job=job["job"], slot=job["last"]).only("pk")]
    deleted, _ = (Run.objects.filter(state__in=(State.FINISHED, State.FAILED), finished_at__lt=before)
                  .exclude(pk__in=keep).delete())
    return deleted
