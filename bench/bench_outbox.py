"""The outbox on PostgreSQL: messages sent per second by one and by two task workers (a real SMTP
listener on this machine), and what queueing an email adds to a page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_outbox.py [--messages 400]

A throwaway database is made next to the one DATABASE_URL names (default the local PostgreSQL).
1. `--messages` messages are queued, then one `manage.py db_worker` sends them; again with two workers.
   Printed: messages/s each, and two workers as a ratio of one (measured in this run).
2. The family sign-up page (POST, through daphne) with an email (the page queues the confirmation:
   a message row and its task) and with a phone only (the same page, the same seat rule, no email),
   alternated, one request at a time. Printed: p95 of each and the difference (the issue asks < 5 ms).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

from harness import ROOT, Daphne, emit, manage, server_env

from tests.support import free_port, postgres_database

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
rt = roundtable_create(by=trainer.user, title_en="Bench night", starts_at=starts, ends_at=starts + timedelta(hours=2),
                       capacity=500, address="Hartford Public Library")
print("SETUP " + json.dumps({"roundtable": rt.pk}))
"""

QUEUE = """
from django.db import transaction
from hub.outbox import services
with transaction.atomic():
    for n in range(%(count)d):
        services.message_queue(to=f"v{n}@example.org", subject="Reminder", body="Tomorrow", key="%(tag)s:%%d" %% n)
print("QUEUED")
"""


class Relay:
    def __init__(self):
        from aiosmtpd.controller import Controller

        self.count = 0
        self.lock = threading.Lock()
        relay = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with relay.lock:
                    relay.count += 1
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()


def _sent(env) -> int:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute("SELECT COUNT(*) FROM outbox_message WHERE state = 'sent'").fetchone()[0]


def through_workers(env, *, workers: int, count: int, tag: str, already: int) -> float:
    manage("shell", "-c", QUEUE % {"count": count, "tag": tag}, env=env)
    procs = [subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1",
                               "--no-startup-delay", "--worker-id", f"bench-{tag}-{n}"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for n in range(workers)]
    deadline = time.monotonic() + 180  # a message that never goes is a lost one: fail, never hang
    try:
        while _sent(env) == already:  # the clock starts with the first message out (workers start in ~3 s)
            if time.monotonic() > deadline:
                raise RuntimeError(f"{tag}: no message was sent within 180 s")
            time.sleep(0.01)
        began, first = time.monotonic(), _sent(env)
        while (done := _sent(env)) < already + count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{tag}: {already + count - done} of {count} messages not sent within 180 s")
            time.sleep(0.05)
        return (done - first) / (time.monotonic() - began)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(20)


def signup_latencies(base: str, roundtable: int, rounds: int) -> dict[str, list[float]]:
    import requests

    browser = requests.Session()
    url = f"{base}/roundtables/{roundtable}/"
    form = browser.get(url, timeout=10).text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    found = {"email": [], "phone only": []}
    for n in range(rounds):
        for kind in ("email", "phone only"):
            fields = {"csrfmiddlewaretoken": csrf, "name": f"Family {kind} {n}", "preferred_language": "en",
                      "email": f"family{n}@example.org" if kind == "email" else "",
                      "phone": "" if kind == "email" else f"860{5550000 + n:07d}", "interpretation_language": "",
                      "children_count": "0", "accessibility_needs": "", "district": "", "heard_from": "",
                      "consent": "on", "website": ""}
            began = time.perf_counter()
            response = browser.post(url, data=urllib.parse.urlencode(fields), allow_redirects=False, timeout=10,
                                    headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": url})
            took = time.perf_counter() - began
            if response.status_code != 302:
                raise RuntimeError(f"sign-up answered {response.status_code}: {response.text[:300]}")
            if n >= 5:  # warm-up
                found[kind].append(took * 1000)
    return found


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser()
    from harness import SMOKE

    quick = os.environ.get("BENCH_QUICK")
    parser.add_argument("--messages", type=int, default=30 if SMOKE else 150 if quick else 400)
    parser.add_argument("--signups", type=int, default=12 if SMOKE else 60 if quick else 200)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres", "pgsql")):
        base = "postgres://postgres@127.0.0.1:5432/postgres"
    url, drop = postgres_database(base, template=os.environ.get("BENCH_PG_TEMPLATE"), fast_commits=False)
    relay = Relay()
    env = server_env(url, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                     EMAIL_PORT=str(relay.port), ROUNDTABLE_SIGNUPS_PER_WINDOW="1000000")
    rows = []
    try:
        manage("migrate", "--no-input", "-v0", env=env)
        one = through_workers(env, workers=1, count=args.messages, tag="one", already=0)
        two = through_workers(env, workers=2, count=args.messages, tag="two", already=args.messages)
        print(f"one worker   {one:8.1f} messages/s")
        print(f"two workers  {two:8.1f} messages/s  ({two / one:.2f} x one worker)")
        rows += [{"bench": "outbox", "metric": "messages/s, one worker", "value": round(one, 1), "unit": "msg/s",
                  "note": f"{args.messages} messages, SMTP on this machine, PostgreSQL"},
                 {"bench": "outbox", "metric": "two workers / one", "value": round(two / one, 2), "unit": "ratio",
                  "note": f"{two:.1f} msg/s; 2 cores shared with the database and the listener"}]

        out = manage("shell", "-c", SETUP, env=env).stdout
        roundtable = json.loads(next(line for line in out.splitlines() if line.startswith("SETUP "))[6:])["roundtable"]
        server = Daphne(env).start()
        try:
            found = signup_latencies(server.url, roundtable, args.signups)
        finally:
            server.stop()
        with_mail, without = p95(found["email"]), p95(found["phone only"])
        print(f"sign-up with an email (queues it)  p95 {with_mail:6.1f} ms  median {statistics.median(found['email']):6.1f} ms")
        print(f"sign-up with a phone only          p95 {without:6.1f} ms  median {statistics.median(found['phone only']):6.1f} ms")
        print(f"added by queueing the email        p95 {with_mail - without:+6.1f} ms ({with_mail / without:.2f} x)")
        rows += [{"bench": "outbox", "metric": "sign-up p95 added by queueing mail", "value": round(with_mail - without, 1),
                  "unit": "ms", "note": f"{with_mail:.1f} vs {without:.1f} ms ({with_mail / without:.2f} x), "
                                        f"{len(found['email'])} of each"}]
    finally:
        relay.controller.stop()
        drop()
    emit(rows)


if __name__ == "__main__":
    main()
