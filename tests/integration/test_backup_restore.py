"""scripts/backup.sh and scripts/restore.sh, round trip on real PostgreSQL (README "Backup and restore").

A seeded Hub with a public and a private (filer) upload is backed up, restored into an empty second
database and empty file stores, and the copy is compared with the original table by table (row
count and contents), sequence by sequence and file by file; then a daphne serves the copy and a demo
user signs in. Restoring over a database that has tables is refused and changes nothing.
"""

import html
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support import POSTGRES_ONLY, ROOT, Daphne, manage, postgres_database, server_env

pytestmark = pytest.mark.services

DEMO_PASSWORD = "leap-demo-2026"


@pytest.fixture
def databases(database_templates):
    """(source url, target url): a copy of the migrated, seeded demo database and an empty one."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres", "pgsql")):
        pytest.skip(f"{POSTGRES_ONLY}: backup.sh and restore.sh back up PostgreSQL (pg_dump, pg_restore)")
    source, drop_source = database_templates.copy(seeded=True)
    target, drop_target = postgres_database(base)
    try:
        yield source, target
    finally:
        drop_target()
        drop_source()


def fingerprint(url: str) -> dict:
    """Every table's row count and an md5 of its full contents, and every sequence's last value."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        tables = conn.execute(
            "SELECT schemaname, tablename FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        ).fetchall()
        result = {}
        for schema, table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"
            ).format(sql.Identifier(schema, table))
            result[f"table {schema}.{table}"] = tuple(conn.execute(query).fetchone())
        for schema, name, last_value in conn.execute(
            "SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2"
        ):
            result[f"sequence {schema}.{name}"] = last_value
    return result


def files_under(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_script(name: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / "scripts" / name), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def sign_in(base_url: str, username: str) -> str:
    """Sign in through the real form over HTTP; return the HTML of the page the Hub lands on."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    form = opener.open(f"{base_url}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username,
                                   "password": DEMO_PASSWORD, "next": "/training/"}).encode()
    response = opener.open(urllib.request.Request(f"{base_url}/accounts/login/", data=data,
                                                  headers={"Referer": f"{base_url}/accounts/login/"}), timeout=30)
    assert response.status == 200
    assert urlsplit(response.url).path == "/training/", response.url
    return html.unescape(response.read().decode())


def test_backup_restores_into_an_identical_working_hub(databases, tmp_path):
    source_url, target_url = databases
    def stores(side: str) -> dict:  # the default layout: private files in smedia/ next to media/
        return {"MEDIA_ROOT": str(tmp_path / side / "media"), "PRIVATE_MEDIA_ROOT": str(tmp_path / side / "smedia"),
                "PYTHON": sys.executable}

    source_media = tmp_path / "src" / "media"
    source_env = server_env(source_url, HUB_ALLOW_DEMO_DATA="1", **stores("src"))
    manage("shell", "-c", (
        "from django.core.files.base import ContentFile\n"
        "from filer.models import File\n"
        "File.objects.create(file=ContentFile(b'%PDF-1.4 signed consent', 'consent.pdf'), is_public=False,"
        " original_filename='consent.pdf')\n"
        "File.objects.create(file=ContentFile(bytes(range(256)) * 40, 'handout.bin'), is_public=True,"
        " original_filename='handout.bin')\n"
    ), env=source_env)
    # Filer keeps private files outside MEDIA_ROOT (../smedia/filer_private): both must travel.
    assert [p.name for p in (tmp_path / "src" / "smedia" / "filer_private").rglob("*.pdf")] == ["consent.pdf"]
    assert [p.name for p in (source_media / "filer_public").rglob("*.bin")] == ["handout.bin"]

    backup = run_script("backup.sh", str(tmp_path / "backups"), env=source_env)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups" and folder.name.startswith("hub-")
    manifest = (folder / "manifest.txt").read_text()
    users = manage("shell", "-c", "from django.contrib.auth.models import User; print('USERS', User.objects.count())",
                   env=source_env).stdout.split("USERS ")[-1].strip()
    assert int(users) > 0
    assert re.search(rf"^table public\.auth_user {users}$", manifest, re.M), manifest
    assert "consent.pdf" in (folder / "files-filer_private.sha256").read_text()

    before = fingerprint(source_url)
    target_env = server_env(target_url, **stores("dst"))
    restore = run_script("restore.sh", str(folder), env=target_env)
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "restore complete" in restore.stdout and "all checked" in restore.stdout

    after = fingerprint(target_url)
    assert sum(key.startswith("table ") for key in after) > 100
    assert after["table public.auth_user"][0] == int(users)
    differing = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    assert not differing, f"differ after restore: {differing}"
    for store in ("media", "smedia"):
        original = files_under(tmp_path / "src" / store)
        assert original and files_under(tmp_path / "dst" / store) == original

    # Restoring over a database that has tables is refused, and nothing changes.
    refused = run_script("restore.sh", str(folder), source_url,
                         env=server_env(source_url, **stores("spare")))
    assert refused.returncode != 0
    assert "is not empty" in refused.stderr and "nothing was changed" in refused.stderr
    assert fingerprint(source_url) == before
    assert not (tmp_path / "spare").exists()

    # The restored copy is a working Hub: a demo visitor signs in and sees her training.
    server = Daphne(target_env).start()
    try:
        page = sign_in(server.url, "visitor")
    finally:
        server.stop()
    assert "Ana Ruiz" in page and "LEAP 101" in page
