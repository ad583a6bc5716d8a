"""The jobs the beat runs. Each feature app declares its own in a `scheduled.py` module and registers them
from its AppConfig.ready() (`job_register`), so `hub` never imports the apps above it.

A job is a name (the management command that does the same by hand), a django-tasks task made with
`hub.schedule.tasks.scheduled_task` (its work: the same service the command calls, returning a line
that says what it did) and a schedule, in the program's time zone (settings.TIME_ZONE):

- `Every(minutes=60)`: at every multiple of N minutes (on the hour for 60; elapsed time, so daylight
  saving time changes nothing);
- `Daily(time(7, 30))`: once a calendar day at that wall-clock time. On the day the clocks go forward a
  time in the skipped hour (02:15) runs at the same instant as it would have in standard time (03:15);
  on the day they go back a time in the repeated hour runs at its first occurrence. Once a day, always.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django_tasks.base import Task

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def program_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Every:
    """Every N minutes, at the multiples of N since midnight UTC (N dividing a day keeps them on the clock)."""

    minutes: int

    def __post_init__(self):
        if self.minutes < 1:
            raise ValueError("Every(minutes=...) needs at least one minute")

    @property
    def period(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    def latest(self, now: datetime) -> datetime:
        """The last slot at or before `now`."""
        steps = (now - EPOCH) // self.period
        return EPOCH + steps * self.period

    def following(self, slot: datetime) -> datetime:
        return self.latest(slot) + self.period

    def slots_between(self, earlier: datetime, later: datetime) -> int:
        """How many slots lie strictly between two slots."""
        return max(0, (self.latest(later) - self.latest(earlier)) // self.period - 1)

    def describe(self) -> str:
        if self.minutes % 60 == 0:
            hours = self.minutes // 60
            return ngettext("Every hour", "Every %(n)s hours", hours) % {"n": hours}
        return ngettext("Every minute", "Every %(n)s minutes", self.minutes) % {"n": self.minutes}


@dataclass(frozen=True)
class Daily:
    """Once a day at a wall-clock time of the program's time zone."""

    at: time

    def _on(self, day: date) -> datetime:
        # fold=0: a time in the skipped hour takes the offset before the change, one in the repeated hour
        # its first occurrence (PEP 495), so every day has exactly one slot.
        return datetime.combine(day, self.at, tzinfo=program_zone()).astimezone(UTC)

    def latest(self, now: datetime) -> datetime:
        today = now.astimezone(program_zone()).date()
        slot = self._on(today)
        return slot if slot <= now else self._on(today - timedelta(days=1))

    def following(self, slot: datetime) -> datetime:
        day = self.latest(slot).astimezone(program_zone()).date()
        return self._on(day + timedelta(days=1))

    def slots_between(self, earlier: datetime, later: datetime) -> int:
        zone = program_zone()
        days = (self.latest(later).astimezone(zone).date() - self.latest(earlier).astimezone(zone).date()).days
        return max(0, days - 1)

    def describe(self) -> str:
        return gettext("Every day at %(time)s") % {"time": self.at.strftime("%H:%M")}


Schedule = Every | Daily


@dataclass(frozen=True)
class Job:
    name: str  # also the management command that does the same work by hand
    task: Task  # made with hub.schedule.tasks.scheduled_task: takes the run's id, records the run
    schedule: Schedule
    label: str | Promise = ""
    description: str | Promise = ""

    @property
    def title(self) -> str:
        return str(self.label or self.name)


_jobs: dict[str, Job] = {}


def job_register(*jobs: Job) -> None:
    for job in jobs:
        _jobs[job.name] = job


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def job_named(name: str) -> Job | None:
    return _jobs.get(name)
