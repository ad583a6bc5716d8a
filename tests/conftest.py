"""Shared fixtures. Test data is built through the services, as the demo data is."""

import os

import pytest

from tests.support import POSTGRES_ONLY, REQUIRE_SERVICES


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under HUB_REQUIRE_SERVICES=1 a skipped browser or service test is a failure, not a skip."""
    outcome = yield
    report = outcome.get_result()
    if not (REQUIRE_SERVICES and report.skipped):
        return
    if item.get_closest_marker("browser") or item.get_closest_marker("services"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if POSTGRES_ONLY in reason and not os.environ.get("DATABASE_URL"):
            return  # the SQLite pass; .ci/run's PostgreSQL pass runs it
        report.outcome = "failed"
        report.longrepr = f"HUB_REQUIRE_SERVICES=1 but this test skipped: {reason}"


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
