"""The upcoming-sessions page with a year of occurrences for 20 series (DEBUG off, SQLite, daphne).

    .venv/bin/python bench/bench_sessions.py [--seconds 5] [--series 20]

On top of the demo site, 20 weekly series run from six months ago to six months ahead; every
occurrence is persisted with two registrations (built through `sessions.services`). Prints the page's
requests/s and latency for a visitor, and its query count before and after adding the data: the
count must not grow with the number of occurrences.
"""

import argparse
import json
import os
import subprocess
import sys
import time

from harness import ROOT, Daphne, emit, load, load_problems, seeded_env, session_cookie, smoke_or


def _child(env: dict, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=1800).stdout
    return json.loads(out.strip().splitlines()[-1])


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(n_series: int) -> dict:
    """Runs in a child process against the benchmark's database."""
    _django()
    from datetime import time as dtime
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from hub.models import Person
    from sessions import services
    from sessions.models import Kind, Repeat

    began = time.monotonic()
    trainer = get_user_model().objects.get(username="trainer")
    people = list(Person.objects.filter(user__username__in=["marcus", "dana", "luis", "fatima"]))
    today = timezone.localdate()
    occurrences = registrations = 0
    with transaction.atomic():
        for n in range(n_series):
            series = services.series_create(
                by=trainer, kind=[Kind.CONNECTION, Kind.TALK_TUESDAY, Kind.WELLNESS][n % 3],
                title=f"Bench series {n + 1}", capacity=10, repeat=Repeat.WEEKLY, weekday=n % 5,
                first_date=today - timedelta(days=182), last_date=today + timedelta(days=182),
                start_time=dtime(9 + n % 9, 0), duration_minutes=60)
            span_start = series.event.start - timedelta(minutes=1)
            for start in services.occurrences_of_series(series=series, start=span_start,
                                                        end=span_start + timedelta(days=370)):
                occurrences += 1
                for person in people[n % 3:n % 3 + 2]:
                    services.registration_create(series=series, start=start, person=person,
                                                 now=start - timedelta(days=1))
                    registrations += 1
    return {"occurrences": occurrences, "registrations": registrations, "seconds": time.monotonic() - began}


def count_queries(path: str) -> dict:
    _django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="visitor"))
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return {"queries": len(queries), "status": response.status_code,
            "rows": response.content.decode().count('class="occurrence-card')}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=smoke_or(5.0, 2.0))
    parser.add_argument("--series", type=int, default=smoke_or(20, 2))
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate is not None:
        print(json.dumps(generate(args.generate)))
        return
    if args.count is not None:
        print(json.dumps(count_queries(args.count)))
        return

    env = seeded_env()
    before = _child(env, "--count", "/sessions/")
    built = _child(env, "--generate", str(args.series))
    after = _child(env, "--count", "/sessions/")
    month_after = _child(env, "--count", "/sessions/month/")
    print(f"data: {args.series} series, {built['occurrences']} occurrences persisted, "
          f"{built['registrations']} registrations (built in {built['seconds']:.1f} s)")
    print(f"upcoming page queries: {before['queries']} with the demo data ({before['rows']} rows), "
          f"{after['queries']} with the year of occurrences ({after['rows']} rows); month view {month_after['queries']}")
    cookie = session_cookie(env, "visitor")
    server = Daphne(env).start()
    rows = [
        {"bench": "sessions", "metric": "upcoming page queries (demo data)", "value": before["queries"],
         "unit": "queries", "note": f"{before['rows']} occurrences listed"},
        {"bench": "sessions", "metric": "upcoming page queries (+year of 20 series)", "value": after["queries"],
         "unit": "queries", "note": f"{after['rows']} listed of {built['occurrences']} persisted"},
    ]
    problems = [f"{path}: answered {r['status']}" for path, r in [("/sessions/", before), ("/sessions/", after),
                                                                ("/sessions/month/", month_after)]
                if r["status"] != 200]
    try:
        for label, path in [("upcoming sessions, visitor", "/sessions/"), ("month view, visitor", "/sessions/month/")]:
            result = load(server.port, path, seconds=args.seconds, cookie=cookie, warmup=smoke_or(1.0, 0.2))
            problems += load_problems(label, result)
            print(f"{label:<28} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
                  f"p95 {result['p95_ms']:6.1f} ms  errors {result['errors']}")
            rows.append({"bench": "sessions", "metric": f"{label} req/s", "value": round(result["rps"], 1),
                         "unit": "req/s", "note": f"p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
                                                  f"errors {result['errors']}"})
    finally:
        server.stop()
    emit(rows, problems)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.base")
    main()
