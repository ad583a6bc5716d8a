"""Shared fixtures. Test data is built through the services, as the demo data is."""

import os

import pytest

from tests.support import POSTGRES_ONLY, REQUIRE_SERVICES, SQLITE_PASS_ONLY

pytest_plugins = ["tests.sockets"]  # fresh_layer, for the websocket tests


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under HUB_REQUIRE_SERVICES=1 a skipped browser or service test is a failure, not a skip."""
    outcome = yield
    report = outcome.get_result()
    if not (REQUIRE_SERVICES and report.skipped):
        return
    if item.get_closest_marker("browser") or item.get_closest_marker("services"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        split = os.environ.get("HUB_TESTS_SPLIT") == "ci"
        if POSTGRES_ONLY in reason and not os.environ.get("DATABASE_URL") and not (
                split and ci_pass_of(item.nodeid) == "sqlite"):
            return  # the SQLite pass; .ci/run's PostgreSQL pass runs it
        if SQLITE_PASS_ONLY in reason and os.environ.get("DATABASE_URL") and not (
                split and ci_pass_of(item.nodeid) == "postgres"):
            return  # the PostgreSQL pass; .ci/run's SQLite pass runs it
        report.outcome = "failed"
        report.longrepr = f"HUB_REQUIRE_SERVICES=1 but this test skipped: {reason}"


# CI's two passes (HUB_TESTS_SPLIT=ci, set by .ci/run) run side by side on a 2-core machine; every test
# runs in at least one of them, on the database its users have. `make test` on its own runs everything on
# whatever database it is given (SQLite by default), so a developer still sees all of it.
#
# The SQLite pass (`make run`'s database and in-memory channel layer) runs what is about that setup, what
# does not touch the database engine, and the parts of the suite that read through every page's queries:
IN_THE_SQLITE_PASS_ONLY = (
    # the browser journeys, against daphne servers on seeded SQLite copies as `make run` makes them
    "tests/e2e/",
    # hostile inputs that never reach a query as values the databases read differently (socket frames
    # and origins, upload bytes and names, two-step codes, replayed tokens, formula cells in exports,
    # insight texts); the others (query strings, form fields, search, double submits: where PostgreSQL
    # and SQLite differ on NUL bytes, integer and date ranges, collation, row locks) run on PostgreSQL
    *(f"tests/hostile/{name}.py" for name in (
        "test_sockets", "test_uploads", "test_two_step", "test_replay", "test_exports", "test_insights")),
    # headers, settings, stylesheets, texts, dates, origins, the import graph: no engine involved
    *(f"tests/hub/{name}.py" for name in (
        "test_security_headers", "test_settings", "test_stylesheets", "test_text", "test_dates", "test_origins",
        "test_client_ip", "test_media_serve")),
    "tests/test_architecture.py", "tests/courses/test_content.py", "tests/roundtable/test_i18n.py",
    # two daphnes over Redis on an SQLite copy whichever pass runs them (tests.support.two_daphnes_over_redis)
    "tests/integration/test_board_two_daphnes.py", "tests/integration/test_discussion_two_daphnes.py",
    "tests/integration/test_deactivation_closes_sockets.py", "tests/integration/test_rate_limit_two_daphnes.py",
)
# Both passes: the demo seed, the README's recipes (each says which database it is for) and every app's
# page tests (each page's queries on both engines). Upgrades of an existing database (the moved-model
# migration tests: a full `migrate` in a subprocess each, about a third of the SQLite pass) run on
# PostgreSQL, the database a deploy upgrades.
IN_BOTH_PASSES = (
    "tests/hub/test_seed_demo.py", "tests/integration/test_readme_recipes.py",
    *(f"tests/{app}/test_views.py" for app in (
        "hub", "courses", "sessions", "roundtable", "outbox", "privacy", "schedule")),
)
# Everything else (services, selectors, concurrency, the other hostile files, the real-process tests on
# the pass's own database) runs in the PostgreSQL pass, the production database, with Redis.


def ci_pass_of(nodeid: str) -> str:
    """"sqlite", "postgres" or "both": where CI's split runs this test."""
    if nodeid.startswith(IN_BOTH_PASSES):
        return "both"
    return "sqlite" if nodeid.startswith(IN_THE_SQLITE_PASS_ONLY) else "postgres"


# The PostgreSQL share runs as two processes side by side (HUB_CI_SHARD=1 or 2, each on its own database):
# one process waits on the database about a third of the time, so two keep the second core busy.
# Balanced on a profiled run (--durations, 2026-12-03): shard 1 took 918 s with roundtable and sessions
# (about 80 s and 60 s of it), shard 2 682 s; with those two moved, each is about 800 s.
FIRST_POSTGRES_SHARD = ("tests/hostile/", "tests/coordinators/", "tests/courses/")


def _in_this_run(nodeid: str, this_pass: str, shard: str) -> bool:
    if ci_pass_of(nodeid) not in (this_pass, "both"):
        return False
    if this_pass == "postgres" and shard in ("1", "2"):
        return (shard == "1") == nodeid.startswith(FIRST_POSTGRES_SHARD)
    return True


def pytest_collection_modifyitems(config, items):
    """HUB_TESTS_SPLIT=ci (.ci/run): each pass (and PostgreSQL shard) keeps its share; the rest is
    deselected."""
    if os.environ.get("HUB_TESTS_SPLIT") != "ci":
        return
    this_pass = "postgres" if os.environ.get("DATABASE_URL") else "sqlite"
    shard = os.environ.get("HUB_CI_SHARD", "")
    kept = [item for item in items if _in_this_run(item.nodeid, this_pass, shard)]
    if len(kept) != len(items):
        keep = {id(item) for item in kept}
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in keep])
        items[:] = kept


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "real_two_factor: force_login does not pass the second step for you (tests of two-step sign-in)")


def verify_test_session(session, user) -> None:
    """What django_otp.login does after a right code: store a confirmed device's persistent_id in the
    session (for users who need the second factor; creates a "Test authenticator" if they have none)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hub.twofactor.selectors import second_factor_expected

    if not second_factor_expected(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_two_step(request, monkeypatch):
    """Django's test clients' force_login also passes the second step, so tests of everything else need
    not know about it. Mark a test `real_two_factor` to get Django's own force_login."""
    if request.node.get_closest_marker("real_two_factor"):
        return
    from asgiref.sync import sync_to_async
    from django.test.client import ClientMixin

    force_login, aforce_login = ClientMixin.force_login, ClientMixin.aforce_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        verify_test_session(self.session, user)

    async def aforce_login_verified(self, user, backend=None):
        await aforce_login(self, user, backend)
        await sync_to_async(verify_test_session)(await self.asession(), user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login_verified)
    monkeypatch.setattr(ClientMixin, "aforce_login", aforce_login_verified)


@pytest.fixture(scope="session")
def _database_templates(tmp_path_factory):
    from tests.support import DatabaseTemplates

    templates = DatabaseTemplates(tmp_path_factory.mktemp("db-templates"))
    yield templates
    templates.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request, _database_templates):
    """pytest-django's test database; when this run created it, a copy of it, still untouched by any
    test, is the migrated template the real-process tests start from (see DatabaseTemplates)."""
    if request.config.getvalue("create_db") or not request.config.getvalue("reuse_db"):
        with django_db_blocker.unblock():
            _database_templates.adopt_test_database()


@pytest.fixture(scope="session")
def database_templates(django_db_setup, _database_templates):
    """Copies of a migrated (or migrated and demo-seeded) database, built once per run (tests.support)."""
    return _database_templates


@pytest.fixture
def home_page(db):
    from hub.services import site_ensure

    return site_ensure()


@pytest.fixture
def orgs(db):
    """The demo organisations (regions, districts, schools, partners, languages), no people."""
    from hub.demo import seed_organisations

    seed_organisations()
    from hub.models import District

    return {d.name: d for d in District.objects.all()}


@pytest.fixture
def make_person(db):
    """make_person("ana", roles=(VISITOR,), district=..., school=..., partner=...) -> Person."""
    from hub.services import person_create

    counter = {"n": 0}

    def make(username=None, *, roles=(), password="a-long-test-password", first_name="Test",
             last_name=None, **profile):
        counter["n"] += 1
        username = username or f"person{counter['n']}"
        return person_create(
            username=username, email=f"{username}@example.org", first_name=first_name,
            last_name=last_name or username.capitalize(), password=password, roles=tuple(roles), **profile,
        )

    return make


@pytest.fixture(scope="session", autouse=True)
def _no_reference_index():
    """Wagtail's reference index (the admin's "used in" counts) is rebuilt for the saved object on every
    save of a tracked model: with the tests' immediate task backend that ran inline, about half a second of
    each test that publishes a course. No test reads it; the Hub's processes (daphne, the worker) keep it."""
    from wagtail.signal_handlers import disable_reference_index_auto_update

    with disable_reference_index_auto_update():
        yield


@pytest.fixture(scope="session", autouse=True)
def _no_search_index():
    """Wagtail's search index (the admin's page and snippet search) is written for every saved page and
    scenario: inline with the tests' immediate task backend, about a tenth of each test that publishes a
    course. A test that searches (the recordings archive) asks for the `search_index` fixture, which keeps
    the index for that test; the Hub's own processes (daphne in the browser journeys and the real-process
    tests, the worker) keep it up to date as in production."""
    _search_index_connected(False)
    yield
    _search_index_connected(True)


def _search_index_connected(connected: bool) -> None:
    from django.db.models.signals import post_delete, post_save
    from modelsearch import index
    from modelsearch.signal_handlers import post_delete_signal_handler, post_save_signal_handler

    for model in index.get_indexed_models():
        if not getattr(model, "search_auto_update", True):
            continue
        for signal, handler in ((post_save, post_save_signal_handler), (post_delete, post_delete_signal_handler)):
            if connected:
                signal.connect(handler, sender=model)
            else:
                signal.disconnect(handler, sender=model)


@pytest.fixture
def search_index(_no_search_index):
    """Wagtail's search index written as pages are saved, for a test that searches what it made."""
    _search_index_connected(True)
    yield
    _search_index_connected(False)


# What a flushed database keeps: the rows migrations and post_migrate make and no test changes (the content
# types and permissions Django makes after every migrate, the sites framework's default site).
FLUSH_KEEPS = frozenset({"django_migrations", "django_content_type", "auth_permission", "django_site"})


@pytest.fixture(scope="session", autouse=True)
def _fast_flush_on_postgresql():
    """After a transactional test (real threads, processes, sockets), Django empties every table with one
    TRUNCATE of all ~300 and then sends post_migrate, which makes the content types and permissions again:
    about a second each on PostgreSQL (a new file per table and index), over a hundred times a run. Here
    every table but FLUSH_KEEPS is emptied with DELETE under deferred constraints (every foreign key
    Django makes is deferrable), which leaves the database as the flush did, and post_migrate has
    nothing to make again. SQLite's flush is a DELETE already; a test that asks for reset sequences or a
    serialized rollback gets Django's own flush."""
    from django.db import connections, transaction
    from django.test.testcases import TransactionTestCase

    django_teardown = TransactionTestCase._fixture_teardown

    def fixture_teardown(self):
        names = self._databases_names(include_mirrors=False)
        if (self.reset_sequences or self.serialized_rollback or self.available_apps is not None
                or any(connections[name].vendor != "postgresql" for name in names)):
            return django_teardown(self)
        for name in names:
            connection = connections[name]
            tables = [t for t in connection.introspection.django_table_names(only_existing=True, include_views=False)
                      if t not in FLUSH_KEEPS]
            quote = connection.ops.quote_name
            with transaction.atomic(using=name), connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute("; ".join(f"DELETE FROM {quote(table)}" for table in tables))

    TransactionTestCase._fixture_teardown = fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = django_teardown


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    os.makedirs(settings.MEDIA_ROOT, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Row ids are reused after a rolled-back test; cached renderings keyed by them must not leak."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Spanish leaves Spanish active on this thread; every test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def mail_at_once(monkeypatch):
    """The outbox hands a message to its (immediate, in tests) task on commit, and a test's transaction
    never commits: with this fixture the hand-over happens at once, so `mail.outbox` fills as the
    service runs (what a scheduled job's tests read)."""
    from hub.outbox import services as outbox_services

    monkeypatch.setattr(outbox_services.transaction, "on_commit", lambda func, using=None, robust=False: func())
