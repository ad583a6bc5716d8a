"""The coordinators' long work as jobs (hub.jobs, registered from CoordinatorsConfig.ready()): the case
and attendance imports, and the roster and case exports of more than JOB_EXPORT_DIRECT_ROWS rows.

The imports run `coordinators.csv_import` as they did in the request, with a progress callback after
every batch; each batch commits whole and the imports are idempotent (see hub.jobs.services for what
a stopped worker leaves). The exports check the owner's scope again when they run (the filters are
kept as their query string) and are audited as the direct download is, once per file made."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from hub.audit.services import audit_record
from hub.errors import HubError
from hub.jobs.registry import JobKind, JobOutcome, kind_register

CASES_IMPORT = "cases.import"
ATTENDANCE_IMPORT = "attendance.import"
ROSTER_EXPORT = "roster.export"
CASES_EXPORT = "cases.export"


class ExportRefused(HubError):
    code = "export_refused"


def _outcome(report) -> JobOutcome:
    return JobOutcome(rows=report.rows, summary=report.summary, errors=report.errors,
                      error_count=report.error_count, fatal=report.fatal)


def _importer(name: str):
    def run(job_run):
        from coordinators import csv_import

        importer = csv_import.cases_import if name == CASES_IMPORT else csv_import.attendance_import
        report = importer(district=job_run.district, file=job_run.file, by=job_run.owner,
                          progress=lambda r: job_run.progress(done=r.rows, errors=r.error_count))
        return _outcome(report)
    return run


def _checker(name: str):
    def check(file) -> str:
        from coordinators import csv_import
        from hub.csv_import import csv_preflight

        if name == CASES_IMPORT:
            return csv_preflight(file, csv_import.CASE_COLUMNS, csv_import.CASE_OPTIONAL_COLUMNS)
        return csv_preflight(file, csv_import.ATTENDANCE_COLUMNS)
    return check


def _exporter(name: str):
    def run(job_run):
        from coordinators import exports, selectors
        from coordinators.selectors import CaseFilters, OutOfScope, RosterFilters

        query = QueryDict(job_run.params.get("query", ""))
        roster = name == ROSTER_EXPORT
        filters = (RosterFilters if roster else CaseFilters).from_query(query)
        try:
            export = (selectors.roster_export if roster else selectors.case_export)(user=job_run.owner, filters=filters)
        except OutOfScope:
            raise ExportRefused(_("These filters name something outside your districts; nothing was exported.")) from None
        audit_record(actor=job_run.owner, action="roster.export" if roster else "cases.export",
                     object_type="roster" if roster else "studentcase", district=filters.district,
                     districts=export.districts, rows=export.count,
                     detail=filters.query_string() or ("all visitors in scope" if roster else "all cases in scope"))
        job_run.progress(done=0, total=export.count)
        written = job_run.write_csv(
            header=exports.ROSTER_HEADER if roster else exports.CASE_HEADER,
            rows=exports.roster_csv_rows(export.rows) if roster else exports.case_csv_rows(export.rows),
            filename=exports.filename("who-is-trained" if roster else "student-cases", filters.district))
        from django.utils.translation import ngettext

        return JobOutcome(rows=written, summary=ngettext("%(n)s row exported.", "%(n)s rows exported.", written)
                          % {"n": f"{written:,}"})
    return run


def kinds_register() -> None:
    kind_register(JobKind(CASES_IMPORT, _("Import of student cases"), run=_importer(CASES_IMPORT),
                          check=_checker(CASES_IMPORT)))
    kind_register(JobKind(ATTENDANCE_IMPORT, _("Import of monthly attendance"), run=_importer(ATTENDANCE_IMPORT),
                          check=_checker(ATTENDANCE_IMPORT)))
    kind_register(JobKind(ROSTER_EXPORT, _("Export of who is trained"), run=_exporter(ROSTER_EXPORT),
                          takes_file=False, is_import=False))
    kind_register(JobKind(CASES_EXPORT, _("Export of student cases"), run=_exporter(CASES_EXPORT),
                          takes_file=False, is_import=False))
