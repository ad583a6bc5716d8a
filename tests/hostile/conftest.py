"""Fixtures of the hostile-input suite: a small world built once, a database snapshot around each
hostile request, and the count of hostile inputs tried ("hostile inputs tried: N, failures: M").

The world lives in one transaction opened for this package (rolled back at its end); each test runs in a
savepoint inside it (pytest-django's `db`), so a test that does change something leaves nothing behind.
The websocket tests need a committed world (the consumers read from their own thread): they build their
own and flush it, and run first (`pytest_collection_modifyitems`), before the shared world is opened.
"""

import hashlib
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection, transaction

from tests.hostile.world import build_world

MARK = "hostile_input"

# Tables whose content may change on a refused request; their row counts are still checked unless a test
# declares the change it expects (then the exact change is asserted).
CONTENT_IGNORED = {
    "django_session",  # session data (messages, CSRF, language) and expiry move on every request
}
# Tables where a refused request writes a row on purpose. A test that expects such a row says so
# (`expect={"coordinators_auditentry": 1}`), and the change is asserted exactly.
EXPECTED_WRITES = {
    "coordinators_auditentry",  # a refused read of another district's case is audited
    "audit_auditentrydistrict",  # ...in each district's trail, when what it asked for belongs to several
    "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog",  # django-axes: failed sign-ins
    "otp_totp_totpdevice",  # django-otp counts failed codes (throttling) on the device row
}


def pytest_configure(config):
    config.addinivalue_line("markers", f"{MARK}: one hostile input; counted in the terminal summary")


# --- the count --------------------------------------------------------------------------------------------

_tried: set[str] = set()
_failed: set[str] = set()


def pytest_runtest_logreport(report):
    if MARK not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _tried.add(report.nodeid)
    if report.failed:
        _failed.add(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _tried:
        terminalreporter.write_line(f"hostile inputs tried: {len(_tried)}, failures: {len(_failed)}")


# --- the world ----------------------------------------------------------------------------------------------

def pytest_collection_modifyitems(items):
    """The socket tests first among the hostile ones (their world is committed; see the docstring)."""
    spots = [i for i, item in enumerate(items) if "tests/hostile/" in item.nodeid]
    ordered = sorted((items[i] for i in spots), key=lambda item: "tests/hostile/test_sockets.py" not in item.nodeid)
    for i, item in zip(spots, ordered, strict=True):
        items[i] = item


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    """One small world for the package, in a transaction rolled back when its last test is done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def w(world, db):
    """The module's world, for a test running in its own savepoint."""
    from django.core.cache import cache

    cache.clear()
    _axes_reset()
    return world


def _axes_reset():
    """Failed sign-ins must not lock the accounts later tests use (django-axes, when installed)."""
    if "axes" in settings.INSTALLED_APPS:
        from axes.models import AccessAttempt, AccessFailureLog

        AccessAttempt.objects.all().delete()
        AccessFailureLog.objects.all().delete()


# --- the snapshot -----------------------------------------------------------------------------------------

# Tables whose content is hashed; every other table is compared by row count only.
HASHED_PREFIXES = ("hub_", "courses_", "training_sessions_", "roundtable_", "coordinators_", "auth_", "schedule_",
                   "otp_", "axes_", "filer_", "wagtailcore_page", "wagtailcore_revision", "django_session")


def _tables(cursor) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def snapshot() -> dict[str, tuple[int, str]]:
    """Per table: row count, and for our apps' tables (and auth, sessions...) a hash of the rows."""
    state = {}
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        counted = [t for t in tables if not t.startswith(HASHED_PREFIXES)]
        if counted:
            cursor.execute(" UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in counted))
            state.update({table: (count, "") for table, count in cursor.fetchall()})
        for table in tables:
            if table in state:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = cursor.fetchall()
            digest = hashlib.blake2b(digest_size=16)
            for row in sorted(repr(r) for r in rows):
                digest.update(row.encode("utf-8", "surrogatepass"))
            state[table] = (len(rows), digest.hexdigest())
    return state


# Statements that never write a row; anything else counts as a write (a conservative guess: then every
# table is compared).
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET ", "SHOW", "BEGIN", "COMMIT")


@contextmanager
def _writes_seen():
    """Whether this connection sent a statement that may write (INSERT, UPDATE, DELETE, a WITH ... or
    anything else not known to read) while the block ran: a list that gets True. Seen in Django's cursor
    wrapper, so a write a savepoint rolled back still shows, and it costs no query (the snapshot around
    each of the thousands of hostile requests used to ask PostgreSQL's per-transaction counters twice)."""
    seen = []

    def spy(execute, sql, params, many, context):
        if not seen and not str(sql).lstrip().upper().startswith(_READS):
            seen.append(True)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        yield seen


def compare(before: dict, after: dict, *, expect: dict[str, int] | None = None, ignore=()) -> list[str]:
    """What changed that should not have: a list of readable differences (empty when all is well)."""
    expect = expect or {}
    problems = []
    for table in sorted(set(before) | set(after)):
        count_before, hash_before = before.get(table, (0, ""))
        count_after, hash_after = after.get(table, (0, ""))
        if table in ignore:
            continue
        if table in expect:
            if count_after - count_before != expect[table]:
                problems.append(f"{table}: expected {expect[table]:+d} rows, got {count_after - count_before:+d}")
            continue
        if count_after != count_before:
            problems.append(f"{table}: {count_before} -> {count_after} rows")
        elif table not in CONTENT_IGNORED and hash_after != hash_before:
            problems.append(f"{table}: rows changed")
    return problems


@pytest.fixture(scope="package")
def baseline(world):
    """The world's state: every test starts from it (each runs in a savepoint rolled back after it)."""
    return snapshot()


@pytest.fixture
def unchanged(w, baseline):
    """`with unchanged(expect={...}):` fails the test if anything but the expected changes happened.

    The state before is the module's baseline (each test starts from it: its savepoint is rolled back),
    or a fresh snapshot when the test itself wrote something first (`fresh=True`). Cheap when the
    connection sent no statement that may write during the block (`_writes_seen`): nothing changed;
    otherwise every table is compared."""

    @contextmanager
    def check(*, expect: dict[str, int] | None = None, ignore=(), fresh: bool = False):
        before = snapshot() if fresh else baseline
        with _writes_seen() as wrote:
            yield
        if not wrote and not expect:
            return
        problems = compare(before, snapshot(), expect=expect, ignore=ignore)
        assert not problems, "the database changed: " + "; ".join(problems)

    return check
