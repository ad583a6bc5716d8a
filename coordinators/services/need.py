"""The district data file (state staff): every row checked first, then all of it written in one transaction,
or nothing.

A district file is one row per district (about 200 in a large state), so it is imported at once, in the
request, rather than as a background job: the person sees the row errors (line, column, reason) on the
page they uploaded from, and a file with any bad row changes nothing — the figures already held stay as
they were. Rows are upserted by (district, school year): uploading the same file again changes nothing;
districts the file leaves out keep their figures for that year.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordinators import errors
from coordinators.models import DistrictNeedFigures
from coordinators.selectors.need import (
    FILE_COLUMNS,
    FILE_OPTIONAL_COLUMNS,
    INPUTS,
    may_upload_need_figures,
    school_year_label,
)
from hub.audit.services import audit_record
from hub.csv_import import ImportReport, csv_rows
from hub.models import District

NEED_FILE_MAX_ROWS = 2000
TWO_PLACES = Decimal("0.01")
ENROLLMENT_MAX = 10_000_000
INPUT_FIELDS = [i.key for i in INPUTS]
# Made-up figures for the demo districts: the demo loads them, state staff may download and upload them.
EXAMPLE_FILE = Path(__file__).resolve().parents[1] / "demo_files" / "district-need-example.csv"


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # "" when the problem is the whole line
    message: str


@dataclass
class NeedImportResult:
    school_year: int
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    fatal: str = ""
    errors: list[RowError] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.fatal and not self.errors

    @property
    def summary(self) -> str:
        if self.fatal:
            return self.fatal
        if self.errors:
            return _("%(n)s rows read, %(e)s with problems: nothing was imported; the figures held before "
                     "are unchanged.") % {"n": self.rows, "e": len({e.line for e in self.errors})}
        return _("%(year)s: %(n)s districts read: %(c)s added, %(u)s updated, %(s)s unchanged.") % {
            "year": school_year_label(self.school_year), "n": self.rows, "c": self.created,
            "u": self.updated, "s": self.unchanged}


def _percent(text: str) -> Decimal:
    """A rate or share in percent: 0 to 100, a trailing % allowed, rounded to two decimals."""
    cleaned = text[:-1].strip() if text.endswith("%") else text
    try:
        if not cleaned.isascii() or not cleaned.replace(".", "", 1).lstrip("-").isdigit():
            raise InvalidOperation
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("%(value)s is not a number (write a percentage such as 87.5).")
                         % {"value": repr(text[:20])}) from None
    if value < 0 or value > 100:
        raise ValueError(_("%(value)s is not a percentage: it must be between 0 and 100.")
                         % {"value": repr(text[:20])})
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _count(text: str) -> int:
    cleaned = text.replace(",", "") if text.count(",") and all(len(p) == 3 for p in text.split(",")[1:]) else text
    if not (cleaned.isascii() and cleaned.isdigit()):
        if cleaned.isascii() and cleaned.startswith("-") and cleaned[1:].isdigit():
            raise ValueError(_("%(value)s is below 0: enrollment cannot be negative.") % {"value": repr(text[:20])})
        raise ValueError(_("%(value)s is not a whole number of students.") % {"value": repr(text[:20])})
    value = int(cleaned)
    if value > ENROLLMENT_MAX:
        raise ValueError(_("%(value)s students is more than any district enrolls.") % {"value": repr(text[:20])})
    return value


def need_figures_import(*, file, school_year: int, by) -> NeedImportResult:
    """Import the district data file (binary, UTF-8 CSV) for `school_year`. NotAllowed unless `by` is
    state staff. Returns the result: `fatal` (a file refused whole) or row `errors` mean nothing changed."""
    if not may_upload_need_figures(by):
        raise errors.NotAllowed(_("Only state staff upload the district data file."))
    result = NeedImportResult(school_year=school_year)
    report = ImportReport()
    districts = {d.slug.lower(): d for d in District.objects.all()}
    seen: dict[int, int] = {}
    parsed: dict[int, tuple[int, dict]] = {}
    for line, row in csv_rows(file, FILE_COLUMNS, report, FILE_OPTIONAL_COLUMNS):
        if report.rows > NEED_FILE_MAX_ROWS:
            result.fatal = _("The file has more than %(max)s rows: a district data file has one row per "
                             "district. Nothing was imported.") % {"max": NEED_FILE_MAX_ROWS}
            break
        problems = []
        code = row["district"]
        district = districts.get(code.lower())
        if not code:
            problems.append(RowError(line, "district", _("the district code is missing.")))
        elif district is None:
            problems.append(RowError(line, "district", _("no district has the code %(code)s.")
                                     % {"code": repr(code[:40])}))
        elif district.pk in seen:
            problems.append(RowError(line, "district", _("%(code)s appears again (first on line %(first)s).")
                                     % {"code": repr(code[:40]), "first": seen[district.pk]}))
        values = {}
        for need_input in INPUTS:
            text = row[need_input.key]
            if not text:
                problems.append(RowError(line, need_input.key, _("the value is missing.")))
                continue
            try:
                values[need_input.key] = (_count if need_input.key == "enrollment" else _percent)(text)
            except ValueError as exc:
                problems.append(RowError(line, need_input.key, str(exc)))
        if district is not None and district.pk not in seen:
            seen[district.pk] = line
        if problems:
            result.errors.extend(problems)
        else:
            parsed[district.pk] = (line, values)
    result.rows = report.rows
    result.fatal = result.fatal or report.fatal
    # Lines csv_rows could not split into cells (not CSV, the wrong number of cells).
    result.errors.extend(RowError(line, "", message) for line, message in report.errors)
    result.errors.sort(key=lambda e: (e.line, FILE_COLUMNS.index(e.column) if e.column in FILE_COLUMNS else -1))
    if not result.fatal and not parsed and not result.errors:
        result.fatal = _("The file has no rows under its header. Nothing was imported.")
    if not result.applied:
        return result
    with transaction.atomic():
        existing = {f.district_id: f for f in DistrictNeedFigures.objects.select_for_update().filter(
            school_year=school_year, district_id__in=list(parsed))}
        new, changed = [], []
        for district_id, (_line, values) in parsed.items():
            figures = existing.get(district_id)
            if figures is None:
                new.append(DistrictNeedFigures(district_id=district_id, school_year=school_year, imported_by=by,
                                               **values))
            elif any(getattr(figures, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(figures, k, v)
                figures.imported_by = by
                changed.append(figures)
            else:
                result.unchanged += 1
        DistrictNeedFigures.objects.bulk_create(new)
        now = timezone.now()
        for figures in changed:
            figures.updated_at = now
        DistrictNeedFigures.objects.bulk_update(changed, [*INPUT_FIELDS, "imported_by", "updated_at"])
        result.created, result.updated = len(new), len(changed)
        audit_record(actor=by, action="need.import", object_type="need_figures", object_id=str(school_year),
                     detail=result.summary)
    return result
