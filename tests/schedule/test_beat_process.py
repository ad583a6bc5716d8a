"""The beat and a worker as real processes (what `make run` and hub-schedule.service start): one
`manage.py run_schedule --once` queues every job's due slot on a copy of the migrated database (SQLite,
or PostgreSQL in the PostgreSQL pass), a real `manage.py db_worker` runs them, and each Run is recorded
finished with what it did; a second tick queues nothing."""

import time

import pytest

from hub.schedule.registry import jobs
from tests.outbox.test_worker_processes import Database
from tests.support import TaskWorker, manage, server_env

pytestmark = pytest.mark.services

RUNS = "SELECT job, state, summary FROM scheduled_run ORDER BY job"


@pytest.fixture
def hub_database(database_templates):
    url, drop = database_templates.copy(seeded=False)
    yield url
    drop()


def test_the_beat_queues_the_due_jobs_and_a_real_worker_records_each_run_finished(hub_database):
    env = server_env(hub_database)
    database = Database(hub_database)
    beat = manage("run_schedule", "--once", env=env, timeout=120)
    assert beat.stdout.count("Queued ") == len(jobs()), beat.stdout + beat.stderr
    worker = TaskWorker(env, "schedule")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            runs = database.rows(RUNS)
            if len(runs) == len(jobs()) and all(state in ("finished", "failed") for _, state, _ in runs):
                break
            time.sleep(0.2)
        else:
            raise AssertionError(f"the runs did not finish: {database.rows(RUNS)}\n{worker.output()}")
    finally:
        worker.stop()
    assert runs == [
        ("announce_certificate_lapses", "finished", "0 people whose certificate ran out told"),
        ("impact_refresh", "finished", "impact figures of 0 students refreshed"),
        ("jobs_purge_expired", "finished", "0 expired jobs removed with their files"),
        ("jobs_recover", "finished", "0 stopped jobs resumed or failed"),
        ("outbox_prune", "finished", "0 old messages and 0 finished task records deleted"),
        ("outbox_recover", "finished", "0 send tasks whose worker stopped queued again; 0 failed after too many tries"),
        ("purge_closed_cases", "finished", "0 cases closed more than 365 days ago purged"),
        ("purge_roundtable_contacts", "finished",
         "Contact details of 0 sign-ups removed (roundtables ended more than 90 days ago)"),
        ("runs_prune", "finished", "0 old runs deleted"),
        ("send_certificate_reminders", "finished", "0 visitor reminders queued; 0 coordinator notices queued"),
        ("send_session_reminders", "finished", "0 reminders queued"),
    ]
    again = manage("run_schedule", "--once", "-v2", env=env, timeout=120, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Nothing due." in again.stdout and len(database.rows(RUNS)) == len(jobs())
