"""Every CSV download of the Hub (roster, cases, roundtable sign-ups) is made here, one way:

- spreadsheet-safe: a cell that a spreadsheet would run as a formula (one beginning with = + - @, a tab
  or a carriage return — OWASP's "CSV injection" — also behind invisible characters, and their
  full-width and small-form lookalikes ＝ ﹦ ＋ － ＠ and the minus sign −) gets a leading single quote, so it
  shows as the text it is;
- no hidden text direction: the bidirectional embedding, override and isolate controls (U+202A–U+202E,
  U+2066–U+2069: a name "Ana<U+202E>gnp.exe" reads "Anaexe.png"), zero-width spaces, stray byte-order marks and
  control characters other than tab and line breaks are taken out of each cell; zero-width joiners (emoji,
  Indic and Persian scripts) and the left-to-right and right-to-left marks stay;
- UTF-8 with a byte-order mark, which is how Excel on Windows knows the file is UTF-8 (without it,
  "Méndez" shows as "MÃ©ndez");
- streamed (`StreamingHttpResponse`), so a large export never sits in memory;
- `Content-Disposition: attachment` with a safe ASCII filename, `Cache-Control: no-store, private`;
- audited when it holds anything about a person: `csv_response` requires `audit=` (an `ExportAudit`: who,
  which districts' people, which filters, how many rows), or `audit=None` for a CSV that names nobody.
  The entry is written before the first byte is sent, so an export cut off half-way is still in the trail.
"""

import csv
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

from django.http import StreamingHttpResponse

from hub.audit.services import audit_record

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet may read as one of the above (NFKC maps most lookalikes; these it does not).
_LOOKALIKES = {"\u2212": "-"}  # the minus sign
# Taken out of every cell: bidi embeddings, overrides and isolates; zero-width space, word joiner, BOM;
# C0/C1 control characters except tab, line feed and carriage return (kept: a cell may hold lines).
_HIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Invisible characters a formula may hide behind: the spreadsheet may trim them (spaces) or ignore them.
_INVISIBLE_LEAD = re.compile(r"^[\s\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]+")


def _looks_dangerous(text: str) -> bool:
    if text.startswith(DANGEROUS_STARTS):
        return True
    # Behind spaces or invisible characters (a spreadsheet may trim or ignore them), or as a lookalike.
    stripped = _INVISIBLE_LEAD.sub("", text)
    if not stripped:
        return False
    first = _LOOKALIKES.get(stripped[0]) or unicodedata.normalize("NFKC", stripped[0])[:1]
    return first in ("=", "+", "-", "@")


def safe_cell(value) -> str:
    """The cell's text as a spreadsheet shows it and never runs it."""
    text = "" if value is None else str(value)
    dangerous = _looks_dangerous(text)  # before cleaning: "\u202e=1+1" is dangerous too
    text = _HIDDEN.sub("", text)
    return "'" + text if dangerous or _looks_dangerous(text) else text


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])  # BOM: Excel reads UTF-8
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    """An ASCII file name with no path, quote or control character in it, ending in .csv."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"\.{2,}", ".", _UNSAFE_FILENAME.sub("-", ascii_name)).strip(".-")[:100] or "export"
    return ascii_name if ascii_name.lower().endswith(".csv") else ascii_name + ".csv"


@dataclass(frozen=True)
class ExportRows:
    """What a selector hands an export: the rows (an iterator, read once), how many, and the districts
    whose people they are (for the audit trail)."""

    rows: Iterator
    count: int
    districts: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ExportAudit:
    """Who exported whose data: written to the audit trail (`hub.audit`) before the file is sent.

    `district` is the district the export was about (a filter, a roundtable's host district), `districts`
    every district whose people it held; `filters` the query that chose the rows, as text."""

    actor: object
    action: str
    object_type: str
    rows: int
    object_id: str = ""
    district: int | None = None
    districts: Collection[int] = ()
    filters: str = ""


def csv_response(*, filename: str, header: list[str], rows: Iterable[Iterable],
                 audit: ExportAudit | None) -> StreamingHttpResponse:
    """A streamed, spreadsheet-safe CSV download; audited first unless `audit` is None (a file naming nobody)."""
    if audit is not None:
        audit_record(actor=audit.actor, action=audit.action, object_type=audit.object_type,
                     object_id=audit.object_id, district=audit.district, districts=audit.districts,
                     rows=audit.rows, detail=audit.filters or "no filters")
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    name = safe_filename(filename)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


def csv_file_response(file, *, filename: str):
    """A CSV already written through `csv_lines` (a job's export file), as a private download."""
    from django.http import FileResponse

    response = FileResponse(file, as_attachment=True, filename=safe_filename(filename or "export.csv"),
                            content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "no-store, private"
    return response
