"""Jobs' state changes: start one (store the upload, queue the task, in one transaction), run it (what
the worker does), notice that its worker stopped and resume it, purge the expired.

**What a stopped worker leaves.** The imports write in batches, each batch committed whole (a row is
never half-written), and they are idempotent: rows are upserted by their key, so importing the same
file again changes nothing that is already there. So a job whose worker was killed part-way is
*resumed by running it again from the first row*: the rows the first run committed come out
"unchanged", the rest are imported, and every row ends imported exactly once. The job says so
(`notice`), and its counts are those of the run that finished. After JOB_MAX_ATTEMPTS stopped runs the
job fails instead, saying how many rows were imported at least and that the rest were not. An export
is simply made again. Nothing is ever left half-applied without the job saying so.

The worker is known to have stopped when a job is `running` and its heartbeat (`updated_at`, written
with every batch's progress) is older than JOB_STALE_SECONDS: checked when its owner's page asks for its
status (`job_recover_if_stale`) and by `manage.py jobs_recover` (for a scheduled run). Each run carries
the job's `attempt`; a run whose attempt is no longer the job's stops at its next progress write, so a
worker that was only slow, not dead, never runs alongside the resumed run for long (and if it did, the
import being idempotent, nothing would be written twice).

Progress is written in the worker's own short transactions (autocommit), so the page sees it while
the import goes on. The task is queued inside the transaction that creates the job when the task
backend keeps its queue in the database (django-tasks-db, as the outbox does): job and task commit
together or not at all.
"""

import hashlib
import logging
import os
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from hub.errors import HubError
from hub.jobs.errors import InputProblem, Superseded
from hub.jobs.models import DONE, Job, State
from hub.jobs.registry import JobOutcome, kind_get
from hub.uploads import clean_text

logger = logging.getLogger(__name__)

CHUNK = 1 << 16


def result_days() -> int:
    return int(getattr(settings, "JOB_RESULT_DAYS", 7))


def stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "JOB_STALE_SECONDS", 60)))


def max_attempts() -> int:
    return max(1, int(getattr(settings, "JOB_MAX_ATTEMPTS", 3)))


def errors_kept() -> int:
    return int(getattr(settings, "JOB_ERRORS_KEPT", 1000))


def _queue_in_transaction() -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(job_run_task.get_backend(), DatabaseBackend)


def _enqueue(job_id: int, attempt: int) -> None:
    job_run_task.enqueue(job_id, attempt)


def _sha256(binary) -> str:
    digest = hashlib.sha256()
    binary.seek(0)
    while chunk := binary.read(CHUNK):
        digest.update(chunk)
    binary.seek(0)
    return digest.hexdigest()


def job_start(*, kind: str, owner, district=None, file=None, params: dict | None = None) -> Job:
    """Store the upload privately (with its sha256) and queue the job's task, in one transaction. With a
    backend that is not the database's (the unit tests' immediate one) the task is queued once the job is
    saved, after this block: it then runs at once."""
    job_kind = kind_get(kind)
    with transaction.atomic():
        job = Job(owner=owner, kind=job_kind.name, district=district, params=params or {})
        if job_kind.takes_file:
            job.input_sha256 = _sha256(file)
            # shown on the page as the person named it, without what could disguise it (bidi overrides...)
            job.input_name = clean_text(os.path.basename(getattr(file, "name", "") or "upload.csv"), max_length=200)
            job.input_file.save("upload.csv", File(file), save=False)
        job.save()
        if _queue_in_transaction():
            _enqueue(job.pk, job.attempt)
    if not _queue_in_transaction():
        _enqueue(job.pk, job.attempt)
    return job


class JobRun:
    """What a kind's `run` is handed: the job's owner, district, params, the checked upload, and the two
    ways of telling the page how far it is (`progress`) and of writing an export (`write_csv`)."""

    def __init__(self, job: Job, file=None):
        self.job_id, self.attempt = job.pk, job.attempt
        self.owner, self.district, self.params, self.file = job.owner, job.district, job.params, file
        self.rows_total = job.rows_total

    def progress(self, *, done: int, errors: int = 0, total: int | None = None) -> None:
        """Write the counts (and the heartbeat) in a transaction of their own; stop if superseded."""
        values = {"rows_done": done, "errors_count": errors, "updated_at": timezone.now()}
        if total is not None:
            values["rows_total"] = self.rows_total = total
        elif self.rows_total is not None and done > self.rows_total:
            values["rows_total"] = self.rows_total = done  # the count before reading was an estimate
        with transaction.atomic():
            written = Job.objects.filter(pk=self.job_id, attempt=self.attempt, state=State.RUNNING).update(**values)
        if not written:
            raise Superseded()

    def write_csv(self, *, header: list[str], rows, filename: str, every: int = 500) -> int:
        """Write a spreadsheet-safe CSV (hub.exports) to the job's private result file, reporting
        progress every `every` rows; returns how many rows were written."""
        from hub.exports import csv_lines, safe_filename

        storage = Job._meta.get_field("result_file").storage
        name = f"result/{uuid.uuid4().hex}.csv"
        old = Job.objects.filter(pk=self.job_id).values_list("result_file", flat=True).first()
        if old:
            storage.delete(old)  # a file an earlier, stopped run began
        Job.objects.filter(pk=self.job_id, attempt=self.attempt).update(
            result_file=name, result_name=safe_filename(filename)[:120])
        path = storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        count = -1
        with open(path, "w", encoding="utf-8", newline="") as out:
            for count, line in enumerate(csv_lines(header, rows)):
                out.write(line)
                if count and count % every == 0:
                    self.progress(done=count)
        return max(count, 0)


def _opened_input(job: Job):
    """The upload, opened, if it is still the file that was uploaded; else InputProblem (nothing imported)."""
    storage = job.input_file.storage
    if not job.input_file.name or not storage.exists(job.input_file.name):
        raise InputProblem(_("The uploaded file is gone: it was deleted while the job waited for the worker. "
                             "Nothing was imported; upload it again."))
    binary = storage.open(job.input_file.name, "rb")
    digest, lines, last = hashlib.sha256(), 0, b""
    while chunk := binary.read(CHUNK):
        digest.update(chunk)
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    if digest.hexdigest() != job.input_sha256:
        binary.close()
        raise InputProblem(_("The uploaded file was replaced or changed after it was uploaded (its contents no "
                             "longer match). Nothing was imported; upload it again."))
    binary.seek(0)
    lines += 1 if last not in (b"", b"\n") else 0
    return binary, max(lines - 1, 0)  # less the header: an estimate (a quoted cell may hold a line break)


def _remove_input(job: Job) -> None:
    if job.input_file.name:
        job.input_file.storage.delete(job.input_file.name)
        job.input_file.name = ""


def _end(job: Job, *, state: str, summary: str, outcome: JobOutcome | None = None, now=None) -> None:
    now = now or timezone.now()
    job.state, job.summary, job.finished_at = state, str(summary), now
    job.expires_at = now + timedelta(days=result_days())
    fields = ["state", "summary", "finished_at", "expires_at", "input_file", "updated_at"]
    if outcome is not None:
        job.rows_done = job.rows_total = outcome.rows
        job.errors_count = outcome.error_count
        job.errors = [[line, str(reason)] for line, reason in sorted(outcome.errors)[:errors_kept()]]
        job.listed = [[str(cell) for cell in row] for row in sorted(outcome.listed)[:errors_kept()]]
        fields += ["rows_done", "rows_total", "errors_count", "errors", "listed"]
    if state == State.FAILED and job.result_file.name:
        job.result_file.storage.delete(job.result_file.name)
        job.result_file.name = ""
        fields.append("result_file")
    _remove_input(job)
    job.save(update_fields=fields)


def job_run(*, job_id: int, attempt: int) -> str:
    """Run one job (what the worker does). Returns what happened: finished, failed, superseded, or the
    state it was already in."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return "gone"
        if job.state in DONE:
            return str(job.state)
        if job.attempt != attempt:
            return "superseded"
        job.state, job.rows_done, job.errors_count = State.RUNNING, 0, 0
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["state", "rows_done", "errors_count", "started_at", "updated_at"])
    job = Job.objects.select_related("owner", "district").get(pk=job_id)
    kind = kind_get(job.kind)
    binary = None
    try:
        if kind.takes_file:
            binary, estimate = _opened_input(job)
            run = JobRun(job, binary)
            run.progress(done=0, total=estimate)
        else:
            run = JobRun(job)
        outcome = kind.run(run)
    except Superseded:
        return "superseded"
    except HubError as error:
        return _fail_if_current(job, attempt, str(error))
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        return _fail_if_current(job, attempt, _("Something went wrong while running this job; it was stopped. "
                                                 "Rows already imported stay imported (each row whole)."))
    finally:
        if binary is not None:
            binary.close()
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.attempt != attempt or job.state != State.RUNNING:
            return "superseded"
        if outcome.fatal:
            _end(job, state=State.FAILED, summary=outcome.fatal)
            return "failed"
        _end(job, state=State.FINISHED, summary=outcome.summary, outcome=outcome)
    return "finished"


def _fail_if_current(job: Job, attempt: int, message: str) -> str:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.attempt != attempt or job.state in DONE:
            return "superseded"
        _end(job, state=State.FAILED, summary=message)
    return "failed"


@task()
def job_run_task(job_id: int, attempt: int) -> str:
    return job_run(job_id=job_id, attempt=attempt)


def _stopped_message(job: Job, *, resumed: bool) -> str:
    kind = kind_get(job.kind)
    done = f"{job.rows_done:,}"
    if not kind.is_import:
        return (_("The worker stopped while making this file; it is being made again.") if resumed else
                _("The worker stopped %(n)s times while making this file; it was not made. Ask for it again.")
                % {"n": job.attempt})
    if resumed:
        return ngettext(
            "The worker stopped after %(done)s row; the import started again from the first row. Rows already "
            "imported were left as they were (importing a row again changes nothing), so every row is imported once.",
            "The worker stopped after %(done)s rows; the import started again from the first row. Rows already "
            "imported were left as they were (importing a row again changes nothing), so every row is imported once.",
            job.rows_done) % {"done": done}
    return _("The worker stopped %(n)s times during this import, so it was stopped. At least %(done)s rows were "
             "imported (each row whole); the rest were not. Upload the file again to finish: rows already "
             "imported are left as they are.") % {"n": job.attempt, "done": done}


def job_recover_if_stale(*, job_id: int, now: datetime | None = None) -> bool:
    """If this job is `running` but its worker stopped (no heartbeat for JOB_STALE_SECONDS), queue it
    again (attempt + 1) or, after JOB_MAX_ATTEMPTS, fail it saying what was imported. True if it did."""
    now = now or timezone.now()
    with transaction.atomic():
        job = (Job.objects.select_for_update()
               .filter(pk=job_id, state=State.RUNNING, updated_at__lt=now - stale_after()).first())
        if job is None:
            return False
        if job.attempt >= max_attempts():
            _end(job, state=State.FAILED, summary=_stopped_message(job, resumed=False), now=now)
            return True
        job.notice = _stopped_message(job, resumed=True)
        job.attempt += 1
        job.state = State.QUEUED
        job.save(update_fields=["notice", "attempt", "state", "updated_at"])
        logger.warning("job %s: its worker stopped after %s rows; queued again (attempt %s)",
                       job.pk, job.rows_done, job.attempt)
        if _queue_in_transaction():
            _enqueue(job.pk, job.attempt)
    if not _queue_in_transaction():
        _enqueue(job.pk, job.attempt)
    return True


def jobs_recover_stale(*, now: datetime | None = None) -> int:
    """Every job whose worker stopped: resumed or failed (`job_recover_if_stale`). For a scheduled run."""
    now = now or timezone.now()
    stale = Job.objects.filter(state=State.RUNNING, updated_at__lt=now - stale_after()).values_list("pk", flat=True)
    return sum(job_recover_if_stale(job_id=pk, now=now) for pk in list(stale))


def jobs_purge_expired(*, now: datetime | None = None) -> int:
    """Remove the jobs past `expires_at`: their files (upload, result) and their rows (the row errors may
    name people). Returns how many. For a scheduled run (`manage.py jobs_purge_expired`)."""
    now = now or timezone.now()
    purged = 0
    for job in Job.objects.filter(expires_at__lt=now).only("pk", "input_file", "result_file").iterator():
        for field in (job.input_file, job.result_file):
            if field.name:
                field.storage.delete(field.name)
        Job.objects.filter(pk=job.pk).delete()
        purged += 1
    return purged
