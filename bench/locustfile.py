"""Load test: the Hub's four main journeys, with realistic weights and think time (locust).

    .venv/bin/python bench/bench_load.py            # starts a seeded Hub and runs this for you
    .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8000 --headless -u 50 -r 10 -t 2m

Journeys (weights are the share of simulated people):
  visitor in LEAP 101 (5)  sign in, My training, a module page, answer a knowledge check or save a reflection
  live sessions (3)        upcoming list, month view, a session page, register + cancel or the .ics file
  family, Spanish (3)      the roundtables list and a sign-up form; now and then signs up (and may cancel)
  coordinator (1)          sign in with the second factor, the roster with a filter, a case, the dashboard

Every response is checked for its status and a piece of the page it must show, so a wrong page counts
as an error, not as a fast success. Requests are named by page, not by URL. Demo accounts (seed_demo,
password leap-demo-2026) are handed out in turn so that simultaneous people are different accounts
where the demo has enough; a register/cancel pair never overlaps for one account. Accounts that must
use a second factor get their code from the demo authenticator key (hub/demo.py, DEMO_TOTP_KEY); one
code is accepted once, so two people on the same account wait for the next 30-second step.

The server's sign-up limit per address (ROUNDTABLE_SIGNUPS_PER_WINDOW, 5 per 10 minutes by default)
must be raised for a load test from one address; bench_load.py starts its server that way.
"""

import itertools
import os
import random
import re
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from gevent.lock import Semaphore
from locust import HttpUser, between, task
from locust.exception import RescheduleTask

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "leap-demo-2026"
VISITORS = ["visitor", "marcus", "luis", "dana", "jordan", "rosa", "beatriz", "james", "kevin", "fatima", "nadia"]
# People who see the coordinators' pages; all of them must use the second factor.
COORDINATORS = ["coordinator", "coordinator.nh", "coordinator.bpt", "regional", "state"]
THINK = tuple(float(x) for x in os.environ.get("HUB_LOAD_THINK", "2,6").split(","))


def _demo_totp_key() -> str:
    """hub.demo.DEMO_TOTP_KEY, read from the source (importing hub.demo needs Django set up)."""
    match = re.search(r'^DEMO_TOTP_KEY = "([0-9a-f]+)"', (ROOT / "hub" / "demo.py").read_text(), re.M)
    return match.group(1) if match else "3132333435363738393031323334353637383930"


DEMO_TOTP_KEY = bytes.fromhex(_demo_totp_key())
_visitor_accounts = itertools.cycle(VISITORS)
_session_accounts = itertools.cycle(reversed(VISITORS))  # the other end of the list first
_coordinator_accounts = itertools.cycle(COORDINATORS)
_last_step: dict[str, int] = {}  # account -> TOTP time step last used (a code is accepted once)
_step_lock: dict[str, Semaphore] = {}
_registering: dict[str, Semaphore] = {}


def current_code() -> tuple[int, str]:
    from django_otp.oath import totp  # stdlib-only module: no Django settings needed

    return int(time.time()) // 30, f"{totp(DEMO_TOTP_KEY):06d}"


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise RescheduleTask("no CSRF token on the page")
    return match.group(1)


class HubUser(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    language = "en-US,en;q=0.8"

    def on_start(self):
        self.client.headers["Accept-Language"] = self.language
        self.client.headers["User-Agent"] = "hub-load-test (locust)"
        if urlsplit(self.host).scheme == "https":
            self.client.verify = False  # loopback only (bench_load.py refuses other hosts)
        self.signed_in = False

    # -- checked requests ---------------------------------------------------------------------------
    def fetch(self, method: str, path: str, name: str, expect: str | tuple[str, ...], status: int = 200,
              **kwargs):
        """One request; a failure unless the status is `status` and the body holds (one of) `expect`.
        Returns the response, or abandons the current task (RescheduleTask) after a failure."""
        expected = (expect,) if isinstance(expect, str) else expect
        if method == "POST":
            kwargs.setdefault("headers", {})["Referer"] = self.host + path
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as response:
            landed = urlsplit(response.url or "").path
            if response.status_code != status:
                where = f" -> {response.headers.get('Location')}" if response.is_redirect else ""
                response.failure(f"status {response.status_code}{where}, expected {status}")
            elif landed.startswith("/accounts/") and not path.startswith("/accounts/"):
                response.failure(f"sent to {landed} (signed out, or the second step was not passed)")
            elif expected and not any(text in response.text for text in expected):
                response.failure(f"page lacks {expected[0]!r}")
            else:
                response.success()
                return response
        raise RescheduleTask(f"{name} failed")

    def get(self, path, name, expect, **kwargs):
        return self.fetch("GET", path, name, expect, **kwargs)

    def post(self, path, name, expect, data, page_html, **kwargs):
        return self.fetch("POST", path, name, expect, data={"csrfmiddlewaretoken": csrf_token(page_html), **data},
                          **kwargs)

    # -- signing in ---------------------------------------------------------------------------------
    def sign_in(self, username: str, landing: str, landing_expect: str) -> None:
        """The sign-in form, then the second step if the Hub asks for it: right after the password (the
        contract) or on the first page after it (the two-step middleware); both are handled."""
        self.client.cookies.clear()
        form = self.get("/accounts/login/?next=" + landing, "sign-in form", 'name="password"')
        response = self.fetch("POST", "/accounts/login/", "sign in (password)", (), status=302, data={
            "csrfmiddlewaretoken": csrf_token(form.text), "username": username, "password": DEMO_PASSWORD,
            "next": landing}, allow_redirects=False)
        location = response.headers.get("Location", "")
        if "/accounts/two-step/" not in location:
            with self.client.get(landing, name=landing_name(landing), allow_redirects=False,
                                 catch_response=True) as first:
                location = first.headers.get("Location", "")
                if first.status_code == 302 and "/accounts/two-step/" in location:
                    first.success()
                elif first.status_code == 200 and landing_expect in first.text:
                    first.success()
                    self.signed_in = True
                    return
                else:
                    first.failure(f"after signing in: status {first.status_code} {location}")
                    raise RescheduleTask("sign-in failed")
        self.second_step(username, location)
        self.get(landing, landing_name(landing), landing_expect)
        self.signed_in = True

    def second_step(self, username: str, location: str) -> None:
        path = urlsplit(location)
        url = path.path + (f"?{path.query}" if path.query else "")
        if path.path.rstrip("/").endswith("/setup"):
            self.get(url, "two-step set-up", "")
            raise RescheduleTask(f"{username} has no demo authenticator (seed_demo gives one)")
        form = self.get(url, "two-step form", 'name="otp_token"')
        lock = _step_lock.setdefault(username, Semaphore())
        with lock:  # one code per account and time step: wait for the next step if it was used
            step, code = current_code()
            if _last_step.get(username) == step:
                gevent.sleep(30 - time.time() % 30 + 0.2)
                step, code = current_code()
            _last_step[username] = step
        self.fetch("POST", url, "two-step verify", (), status=302, allow_redirects=False, data={
            "csrfmiddlewaretoken": csrf_token(form.text), "otp_token": code})


def landing_name(path: str) -> str:
    return {"/training/": "my training", "/sessions/": "sessions: upcoming",
            "/coordinators/": "roster"}.get(path, path)


class LeapVisitor(HubUser):
    """(a) A home visitor working through LEAP 101."""
    weight = 5

    def on_start(self):
        super().on_start()
        self.username = next(_visitor_accounts)

    @task
    def study(self):
        if not self.signed_in:
            self.sign_in(self.username, "/training/", "<h1>My training</h1>")
        training = self.get("/training/", "my training", "<h1>My training</h1>")
        links = re.findall(r'<a href="(/[^"]*leap-101[^"]*)"', training.text)
        if not links:
            raise RescheduleTask("no LEAP 101 link on My training")
        course = self.get(links[0], "course or module page", "LEAP 101")
        modules = sorted(set(re.findall(r'href="(/[^"]*leap-101/[^"#?]+/)"', course.text + training.text)))
        if not modules:
            raise RescheduleTask("no module links")
        self.wait()
        module = self.get(random.choice(modules), "module page", ("Knowledge check:", "<h2 id=\"reflection-title"))
        checks = re.findall(r'action="(/training/modules/\d+/checks/[^"]+/)"', module.text)
        reflections = re.findall(r'action="(/training/modules/\d+/reflections/[^"]+/)"', module.text)
        self.wait()
        if checks and (not reflections or random.random() < 0.6):
            action = random.choice(checks)
            block = module.text[module.text.index(action):]
            block = block[:block.find("</form>")]
            questions = sorted(set(re.findall(r'name="(q\d+)" value="(\d+)"', block)))
            answers: dict[str, list[str]] = {}
            for name, value in questions:
                if random.random() < 0.5 or name not in answers:
                    answers.setdefault(name, []).append(value)
            self.post(action, "knowledge check (answer)", "Your last answers", answers, module.text)
        elif reflections:
            self.post(random.choice(reflections), "reflection (save)", "Reflection saved",
                      {"text": f"What I would say differently next time ({uuid.uuid4().hex[:6]})."}, module.text)


class SessionsVisitor(HubUser):
    """(b) A visitor looking at live sessions: registers and cancels, or adds one to a calendar."""
    weight = 3

    def on_start(self):
        super().on_start()
        self.username = next(_session_accounts)

    @task
    def sessions(self):
        if not self.signed_in:
            self.sign_in(self.username, "/sessions/", "<h1>Upcoming sessions</h1>")
        upcoming = self.get("/sessions/", "sessions: upcoming", "<h1>Upcoming sessions</h1>")
        self.wait()
        self.get("/sessions/month/", "sessions: month", "<h1>Sessions in ")
        links = re.findall(r'class="occurrence-title" href="(/sessions/\d+/[^"/]+/)"', upcoming.text)
        if not links:
            raise RescheduleTask("no upcoming session listed")
        self.wait()
        link = random.choice(links)
        page = self.get(link, "session page", "Add to my calendar (.ics)")
        lock = _registering.setdefault(self.username, Semaphore())
        can_register = f'action="{link}register/"' in page.text
        if random.random() < 0.5 and can_register and lock.acquire(blocking=False):
            try:
                registered = self.post(link + "register/", "session: register", "Cancel my registration</button>",
                                       {}, page.text)
                self.wait()
                self.post(link + "unregister/", "session: cancel registration",
                          (">Register</button>", ">Join the waitlist</button>"), {}, registered.text)
            finally:
                lock.release()
        else:
            self.get(link + "session.ics", "session: .ics download", "BEGIN:VCALENDAR")


class SpanishFamily(HubUser):
    """(c) A family on the Spanish roundtable pages (no account); now and then signs up."""
    weight = 3
    language = "es-US,es;q=0.9,en;q=0.3"

    @task
    def roundtables(self):
        listing = self.get("/roundtables/", "roundtables: list", "<h1>Mesas redondas familiares</h1>")
        links = sorted(set(re.findall(r'href="(/roundtables/\d+/)"', listing.text)))
        if not links:
            raise RescheduleTask("no roundtable listed")
        self.wait()
        form = self.get(random.choice(links), "roundtables: sign-up form", "Su nombre")
        if random.random() >= 0.3 or 'name="consent"' not in form.text:
            return
        self.wait()
        tag = uuid.uuid4().hex[:10]
        done = self.fetch("POST", urlsplit(form.url).path, "roundtables: sign up", ("¡Está inscrito!",
                          "Está en la lista de espera"), data={
            "csrfmiddlewaretoken": csrf_token(form.text), "name": f"Familia Prueba {tag}",
            "preferred_language": "es", "email": f"familia-{tag}@example.org", "phone": "",
            "interpretation_language": "", "children_count": str(random.randint(0, 3)),
            "accessibility_needs": "", "district": "", "heard_from": "", "consent": "on", "website": ""})
        cancel = re.search(r'action="(/roundtables/s/[^"]+/cancel/)"', done.text)
        if cancel and random.random() < 0.5:
            self.wait()
            self.post(cancel.group(1), "roundtables: cancel sign-up", "Su inscripción está cancelada", {},
                      done.text)


class Coordinator(HubUser):
    """(d) A coordinator (or regional/state staff): second factor, roster with a filter, a case, dashboard."""
    weight = 1

    def on_start(self):
        super().on_start()
        self.username = next(_coordinator_accounts)

    @task
    def coordinate(self):
        if not self.signed_in:
            self.sign_in(self.username, "/coordinators/", "<h1>Who is trained</h1>")
        query = random.choice(["?status=certified", "?status=in_progress&sort=status", "?sort=-name",
                               "?status=expiring_soon", "?q=a"])
        self.get("/coordinators/" + query, "roster (filtered)", "<h1>Who is trained</h1>")
        self.wait()
        cases = self.get("/coordinators/cases/", "cases: list", "<h1>Student cases</h1>")
        links = sorted(set(re.findall(r'href="(/coordinators/cases/\d+/)"', cases.text)))
        if links:
            self.wait()
            self.get(random.choice(links), "case page", '<span class="detail">student ')
        self.wait()
        self.get("/coordinators/dashboard/", "dashboard", "<h1>Dashboard: ")
