"""The impact table's stored figures (`coordinators.models.ImpactStudent`): recomputing them.

Why: the impact table computed live from cases, visits and attendance months costs one correlated
subquery per student and month (seconds for the state at 100,000 students); reading one stored row per
student it is one grouped query. So the figures are computed here, in SQL, with the live rules
(`coordinators.selectors.impact.impact_student_rows`), and written in one statement:
INSERT … SELECT … ON CONFLICT (case) DO UPDATE, then the rows of cases that no longer count (a case whose
only visit was edited into an attempt, a comparison case that was closed) are deleted. The same SQL runs
on SQLite and PostgreSQL.

When: every service that changes what a row depends on (a visit logged or edited, a case created, the
family's choice, an assignment, closing, the CSV imports, the known-answer generator) asks for its
cases' rows with `impact_summary_refresh_on_commit`, run once its transaction commits (a rolled-back
change recomputes nothing; a refresh that fails is logged and never undoes the change: the hourly job
mends it). The hourly scheduled job `impact_refresh` and `manage.py impact_refresh` recompute every row,
catching whatever changed around the services (the admin, the retention purge).
"""

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from coordinators.models import ImpactRefresh, ImpactStudent
from coordinators.selectors.impact import (
    BASELINE_MONTHS,
    HORIZONS,
    PRIOR_BAND_SQL,
    RATE_COLUMNS,
    STORED_KEYS,
    impact_student_rows,
)

log = logging.getLogger(__name__)

# Case ids per statement of a partial refresh: each id is a parameter three times (SQLite allows 32,766).
CHUNK = 2000


@dataclass(frozen=True)
class RefreshResult:
    rows: int  # rows written (inserted or updated)
    deleted: int  # rows of cases that no longer count
    seconds: float
    full: bool


def _fence() -> str:
    # Keeps the database from folding a derived table into the outer query (which would repeat each
    # rate's subquery wherever the outer query reads it): see `coordinators.selectors.impact._grouped`.
    return " LIMIT -1 OFFSET 0" if connection.vendor == "sqlite" else " OFFSET 0"


def _upsert_sql(case_ids: list[int] | None, now) -> tuple[str, list]:
    quote = connection.ops.quote_name
    aliases = [alias for _column, alias in STORED_KEYS] + RATE_COLUMNS
    picked = ", ".join(quote(a) for a in aliases)
    branches, params = [], []
    for queryset in impact_student_rows(case_ids):
        sql, branch_params = queryset.order_by().values(*aliases).query.sql_with_params()
        branches.append(f"SELECT {picked} FROM ({sql}{_fence()}) branch")
        params += list(branch_params)
    changes = [f"({quote(f'm{k + BASELINE_MONTHS}')} - base)" for k in HORIZONS]
    columns = ([column for column, _alias in STORED_KEYS] + RATE_COLUMNS + [f"c{k}" for k in HORIZONS]
               + ["prior", "refreshed_at"])
    table = quote(ImpactStudent._meta.db_table)
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c != "case_id")
    # "WHERE true": SQLite reads "… FROM x ON CONFLICT" as a join's ON without it.
    sql = (f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "
           f"SELECT {picked}, {', '.join(changes)}, {PRIOR_BAND_SQL}, %s "
           f"FROM ({' UNION ALL '.join(branches)}) per_student WHERE true "
           f"ON CONFLICT ({quote('case_id')}) DO UPDATE SET {updates}")
    # The stamp's placeholder comes first in the text (the outer select list), before the branches'.
    return sql, [connection.ops.adapt_datetimefield_value(now), *params]


def _refresh(case_ids: list[int] | None, now) -> tuple[int, int]:
    table = connection.ops.quote_name(ImpactStudent._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        sql, params = _upsert_sql(case_ids, now)
        cursor.execute(sql, params)
        written = max(cursor.rowcount, 0)
        if case_ids is None:
            cursor.execute(f"DELETE FROM {table} WHERE refreshed_at <> %s", [stamp])
        else:
            marks = ", ".join(["%s"] * len(case_ids))
            cursor.execute(f"DELETE FROM {table} WHERE refreshed_at <> %s AND case_id IN ({marks})",
                           [stamp, *case_ids])
        return written, max(cursor.rowcount, 0)


def _record(kind: str, now, rows: int, seconds: float) -> None:
    values = {"at": now, "rows": rows, "seconds": seconds}
    if ImpactRefresh.objects.filter(kind=kind).update(**values):
        return
    try:
        with transaction.atomic():
            ImpactRefresh.objects.create(kind=kind, **values)
    except IntegrityError:  # another refresh made the row a moment ago
        ImpactRefresh.objects.filter(kind=kind).update(**values)


@transaction.atomic
def impact_summary_refresh(*, case_ids: Iterable[int] | None = None) -> RefreshResult:
    """Recompute the stored impact figures of these cases (None: of every case), in one transaction:
    readers see the old figures or the new ones, never half. Returns what was written and how long it
    took, and records it (`ImpactRefresh`: the page's "Figures as of")."""
    started = time.monotonic()
    now = timezone.now()
    written = deleted = 0
    if case_ids is None:
        written, deleted = _refresh(None, now)
    else:
        ids = sorted({int(pk) for pk in case_ids})
        for start in range(0, len(ids), CHUNK):
            rows, gone = _refresh(ids[start:start + CHUNK], now)
            written, deleted = written + rows, deleted + gone
    seconds = time.monotonic() - started
    _record(ImpactRefresh.Kind.FULL if case_ids is None else ImpactRefresh.Kind.PARTIAL, now, written, seconds)
    return RefreshResult(rows=written, deleted=deleted, seconds=seconds, full=case_ids is None)


def impact_summary_refresh_on_commit(case_ids: Iterable[int]) -> None:
    """Recompute these cases' figures once the current transaction commits (at once outside one).

    A refresh that fails is logged and lets the change stand (robust): the figures stay as they were
    until the hourly full refresh, which is better than refusing a visit log over a statistic."""
    ids = sorted({int(pk) for pk in case_ids if pk is not None})
    if not ids:
        return

    def refresh():
        try:
            impact_summary_refresh(case_ids=ids)
        except Exception:
            log.exception("Refreshing the impact figures of %s case(s) failed; the hourly refresh will redo them",
                          len(ids))

    transaction.on_commit(refresh)
