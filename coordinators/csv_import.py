"""CSV imports of student cases and monthly attendance: streamed, batched, idempotent.

- The file is read by `hub.csv_import` (shared with joining's staff lists): UTF-8 checked before anything
  is written (a BOM from Excel is fine), wrong columns stop the import with one message.
- Every bad row is reported with its line number and reason; the good rows are imported. A row is
  written whole or not at all (one table row per CSV row, batched in transactions; a batch that hits a
  database error is retried row by row).
- Rows are upserted by (district, student id) (cases) or (case, month) (attendance): importing the
  same file again changes nothing. A student id seen twice in one file: the second is reported.
- Memory is bounded: the file is read in chunks and written in batches of `BATCH` rows; only the set
  of keys seen so far is kept (to catch duplicates).
- Cells that look like formulas (=, +, -, @) are stored as the text they are; exports neutralise them.
"""

from collections.abc import Callable
from datetime import date

from django.utils import timezone

from coordinators import errors
from coordinators.models import AttendanceMonth, StudentCase
from coordinators.months import BadMonth, month_parse
from coordinators.selectors import may_manage_cases
from coordinators.services import CaseData, case_validate, impact_summary_refresh_on_commit
from hub.audit.services import audit_record
from hub.csv_import import ImportReport, batch_write, csv_rows
from hub.models import District, School
from hub.selectors import scope_for

BATCH = 1000

CASE_COLUMNS = ["student_id", "first_name", "last_initial", "grade", "school", "home_language",
                "days_enrolled", "days_absent", "referral_reason"]
# Columns a file may leave out (files made before the evaluation fields still import): when a file has
# no such column, the cases it updates keep what they had, and new cases get the default.
CASE_OPTIONAL_COLUMNS = ["english_learner", "referral_month"]
ATTENDANCE_COLUMNS = ["student_id", "month", "days_enrolled", "days_absent"]
YES = {"yes", "y", "true", "1", "el", "sí", "si"}
NO = {"no", "n", "false", "0", ""}


def _number(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise errors.InvalidCase(f"{what} must be a whole number (got {value[:20]!r}).") from None


def _yes_no(value: str, what: str) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise errors.InvalidCase(f"{what} must be yes or no (got {value[:20]!r}).")


def _optional_month(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return month_parse(value)
    except BadMonth as exc:
        raise errors.InvalidCase(f"Month of referral: {exc}") from None


def _require_importer(by, district: District) -> None:
    if not may_manage_cases(by):
        raise errors.NotAllowed("Only district coordinators import cases.")
    if not scope_for(by).filter(pk=district.pk).exists():
        raise errors.OutsideScope("That district is not yours.")


def _import_finished(report: ImportReport, *, flush: Callable[[], None], by, district: District,
                     action: str) -> ImportReport:
    """How every import ends: write the last (partial) batch, then record the import and its summary in
    the district's audit trail, unless the file was refused whole (`report.fatal`: nothing written)."""
    flush()
    if not report.fatal:
        audit_record(actor=by, action=action, object_type="district", object_id=district.pk,
                     district=district, detail=report.summary)
    return report


def cases_import(*, district: District, file, by, progress: Callable[[ImportReport], None] | None = None
                 ) -> ImportReport:
    """Import student cases for `district` from a CSV file opened in binary mode."""
    _require_importer(by, district)
    report = ImportReport()
    schools = {s.name.strip().lower(): s for s in School.objects.filter(district=district)}
    seen: dict[str, int] = {}
    batch: dict[str, tuple[int, CaseData, set[str]]] = {}
    fields = list(CaseData.FIELDS) + ["updated_at"]

    def flush():
        if not batch:
            return
        existing = {c.student_ref: c for c in StudentCase.objects.filter(
            district=district, student_ref__in=list(batch)).only("pk", "student_ref", *CaseData.FIELDS)}
        new, changed = [], []
        now = timezone.now()
        this_month = timezone.localdate().replace(day=1)
        for ref, (line, data, given) in batch.items():
            values = {"first_name": data.first_name, "last_initial": data.last_initial.upper(),
                      "grade": data.grade, "school_id": data.school.pk, "home_language": data.home_language,
                      "days_enrolled": data.days_enrolled, "days_absent": data.days_absent,
                      "referral_reason": data.referral_reason}
            if "english_learner" in given:
                values["english_learner"] = data.english_learner
            if "referral_month" in given and data.referral_month is not None:
                values["referral_month"] = data.referral_month
            case = existing.get(ref)
            if case is None:
                values.setdefault("referral_month", this_month)
                case = StudentCase(district=district, student_ref=ref, created_by=by, **values)
                case._line = line
                new.append(case)
            elif any(getattr(case, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(case, k, v)
                case.updated_at = now
                case._line = line
                changed.append(case)
            else:
                report.unchanged += 1
        batch_write(StudentCase, new, changed, fields, report)
        # Grade, English-learner status and month of referral are breakdowns of the impact table.
        impact_summary_refresh_on_commit([c.pk for c in new + changed if c.pk])
        batch.clear()
        if progress:
            progress(report)

    for line, row in csv_rows(file, CASE_COLUMNS, report, CASE_OPTIONAL_COLUMNS):
        ref = row["student_id"]
        if ref in seen:
            report.error(line, f"student id {ref[:40]!r} appears again (first on line {seen[ref]}); "
                               "this row was skipped")
            continue
        if ref:
            seen[ref] = line
        try:
            data = CaseData(
                student_ref=ref, first_name=row["first_name"], last_initial=row["last_initial"],
                grade=row["grade"].upper(), school=schools.get(row["school"].lower()),
                home_language=row["home_language"], days_enrolled=_number(row["days_enrolled"], "Days enrolled"),
                days_absent=_number(row["days_absent"], "Days absent"), referral_reason=row["referral_reason"],
                english_learner=_yes_no(row.get("english_learner", ""), "English learner"),
                referral_month=_optional_month(row.get("referral_month", "")))
        except errors.InvalidCase as exc:
            report.error(line, str(exc))
            continue
        problems = case_validate(data, district=district)
        if data.school is None and row["school"]:
            problems = [p for p in problems if not p.startswith("The school")]
            problems.insert(0, f"{district} has no school named {row['school'][:80]!r}.")
        if problems:
            report.error(line, " ".join(problems))
            continue
        batch[ref] = (line, data, {c for c in CASE_OPTIONAL_COLUMNS if c in row})
        if len(batch) >= BATCH:
            flush()
    return _import_finished(report, flush=flush, by=by, district=district, action="cases.import")


def _month(value: str) -> date:
    try:
        return month_parse(value)
    except BadMonth as exc:
        raise errors.InvalidCase(str(exc)) from None


def attendance_import(*, district: District, file, by, progress: Callable[[ImportReport], None] | None = None
                      ) -> ImportReport:
    """Import monthly attendance rows (student id, month, days enrolled, days absent) for a district."""
    _require_importer(by, district)
    report = ImportReport()
    seen: dict[tuple[str, date], int] = {}
    batch: dict[tuple[str, date], tuple[int, int, int]] = {}

    def flush():
        if not batch:
            return
        refs = {ref for ref, _ in batch}
        cases = dict(StudentCase.objects.filter(district=district, student_ref__in=refs)
                     .values_list("student_ref", "pk"))
        existing = {(a.case_id, a.month): a for a in AttendanceMonth.objects.filter(
            case_id__in=cases.values(), month__in={m for _, m in batch})}
        new, changed = [], []
        now = timezone.now()
        for (ref, month), (line, enrolled, absent) in batch.items():
            case_id = cases.get(ref)
            if case_id is None:
                report.error(line, f"{district} has no case for student id {ref[:40]!r}")
                continue
            row = existing.get((case_id, month))
            if row is None:
                row = AttendanceMonth(case_id=case_id, month=month, days_enrolled=enrolled, days_absent=absent)
                row._line = line
                new.append(row)
            elif (row.days_enrolled, row.days_absent) != (enrolled, absent):
                row.days_enrolled, row.days_absent, row.updated_at = enrolled, absent, now
                row._line = line
                changed.append(row)
            else:
                report.unchanged += 1
        batch_write(AttendanceMonth, new, changed, ["days_enrolled", "days_absent", "updated_at"], report)
        impact_summary_refresh_on_commit({row.case_id for row in new + changed})  # the rates themselves
        batch.clear()
        if progress:
            progress(report)

    for line, row in csv_rows(file, ATTENDANCE_COLUMNS, report):
        try:
            ref = row["student_id"]
            if not ref:
                raise errors.InvalidCase("The student id is missing.")
            month = _month(row["month"])
            enrolled = _number(row["days_enrolled"], "Days enrolled")
            absent = _number(row["days_absent"], "Days absent")
            if not 0 < enrolled <= 31:
                raise errors.InvalidCase("Days enrolled in a month must be between 1 and 31.")
            if not 0 <= absent <= enrolled:
                raise errors.InvalidCase("Days absent must be between 0 and the days enrolled.")
        except errors.InvalidCase as exc:
            report.error(line, str(exc))
            continue
        key = (ref, month)
        if key in seen:
            report.error(line, f"student id {ref[:40]!r} and month {month:%Y-%m} appear again "
                               f"(first on line {seen[key]}); this row was skipped")
            continue
        seen[key] = line
        batch[key] = (line, enrolled, absent)
        if len(batch) >= BATCH:
            flush()
    return _import_finished(report, flush=flush, by=by, district=district, action="attendance.import")
