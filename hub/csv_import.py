"""The Hub's CSV reading, shared by every import (coordinators' cases and attendance, joining's staff lists).

- A file over IMPORT_MAX_BYTES (25 MB) is refused whole before it is read (`size_refusal`).
- The file is checked to be UTF-8 (a BOM from Excel is fine) before anything is written; any other
  encoding is reported (`ImportReport.fatal`) and nothing is imported.
- Wrong columns stop the import with one message naming what is missing or unexpected (headers are
  compared after `header_normalise`: case, spaces and hyphens do not matter).
- Rows come one at a time with their line numbers (`csv_rows`); a line that is not CSV, or has the wrong
  number of cells, is reported and skipped. Memory is bounded: the file is read in chunks.
- `batch_write` writes a batch of new and changed rows; on a database error it retries row by row, each
  row whole or not at all.
- Cells that look like formulas (=, +, -, @) are given as the text they are; exports neutralise them.
- Its messages (a file refused whole, a line that is not CSV) are in the reader's language (gettext).
"""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CHUNK = 1 << 16
MAX_ERRORS_KEPT = 1000


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    fatal: str = ""

    def error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append((line, message))

    @property
    def summary(self) -> str:
        if self.fatal:
            return self.fatal
        return (f"{self.rows:,} rows read: {self.created:,} added, {self.updated:,} updated, "
                f"{self.unchanged:,} unchanged, {self.error_count:,} with problems (not imported).")


class EncodingProblem(Exception):
    pass


def import_max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 25 * 1024**2))


def size_refusal(binary) -> str:
    """Why a file is too large to import (over IMPORT_MAX_BYTES), or "": checked before a byte of it is
    read, so an enormous upload costs no more than its storage."""
    size = getattr(binary, "size", None)
    if size is None:
        binary.seek(0, 2)
        size = binary.tell()
        binary.seek(0)
    limit = import_max_bytes()
    if size <= limit:
        return ""
    return _("The file is %(size)s, more than the %(limit)s an import takes. Split it into smaller files "
             "(each with the header line); nothing was imported.") % {
        "size": filesizeformat(size), "limit": filesizeformat(limit)}


def utf8_check(binary) -> None:
    """Read the whole file once (in chunks) to be sure it decodes, before writing anything."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    binary.seek(0)
    offset = 0
    try:
        while chunk := binary.read(CHUNK):
            decoder.decode(chunk)
            offset += len(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise EncodingProblem(
            _("The file is not UTF-8 text (byte %(byte)s can't be read). In Excel, save it with "
              "“CSV UTF-8 (comma delimited)”; nothing was imported.") % {"byte": offset + exc.start + 1}) from None
    binary.seek(0)


def _lines(binary) -> Iterator[str]:
    """Decoded lines (keeping their ends) read in chunks; csv.reader joins quoted multi-line cells."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    while chunk := binary.read(CHUNK):
        pending += decoder.decode(chunk)
        *complete, pending = pending.split("\n")
        for line in complete:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def header_normalise(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def csv_rows(binary, columns: list[str], report: ImportReport, optional: list[str] = ()
             ) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: stripped cell}) for each data row; sets report.fatal on a bad file.
    `optional` columns may be present or not (a row then has them only when the file does)."""
    too_large = size_refusal(binary)
    if too_large:
        report.fatal = too_large
        return
    try:
        utf8_check(binary)
    except EncodingProblem as exc:
        report.fatal = str(exc)
        return
    reader = csv.reader(_lines(binary))
    try:
        header = next(reader)
    except StopIteration:
        report.fatal = _("The file is empty; nothing was imported.")
        return
    except csv.Error as exc:
        report.fatal = _("The file could not be read as CSV (%(error)s); nothing was imported.") % {"error": exc}
        return
    names = [header_normalise(h) for h in header]
    missing = [c for c in columns if c not in names]
    unexpected = [h for h, n in zip(header, names, strict=True) if n and n not in columns and n not in optional]
    if missing or unexpected or len(set(names)) != len(names):
        parts = []
        if missing:
            parts.append(_("missing %(columns)s") % {"columns": ", ".join(missing)})
        if unexpected:
            parts.append(_("unexpected %(columns)s") % {"columns": ", ".join(repr(u) for u in unexpected)})
        if len(set(names)) != len(names):
            parts.append(_("a column is named twice"))
        allowed = ", ".join(columns)
        if optional:
            allowed = _("%(columns)s (and may add %(optional)s)") % {"columns": allowed,
                                                                    "optional": ", ".join(optional)}
        report.fatal = _("The columns are wrong (%(problems)s). The first line must name these columns: "
                         "%(allowed)s. Nothing was imported.") % {"problems": "; ".join(parts), "allowed": allowed}
        return
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.rows += 1
            report.error(reader.line_num, _("this line could not be read as CSV (%(error)s)") % {"error": exc})
            continue
        if not any(c.strip() for c in cells):
            continue
        report.rows += 1
        if len(cells) != len(names):
            report.error(reader.line_num, _("%(cells)s cells where the header has %(columns)s")
                         % {"cells": len(cells), "columns": len(names)})
            continue
        yield reader.line_num, {n: c.strip() for n, c in zip(names, cells, strict=True) if n}


def batch_write(model, new: list, changed: list, fields: list[str], report: ImportReport) -> None:
    """Create and update a batch; on a database error, retry row by row (each whole or not at all)."""
    try:
        with transaction.atomic():
            model.objects.bulk_create(new)
            if changed:
                model.objects.bulk_update(changed, fields)
        report.created += len(new)
        report.updated += len(changed)
        return
    except IntegrityError:
        pass
    for obj, is_new in [(o, True) for o in new] + [(o, False) for o in changed]:
        try:
            with transaction.atomic():
                obj.save() if is_new else obj.save(update_fields=fields)
            if is_new:
                report.created += 1
            else:
                report.updated += 1
        except IntegrityError as exc:
            obj.pk = None if is_new else obj.pk
            report.error(getattr(obj, "_line", 0), f"the database refused this row ({exc.__class__.__name__})")


def csv_preflight(binary, columns: list[str], optional: list[str] = ()) -> str:
    """Why this file would be refused whole (not UTF-8, empty, wrong columns), or "" if it would be read:
    checked in the request before an import is queued as a job, so the person learns it at once. The
    importer checks again when it runs (the file is the same: hub.jobs checks its sha256)."""
    report = ImportReport()
    for _row in csv_rows(binary, columns, report, optional):
        break
    binary.seek(0)
    return report.fatal
