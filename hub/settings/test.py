"""Test settings: the base settings with a fixed key, fast hashing and in-process email."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-3f9c2a7e6b1d4c8f9a0e5d7c2b4a6f8e1d3c5b7a9")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# filer fixes its private storage location at import: one folder per test process, so two runs on one
# checkout (CI's SQLite and PostgreSQL passes run side by side) never see each other's private files.
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="hub-test-smedia-"))

from .base import *  # noqa: E402,F403
from .base import BASE_DIR, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / ".test-media"
SECURE_HSTS_SECONDS = 0
# Unit tests run tasks in the test's own process, on commit (mail lands in mail.outbox as before). The
# outbox's fault tests use the database backend with real worker processes (tests/outbox/).
TASKS = {"default": {"BACKEND": os.environ.get("TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that daphne processes started by the tests can share it.
    # HUB_TEST_DB_NAME lets two test runs on one checkout keep apart.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / os.environ.get("HUB_TEST_DB_NAME", ".test-db.sqlite3"))}
else:
    # A test database is thrown away: a commit need not wait for the disk (the tests that commit, and
    # the daphne processes they start, spend most of their time there otherwise).
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"
