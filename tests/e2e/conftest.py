"""The browser harness: a real daphne process on its own demo database, driven by Debian's chromium.

Every later journey adds a test here using `hub_server` (base URL of a seeded Hub), `page` (a fresh
Playwright page) and `sign_in` / `assert_accessible`.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support import CHROMIUM, ROOT, SQLITE_PASS_ONLY, Daphne, manage, server_env, unavailable

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "leap-demo-2026"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def hub_env(database_templates, tmp_path_factory):
    """Environment of a production-like Hub (DEBUG off) on a fresh copy of a migrated, seeded database."""
    if os.environ.get("HUB_BROWSER_TESTS") == "sqlite-pass" and os.environ.get("DATABASE_URL"):
        # .ci/run: its two passes run side by side on two cores and the PostgreSQL one is the longer;
        # the journeys run once, in the SQLite pass (the `make run` setup). PostgreSQL-only behaviour
        # has its own tests (row locks, the production profile, backups).
        pytest.skip(f"{SQLITE_PASS_ONLY}: CI runs the browser journeys once, on the default setup")
    url, drop = database_templates.copy(seeded=True)
    env = server_env(url, SERVE_STATIC="1", HUB_ALLOW_DEMO_DATA="1",
                     EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                     # Uploads a journey makes (a recording to play) are served by daphne, as on `make run`.
                     SERVE_MEDIA="1", MEDIA_ROOT=str(tmp_path_factory.mktemp("e2e-media")))
    yield env
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


# Reports every Content-Security-Policy violation of every document in a context to Python (the
# `securitypolicyviolation` event; Playwright's init scripts and bindings are not subject to the CSP).
CSP_RECORDER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__hubCspViolation({page: document.location.href, directive: e.effectiveDirective,
    blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample});
}, true);
"""


def csp_violations_record(context) -> list[str]:
    """Start recording CSP violations in `context` (every page, every navigation); returns the live list."""
    found: list[str] = []

    def on_violation(source, v):
        found.append(f"{v['page']}: {v['directive']} blocked {v['blocked'] or '(inline)'}"
                     f" at {v['source'] or '?'}:{v['line']} {v['sample'] or ''}".rstrip())

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            found.append(f"{message.page.url if message.page else '?'} (console): {message.text}")

    context.expose_binding("__hubCspViolation", on_violation)
    context.add_init_script(CSP_RECORDER)
    context.on("console", on_console)
    return found


@pytest.fixture
def page(browser, hub_server):
    context = browser.new_context(base_url=hub_server, viewport={"width": 390, "height": 844})
    violations = csp_violations_record(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations)))


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in; for demo accounts that need it, also pass the two-step page with the demo authenticator."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if urlsplit(page.url).path == "/accounts/two-step/":
        complete_two_step(page)


def complete_two_step(page) -> None:
    """Enter the demo authenticator's code (hub.twofactor.demo.DEMO_TOTP_KEY). A code is accepted once per device:
    when an earlier journey already used this 30-second window's code, the app's next code is still
    accepted (tolerance of one step), and after that we wait for the next window. Each wrong code
    locks the device for 1, 2, 4... seconds (django-otp throttling), so we wait that out too."""
    import time

    from django_otp.oath import TOTP

    from hub.twofactor.demo import DEMO_TOTP_KEY

    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    failures = 0
    for steps_ahead in (0, 1, 0, 1, 0, 1):
        now = time.time()
        if steps_ahead == 0 and failures:  # both codes of the last window refused: wait for a new one
            time.sleep(max(30 - now % 30 + 0.5, 2 ** (failures - 1) + 0.2))
            now = time.time()
        totp.time = now + 30 * steps_ahead
        page.get_by_label("Code from your authenticator app").fill(f"{totp.token():06d}")
        page.get_by_role("button", name="Verify").click()
        page.wait_for_load_state()
        if urlsplit(page.url).path != "/accounts/two-step/":
            return
        failures += 1
        time.sleep(2 ** (failures - 1) + 0.2)
    raise AssertionError(f"the two-step page refused every demo code: {page.url}")


def assert_accessible(page, impacts=("serious", "critical")) -> None:
    """axe-core finds no violation of the given impacts on the current page."""
    # Evaluated, not added as a <script> tag: the Hub's CSP blocks inline scripts (tests/e2e records it).
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in impacts
    ]
    assert not bad, "axe-core violations:\n" + "\n".join(bad)


def hub_python(hub_env: dict, code: str) -> str:
    """Run Python against the browser tests' Hub database (setup a journey needs, e.g. attendance)."""
    return manage("shell", "-c", code, env=hub_env).stdout
