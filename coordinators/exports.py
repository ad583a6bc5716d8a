"""Spreadsheet-safe CSV exports, streamed row by row.

A cell that begins with = + - @, a tab or a carriage return is read as a formula by spreadsheet
programs (CSV injection); such cells are prefixed with a single quote so they show as text.
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])  # BOM: Excel reads UTF-8
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def roster_csv_rows(rows) -> Iterator[list]:
    for row in rows:
        person = row.person
        yield [
            person.user.last_name, person.user.first_name, person.home_district.name if person.home_district else "",
            row.organisation, row.status.label, row.status.describe(),
            timezone.localtime(row.status.valid_until).date().isoformat() if row.status.valid_until else "",
            row.practice_sessions,
            timezone.localtime(row.last_activity).date().isoformat() if row.last_activity else "",
            "yes" if row.can_take_cases else "no",
        ]


ROSTER_HEADER = ["last_name", "first_name", "district", "school_or_partner", "status", "status_detail",
                 "valid_until", "live_sessions_attended", "last_activity", "can_take_cases"]

CASE_HEADER = ["student_id", "first_name", "last_initial", "grade", "school", "home_language", "days_enrolled",
               "days_absent", "referral_reason", "status"]


def case_csv_rows(cases) -> Iterator[list]:
    for case in cases:
        yield [case.student_ref, case.first_name, case.last_initial, case.grade, case.school.name,
               case.home_language, case.days_enrolled, case.days_absent, case.referral_reason,
               case.get_status_display()]
