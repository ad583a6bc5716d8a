"""Shared pieces of the benchmarks: a seeded Hub on a real daphne, and a small HTTP load generator.

Benchmarks print their figures and never judge them. They do fail (exit 1, through `emit`) when the
run itself went wrong: a request that errored, a websocket message lost, a page that did not answer
200. Each `bench_*.py` prints, as its last line, `RESULTS <json list of {"bench", "metric", "value",
"unit", "note"}>` for `run_all.py`'s table.

`BENCH_SMOKE=1` (`make bench-smoke`, run by `.ci/run`): every benchmark at a tiny size for a few
seconds, so that a benchmark which no longer runs breaks the build; its figures mean nothing.
"""

import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import Daphne, clean_env, manage, server_env  # noqa: E402,F401

SMOKE = os.environ.get("BENCH_SMOKE") == "1"


def smoke_or(full, smoke):
    """`full` for a real run, `smoke` under BENCH_SMOKE=1."""
    return smoke if SMOKE else full


def seeded_env(database_url: str | None = None) -> dict:
    """Environment for a production-like Hub (DEBUG off) on a migrated, seeded database.

    Without `database_url`: a new SQLite file, copied from BENCH_SEEDED_SQLITE when `run_all.py` has
    seeded one for the whole run (migrating and seeding is most of a small benchmark's time)."""
    template = os.environ.get("BENCH_SEEDED_SQLITE")
    if database_url is None:
        path = Path(tempfile.mkdtemp(prefix="hub-bench-")) / "hub.sqlite3"
        database_url = f"sqlite:///{path}"
        if template and Path(template).exists():
            shutil.copyfile(template, path)
            return server_env(database_url, SERVE_STATIC="1", HUB_ALLOW_DEMO_DATA="1", **template_media(template))
    env = server_env(database_url, SERVE_STATIC="1", HUB_ALLOW_DEMO_DATA="1")
    manage("migrate", "--no-input", "-v0", env=env)
    manage("seed_demo", "--quiet-logins", env=env)
    return env


def template_media(template: str | Path) -> dict:
    """The media folders the template's demo files (recordings, documents) were written to: next to a
    template `seed_template` made, or the checkout's own (the settings' defaults) for the test runs'
    prebuilt one (HUB_TEMPLATE_SQLITE_SEEDED: tests/prebuild_templates.py seeds it with those)."""
    prebuilt = os.environ.get("HUB_TEMPLATE_SQLITE_SEEDED")
    if prebuilt and Path(template).resolve() == Path(prebuilt).resolve():
        return {"MEDIA_ROOT": str(ROOT / "media"), "PRIVATE_MEDIA_ROOT": str(ROOT / "smedia")}
    folder = Path(template).parent
    return {"MEDIA_ROOT": str(folder / "media"), "PRIVATE_MEDIA_ROOT": str(folder / "private")}


def seed_template(folder: Path, *, migrated: str | None = None) -> Path:
    """A migrated, demo-seeded SQLite file for `seeded_env` to copy (see run_all.py); from a copy of
    `migrated` (an SQLite file already migrated) when given."""
    path = Path(folder) / "seeded.sqlite3"
    env = server_env(f"sqlite:///{path}", HUB_ALLOW_DEMO_DATA="1", **template_media(path))
    if migrated:
        import sqlite3

        with sqlite3.connect(migrated) as source, sqlite3.connect(path) as target:
            source.backup(target)
        source.close()
        target.close()
    manage("migrate", "--no-input", "-v0", env=env)
    manage("seed_demo", "--quiet-logins", env=env)
    return path


SESSION_KEYS = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hub.twofactor.selectors import second_factor_expected
keys = {}
for name in %r:
    user = get_user_model().objects.get(username=name)
    client = Client()
    client.force_login(user)
    if second_factor_expected(user):
        # What django_otp.login stores after a right code: staff sessions have passed the second step.
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    keys[name] = client.cookies["sessionid"].value
print("KEYS " + json.dumps(keys))
"""


def session_cookies(env: dict, usernames: list[str]) -> dict[str, str]:
    """Signed-in sessions (past two-step sign-in where the person needs it), made in the benchmark's
    database: {username: session key}."""
    out = manage("shell", "-c", SESSION_KEYS % (list(usernames),), env=env).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("KEYS "))[5:])


def session_cookie(env: dict, username: str) -> str:
    """A signed-in session for `username` (see `session_cookies`)."""
    return session_cookies(env, [username])[username]


def load(port: int, path: str, *, seconds: float = 5.0, connections: int = 8, cookie: str = "",
         warmup: float = 1.0) -> dict:
    """Keep-alive GETs from `connections` threads for `seconds`; requests/s and latency percentiles."""
    stop_at = time.monotonic() + warmup + seconds
    measure_from = time.monotonic() + warmup
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    # One request first, untimed: the first render of a page fills caches and imports templates.
    first = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        first.request("GET", path, headers=headers)
        first.getresponse().read()
    except (OSError, http.client.HTTPException):
        pass
    finally:
        first.close()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while (now := time.monotonic()) < stop_at:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            took = time.monotonic() - now
            if now >= measure_from:
                if ok:
                    mine.append(took)
                else:
                    with lock:
                        errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else float("nan")

    return {
        "rps": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": pct(0.95),
        "errors": errors[0],
        "requests": len(latencies),
    }


PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def pg_template_clause() -> str:
    """` TEMPLATE "<db>"` when run_all.py has migrated an empty PostgreSQL database for the whole run
    (BENCH_PG_TEMPLATE): a benchmark's own `migrate` then finds nothing to do."""
    template = os.environ.get("BENCH_PG_TEMPLATE")
    return f' TEMPLATE "{template}"' if template else ""


def pg_migrated_template() -> str:
    """An empty, migrated PostgreSQL database for the run's benchmarks to copy (see run_all.py)."""
    import psycopg

    name = f"hub_bench_template_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--no-input", "-v0", env=server_env(f"postgres://postgres@127.0.0.1:5432/{name}"))
    return name


def pg_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def on_each_database(run, *, name: str, sqlite: bool = True, postgres: bool = True) -> dict:
    """{"SQLite": run(url), "PostgreSQL": run(url)}: `run` given a throwaway empty database of each kind
    (a SQLite file, then `hub_bench_<name>_<pid>` on the local PostgreSQL, dropped afterwards). The smoke
    run uses PostgreSQL only, the production database: a second migrate would be most of its time."""
    import psycopg

    if SMOKE and postgres:
        sqlite = False
    results = {}
    if sqlite:
        folder = tempfile.mkdtemp(prefix=f"hub-bench-{name}-")
        print("SQLite", flush=True)
        results["SQLite"] = run(f"sqlite:///{folder}/hub.sqlite3")
        shutil.rmtree(folder, ignore_errors=True)
    if postgres:
        database = f"hub_bench_{name}_{os.getpid()}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"{pg_template_clause()}')
        try:
            print("PostgreSQL", flush=True)
            results["PostgreSQL"] = run(f"postgres://postgres@127.0.0.1:5432/{database}")
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return results


def load_problems(label: str, result: dict) -> list[str]:
    """What went wrong in a `load` run: errors, or nothing answered at all."""
    problems = []
    if result["errors"]:
        problems.append(f"{label}: {result['errors']} requests failed (not 200)")
    if not result["requests"]:
        problems.append(f"{label}: no request answered")
    return problems


def emit(rows: list[dict], problems: list[str] = ()) -> None:
    """Print the figures; then, if the run itself went wrong, say what and exit 1."""
    print("RESULTS " + json.dumps(rows), flush=True)
    if problems:
        for problem in problems:
            print(f"PROBLEM {problem}", file=sys.stderr)
        sys.exit(1)


__all__ = ["Daphne", "SMOKE", "clean_env", "on_each_database", "pg_drop", "pg_migrated_template", "pg_template_clause", "seed_template", "template_media", "manage", "seeded_env", "session_cookie", "session_cookies", "smoke_or",
           "load", "load_problems", "emit"]
