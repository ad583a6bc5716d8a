"""Run every `bench/bench_*.py` and print one table of their figures (`make bench`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    rows, failed = [], []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"-- {script.name}", flush=True)
        # BENCH_QUICK=1 unless the caller set it: bench_load.py then runs 20 people for 30 s, not 50 for 2 min.
        env = {**os.environ, "BENCH_QUICK": os.environ.get("BENCH_QUICK", "1")}
        result = subprocess.run([sys.executable, str(script), *sys.argv[1:]], cwd=HERE, capture_output=True,
                                text=True, env=env)
        sys.stdout.write(result.stdout)
        if result.returncode != 0:
            failed.append(script.name)
            sys.stderr.write(result.stderr[-3000:])
            continue
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
