"""A case import killed with its worker, with real processes: a `manage.py db_worker` takes the job and
is SIGKILLed part-way (rows of the first batches committed, the rest not: the state a crash leaves);
the job is noticed as stopped (no heartbeat for JOB_STALE_SECONDS: `manage.py jobs_recover`, what a
scheduled run or the owner's page does), a new worker runs it again from the first row, and it ends
finished with every row imported exactly once and the job saying what happened. Never half-applied
without a word."""

import json

import pytest

from tests.outbox.test_worker_processes import Database, shell, wait_for
from tests.support import TaskWorker as Worker
from tests.support import manage, server_env

pytestmark = pytest.mark.services

ROWS = 20_000

SETUP = """
import io, json
from hub.demo import seed_organisations
from hub.jobs.services import job_start
from hub.models import District
from hub.roles import COORDINATOR
from hub.services import person_create

seed_organisations()
hartford = District.objects.get(name="Hartford")
carla = person_create(username="carla", email="carla@example.org", first_name="Carla", last_name="Mendes",
                      password=None, roles=(COORDINATOR,), home_district=hartford)
header = "student_id,first_name,last_initial,grade,school,home_language,days_enrolled,days_absent,referral_reason\\n"
rows = "".join(f"K-{i},Maya,L,4,Parkville Community School,Spanish,50,8,Mornings\\n" for i in range(%(rows)d))
upload = io.BytesIO((header + rows).encode())
upload.name = "big-cases.csv"
job = job_start(kind="cases.import", owner=carla.user, district=hartford, file=upload)
print("SETUP " + json.dumps({"job": job.pk}))
"""


@pytest.fixture
def hub_database(database_templates):
    url, drop = database_templates.copy(seeded=False)
    yield url
    drop()


def test_an_import_whose_worker_is_killed_midway_completes_on_restart_with_every_row_once(hub_database, tmp_path):
    env = server_env(hub_database, JOB_STALE_SECONDS="2", MEDIA_ROOT=str(tmp_path / "media"),
                     PRIVATE_MEDIA_ROOT=str(tmp_path / "smedia"))
    db = Database(hub_database)
    job = shell(SETUP % {"rows": ROWS}, env, "SETUP")["job"]

    def job_row():
        return db.rows("SELECT state, rows_done, rows_total, attempt, summary, notice FROM jobs_job WHERE id = %s",
                       (job,))[0]

    def cases() -> int:
        return db.rows("SELECT COUNT(*) FROM coordinators_studentcase")[0][0]

    first = Worker(env, "jobs-killed")
    try:
        wait_for(lambda: job_row()[0] == "running" and job_row()[1] > 0, timeout=60, every=0.02,
                 what="the first worker to write progress")
        first.proc.kill()  # SIGKILL: no clean-up, mid-import
        first.proc.wait(10)
    finally:
        first.stop()
    state, done, total, attempt, _, _ = job_row()
    imported = cases()
    assert state == "running" and attempt == 1 and total == ROWS
    assert 0 < imported < ROWS, f"the kill came after the whole import ({imported} rows): make the file bigger"

    second = Worker(env, "jobs-restarted")
    try:
        # the heartbeat goes stale (JOB_STALE_SECONDS=2) while the command starts
        wait_for(lambda: "1 stopped jobs" in manage("jobs_recover", env=env).stdout, timeout=30, every=0.5,
                 what="jobs_recover to notice the stopped worker")
        wait_for(lambda: job_row()[0] in ("finished", "failed"), timeout=120, every=0.5,
                 what=f"the second worker to finish the import\n{second.output()}")
    finally:
        second.stop()
    state, done, total, attempt, summary, notice = job_row()
    assert (state, done, total, attempt) == ("finished", ROWS, ROWS, 2), summary
    assert db.rows("SELECT COUNT(*), COUNT(DISTINCT student_ref) FROM coordinators_studentcase")[0] == (ROWS, ROWS)
    assert f"{ROWS:,} rows read" in summary and f"{ROWS - imported:,} added" in summary
    assert f"{imported:,} unchanged" in summary  # the rows the killed worker had committed, left as they were
    assert "The worker stopped after" in notice and "every row is imported once" in notice
    audit = db.rows("SELECT COUNT(*) FROM coordinators_auditentry WHERE action = 'cases.import'")[0][0]
    assert audit == 1, json.dumps(audit)  # the import is recorded once, when it finished
