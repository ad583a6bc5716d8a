"""Settings come from the environment; bad values stop start-up with one clear line."""

import secrets

import pytest

from hub.settings.env import ConfigError, database_from_env, redis_from_env
from tests.support import PYTHON, ROOT, clean_env, free_port, manage


def _start(env, *args):
    return manage(*args, env=env, check=False, timeout=120)


@pytest.mark.parametrize("value", ["mysql//oops", "postgres://hub@127.0.0.1:notaport/hub", "ftp://x/y",
                                   "postgres://127.0.0.1:5432"])
def test_malformed_database_url_stops_start_up_with_one_line_naming_it(value):
    result = _start(clean_env(DEBUG="1", DATABASE_URL=value), "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0]


@pytest.mark.parametrize("value", ["localhost:6379", "redis://:99999999", "http://127.0.0.1:6379", "redis://"])
def test_malformed_redis_url_stops_start_up_with_one_line_naming_it(value):
    result = _start(clean_env(DEBUG="1", REDIS_URL=value), "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "REDIS_URL" in lines[0]


def test_daphne_refuses_a_malformed_database_url_in_one_line():
    import subprocess
    from pathlib import Path

    result = subprocess.run(
        [str(Path(PYTHON).parent / "daphne"), "-p", str(free_port()), "hub.asgi:application"],
        cwd=ROOT, env=clean_env(DEBUG="1", DATABASE_URL="nonsense"), capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Configuration error: DATABASE_URL" in result.stderr


def test_production_without_a_secret_key_refuses_to_start_and_says_why():
    result = _start(clean_env(DEBUG="0", ALLOWED_HOSTS="hub.example.org"), "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_debug_off_and_a_real_secret():
    env = clean_env(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="hub.example.org")
    result = _start(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_database_url_for_postgres_is_parsed_with_persistent_connections(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://hub:pw@db.internal:5433/hub")
    config = database_from_env("DATABASE_URL", "unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db.internal", 5433, "hub", "hub")
    assert config["CONN_MAX_AGE"] > 0
    assert config["OPTIONS"]["options"] == "-c jit=off"


def test_no_database_url_means_sqlite_in_the_project_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env("DATABASE_URL", ROOT / "db.sqlite3")
    assert (config["ENGINE"], config["NAME"]) == ("django.db.backends.sqlite3", str(ROOT / "db.sqlite3"))
    # Writers queue for SQLite's lock instead of failing with "database is locked" (bench_load.py).
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 10


def test_two_requests_writing_sqlite_at_once_wait_for_each_other_instead_of_failing(tmp_path, django_db_blocker,
                                                                                    monkeypatch):
    """Two transactions that read first and then write: with SQLite's default (deferred) mode the
    second writer fails at once with "database is locked"; with the Hub's options it waits."""
    import threading

    from django.db.backends.sqlite3.base import DatabaseWrapper

    monkeypatch.delenv("DATABASE_URL", raising=False)  # the default setup, in either CI pass
    config = database_from_env("DATABASE_URL", tmp_path / "race.sqlite3")
    settings_dict = {**config, "TIME_ZONE": None, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True,
                     "ATOMIC_REQUESTS": False, "CONN_MAX_AGE": 0, "TEST": {}}
    django_db_blocker.unblock()  # these are this test's own connections to its own file
    setup = DatabaseWrapper(settings_dict)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE seat (n integer)")
    setup.close()
    both_read = threading.Barrier(2)
    errors = []

    def take_seat():
        connection = DatabaseWrapper(settings_dict)
        try:
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)  # as atomic() does
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM seat")
                try:
                    both_read.wait(timeout=2)
                except threading.BrokenBarrierError:
                    pass  # IMMEDIATE: the other one is waiting for the lock, not reading
                cursor.execute("INSERT INTO seat VALUES (1)")
            connection.commit()
        except Exception as exc:  # noqa: BLE001 - the failure is what the test is about
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_seat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    check = DatabaseWrapper(settings_dict)
    with check.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM seat")
        assert cursor.fetchone()[0] == 2
    check.close()
    django_db_blocker.restore()


def test_redis_url_is_optional_and_checked(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert redis_from_env("REDIS_URL") is None
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    assert redis_from_env("REDIS_URL") == "redis://127.0.0.1:6379/2"
    monkeypatch.setenv("REDIS_URL", "redis:/127.0.0.1")
    with pytest.raises(ConfigError, match="REDIS_URL"):
        redis_from_env("REDIS_URL")


def test_redis_url_switches_the_channel_layer_to_channels_redis():
    env = clean_env(DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/3")
    result = _start(env, "shell", "-c",
                    "from django.conf import settings; print(settings.CHANNEL_LAYERS['default']['BACKEND'])")
    assert result.stdout.strip().splitlines()[-1] == "channels_redis.pubsub.RedisPubSubChannelLayer", result.stderr
    result = _start(clean_env(DEBUG="1"), "shell", "-c",
                    "from django.conf import settings; print(settings.CHANNEL_LAYERS['default']['BACKEND'])")
    assert result.stdout.strip().splitlines()[-1] == "channels.layers.InMemoryChannelLayer", result.stderr
