"""Who sees which jobs (their owner only: a job holds its owner's upload, row errors and file), and what
the progress bar says."""

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hub.jobs.models import Job, State
from hub.jobs.registry import kinds

RECENT = 30


def jobs_for(user) -> QuerySet[Job]:
    """The jobs this person started; nobody else's (not even a superuser's view of them: the files are
    theirs). Expired jobs are purged (`jobs_purge_expired`), so they are simply gone."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Job.objects.none()
    return Job.objects.filter(owner=user)


def job_for(user, pk: int) -> Job | None:
    return jobs_for(user).filter(pk=pk).first()


def recent_jobs(user) -> list[Job]:
    return list(jobs_for(user).defer("errors", "params")[:RECENT])


def kind_label(job: Job) -> str:
    kind = kinds().get(job.kind)
    return str(kind.label) if kind else job.kind


def progress_text(job: Job) -> str:
    """"1,200 of 5,000 rows, 3 errors so far" (or, finished: "5,000 of 5,000 rows, 3 errors")."""
    done = number_format(job.rows_done, force_grouping=True)
    if job.rows_total is None:
        rows = ngettext("%(done)s row", "%(done)s rows", job.rows_done) % {"done": done}
    else:
        rows = ngettext("%(done)s of %(total)s row", "%(done)s of %(total)s rows", job.rows_total) % {
            "done": done, "total": number_format(job.rows_total, force_grouping=True)}
    if job.state == State.FINISHED:
        errors = ngettext("%(n)s error", "%(n)s errors", job.errors_count)
    else:
        errors = ngettext("%(n)s error so far", "%(n)s errors so far", job.errors_count)
    return _("%(rows)s, %(errors)s") % {"rows": rows, "errors": errors % {
        "n": number_format(job.errors_count, force_grouping=True)}}


def job_status(job: Job) -> dict:
    """What the page's script reads from /jobs/<id>/status."""
    return {"state": job.state, "state_label": str(job.get_state_display()), "done": job.done,
            "rows_done": job.rows_done, "rows_total": job.rows_total, "errors_count": job.errors_count,
            "text": progress_text(job), "notice": job.notice}
