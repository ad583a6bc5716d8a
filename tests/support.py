"""Helpers for tests that need real services (PostgreSQL, Redis, chromium, daphne)."""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REQUIRE_SERVICES = os.environ.get("HUB_REQUIRE_SERVICES") == "1"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
CHROMIUM = os.environ.get("HUB_CHROMIUM", "/usr/bin/chromium")


def unavailable(reason: str):
    """Skip, naming what is missing (the conftest hook turns it into a failure in CI)."""
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_available() -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(REDIS_URL)
    return port_open(parts.hostname or "127.0.0.1", parts.port or 6379)


def manage(*args: str, env: dict, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
        check=check,
    )


# Every variable hub.settings reads (test.py sets some of them in this process).
SETTINGS_VARIABLES = {
    "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE",
    "SERVE_STATIC", "HUB_ALLOW_DEMO_DATA", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "EMAIL_BACKEND", "CSRF_TRUSTED_ORIGINS", "BEHIND_PROXY",
    "STATIC_ROOT", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "TRUSTED_PROXY_COUNT", "AXES_FAILURE_LIMIT",
    "AXES_ADDRESS_FAILURE_LIMIT", "AXES_COOLOFF_MINUTES", "ROUNDTABLE_SIGNUPS_PER_WINDOW", "CASE_RETENTION_DAYS",
    "UPLOAD_MAX_BYTES_MEDIA", "UPLOAD_MAX_BYTES_DOCUMENT", "UPLOAD_MAX_BYTES_IMAGE", "CHANNEL_LAYER_BACKEND",
    "DB_CONN_MAX_AGE", "SITE_URL", "LOG_LEVEL", "TASK_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_TIMEOUT",
    "OUTBOX_MAX_ATTEMPTS", "OUTBOX_RETRY_SECONDS", "OUTBOX_RETRY_MAX_SECONDS",
    "JOB_RESULT_DAYS", "JOB_STALE_SECONDS", "JOB_MAX_ATTEMPTS", "JOB_EXPORT_DIRECT_ROWS", "DEFAULT_FROM_EMAIL",
    "OUTBOX_KEEP_DAYS", "OUTBOX_TASK_STRANDED_SECONDS", "IMPORT_MAX_BYTES", "SCHEDULE_RUNS_KEEP_DAYS",
    "HUB_SSO_GOOGLE_CLIENT_ID", "HUB_SSO_GOOGLE_CLIENT_SECRET", "HUB_SSO_GOOGLE_DOMAIN", "HUB_SSO_ENTRA_CLIENT_ID",
    "HUB_SSO_ENTRA_CLIENT_SECRET", "HUB_SSO_ENTRA_TENANT", "HUB_SSO_OIDC_ID", "HUB_SSO_OIDC_NAME",
    "HUB_SSO_OIDC_CLIENT_ID", "HUB_SSO_OIDC_CLIENT_SECRET", "HUB_SSO_OIDC_SERVER_URL",
}


def clean_env(**overrides: str) -> dict:
    """The process environment without the variables settings read, plus `overrides`."""
    env = {k: v for k, v in os.environ.items()
           if k not in SETTINGS_VARIABLES}
    env.update(overrides)
    return env


def server_env(database_url: str, **overrides: str) -> dict:
    """Environment of a production-like Hub process (DEBUG off, a fresh key) over plain HTTP on
    127.0.0.1: what the browser tests, the integration tests and the benchmarks start daphne with."""
    import secrets

    return clean_env(
        DJANGO_SETTINGS_MODULE="hub.settings.base", DATABASE_URL=database_url, DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0", **overrides,
    )


class Daphne:
    """A real daphne process serving hub.asgi on a free port."""

    def __init__(self, env: dict, port: int | None = None):
        self.port = port or free_port()
        self.env = env
        self.proc = None
        self.log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> "Daphne":
        self.log = open(ROOT / f".daphne-{self.port}.log", "w+")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [str(Path(PYTHON).parent / "daphne"), "-b", "127.0.0.1", "-p", str(self.port),
             "hub.asgi:application"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"daphne exited: {self.log.read()[-2000:]}")
            if port_open("127.0.0.1", self.port):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"daphne did not start listening within {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.log:
            self.log.close()
            Path(self.log.name).unlink(missing_ok=True)


def two_daphnes_over_redis(database_templates, setup: str, marker: str):
    """Two daphne processes sharing one channel layer in Redis, on a fresh copy of the migrated database
    after `setup` (code for `manage.py shell -c` that prints one line `<marker> <json>`). A generator
    for module-scoped fixtures: yields (first, second, the json)."""
    import json

    if not redis_available():
        unavailable(f"Redis is not reachable at {REDIS_URL}")
    url, drop = database_templates.copy(seeded=False, engine="sqlite")
    env = server_env(url, REDIS_URL=REDIS_URL)
    out = manage("shell", "-c", setup, env=env).stdout
    data = json.loads(next(line for line in out.splitlines() if line.startswith(marker + " "))[len(marker) + 1:])
    first, second = Daphne(env).start(), Daphne(env).start()
    try:
        yield first, second, data
    finally:
        first.stop()
        second.stop()
        drop()


POSTGRES_ONLY = "runs in the PostgreSQL pass"
SQLITE_PASS_ONLY = "runs in the SQLite pass"


def require_postgres(connection) -> None:
    """Skip on SQLite (the PostgreSQL pass of .ci/run runs it); such a skip is allowed in CI."""
    if connection.vendor != "postgresql":
        pytest.skip(f"{POSTGRES_ONLY}: needs row locks and real parallel transactions")


# (engine, seeded) -> the environment variable naming a template built before the run (a SQLite file
# path or a PostgreSQL database name).
TEMPLATE_VARIABLES = {
    ("sqlite", False): "HUB_TEMPLATE_SQLITE_MIGRATED", ("sqlite", True): "HUB_TEMPLATE_SQLITE_SEEDED",
    ("postgres", False): "HUB_TEMPLATE_POSTGRES_MIGRATED", ("postgres", True): "HUB_TEMPLATE_POSTGRES_SEEDED",
}


class DatabaseTemplates:
    """Migrated (and demo-seeded) databases built once per test run, copied for each user.

    `migrate` takes about a minute of CPU on PostgreSQL and `seed_demo` half that: the browser tests,
    the production profile, the backup round trip and the two-daphne tests each used to pay for
    their own. Now each asks for a copy: `CREATE DATABASE ... TEMPLATE` on PostgreSQL (a second), a
    file copy on SQLite.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        # Templates built before this run (.ci/run builds them once for its test runs and benchmarks:
        # tests/prebuild_templates.py); never written to, never dropped here.
        self.built: dict[tuple[str, bool], str] = {
            key: os.environ[variable] for key, variable in TEMPLATE_VARIABLES.items() if os.environ.get(variable)}
        self.drops: list = []

    # -- public -----------------------------------------------------------------------------------
    def copy(self, *, seeded: bool, engine: str | None = None):
        """(database url, drop) of a fresh copy; engine "sqlite" or "postgres" (default: DATABASE_URL's)."""
        base = os.environ.get("DATABASE_URL", "")
        if engine is None:
            engine = "postgres" if base.startswith(("postgres", "pgsql")) else "sqlite"
        template = self._template(engine, seeded, base)
        if engine == "sqlite":
            target = self.folder / f"copy-{secrets.token_hex(4)}.sqlite3"
            _sqlite_copy(template, target)
            return f"sqlite:///{target}", lambda: [Path(f"{target}{s}").unlink(missing_ok=True)
                                                   for s in ("", "-wal", "-shm")]
        return postgres_database(base, template=template)

    def template(self, *, seeded: bool, engine: str | None = None) -> str:
        """The template itself, built if need be: a PostgreSQL database name (for `createdb -T`) or a
        SQLite file path. Read it, never write to it."""
        base = os.environ.get("DATABASE_URL", "")
        if engine is None:
            engine = "postgres" if base.startswith(("postgres", "pgsql")) else "sqlite"
        return self._template(engine, seeded, base)

    def adopt_test_database(self) -> None:
        """The test database pytest-django has just migrated becomes the migrated template of its
        engine: a copy instead of a second `migrate` (about 35 s of CPU on SQLite, a minute on
        PostgreSQL). Only right after the test database was created, before any test ran on it."""
        from django.db import connection

        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            return  # no test uses the database in this run: pytest-django made none (the templates migrate)
        engine = "sqlite" if connection.vendor == "sqlite" else "postgres"
        if (engine, False) in self.built:
            return  # built before the run (TEMPLATE_VARIABLES)
        if engine == "sqlite":
            target = self.folder / "migrated.sqlite3"
            _sqlite_copy(connection.settings_dict["NAME"], target)
            self.built[(engine, False)] = str(target)
            return
        connection.close()  # CREATE DATABASE ... TEMPLATE needs the source to have no other session
        url, drop = postgres_database(os.environ["DATABASE_URL"], template=connection.settings_dict["NAME"])
        self.drops.append(drop)
        self.built[(engine, False)] = url.rsplit("/", 1)[1]

    def close(self) -> None:
        for drop in reversed(self.drops):
            drop()

    # -- building ---------------------------------------------------------------------------------
    def _template(self, engine: str, seeded: bool, base: str) -> str:
        key = (engine, seeded)
        if key in self.built:
            return self.built[key]
        if seeded:
            url, drop = self._copy_of(engine, base, self._template(engine, False, base))
            manage("seed_demo", "--quiet-logins", env=server_env(url, HUB_ALLOW_DEMO_DATA="1"))
        elif engine == "sqlite":
            url, drop = f"sqlite:///{self.folder / 'migrated.sqlite3'}", None
            manage("migrate", "--no-input", "-v0", env=server_env(url))
        else:
            url, drop = postgres_database(base)
            manage("migrate", "--no-input", "-v0", env=server_env(url))
        if drop:
            self.drops.append(drop)
        name = url.removeprefix("sqlite:///") if engine == "sqlite" else url.rsplit("/", 1)[1]
        self.built[key] = name
        return name

    def _copy_of(self, engine: str, base: str, template: str):
        if engine == "sqlite":
            target = self.folder / "seeded.sqlite3"
            _sqlite_copy(template, target)
            return f"sqlite:///{target}", None
        return postgres_database(base, template=template)


def _sqlite_copy(source: str, target: Path) -> None:
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def postgres_database(base_url: str, template: str | None = None, *, fast_commits: bool = True):
    """Create a throwaway database next to the one `base_url` names; return (url, drop). With
    `fast_commits` its commits do not wait for the disk (tests; a benchmark passes False)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(base_url)
    name = f"hub_t_{os.getpid()}_{secrets.token_hex(4)}"
    admin_url = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    suffix = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')
        # Thrown away after the test: its commits (migrate, seed_demo, daphne's writes) need not wait
        # for the disk.
        if fast_commits:
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", "")), drop


class TaskWorker:
    """A real `manage.py db_worker` process (the task worker `make run` starts): it sends the outbox's
    mail. `output()` is what it printed (with the console mail backend: the messages)."""

    def __init__(self, env: dict, name: str):
        self.log = open(ROOT / f".worker-{name}-{os.getpid()}.log", "w+")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay",
             "--worker-id", f"{name}-{os.getpid()}"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)
