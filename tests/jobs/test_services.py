"""Jobs run by the (immediate, in-process) task backend: progress per batch, row errors, a file changed
or deleted while its job waits, a worker that stopped, expiry."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from coordinators.models import StudentCase
from hub.jobs import services
from hub.jobs.models import Job, State
from tests.jobs.conftest import HEADER, case_file, case_rows

pytestmark = pytest.mark.django_db


def _start(coordinator, hartford, text, kind="cases.import"):
    return services.job_start(kind=kind, owner=coordinator.user, district=hartford, file=case_file(text))


def test_progress_is_written_after_every_batch_and_the_job_ends_with_the_counts(
        coordinator, hartford, school, monkeypatch):
    from coordinators import csv_import

    monkeypatch.setattr(csv_import, "BATCH", 10)
    seen = []
    original = services.JobRun.progress

    def spy(self, **counts):
        original(self, **counts)
        seen.append(Job.objects.values_list("rows_done", "rows_total", "errors_count").get(pk=self.job_id))

    monkeypatch.setattr(services.JobRun, "progress", spy)
    bad = "J-99,Maya,Lopez,4,Parkville Community School,Spanish,50,8,\n"  # two letters: one error
    job = _start(coordinator, hartford, HEADER + case_rows(12) + bad + case_rows(13, start=13))
    job.refresh_from_db()
    # the file's rows counted first (26), then every batch of 10 good rows, then the last partial one
    assert seen == [(0, 26, 0), (10, 26, 0), (21, 26, 1), (26, 26, 1)]
    assert (job.state, job.rows_done, job.rows_total, job.errors_count) == (State.FINISHED, 26, 26, 1)
    assert job.errors == [[14, "Give only the last initial."]] or job.errors[0][0] == 14
    assert "25 added" in job.summary and StudentCase.objects.count() == 25
    assert not job.input_file and job.expires_at > timezone.now() + timedelta(days=6)


def test_a_file_deleted_while_its_job_waits_fails_it_saying_nothing_was_imported(coordinator, hartford, held):
    job = _start(coordinator, hartford, HEADER + case_rows(3))
    assert held == [(job.pk, 1)] and job.state == State.QUEUED
    job.input_file.storage.delete(job.input_file.name)
    assert services.job_run(job_id=job.pk, attempt=1) == "failed"
    job.refresh_from_db()
    assert job.state == State.FAILED and "deleted" in job.summary and "Nothing was imported" in job.summary
    assert StudentCase.objects.count() == 0


def test_a_file_replaced_while_its_job_waits_fails_it(coordinator, hartford, held):
    job = _start(coordinator, hartford, HEADER + case_rows(3))
    with open(job.input_file.path, "w") as replaced:
        replaced.write(HEADER + case_rows(3, start=100))  # same size, other students
    assert services.job_run(job_id=job.pk, attempt=1) == "failed"
    job.refresh_from_db()
    assert job.state == State.FAILED and "replaced or changed" in job.summary
    assert StudentCase.objects.count() == 0 and not job.input_file


def test_a_job_whose_worker_stopped_runs_again_and_imports_every_row_once(coordinator, hartford, school, held):
    job = _start(coordinator, hartford, HEADER + case_rows(5))
    # a first worker imported the first 3 rows (as a committed batch), then was killed
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, rows_done=3, updated_at=timezone.now() - timedelta(hours=1))
    from coordinators.csv_import import cases_import

    cases_import(district=hartford, file=case_file(HEADER + case_rows(3)), by=coordinator.user)
    assert services.jobs_recover_stale() == 1
    job.refresh_from_db()
    assert (job.state, job.attempt) == (State.QUEUED, 2) and "stopped after 3 rows" in job.notice
    assert services.job_run(job_id=job.pk, attempt=1) == "superseded"  # the old run, if it comes back
    assert services.job_run(job_id=job.pk, attempt=2) == "finished"
    job.refresh_from_db()
    assert "2 added" in job.summary and "3 unchanged" in job.summary
    assert sorted(StudentCase.objects.values_list("student_ref", flat=True)) == [f"J-{i}" for i in range(1, 6)]


def test_a_job_whose_worker_keeps_stopping_fails_saying_what_was_imported(coordinator, hartford, held, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    job = _start(coordinator, hartford, HEADER + case_rows(5))
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, attempt=2, rows_done=3,
                                         updated_at=timezone.now() - timedelta(hours=1))
    assert services.jobs_recover_stale() == 1
    job.refresh_from_db()
    assert job.state == State.FAILED and "At least 3 rows were imported" in job.summary
    assert "Upload the file again" in job.summary and not job.input_file


def test_a_running_job_with_a_recent_heartbeat_is_left_alone(coordinator, hartford, held):
    job = _start(coordinator, hartford, HEADER + case_rows(2))
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, updated_at=timezone.now())
    assert services.jobs_recover_stale() == 0 and Job.objects.get(pk=job.pk).attempt == 1


def test_expired_jobs_are_purged_with_their_files(coordinator, hartford, held):
    old = _start(coordinator, hartford, HEADER + case_rows(2))
    fresh = _start(coordinator, hartford, HEADER + case_rows(2))
    path = old.input_file.path
    Job.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    Job.objects.filter(pk=fresh.pk).update(expires_at=timezone.now() + timedelta(days=1))
    call_command("jobs_purge_expired")
    assert list(Job.objects.values_list("pk", flat=True)) == [fresh.pk]
    import os

    assert not os.path.exists(path) and os.path.exists(fresh.input_file.path)


def test_the_uploaded_name_is_shown_without_what_could_disguise_it(coordinator, hartford, held):
    job = services.job_start(kind="cases.import", owner=coordinator.user, district=hartford,
                             file=case_file(HEADER + case_rows(1), name="cases\u202evsc.exe"))
    assert job.input_name == "casesvsc.exe" and job.input_file.name.startswith("input/")
