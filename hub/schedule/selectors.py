"""Who sees the scheduled jobs, and what the page shows of each: its schedule, its last run, when it is
next due and whether a slot was missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from hub.roles import STATE_STAFF, TRAINER, roles_of
from hub.schedule.models import Run, State
from hub.schedule.registry import Job, jobs

# The Hub's own staff (trainers edit the site, `is_staff`) and the state-level role; superusers too.
# Coordinators and regional staff do not: the jobs act on every district at once.
SCHEDULE_ROLES = frozenset({TRAINER, STATE_STAFF})
# How long after its time a slot may wait for the beat's next tick (one a minute) before it is "missed".
GRACE = timedelta(minutes=5)
# A run queued or running for longer than this is taken to have died with its worker (or lost its task):
# it no longer stops "run now".
STALE_AFTER = timedelta(hours=2)


def may_see_schedule(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.is_staff or bool(roles_of(user) & SCHEDULE_ROLES)


@dataclass
class JobStatus:
    job: Job
    schedule: str  # in words
    due_slot: datetime  # the latest slot at or before now
    next_due: datetime
    last: Run | None  # the latest run (by slot)
    busy: bool  # a run is queued or running: "run now" would queue nothing
    missed: bool  # the due slot passed and no run covering it finished

    @property
    def missed_reason(self) -> str:
        return "failed" if self.last is not None and self.last.state == State.FAILED else "not run"


def job_statuses(*, now: datetime | None = None) -> list[JobStatus]:
    """Every registered job with what the page shows of it (three queries whatever the number of jobs)."""
    now = now or timezone.now()
    registered = jobs()
    names = [job.name for job in registered]
    latest = {run.job: run for run in _latest_runs(names)}
    busy = set(busy_runs(now=now).filter(job__in=names).values_list("job", flat=True).distinct())
    statuses = []
    for job in registered:
        due = job.schedule.latest(now)
        last = latest.get(job.name)
        # The latest slot the beat has had time to queue: for a job every five minutes the due slot is
        # always under GRACE old, so "missed" asks about this one.
        overdue = job.schedule.latest(now - GRACE)
        missed = last is None or last.slot < overdue or last.state == State.FAILED
        statuses.append(JobStatus(job=job, schedule=job.schedule.describe(), due_slot=due,
                                  next_due=job.schedule.following(now), last=last, busy=job.name in busy,
                                  missed=missed))
    return statuses


def busy_runs(*, now: datetime) -> QuerySet[Run]:
    """Runs that keep "run now" from queueing another: queued or running, and not stale."""
    since = now - STALE_AFTER
    return Run.objects.filter(Q(state=State.QUEUED, created_at__gte=since)
                              | Q(state=State.RUNNING, started_at__gte=since))


def _latest_runs(names: list[str]) -> list[Run]:
    """Each job's run with the latest slot (two queries; (job, slot) is unique)."""
    slots = dict(Run.objects.filter(job__in=names).values_list("job").annotate(last=Max("slot")).order_by())
    if not slots:
        return []
    match = Q()
    for name, slot in slots.items():
        match |= Q(job=name, slot=slot)
    return list(Run.objects.filter(match))


def recent_runs(*, limit: int = 30) -> QuerySet[Run]:
    return Run.objects.select_related("requested_by").order_by("-created_at", "-pk")[:limit]
