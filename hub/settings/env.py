"""Reading the environment for settings.

Every setting that differs between a laptop and production comes through here, so that a missing or
malformed value stops start-up with one line that names the variable (`manage.py` and `hub.asgi`
print `ConfigError` without a traceback).
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off (got {raw!r}).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (got {raw!r}).") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


# SQLite serves one writer at a time. Django's default transactions start as readers and ask for the
# write lock at their first write; when two requests do that at once SQLite answers "database is
# locked" at once instead of waiting (bench/bench_load.py saw 53 such 500s at 50 people). IMMEDIATE
# takes the write lock at BEGIN, so the other request waits (up to `timeout` seconds) instead; WAL lets
# readers go on while someone writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_from_env(name: str, default_sqlite_path) -> dict:
    """`DATABASE_URL` as a Django DATABASES entry; SQLite in the project folder when unset."""
    import dj_database_url

    raw = env_str(name)
    if not raw:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite_path),
                "OPTIONS": dict(SQLITE_OPTIONS)}
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme not in DATABASE_SCHEMES:
        raise ConfigError(
            f"{name} is malformed: expected postgres://user@host:5432/name or sqlite:///path, got {raw!r}."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ConfigError(f"{name} is malformed ({exc}): {raw!r}.") from None
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        raise ConfigError(f"{name} names no database (add /dbname at the end): {raw!r}.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    else:
        # PostgreSQL's JIT compiled the roster's per-person subqueries for ~450 ms of a ~700 ms count
        # (bench/bench_roster.py); the Hub runs short queries, where JIT only costs.
        config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return config


REDIS_SCHEMES = {"redis", "rediss", "unix"}


def redis_from_env(name: str) -> str | None:
    """`REDIS_URL`, checked; None when unset (the in-memory channel layer is used)."""
    raw = env_str(name)
    if not raw:
        return None
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"{name} is malformed ({exc}): {raw!r}.") from None
    if parts.scheme not in REDIS_SCHEMES:
        raise ConfigError(f"{name} is malformed: expected redis://host:6379/0, got {raw!r}.")
    if parts.scheme != "unix" and not parts.hostname:
        raise ConfigError(f"{name} names no host: {raw!r}.")
    if port is not None and not 0 < port < 65536:
        raise ConfigError(f"{name} has an impossible port: {raw!r}.")
    return raw
