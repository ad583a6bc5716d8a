"""How a feature app turns its job's work into a django-tasks task (the beat enqueues it per slot)."""

import functools
from collections.abc import Callable

from django_tasks import task
from django_tasks.base import Task

from hub.schedule.services import run_execute


def scheduled_task(work: Callable[[], str]) -> Task:
    """A django-tasks task for a job: the worker calls it with the `Run`'s id; it marks the run running,
    does `work()` (which returns what it did, e.g. "12 reminders queued") and records the run finished
    with that summary, or failed with the error. Use it as a decorator on a module-level function: the
    task keeps the function's module and name, so a worker imports it from there."""

    @functools.wraps(work)
    def run(run_id: int) -> str:
        return run_execute(run_id=run_id, work=work)

    del run.__wrapped__  # the task takes run_id: its signature must not be read from `work`
    run.work = work  # the undecorated work, for a test or a shell
    return task()(run)
