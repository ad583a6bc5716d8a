"""The roster ("who is trained") at national scale, and a 100,000-row case import.

    .venv/bin/python bench/bench_roster.py [--visitors 100000] [--cases 200000] [--districts 100]
                                           [--iterations 30] [--import-rows 100000] [--no-postgres]
                                           [--no-sqlite]   (--import-rows 0 skips the import)

Generates its own data with bulk_create in a throwaway database (a SQLite file, then a PostgreSQL
database `hub_bench_<pid>` on postgres://postgres@127.0.0.1:5432, dropped afterwards): the demo
organisations plus extra districts, LEAP 101 as Wagtail pages, N visitors spread over the districts
(40% certified with a mix of current, expiring, expired and revoked certificates; 30% part-way; the rest
not started) and M student cases. Then it times `coordinators.selectors.roster` in-process (HTTP
through daphne measures daphne more than the roster; see DEPENDENCIES §9) for:

- a district coordinator's first page (counts per status computed for the whole district),
- the same coordinator filtered by status (certified),
- state staff's first page over every visitor (counts per status over all of them, in SQL),
- state staff filtered to one district and status.

p50 and p95 per case and the number of queries; budget p95 < 150 ms on PostgreSQL. Finally it times
`coordinators.csv_import.cases_import` of a generated CSV (`--import-rows`), twice (the second run
changes nothing). The last line is `RESULTS <json>`.
"""

import argparse
import io
import json
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))



# -- the worker: runs inside one database ---------------------------------------------------------

def generate(args) -> dict:
    import random
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from coordinators.models import StudentCase
    from courses.demo import ensure_course_content
    from courses.models import (
        Certificate,
        CoursePage,
        Enrollment,
        ModuleCompletion,
        ModulePage,
        PracticeCredit,
    )
    from hub.demo import seed_organisations
    from hub.models import District, Person, Region, School
    from hub.program import CERTIFICATION_COURSE
    from hub.roles import COORDINATOR, STATE_STAFF, VISITOR
    from hub.services import person_create, roles_ensure, site_ensure

    rng = random.Random(6)
    started = time.monotonic()
    seed_organisations()
    site_ensure()
    roles_ensure()
    ensure_course_content()
    region = Region.objects.first()
    extra = max(0, args.districts - District.objects.count())
    District.objects.bulk_create([District(name=f"Bench District {n}", slug=f"bench-{n}", region=region)
                                  for n in range(extra)])
    for district in District.objects.filter(schools__isnull=True):
        School.objects.create(district=district, name=f"{district.name} Elementary", grades="K-5")
    districts = list(District.objects.order_by("pk"))
    schools = {}
    for school in School.objects.order_by("pk"):
        schools.setdefault(school.district_id, []).append(school)
    User = get_user_model()
    users = [User(username=f"v{n}", first_name=rng.choice(["Ana", "Luis", "Mei", "Dana", "Omar", "Rosa", "Kai"]),
                  last_name=f"{rng.choice(['Ruiz', 'Bell', 'Chen', 'Okafor', 'Price', 'Haddad'])}{n % 997}",
                  email=f"v{n}@bench.example", password="!") for n in range(args.visitors)]
    User.objects.bulk_create(users, batch_size=5000)
    user_ids = list(User.objects.filter(username__startswith="v").order_by("pk").values_list("pk", flat=True))
    people = []
    for n, uid in enumerate(user_ids):
        district = districts[n % len(districts)]
        school = rng.choice(schools[district.pk])
        people.append(Person(user_id=uid, home_district_id=district.pk, school_id=school.pk, job_title="Visitor"))
    Person.objects.bulk_create(people, batch_size=5000)
    visitor_group = Group.objects.get(name=VISITOR)
    Through = User.groups.through
    Through.objects.bulk_create([Through(user_id=uid, group_id=visitor_group.pk) for uid in user_ids],
                                batch_size=5000)
    person_ids = list(Person.objects.filter(user_id__in=user_ids).order_by("pk").values_list("pk", flat=True))
    course = CoursePage.objects.get(code=CERTIFICATION_COURSE)
    modules = list(ModulePage.objects.child_of(course).order_by("path").values_list("pk", flat=True))
    now = timezone.now()
    enrollments, completions, certificates, credits = [], [], [], []
    for pid in person_ids:
        roll = rng.random()
        if roll < 0.4:
            months = rng.choice([1, 6, 12, 23, 25, 30])
            issued = now - timedelta(days=30 * months)
            revoked = rng.random() < 0.03
            certificates.append(Certificate(person_id=pid, course=course, issued_at=issued,
                                            valid_until=issued + timedelta(days=730), code=secrets.token_urlsafe(16),
                                            revoked_at=now if revoked else None,
                                            revoke_reason="Bench" if revoked else ""))
            credits.append(PracticeCredit(person_id=pid, course=course, source="bench", source_ref=str(pid),
                                          attended_on=issued.date()))
            enrollments.append(Enrollment(person_id=pid, course=course, last_activity_at=issued))
        elif roll < 0.7:
            enrollments.append(Enrollment(person_id=pid, course=course,
                                          last_activity_at=now - timedelta(days=rng.randint(1, 200))))
            for module in modules[: rng.randint(1, len(modules) - 1)]:
                completions.append(ModuleCompletion(person_id=pid, module_id=module, course=course,
                                                    completed_at=now))
    for model, rows in ((Enrollment, enrollments), (ModuleCompletion, completions), (Certificate, certificates),
                        (PracticeCredit, credits)):
        model.objects.bulk_create(rows, batch_size=5000)
    grades = ["K"] + [str(n) for n in range(1, 13)]
    statuses = ["referred", "offered", "accepted", "declined", "assigned", "visited"]
    cases = []
    for n in range(args.cases):
        district = districts[n % len(districts)]
        cases.append(StudentCase(district_id=district.pk, school_id=schools[district.pk][0].pk,
                                 student_ref=f"B{n}", first_name="Kid", last_initial="A", grade=rng.choice(grades),
                                 days_enrolled=60, days_absent=rng.randint(6, 30), status=rng.choice(statuses)))
        if len(cases) >= 10000:
            StudentCase.objects.bulk_create(cases, batch_size=5000)
            cases = []
    StudentCase.objects.bulk_create(cases, batch_size=5000)
    busiest = districts[0]
    coordinator = person_create(username="bench-coordinator", email="c@bench.example", first_name="Carla",
                                last_name="Mendes", password=None, roles=(COORDINATOR,), home_district=busiest)
    state = person_create(username="bench-state", email="s@bench.example", first_name="Samira", last_name="Okafor",
                          password=None, roles=(STATE_STAFF,))
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"coordinator": coordinator.user_id, "state": state.user_id, "district": busiest.pk,
            "district_name": busiest.name, "generate_s": round(time.monotonic() - started, 1),
            "district_visitors": Person.objects.filter(home_district=busiest).count()}


def time_roster(user_id: int, filters, iterations: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coordinators.selectors import roster

    User = get_user_model()
    timings = []
    queries = 0
    for n in range(iterations + 2):
        user = User.objects.get(pk=user_id)  # a fresh request: nothing cached on the user
        started = time.perf_counter()
        if n == 0:
            with CaptureQueriesContext(connection) as captured:
                page = roster(user=user, filters=filters)
            queries = len(captured)
        else:
            page = roster(user=user, filters=filters)
        took = (time.perf_counter() - started) * 1000
        if n >= 2:  # two warm-up calls
            timings.append(took)
    timings.sort()
    return {"p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 1),
            "queries": queries, "total": page.total, "rows": len(page.rows)}


def time_import(user_id: int, district_id: int, rows: int) -> dict:
    from django.contrib.auth import get_user_model

    from coordinators.csv_import import cases_import
    from hub.models import District, School

    district = District.objects.get(pk=district_id)
    school = School.objects.filter(district=district).first().name
    text = io.StringIO()
    text.write("student_id,first_name,last_initial,grade,school,home_language,days_enrolled,days_absent,"
               "referral_reason\n")
    for n in range(rows):
        text.write(f"IMP-{n},Kid{n},B,{n % 12 + 1},{school},English,60,{n % 40},Referred by attendance team\n")
    data = text.getvalue().encode()
    user = get_user_model().objects.get(pk=user_id)
    results = {}
    for label in ("first", "again"):
        started = time.monotonic()
        report = cases_import(district=district, file=io.BytesIO(data), by=user)
        results[label] = {"seconds": round(time.monotonic() - started, 1), "created": report.created,
                          "unchanged": report.unchanged, "errors": report.error_count}
    return results


def worker(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from coordinators.selectors import RosterFilters
    from courses.selectors import State

    call_command("migrate", verbosity=0, interactive=False)
    made = generate(args)
    out = {"data": made, "cases": {}}
    plans = [
        ("coordinator first page", made["coordinator"], RosterFilters()),
        ("coordinator filtered: certified", made["coordinator"], RosterFilters(status=State.CERTIFIED)),
        ("state first page (all visitors)", made["state"], RosterFilters()),
        ("state filtered: one district, expired", made["state"],
         RosterFilters(district=made["district"], status=State.EXPIRED)),
    ]
    for label, user_id, filters in plans:
        out["cases"][label] = time_roster(user_id, filters, args.iterations)
        print(f"  {label:<40} {json.dumps(out['cases'][label])}", file=sys.stderr, flush=True)
    if args.import_rows:
        out["import"] = time_import(made["coordinator"], made["district"], args.import_rows)
        print(f"  import {json.dumps(out['import'])}", file=sys.stderr, flush=True)
    print("WORKER " + json.dumps(out), flush=True)


# -- the parent: one worker per database ------------------------------------------------------------

def run_worker(database_url: str, args) -> dict:
    from harness import clean_env

    env = clean_env(DJANGO_SETTINGS_MODULE="hub.settings.base", DATABASE_URL=database_url, DEBUG="0",
                    SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="localhost", SECURE_SSL_REDIRECT="0",
                    SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0")
    command = [sys.executable, __file__, "--worker", "--visitors", str(args.visitors), "--cases", str(args.cases),
               "--districts", str(args.districts), "--iterations", str(args.iterations),
               "--import-rows", str(args.import_rows)]
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True)
    line = [x for x in done.stdout.splitlines() if x.startswith("WORKER ")][-1]
    return json.loads(line[len("WORKER "):])


def main() -> None:
    parser = argparse.ArgumentParser()
    from harness import smoke_or

    parser.add_argument("--visitors", type=int, default=smoke_or(100_000, 400))
    parser.add_argument("--cases", type=int, default=smoke_or(200_000, 400))
    parser.add_argument("--districts", type=int, default=smoke_or(100, 6))
    parser.add_argument("--iterations", type=int, default=smoke_or(30, 3))
    parser.add_argument("--import-rows", type=int, default=smoke_or(100_000, 200))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    print(f"{args.visitors:,} visitors, {args.cases:,} cases, {args.districts} districts", flush=True)
    from harness import on_each_database

    results = on_each_database(lambda url: run_worker(url, args), name="roster", sqlite=not args.no_sqlite,
                               postgres=not args.no_postgres)
    rows, problems = [], []
    for backend, out in results.items():
        data = out["data"]
        print(f"\n{backend}: generated in {data['generate_s']} s; coordinator's district has "
              f"{data['district_visitors']:,} visitors")
        for label, r in out["cases"].items():
            budget = " (budget p95 < 150 ms)" if backend == "PostgreSQL" else ""
            print(f"  {label:<40} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  {r['queries']} queries  "
                  f"{r['total']:,} matching{budget}")
            rows.append({"bench": "roster", "metric": f"{backend} {label} p95", "value": r["p95_ms"], "unit": "ms",
                         "note": f"p50 {r['p50_ms']} ms, {r['queries']} queries, {r['total']} matching"})
        if "import" in out:
            imp = out["import"]
            print(f"  import {args.import_rows:,} rows: {imp['first']['seconds']} s (created "
                  f"{imp['first']['created']:,}); again {imp['again']['seconds']} s "
                  f"(unchanged {imp['again']['unchanged']:,})")
            for run in ("first", "again"):
                if imp[run]["errors"]:
                    problems.append(f"{backend} import ({run} run): {imp[run]['errors']} rows refused")
            if imp["first"]["created"] != args.import_rows or imp["again"]["unchanged"] != args.import_rows:
                problems.append(f"{backend} import: created {imp['first']['created']}, unchanged on the second "
                                f"run {imp['again']['unchanged']}, of {args.import_rows} rows")
            rows.append({"bench": "roster", "metric": f"{backend} import {args.import_rows} rows", "unit": "s",
                         "value": imp["first"]["seconds"], "note": f"re-import {imp['again']['seconds']} s"})
    from harness import emit

    emit(rows, problems)


if __name__ == "__main__":
    main()
