"""The outbox with real processes: daphne serving the real views, `manage.py db_worker` processes
sending through a real SMTP listener (aiosmtpd) that refuses connections (its port closed) until it
starts, on a copy of the migrated database (SQLite, or PostgreSQL in the PostgreSQL pass).

- The relay down: a family signs up through the real page and sees its private link at once; the
  message waits, retried; the relay comes back; the worker sends it; the listener gets it once.
- Two workers on PostgreSQL, each message with two send tasks: every message is sent once (the row lock).
- Two workers started before many messages are queued, one send task each: both take some (SKIP
  LOCKED: neither waits for the other's row), and every message arrives exactly once.
- The database drops every connection of a running worker (`pg_terminate_backend`, as a restart or a
  failover does): the same worker process reconnects and sends a message queued afterwards.
- The database server itself stopped under a running worker and started again a few seconds later (a
  PostgreSQL server of the test's own, `pg_ctl stop` then `start`): the worker keeps running through the
  outage and sends what was queued after the server came back.
- The same, while the worker is in the middle of sending (its row lock held, the relay slow to
  answer): the task the loss cut short runs again after the reconnection and the message is sent
  (at least once, never lost), its task recorded successful.
- A worker killed (SIGKILL) in the middle of a send: the try rolls back, the task left "running" is found
  stranded by `outbox_recover` (the five-minute scheduled job) and queued again, and the next worker sends it.
- A message whose person was erased before the worker reached it: skipped with the reason, not retried.
- `scripts/run_dev.py` (`make run`) starts daphne, a worker and the scheduler, and Ctrl-C stops all three,
  leaving nothing.
"""

import asyncio
import json
import re
import signal
import sqlite3
import subprocess
import threading
import time
from email import message_from_string
from email.policy import default as email_policy
from pathlib import Path

import pytest
import requests

from hub.schedule.registry import jobs
from tests.support import PYTHON, ROOT, Daphne, free_port, manage, port_open, server_env, unavailable
from tests.support import TaskWorker as Worker

pytestmark = pytest.mark.services

SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from hub.roles import TRAINER
from hub.services import person_create
from roundtable.services import roundtable_create

trainer = person_create(username="tomas", email="tomas@example.org", first_name="Tomás", last_name="Rivera",
                        password=None, roles=(TRAINER,))
starts = timezone.now() + timedelta(days=10)
rt = roundtable_create(by=trainer.user, title_en="Getting to school every day", title_es="Llegar a la escuela",
                       starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=20,
                       address="Hartford Public Library, 500 Main St", languages=("en", "es"))
print("SETUP " + json.dumps({"roundtable": rt.pk}))
"""


class SmtpRelay:
    """A real SMTP listener on a port chosen now: connections are refused until `start()`."""

    def __init__(self, delay: float = 0.0):
        self.port = free_port()
        self.delay = delay  # seconds each message takes to accept (a slow relay spreads work over workers)
        self.received: list[tuple[list[str], str]] = []
        self.receiving = 0  # messages whose DATA began (still being accepted, with a delay)
        self.lock = threading.Lock()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        relay = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with relay.lock:
                    relay.receiving += 1
                if relay.delay:
                    await asyncio.sleep(relay.delay)
                with relay.lock:
                    relay.received.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
                return "250 Message accepted"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def messages(self) -> list[tuple[list[str], str]]:
        with self.lock:
            return list(self.received)


class Database:
    """Reads the Hub's database from outside, as its processes see it (SQLite file or PostgreSQL)."""

    def __init__(self, url: str):
        self.url = url

    def rows(self, sql: str, params=()) -> list[tuple]:
        if self.url.startswith("sqlite:///"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=20) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1)) as conn:
            return conn.execute(sql, params).fetchall()


def wait_for(check, *, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture
def relay():
    relay = SmtpRelay()
    yield relay
    relay.stop()


@pytest.fixture
def hub_database(database_templates):
    url, drop = database_templates.copy(seeded=False)
    yield url
    drop()


def hub_env(url: str, relay: SmtpRelay, **overrides) -> dict:
    return server_env(url, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                      EMAIL_PORT=str(relay.port), EMAIL_TIMEOUT="3", OUTBOX_RETRY_SECONDS="1",
                      OUTBOX_RETRY_MAX_SECONDS="2", OUTBOX_MAX_ATTEMPTS="50", **overrides)


def shell(code: str, env: dict, marker: str) -> dict:
    out = manage("shell", "-c", code, env=env).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith(marker + " "))[len(marker) + 1:])


def _sign_up(base: str, roundtable: int) -> requests.Response:
    browser = requests.Session()
    form = browser.get(f"{base}/roundtables/{roundtable}/", timeout=10)
    assert form.status_code == 200, form.text[:500]
    fields = {"csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1),
              "name": "María López", "preferred_language": "es", "email": "maria@example.org", "phone": "",
              "interpretation_language": "", "children_count": "1", "accessibility_needs": "", "district": "",
              "heard_from": "", "consent": "on", "website": ""}
    token = re.search(r'name="form_token" value="([^"]+)"', form.text)
    if token:
        fields["form_token"] = token.group(1)
    return browser.post(f"{base}/roundtables/{roundtable}/", data=fields, timeout=10,
                        headers={"Referer": f"{base}/roundtables/{roundtable}/"})


def test_with_the_relay_down_the_family_sees_its_link_at_once_and_the_email_goes_once_when_it_returns(
        hub_database, relay):
    env = hub_env(hub_database, relay)
    db = Database(hub_database)
    roundtable = shell(SETUP, env, "SETUP")["roundtable"]
    web, worker = Daphne(env).start(), Worker(env, "one")
    try:
        began = time.monotonic()
        page = _sign_up(web.url, roundtable)
        took = time.monotonic() - began
        assert page.status_code == 200, page.text[:2000]
        link = re.search(r"/roundtables/s/[A-Za-z0-9_\-]+/", page.url).group(0)
        assert link in page.text  # the private link, shown at once
        assert took < 5, f"the sign-up page took {took:.1f} s"

        # The relay refuses: the worker tries, records why, and keeps the message queued for later.
        state = wait_for(lambda: [row for row in db.rows(
            "SELECT state, attempts, last_error FROM outbox_message WHERE recipient = %s", ("maria@example.org",))
            if row[1] >= 2], timeout=60, what="two refused tries\n" + worker.output())
        (message_state, attempts, error), = state
        assert message_state == "queued" and ("refused" in error or "111" in error), state
        assert relay.messages() == []

        relay.start()
        wait_for(lambda: db.rows("SELECT 1 FROM outbox_message WHERE state = 'sent'"), timeout=60,
                 what="the message sent once the relay is back\n" + worker.output())
        time.sleep(3)  # any second copy would arrive now (retries are 1-2 s apart)
        received = relay.messages()
        assert len(received) == 1, received
        recipients, content = received[0]
        assert recipients == ["maria@example.org"]
        email = message_from_string(content, policy=email_policy)
        assert email["Subject"].startswith("Está inscrito")
        assert link in email.get_body(("plain",)).get_content()  # the private link, from SITE_URL
        assert db.rows("SELECT COUNT(*) FROM outbox_message") == [(1,)]
    finally:
        worker.stop()
        web.stop()


QUEUE_TWICE = """
import json
from hub.outbox import services
from hub.outbox.models import Message
ids = []
for n in range(%(count)d):
    message = services.message_queue(to=f"visitor{n}@example.org", subject=f"Reminder {n}", body="Tomorrow",
                                     key=f"test:twice:{n}")
    services.message_deliver_task.enqueue(message.pk)  # a second send task for the same message
    ids.append(message.pk)
print("QUEUED " + json.dumps(ids))
"""


def test_two_workers_holding_tasks_for_the_same_messages_send_each_once(hub_database, relay):
    if not hub_database.startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass: needs row locks and two workers at once")
    relay.start()
    env = hub_env(hub_database, relay)
    db = Database(hub_database)
    count = 20
    ids = shell(QUEUE_TWICE % {"count": count}, env, "QUEUED")
    assert db.rows("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'") == [(2 * count,)]
    workers = [Worker(env, "first"), Worker(env, "second")]
    try:
        wait_for(lambda: db.rows("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")
                 == [(0,)] and db.rows("SELECT COUNT(*) FROM outbox_message WHERE state = 'sent'") == [(count,)],
                 timeout=90, what="every task done\n" + workers[0].output())
        time.sleep(1)
        sent_to = sorted(recipients[0] for recipients, _ in relay.messages())
        assert sent_to == sorted(f"visitor{n}@example.org" for n in range(count))  # each once, none twice
        by_worker = db.rows("SELECT worker_ids, return_value FROM django_tasks_database_dbtaskresult")
        assert len(by_worker) == 2 * count
        outcomes = sorted(str(row[1]) for row in by_worker)
        assert outcomes.count('"sent"') + outcomes.count("sent") == 2 * count  # the second copy found it sent
        assert db.rows("SELECT COUNT(*) FROM outbox_message WHERE attempts = 1") == [(count,)]
        assert sorted(ids) == sorted(row[0] for row in db.rows("SELECT id FROM outbox_message"))
    finally:
        for worker in workers:
            worker.stop()


QUEUE_MANY = """
import json
from hub.outbox import services
ids = [services.message_queue(to=f"family{n}@example.org", subject=f"Reminder {n}", body="Tomorrow",
                              key=f"test:many:{n}").pk for n in range(%(count)d)]
print("QUEUED " + json.dumps(ids))
"""


def _wait_started(workers: list[Worker]) -> None:
    for worker in workers:
        wait_for(lambda w=worker: "Starting worker" in w.output(), timeout=30, what="the worker to start\n"
                 + worker.output())


def test_two_workers_share_many_queued_messages_and_each_arrives_exactly_once(hub_database):
    if not hub_database.startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass: SKIP LOCKED lets two workers take tasks at once")
    relay = SmtpRelay(delay=0.05)
    relay.start()
    env = hub_env(hub_database, relay)
    db = Database(hub_database)
    count = 40
    workers = [Worker(env, "left"), Worker(env, "right")]
    try:
        _wait_started(workers)
        ids = shell(QUEUE_MANY % {"count": count}, env, "QUEUED")
        wait_for(lambda: db.rows("SELECT COUNT(*) FROM outbox_message WHERE state = 'sent'") == [(count,)],
                 timeout=90, what="every message sent\n" + workers[0].output() + workers[1].output())
        time.sleep(0.5)  # a duplicate would be on its way now
        sent_to = sorted(recipients[0] for recipients, _ in relay.messages())
        assert sent_to == sorted(f"family{n}@example.org" for n in range(count))  # each exactly once
        assert db.rows("SELECT COUNT(*) FROM outbox_message WHERE attempts = 1") == [(count,)]
        claimed = [json.loads(row[0]) if isinstance(row[0], str) else row[0]
                   for row in db.rows("SELECT worker_ids FROM django_tasks_database_dbtaskresult")]
        assert len(claimed) == count and all(len(ids) == 1 for ids in claimed), claimed  # each task run once
        took = {name: sum(1 for ids in claimed if ids[0].startswith(name + "-")) for name in ("left", "right")}
        assert took["left"] > 0 and took["right"] > 0 and sum(took.values()) == count, took
        assert len(ids) == count
    finally:
        for worker in workers:
            worker.stop()
        relay.stop()


QUEUE_ONE = """
import json
from hub.outbox import services
print("QUEUED " + json.dumps(services.message_queue(to="%(to)s", subject="Tomorrow", body="Hello").pk))
"""


def test_a_worker_whose_database_connections_were_killed_reconnects_and_sends_what_is_queued_next(
        hub_database, relay):
    if not hub_database.startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass: the server is asked to end the worker's connections")
    from urllib.parse import urlsplit

    relay.start()
    env = hub_env(hub_database, relay)
    db = Database(hub_database)
    name = urlsplit(hub_database).path.lstrip("/")
    worker = Worker(env, "reconnect")
    sent = "SELECT 1 FROM outbox_message WHERE id = %s AND state = 'sent'"
    try:
        before = shell(QUEUE_ONE % {"to": "before@example.org"}, env, "QUEUED")
        wait_for(lambda: db.rows(sent, (before,)), timeout=60, what="the first message\n" + worker.output())
        # This copy of the database is the test's own: only its worker is connected to it (and, for a moment,
        # the shell that queued the message, whose backend may end by itself before it is asked to: False).
        killed = db.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                         "AND pid <> pg_backend_pid()", (name,))
        assert any(ok for ok, in killed), killed
        after = shell(QUEUE_ONE % {"to": "after@example.org"}, env, "QUEUED")

        def delivered():
            assert worker.proc.poll() is None, "the worker exited:\n" + worker.output()  # fail at once
            return db.rows(sent, (after,))

        wait_for(delivered, timeout=60, what="the message queued after the loss\n" + worker.output())
        assert worker.proc.poll() is None, worker.output()  # the same process, still running
        assert "lost the database" in worker.output()
        assert [recipients for recipients, _ in relay.messages()] == [["before@example.org"], ["after@example.org"]]
    finally:
        worker.stop()


class PostgresServer:
    """A PostgreSQL server of the test's own (initdb in a temporary folder, its own port), so it can be
    stopped and started again without touching the server the other tests share. Run as the `postgres`
    user when the tests run as root (PostgreSQL refuses to run as root)."""

    def __init__(self, folder: Path):
        import os
        import shutil

        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        found = str(bins[-1]) if bins else shutil.which("pg_ctl")  # Debian's own folder holds initdb too
        if not found:
            unavailable("pg_ctl (PostgreSQL's server tools) is needed to restart a server")
        self.bin = Path(found).parent
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/hub"

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.as_postgres, str(self.bin / tool), *args], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, f"{tool}: {done.stdout}\n{done.stderr}"

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "60", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def load(self, source_url: str) -> None:
        """The database `hub`, a copy of `source_url`'s (schema and rows), made with pg_dump and psql."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "hub")
        dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", source_url.replace("postgres://", "postgresql://", 1)],
                              capture_output=True, timeout=120)
        assert dump.returncode == 0, dump.stderr.decode()
        loaded = subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port), "-U",
                                 "postgres", "-d", "hub"], input=dump.stdout, capture_output=True, timeout=120)
        assert loaded.returncode == 0, loaded.stderr.decode()[-2000:]


@pytest.fixture
def own_server(hub_database, tmp_path_factory):
    if not hub_database.startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass: a PostgreSQL server of the test's own is stopped and started")
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="hub-pg-"))  # short: the server's socket lives here
    server = PostgresServer(folder)
    server.start()
    try:
        server.load(hub_database)
        yield server
    finally:
        try:
            server.stop("immediate")
        except AssertionError:
            pass
        shutil.rmtree(folder, ignore_errors=True)


def test_a_worker_keeps_running_through_a_database_server_restart_and_sends_what_is_queued_after_it(
        own_server, relay):
    relay.start()
    env = hub_env(own_server.url, relay)
    db = Database(own_server.url)
    worker = Worker(env, "restart")
    sent = "SELECT 1 FROM outbox_message WHERE id = %s AND state = 'sent'"
    try:
        before = shell(QUEUE_ONE % {"to": "before@example.org"}, env, "QUEUED")
        wait_for(lambda: db.rows(sent, (before,)), timeout=60, what="the first message\n" + worker.output())

        own_server.stop()  # a real shutdown: every connection closed, new ones refused
        time.sleep(3)  # the worker polls every 0.2 s: it meets the closed server many times
        assert worker.proc.poll() is None, "the worker exited while the server was down:\n" + worker.output()
        own_server.start()

        after = shell(QUEUE_ONE % {"to": "after@example.org"}, env, "QUEUED")

        def delivered():
            assert worker.proc.poll() is None, "the worker exited:\n" + worker.output()  # fail at once
            return db.rows(sent, (after,))

        wait_for(delivered, timeout=60, what="the message queued after the restart\n" + worker.output())
        assert "lost the database" in worker.output()
        assert [recipients for recipients, _ in relay.messages()] == [["before@example.org"], ["after@example.org"]]
        assert db.rows("SELECT state, count(*) FROM outbox_message GROUP BY state") == [("sent", 2)]
    finally:
        worker.stop()


def test_a_send_cut_short_by_the_database_dropping_the_worker_runs_again_and_the_message_is_not_lost(
        hub_database):
    if not hub_database.startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass: the server is asked to end the worker's connections")
    from urllib.parse import urlsplit

    relay = SmtpRelay(delay=2.0)  # the worker waits two seconds on the relay, inside its transaction
    relay.start()
    env = hub_env(hub_database, relay)
    db = Database(hub_database)
    name = urlsplit(hub_database).path.lstrip("/")
    worker = Worker(env, "cut")
    try:
        message = shell(QUEUE_ONE % {"to": "cut@example.org"}, env, "QUEUED")
        wait_for(lambda: relay.receiving, timeout=60, what="the worker to start sending\n" + worker.output())
        db.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()", (name,))

        def sent():
            assert worker.proc.poll() is None, "the worker exited:\n" + worker.output()
            return db.rows("SELECT attempts FROM outbox_message WHERE id = %s AND state = 'sent'", (message,))

        wait_for(sent, timeout=60, what="the message sent after the loss\n" + worker.output())
        assert "cut short by the database; queued to run again" in worker.output()
        assert db.rows("SELECT status FROM django_tasks_database_dbtaskresult") == [("SUCCESSFUL",)]
        assert 1 <= len(relay.messages()) <= 2  # at least once: the relay took the first copy the record lost
    finally:
        worker.stop()
        relay.stop()


def test_a_worker_killed_in_the_middle_of_a_send_loses_nothing_the_scheduled_recovery_sends_it(hub_database):
    """SIGKILL while the worker waits on the relay inside its transaction: the database rolls the try back
    (the message still queued, no try counted) and the task stays "running" with no process behind it.
    `manage.py outbox_recover` (the scheduled job, every five minutes) finds it stranded and queues it
    again; a new worker sends the message, and its task is recorded successful."""
    relay = SmtpRelay(delay=20.0)  # long enough to kill the worker while it waits for the relay's answer
    relay.start()
    env = hub_env(hub_database, relay, OUTBOX_TASK_STRANDED_SECONDS="1")
    db = Database(hub_database)
    worker = Worker(env, "killed")
    second = None
    try:
        message = shell(QUEUE_ONE % {"to": "killed@example.org"}, env, "QUEUED")
        wait_for(lambda: relay.receiving, timeout=60, what="the worker to start sending\n" + worker.output())
        worker.proc.send_signal(signal.SIGKILL)
        worker.proc.wait(10)
        relay.delay = 0.0
        wait_for(lambda: db.rows("SELECT state, attempts FROM outbox_message WHERE id = %s", (message,))
                 == [("queued", 0)], timeout=30, what="the killed try rolled back")
        assert db.rows("SELECT status FROM django_tasks_database_dbtaskresult") == [("RUNNING",)]
        time.sleep(1.5)  # past OUTBOX_TASK_STRANDED_SECONDS
        recovered = manage("outbox_recover", env=env).stdout
        assert "1 stranded send tasks queued again, 0 failed" in recovered, recovered
        assert db.rows("SELECT status FROM django_tasks_database_dbtaskresult") == [("READY",)]
        second = Worker(env, "after")
        wait_for(lambda: db.rows("SELECT attempts FROM outbox_message WHERE id = %s AND state = 'sent'", (message,)),
                 timeout=60, what="the message sent by the next worker\n" + second.output())
        assert db.rows("SELECT status FROM django_tasks_database_dbtaskresult") == [("SUCCESSFUL",)]
        assert db.rows("SELECT attempts FROM outbox_message WHERE id = %s", (message,)) == [(1,)]
        # at least once, never lost: the relay may also keep the copy the killed worker never heard back about
        assert {tuple(to) for to, _ in relay.messages()} == {("killed@example.org",)}
    finally:
        worker.stop()
        if second is not None:
            second.stop()
        relay.stop()


ERASED = """
import json
from hub.outbox import services
from hub.privacy.selectors import subject_for_person
from hub.privacy.services import privacy_erase
from hub.roles import VISITOR
from hub.services import person_create

ana = person_create(username="ana", email="ana@example.org", first_name="Ana", last_name="Ruiz", password=None,
                    roles=(VISITOR,))
message = services.message_queue(to="ana@example.org", subject="Tomorrow: LEAP 101", body="Hello Ana",
                                 person=ana, kind="reminder")
privacy_erase(subject=subject_for_person(username="ana"), operator="test, ticket 1", confirm=True)
print("ERASED " + json.dumps({"message": message.pk}))
"""


def test_a_message_whose_person_was_erased_is_skipped_with_the_reason_and_not_retried(hub_database, relay):
    relay.start()
    env = hub_env(hub_database, relay)
    db = Database(hub_database)
    message = shell(ERASED, env, "ERASED")["message"]
    worker = Worker(env, "erased")
    try:
        (state, error, attempts), = wait_for(lambda: db.rows(
            "SELECT state, last_error, attempts FROM outbox_message WHERE id = %s AND state != 'queued'",
            (message,)), timeout=60, what="the worker to reach the message\n" + worker.output())
        assert state == "skipped" and "erased" in error and attempts == 0
        time.sleep(2)
        tasks = db.rows("SELECT status FROM django_tasks_database_dbtaskresult")
        assert tasks == [("SUCCESSFUL",)]  # one task, finished: no retry, no exception loop
        assert relay.messages() == []
    finally:
        worker.stop()


def _group_members(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def test_make_run_starts_daphne_a_worker_and_the_scheduler_and_ctrl_c_stops_all_three(hub_database, relay):
    if not Path("/proc").exists():
        unavailable("/proc is needed to see the processes")
    port = free_port()
    # DEBUG on, as with make run: the worker's auto-reloader runs the worker in a child of its own.
    env = {**hub_env(hub_database, relay), "DEBUG": "1"}
    proc = subprocess.Popen([PYTHON, "scripts/run_dev.py", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()
        web, worker, scheduler = (int(n) for n in re.findall(r"pid (\d+)", line))
        wait_for(lambda: port_open("127.0.0.1", port), timeout=30, what="daphne to listen")
        wait_for(lambda: len(_group_members(worker)) >= 2, timeout=30, what="the worker's reloader child")
        groups = {web: _group_members(web), worker: _group_members(worker), scheduler: _group_members(scheduler)}
        assert all(groups.values()), groups
        finished = "SELECT count(*) FROM scheduled_run WHERE state = 'finished'"  # the beat's first tick, run
        wait_for(lambda: Database(hub_database).rows(finished)[0][0] == len(jobs()), timeout=30, what="the scheduled runs")
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert proc.wait(30) == 0
        left = {pgid: _group_members(pgid) for pgid in groups}
        assert left == {web: [], worker: [], scheduler: []}, left
        assert not port_open("127.0.0.1", port)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
