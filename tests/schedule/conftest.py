from datetime import time

import pytest

from hub.schedule import registry
from hub.schedule.registry import Daily, Every, Job
from tests.schedule import jobs as test_jobs


@pytest.fixture
def only_jobs(monkeypatch):
    """Replace the registered jobs with the given ones for one test: only_jobs(Job(...), ...)."""

    def use(*jobs: Job) -> None:
        monkeypatch.setattr(registry, "_jobs", {job.name: job for job in jobs})

    test_jobs.CALLS.clear()
    return use


@pytest.fixture
def hourly():
    return Job("count_hourly", test_jobs.counting, Every(minutes=60), label="Counting, hourly")


@pytest.fixture
def daily():
    return Job("count_daily", test_jobs.counting, Daily(time(7, 30)), label="Counting, daily")


@pytest.fixture
def failing():
    return Job("explode_daily", test_jobs.exploding, Daily(time(2, 15)), label="Exploding, daily")


@pytest.fixture
def on_commit_at_once(monkeypatch):
    """The schedule hands a run to its (immediate, in tests) task on commit, and a test's transaction
    never commits: run it at once."""
    from hub.schedule import services

    monkeypatch.setattr(services.transaction, "on_commit", lambda func, using=None, robust=False: func())
