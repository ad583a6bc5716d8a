"""The browser harness: a real daphne process on its own demo database, driven by Debian's chromium.

Every later journey adds a test here using `hub_server` (base URL of a seeded Hub), `page` (a fresh
Playwright page) and `sign_in` / `assert_accessible`.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.support import CHROMIUM, ROOT, Daphne, manage, server_env, unavailable

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "leap-demo-2026"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _postgres_database(base_url: str):
    """Create a throwaway database next to the one DATABASE_URL names; return (url, drop)."""
    import psycopg

    parts = urlsplit(base_url)
    name = f"hub_e2e_{os.getpid()}_{secrets.token_hex(3)}"
    admin_url = urlunsplit((parts.scheme.replace("postgresql", "postgres"), parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", "")), drop


@pytest.fixture(scope="session")
def hub_env(tmp_path_factory):
    """Environment of a production-like Hub (DEBUG off) on a fresh, migrated, seeded database."""
    database_url = os.environ.get("DATABASE_URL", "")
    drop = None
    if database_url.startswith(("postgres", "pgsql")):
        url, drop = _postgres_database(database_url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'hub.sqlite3'}"
    env = server_env(url, SERVE_STATIC="1", HUB_ALLOW_DEMO_DATA="1",
                     EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    manage("migrate", "--no-input", "-v0", env=env)
    manage("seed_demo", "--quiet-logins", env=env)
    yield env
    if drop:
        drop()


@pytest.fixture(scope="session")
def hub_server(hub_env):
    server = Daphne(hub_env).start()
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def browser():
    # Module scope, not session: Playwright's sync API keeps an event loop running in this thread
    # while it is started, which would break the async tests that run after the browser tests.
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing: install Debian's chromium (scripts/ensure-chromium.sh)")
    if not AXE.exists():
        unavailable("node_modules/axe-core is missing: run `npm install` (make test does)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, hub_server):
    context = browser.new_context(base_url=hub_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def assert_accessible(page, impacts=("serious", "critical")) -> None:
    """axe-core finds no violation of the given impacts on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in impacts
    ]
    assert not bad, "axe-core violations:\n" + "\n".join(bad)


def hub_python(hub_env: dict, code: str) -> str:
    """Run Python against the browser tests' Hub database (setup a journey needs, e.g. attendance)."""
    return manage("shell", "-c", code, env=hub_env).stdout
