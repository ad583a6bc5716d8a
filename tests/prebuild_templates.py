"""Build one engine's database templates before the test runs that use them (`.ci/run`).

    .venv/bin/python -m tests.prebuild_templates sqlite <folder> --test-db .test-db-ci.sqlite3
    DATABASE_URL=postgres://... .venv/bin/python -m tests.prebuild_templates postgres <folder> \\
        --test-db test_hub_ci_1 --test-db test_hub_ci_2

Migrates one database and seeds a copy of it with the demo data (what `tests.support.DatabaseTemplates`
does for a run on its own), then makes each `--test-db` a copy of the migrated one, for pytest-django's
`--reuse-db`. Prints the `HUB_TEMPLATE_*` variables (`tests.support.TEMPLATE_VARIABLES`) to export, so
the test runs (and the benchmarks) copy these instead of migrating and seeding again: `.ci/run` used to
migrate PostgreSQL four times and SQLite three times, and seed each engine more than once.

The PostgreSQL templates are left in place: the caller drops them (their names are printed too, as
HUB_TEMPLATE_DATABASES).
"""

import argparse
import os
import sys
from pathlib import Path

from tests.support import TEMPLATE_VARIABLES, DatabaseTemplates, _sqlite_copy


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=("sqlite", "postgres"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--test-db", action="append", default=[],
                        help="a test database to make from the migrated template (a file for SQLite, a name for "
                             "PostgreSQL)")
    args = parser.parse_args(argv)
    base = os.environ.get("DATABASE_URL", "")
    if args.engine == "postgres" and not base.startswith(("postgres", "pgsql")):
        parser.error("postgres templates need DATABASE_URL=postgres://...")
    args.folder.mkdir(parents=True, exist_ok=True)
    for variable in TEMPLATE_VARIABLES.values():
        os.environ.pop(variable, None)  # build, never reuse, here
    templates = DatabaseTemplates(args.folder)
    migrated = templates.template(seeded=False, engine=args.engine)
    seeded = templates.template(seeded=True, engine=args.engine)
    for test_db in args.test_db:
        if args.engine == "sqlite":
            Path(test_db).unlink(missing_ok=True)
            _sqlite_copy(migrated, Path(test_db))
        else:
            _create_copy(base, migrated, test_db)
    print(f"{TEMPLATE_VARIABLES[(args.engine, False)]}={migrated}")
    print(f"{TEMPLATE_VARIABLES[(args.engine, True)]}={seeded}")
    if args.engine == "postgres":
        print(f"HUB_TEMPLATE_DATABASES='{migrated} {seeded}'")
    return 0


def _create_copy(base: str, template: str, name: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    admin_url = urlunsplit(("postgresql", urlsplit(base).netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


if __name__ == "__main__":
    sys.exit(main())
