"""`manage.py db_worker`: django-tasks-db's worker, made to outlive its database connection.

The library's worker calls `close_old_connections()` between polls, but that closes a connection only
after an error was *recorded* on it; the first query on a connection the server dropped (PostgreSQL
restarted, a failover, an idle connection killed by a proxy or `pg_terminate_backend`) raises
`OperationalError` out of the poll, and the library re-raises anything that is not SQLite's "database
is locked": the worker process exits and mail stops until someone restarts it.

This command has the library's name, so every way the Hub starts a worker (`make run`,
`scripts/production_local.py`, `deploy/systemd/hub-worker@.service`, the tests) runs it: the Hub's
apps come before `django_tasks_db` in INSTALLED_APPS, and Django takes a command from the first app
that has it. Its options are the library's. On a lost connection the worker closes every connection,
waits its poll interval (a second at least, growing to `RECONNECT_MAX_SECONDS` while the database
stays away) and polls again, in the same process.

A task whose run the loss cut would otherwise never run again: Django drops the broken connection and
the library records the task "failed" (OperationalError) on a new one, or, when even that fails, it
stays "running" (until `outbox_recover`, every five minutes, finds it stranded); either way its message stays queued with no task to send it. So the worker
puts such a task back to "ready" once the database answers (up to `TASK_MAX_RUNS` runs in all), and a
worker runs it again: `message_deliver` locks the message's row and checks its state first, so a
message whose send was recorded is not sent again, and one whose record was lost with the connection
is sent (at least once: the relay may have taken the first copy, the one step outside the
transaction). The Hub's tasks are all safe to run again (the outbox's, Wagtail's indexing).
"""

import logging
import time

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from hub.outbox.services import TASK_MAX_RUNS, task_run_again

logger = logging.getLogger("django_tasks_db")

RECONNECT_MAX_SECONDS = 30.0
DATABASE_LOSS = {f"django.db.utils.{name}" for name in ("OperationalError", "InterfaceError")}


class Worker(db_worker.Worker):
    cut_short: int | None = None  # the task result whose run the database's loss interrupted

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.cut_short = db_task_result.pk
        super().run_task(db_task_result)  # raises only when it could not even record the failure
        if not (db_task_result.status == TaskResultStatus.FAILED
                and db_task_result.exception_class_path in DATABASE_LOSS
                and len(db_task_result.worker_ids) < TASK_MAX_RUNS):
            self.cut_short = None  # it ran to its end (successful, or failed for a reason of its own)
        self._put_back()

    def _put_back(self) -> None:
        if self.cut_short is None:
            return
        again = task_run_again(self.cut_short)
        logger.warning("worker_id=%s: task id=%s was cut short by the database; %s", self.worker_id,
                       self.cut_short, "queued to run again" if again else "it was finished meanwhile")
        self.cut_short = None

    def run(self) -> None:
        pause, last_loss = max(1.0, self.interval), 0.0
        while self.running:
            try:
                self._put_back()
                super().run()
                return  # --batch or --max-tasks: the library's loop ended by itself
            except (OperationalError, InterfaceError) as error:
                if not self.running:
                    return
                if time.monotonic() - last_loss > 2 * RECONNECT_MAX_SECONDS:
                    pause = max(1.0, self.interval)  # a new outage, not the same one going on
                last_loss = time.monotonic()
                logger.warning("worker_id=%s lost the database (%s: %s); reconnecting in %.0f s",
                               self.worker_id, type(error).__name__, str(error).strip()[:200], pause)
                try:
                    connections.close_all()
                except (OperationalError, InterfaceError):
                    pass  # closing a connection the server already ended may complain: it is closed
                time.sleep(pause)
                pause = min(RECONNECT_MAX_SECONDS, pause * 2)


class Command(db_worker.Command):
    help = "Run a database background worker that reconnects when the database goes away"

    def handle(self, *args, **options) -> None:
        original = db_worker.Worker
        db_worker.Worker = Worker  # the library's handle() builds `Worker(...)` from its module
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original
