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
stays away) and polls again, in the same process. A task whose run was cut by the loss stays as the
library left it; its message is still queued in the outbox and `message_deliver` re-checks the row, so
nothing is sent twice.
"""

import logging
import time

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("django_tasks_db")

RECONNECT_MAX_SECONDS = 30.0


class Worker(db_worker.Worker):
    def run(self) -> None:
        pause, last_loss = max(1.0, self.interval), 0.0
        while self.running:
            try:
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
