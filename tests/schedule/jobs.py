"""Jobs for the tests: module-level tasks (a worker imports a task by its module path)."""

from hub.schedule.tasks import scheduled_task

CALLS: list[str] = []


@scheduled_task
def counting() -> str:
    CALLS.append("counting")
    return f"{len(CALLS)} call(s) so far"


@scheduled_task
def exploding() -> str:
    CALLS.append("exploding")
    raise RuntimeError("the relay table is locked")
