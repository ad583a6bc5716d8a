"""Shared pieces of the benchmarks: a seeded Hub on a real daphne, and a small HTTP load generator.

Benchmarks print their figures; they assert nothing. Each `bench_*.py` prints, as its last line,
`RESULTS <json list of {"bench", "metric", "value", "unit", "note"}>` for `run_all.py`'s table.
"""

import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import Daphne, manage, server_env  # noqa: E402,F401


def seeded_env(database_url: str | None = None) -> dict:
    """Environment for a production-like Hub (DEBUG off) on a migrated, seeded database."""
    if database_url is None:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='hub-bench-')}/hub.sqlite3"
    env = server_env(database_url, SERVE_STATIC="1", HUB_ALLOW_DEMO_DATA="1")
    manage("migrate", "--no-input", "-v0", env=env)
    manage("seed_demo", "--quiet-logins", env=env)
    return env


def session_cookie(env: dict, username: str) -> str:
    """A signed-in session for `username`, made in the benchmark's database."""
    code = (
        "from django.contrib.auth import get_user_model;"
        "from django.test import Client;"
        f"c = Client(); c.force_login(get_user_model().objects.get(username={username!r}));"
        "print(c.cookies['sessionid'].value)"
    )
    return manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1]


def load(port: int, path: str, *, seconds: float = 5.0, connections: int = 8, cookie: str = "",
         warmup: float = 1.0) -> dict:
    """Keep-alive GETs from `connections` threads for `seconds`; requests/s and latency percentiles."""
    stop_at = time.monotonic() + warmup + seconds
    measure_from = time.monotonic() + warmup
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}

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


def emit(rows: list[dict]) -> None:
    print("RESULTS " + json.dumps(rows))


__all__ = ["Daphne", "manage", "seeded_env", "session_cookie", "load", "emit"]
