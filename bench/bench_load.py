"""The Hub under a mixed load of people (locust, bench/locustfile.py): requests/s, errors, p95 per page.

    .venv/bin/python bench/bench_load.py                          # 50 people for 2 minutes, default setup
    .venv/bin/python bench/bench_load.py --users 20 --duration 30s
    .venv/bin/python bench/bench_load.py --target http://127.0.0.1:8000   # a Hub that is already running

Without --target it starts the default setup itself: a temporary SQLite database, migrated and seeded
with seed_demo, served by one daphne process as `make run` does but with DEBUG off, and with the
roundtable sign-up limit per address raised (ROUNDTABLE_SIGNUPS_PER_WINDOW: every simulated family
comes from 127.0.0.1). A --target server must hold the demo data and be started with that variable
raised too, or family sign-ups fail with 429 after the fifth. Only 127.0.0.1/localhost is accepted.

BENCH_QUICK=1 (set by run_all.py unless the caller sets it) makes the defaults 20 people for 30 s.
The run cannot outlive --duration by more than a few minutes: locust stops itself after --duration,
and this script kills it (and its server) at a hard deadline.

Prints a table (requests/s, errors, p50 and p95 per page), the errors with their messages, any
traceback from the server's log, and then `RESULTS <json>` for run_all.py.
"""

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from harness import SMOKE, Daphne, emit, manage, server_env, template_media

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUICK = os.environ.get("BENCH_QUICK") == "1"


def seconds(text: str) -> int:
    """'2m', '90s', '1h30m' or '45' as seconds."""
    if re.fullmatch(r"\d+", text):
        return int(text)
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text)
    if not parts or not any(parts.groups()):
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 2m, 90s)")
    h, m, s = (int(g or 0) for g in parts.groups())
    return h * 3600 + m * 60 + s


def loopback(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in ("127.0.0.1", "localhost"):
        raise argparse.ArgumentTypeError(f"--target must be http(s)://127.0.0.1:PORT (got {url!r}): "
                                         "this load test only talks to this machine")
    return url.rstrip("/")


def start_default_setup() -> tuple[Daphne, dict]:
    folder = tempfile.mkdtemp(prefix="hub-load-")
    env = server_env(f"sqlite:///{folder}/hub.sqlite3", SERVE_STATIC="1", HUB_ALLOW_DEMO_DATA="1",
                     MEDIA_ROOT=f"{folder}/media", PRIVATE_MEDIA_ROOT=f"{folder}/smedia",
                     ROUNDTABLE_SIGNUPS_PER_WINDOW="1000000")
    started = time.monotonic()
    template = os.environ.get("BENCH_SEEDED_SQLITE")
    if SMOKE and template:  # the smoke run's shared demo site (run_all.py); a real run builds its own
        shutil.copyfile(template, f"{folder}/hub.sqlite3")
        env.update(template_media(template))
    else:
        manage("migrate", "--no-input", "-v0", env=env, timeout=900)
        manage("seed_demo", "--quiet-logins", env=env, timeout=600)
    print(f"default setup ready in {time.monotonic() - started:.0f} s (SQLite {folder}/hub.sqlite3)", flush=True)
    return Daphne(env).start(timeout=120), env


def read_stats(prefix: str) -> tuple[list[dict], dict | None]:
    rows, total = [], None
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                total = row
            else:
                rows.append(row)
    return rows, total


def read_failures(prefix: str) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def server_problems(log_text: str) -> tuple[int, str]:
    """How many 5xx responses the server's access log shows (errors that are the app's, not the load
    test's), and the first traceback Django logged for one."""
    lines = log_text.splitlines()
    count = sum(1 for line in lines if re.search(r'" 5\d\d ', line))
    first = ""
    for n, line in enumerate(lines):
        if line.startswith("Internal Server Error"):
            end = n + 1
            while end < len(lines) and not re.search(r'" \d{3} ', lines[end]):
                end += 1
            first = "\n".join(lines[n:end])
            break
    return count, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=4 if SMOKE else 20 if QUICK else 50,
                        help="simulated people (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="people started per second")
    parser.add_argument("--duration", type=seconds, default=6 if SMOKE else 30 if QUICK else 120,
                        help="e.g. 2m (default)")
    parser.add_argument("--target", type=loopback, help="an already running Hub on 127.0.0.1 (demo data)")
    parser.add_argument("--keep", metavar="FOLDER", help="keep locust's CSV files and the server log here")
    args, ignored = parser.parse_known_args()  # run_all.py passes its arguments to every benchmark
    if ignored:
        print(f"ignoring arguments meant for other benchmarks: {' '.join(ignored)}")
    if args.users < 1 or args.duration < 5:
        parser.error("--users must be 1 or more and --duration at least 5s")

    hard_deadline = args.duration + 180  # locust's own stop, its 15 s grace, reporting; then kill
    server, host = None, args.target
    if host is None:
        server, _ = start_default_setup()
        host = server.url
    label = "default setup (SQLite, 1 daphne)" if server else host
    out = Path(args.keep or tempfile.mkdtemp(prefix="hub-load-results-"))
    out.mkdir(parents=True, exist_ok=True)
    prefix = str(out / "locust")
    print(f"load: {args.users} people, {args.duration} s, against {label}", flush=True)
    command = [
        str(Path(sys.executable).parent / "locust"), "-f", str(HERE / "locustfile.py"), "--host", host,
        "--headless", "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s",
        "--stop-timeout", "15", "--only-summary", "--csv", prefix, "--loglevel", "WARNING",
        "--exit-code-on-error", "0",
    ]
    server_log = ""
    try:
        try:
            result = subprocess.run(command, cwd=HERE, capture_output=True, text=True, timeout=hard_deadline,
                                    env={**os.environ, "PYTHONPATH": str(ROOT)})
        except subprocess.TimeoutExpired:
            print(f"locust did not finish within {hard_deadline} s: killed", file=sys.stderr)
            return 1
        if result.returncode != 0 or not Path(f"{prefix}_stats.csv").exists():
            sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
            print(f"locust failed (exit {result.returncode})", file=sys.stderr)
            return 1
        if server:
            server.log.seek(0)
            server_log = server.log.read()
    finally:
        if server:
            server.stop()
    if args.keep and server_log:
        (out / "server.log").write_text(server_log)

    rows, total = read_stats(prefix)
    failures = read_failures(prefix)
    header = ("page", "requests", "errors", "req/s", "p50 ms", "p95 ms", "max ms")
    table = [header] + [
        (r["Name"], r["Request Count"], r["Failure Count"], f"{float(r['Requests/s']):.1f}", r["50%"], r["95%"],
         f"{float(r['Max Response Time']):.0f}")
        for r in sorted(rows, key=lambda r: -int(r["Request Count"]))
    ]
    if total:
        table.append(("all pages", total["Request Count"], total["Failure Count"],
                      f"{float(total['Requests/s']):.1f}", total["50%"], total["95%"],
                      f"{float(total['Max Response Time']):.0f}"))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        print("  ".join(str(cell).rjust(widths[i]) if i else str(cell).ljust(widths[i]) for i, cell in enumerate(row)))
        if n == 0 or n == len(table) - 2:
            print("  ".join("-" * w for w in widths))
    if failures:
        print("\nerrors:")
        for f in failures:
            print(f"  {f['Occurrences']:>5} x {f['Method']} {f['Name']}: {f['Error']}")
    server_errors, first_traceback = server_problems(server_log)
    if server_errors or first_traceback:
        print(f"\nserver log: {server_errors} responses with status 5xx; the first traceback:")
        print(first_traceback[-6000:])
    elif server:
        print("\nserver log: no traceback, no 5xx response")

    errors = int(total["Failure Count"]) if total else 0
    note = f"{args.users} people, {args.duration} s, {label}"
    results = [
        {"bench": "load", "metric": "requests/s (all pages)", "value": round(float(total["Requests/s"]), 1) if total
         else 0, "unit": "req/s", "note": note},
        {"bench": "load", "metric": "errors", "value": errors, "unit": "requests",
         "note": f"of {total['Request Count'] if total else 0}; 5xx in the server log: {server_errors}"},
        {"bench": "load", "metric": "p95 (all pages)", "value": float(total["95%"]) if total else 0, "unit": "ms",
         "note": note},
    ]
    results += [{"bench": "load", "metric": f"p95 {r['Name']}", "value": float(r["95%"]), "unit": "ms",
                 "note": f"{r['Request Count']} requests, {r['Failure Count']} errors"} for r in rows]
    problems = []
    if errors:
        problems.append(f"{errors} requests failed")
    if server_errors or first_traceback:
        problems.append(f"the server logged {server_errors} 5xx responses or a traceback")
    if not total or not int(total["Request Count"]):
        problems.append("no request was made")
    emit(results, problems)
    return 0


if __name__ == "__main__":
    sys.exit(main())
