"""Run every `bench/bench_*.py` and print one table of their figures (`make bench`).

    .venv/bin/python bench/run_all.py            # make bench
    BENCH_SMOKE=1 .venv/bin/python bench/run_all.py   # make bench-smoke: tiny sizes, a few seconds each

Exits 1 if any benchmark fails: an exception, a request that errored, a message lost (not a figure
over its budget: figures are for people to read).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> int:
    from harness import pg_drop, pg_migrated_template, seed_template

    rows, failed = [], []
    began = time.monotonic()
    # .ci/run migrates each engine once, and seeds a copy of the SQLite one, for its test runs and these
    # benchmarks (tests/prebuild_templates.py); on its own, the demo site is seeded here once for every benchmark.
    # .ci/run's test runs seeded one already (HUB_TEMPLATE_SQLITE_SEEDED): the benchmarks copy it too.
    seeded = os.environ.get("HUB_TEMPLATE_SQLITE_SEEDED")
    if seeded and Path(seeded).exists():
        template = Path(seeded)
    else:
        seeded = None
        template = seed_template(Path(tempfile.mkdtemp(prefix="hub-bench-template-")),
                                 migrated=os.environ.get("HUB_TEMPLATE_SQLITE_MIGRATED") or None)
    given = os.environ.get("HUB_TEMPLATE_POSTGRES_MIGRATED")
    pg_template = given or pg_migrated_template()
    print(f"-- demo site {'given' if seeded else 'seeded'}, and a PostgreSQL database "
          f"{'given' if given else 'migrated'}, once for every benchmark ({time.monotonic() - began:.0f} s)",
          flush=True)
    try:
        return _run(rows, failed, template, pg_template)
    finally:
        if not given:
            pg_drop(pg_template)


def _run(rows, failed, template, pg_template) -> int:
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"-- {script.name}", flush=True)
        started = time.monotonic()
        # BENCH_QUICK=1 unless the caller set it: bench_load.py then runs 20 people for 30 s, not 50 for 2 min.
        env = {**os.environ, "BENCH_QUICK": os.environ.get("BENCH_QUICK", "1"), "BENCH_SEEDED_SQLITE": str(template),
               "BENCH_PG_TEMPLATE": pg_template}
        result = subprocess.run([sys.executable, str(script), *sys.argv[1:]], cwd=HERE, capture_output=True,
                                text=True, env=env)
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
        sys.stdout.write(result.stdout)
        if result.returncode != 0:
            failed.append(script.name)
            sys.stderr.write(result.stderr[-3000:])
            sys.stderr.flush()
        for line in result.stdout.splitlines():
            if line.startswith("RESULTS "):
                rows.extend(json.loads(line[len("RESULTS "):]))
    print()
    header = ("benchmark", "figure", "value", "unit", "note")
    table = [header] + [(r["bench"], r["metric"], str(r["value"]), r["unit"], r.get("note", "")) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
