"""The staff-list import as a job (hub.jobs, registered from JoiningConfig.ready()): `invitations_import`
run by the worker with a progress callback after every batch. Importing the same list again invites
nobody twice, so a run resumed after its worker stopped sends each invitation once (hub.jobs.services)."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hub.jobs.registry import JobKind, JobOutcome, kind_register

STAFF_IMPORT = "staff.import"


def _run(job_run) -> JobOutcome:
    from hub.joining.services import invitations_import

    report = invitations_import(file=job_run.file, by=job_run.owner, district=job_run.district,
                                progress=lambda r: job_run.progress(done=r.rows, errors=r.error_count))
    return JobOutcome(rows=report.rows, summary=report.summary, errors=report.errors,
                      error_count=report.error_count, fatal=report.fatal, listed=report.accounts)


def _check(file) -> str:
    from hub.csv_import import csv_preflight
    from hub.joining.services import IMPORT_COLUMNS, _too_many_rows

    fatal = csv_preflight(file, IMPORT_COLUMNS)
    limit = settings.INVITATION_IMPORT_MAX_ROWS
    if not fatal and _too_many_rows(file, limit):
        fatal = _("The file has more than %(limit)s rows; split it into files of at most %(limit)s rows. "
                  "Nothing was imported.") % {"limit": f"{limit:,}"}
    return fatal


def kinds_register() -> None:
    kind_register(JobKind(
        STAFF_IMPORT, gettext_lazy("Import of a staff list"), run=_run, check=_check,
        listed_caption=gettext_lazy("Already have an account (no invitation sent: they can sign in)"),
        listed_columns=(gettext_lazy("Line"), gettext_lazy("Email"), gettext_lazy("User name"))))
