"""Spreadsheet-safe CSV, shared by every export (roster, cases, roundtable sign-ups).

A cell that begins with = + - @, a tab or a carriage return is read as a formula by spreadsheet
programs (CSV injection, OWASP); such cells are prefixed with a single quote so they show as text.
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

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
