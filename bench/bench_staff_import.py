"""Importing a staff list: 5,000 invitations from one CSV, and the same file again.

    .venv/bin/python bench/bench_staff_import.py [--rows 5000] [--no-postgres] [--no-sqlite]

In a throwaway database (a SQLite file, then a PostgreSQL database `hub_bench_staff_<pid>` on
postgres://postgres@127.0.0.1:5432, dropped afterwards): the demo organisations and one Hartford
coordinator, then `hub.joining.services.invitations_import` of a generated CSV of `--rows` visitors
(names, emails, one of the district's schools or partners, en/es), timed twice: the first run invites
everyone (and renders one email each, queued in the outbox: no worker sends them here), the second finds
them all already invited and changes nothing. Queries are counted for the whole run and for a run of a
tenth of the rows: the number per batch of 500 rows is fixed, so the two divided by their rows agree
(about 3 queries per 500 rows, plus a constant). The last line is `RESULTS <json>`.
"""

import argparse
import io
import json
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))



def staff_csv(rows: int, *, prefix: str, organisations: list[str]) -> bytes:
    text = io.StringIO()
    text.write("name,email,school_or_partner,role,language\n")
    for n in range(rows):
        text.write(f"Visitor {n} Park,{prefix}{n}@staff.example.org,{organisations[n % len(organisations)]},"
                   f"Visitor,{'es' if n % 3 == 0 else 'en'}\n")
    return text.getvalue().encode()


def worker(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hub.demo import seed_organisations
    from hub.joining.models import Invitation
    from hub.joining.services import invitations_import
    from hub.models import District, Partner, School
    from hub.roles import COORDINATOR
    from hub.services import person_create, roles_ensure

    call_command("migrate", verbosity=0, interactive=False)
    seed_organisations()
    roles_ensure()
    hartford = District.objects.get(name="Hartford")
    coordinator = person_create(username="bench.coordinator", email="bench.coordinator@example.org",
                                first_name="Bench", last_name="Coordinator", password=None,
                                roles=(COORDINATOR,), home_district=hartford).user
    organisations = [s.name for s in School.objects.filter(district=hartford)]
    organisations += [p.name for p in Partner.objects.filter(districts=hartford)]

    from hub.outbox.models import Message

    def run(data: bytes) -> dict:
        queued = Message.objects.count()
        with CaptureQueriesContext(connection) as captured:
            started = time.monotonic()
            report = invitations_import(file=io.BytesIO(data), by=coordinator, district=hartford)
            seconds = time.monotonic() - started
        return {"seconds": round(seconds, 2), "queries": len(captured), "created": report.created,
                "unchanged": report.unchanged, "errors": report.error_count, "emails": Message.objects.count() - queued}

    small_rows = max(args.rows // 10, 1)
    small = run(staff_csv(small_rows, prefix="small", organisations=organisations))
    data = staff_csv(args.rows, prefix="staff", organisations=organisations)
    first = run(data)
    again = run(data)
    out = {"rows": args.rows, "small_rows": small_rows, "small": small, "first": first, "again": again,
           "invitations": Invitation.objects.count()}
    print("WORKER " + json.dumps(out), flush=True)


def run_worker(database_url: str, args) -> dict:
    from tests.support import clean_env

    env = clean_env(DJANGO_SETTINGS_MODULE="hub.settings.base", DATABASE_URL=database_url, DEBUG="0",
                    SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="localhost", SECURE_SSL_REDIRECT="0",
                    SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0",
                    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                    INVITATION_IMPORT_MAX_ROWS=str(max(args.rows, 1)))
    done = subprocess.run([sys.executable, __file__, "--worker", "--rows", str(args.rows)], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, text=True, check=True)
    line = [x for x in done.stdout.splitlines() if x.startswith("WORKER ")][-1]
    return json.loads(line[len("WORKER "):])


def main() -> None:
    from harness import smoke_or

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=smoke_or(5000, 100))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    from harness import on_each_database

    results = on_each_database(lambda url: run_worker(url, args), name="staff", sqlite=not args.no_sqlite,
                               postgres=not args.no_postgres)
    rows, problems = [], []
    for backend, out in results.items():
        first, again, small = out["first"], out["again"], out["small"]
        if (first["errors"] or first["created"] != out["rows"] or first["emails"] != out["rows"] or again["created"]
                or again["errors"] or again["emails"]):
            problems.append(f"{backend}: first import {first}, again {again} for {out['rows']} rows")
        print(f"\n{backend}: {out['rows']:,} rows in {first['seconds']} s ({first['created']:,} invited, "
              f"{first['emails']:,} emails, {first['queries']} queries); again {again['seconds']} s "
              f"({again['unchanged']:,} unchanged, {again['created']} invited, {again['queries']} queries); "
              f"{out['small_rows']:,} rows: {small['queries']} queries")
        per_1000 = round(1000 * first["queries"] / out["rows"], 2)
        per_1000_small = round(1000 * small["queries"] / out["small_rows"], 2)
        rows.append({"bench": "staff_import", "metric": f"{backend} import {out['rows']} rows", "unit": "s",
                     "value": first["seconds"], "note": f"re-import {again['seconds']} s, changes nothing: "
                                                        f"{again['created']} invited"})
        rows.append({"bench": "staff_import", "metric": f"{backend} queries per 1000 rows", "unit": "queries",
                     "value": per_1000, "note": f"{per_1000_small} at {out['small_rows']} rows "
                                                f"({first['queries']} / {small['queries']} in all)"})
    from harness import emit

    emit(rows, problems)


if __name__ == "__main__":
    main()
