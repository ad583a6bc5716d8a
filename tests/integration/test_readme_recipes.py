"""The README's recipes run exactly as written.

Each recipe is the fenced block right after a `<!-- recipe: NAME -->` line in README.md, read when the
test runs: a missing or renamed marker fails, and so does an edit that breaks a command. A block runs
with bash in a fresh copy of the project (the files a clone would have: tracked and new unignored
ones, as they are in the working tree now, so an edit is tested before it is committed), with `.venv`
linked to this one as `make install` would leave it. A check follows every command line, so the first
line that fails stops the recipe and is named (bash's `set -e` would let `cd X && ...` fail silently).

What the tests change in a block, and nothing else (each change must find its text, or the test fails,
so a README edit cannot slip past it; afterwards no /srv, /etc or sudo may be left):

- production-one-machine: the database `hub_local` is a throwaway one, and the block's own `createdb`
  makes it from the seeded template (`-T`, tests.support.DatabaseTemplates), so `--migrate` and
  `--seed-demo` find their work done in seconds instead of a minute (the templates are built by the
  same two commands); `--port` gets a free port instead of the default 8080.
- production-database, backup-restore and backup-restore-check (run after the first line of
  backup-restore, "in the same shell"): `/srv/hub/app` is the copy, `/etc/hub/hub.env` an env file
  the test writes, `/srv/hub/` a scratch folder; `sudo -E -u hub ` and `sudo -u postgres createdb -O
  hub ` become the test's own user (`createdb -h HOST -p PORT -U USER`: no `hub` role or account
  here); `hub_restored` is a throwaway database; daphne's `-p 8099` a free port.
- production-nginx: its `sed` line writes into scratch paths (site file, certificate, log), and
  `nginx -t` on the result stands in for the last line, which enables the site on the system's nginx.
- sqlite-restore: the example day `2026-03-01` is the day of the backup just made.
- The `demo_code` commands under "Demo logins" (typed beside `make run`) and under the production
  profile (in the recipe's shell) run as written.
- production-install and production-systemd cannot run here (apt, adduser, systemd): the static checks
  at the end read them (files, units, commands and options, make targets, environment variables).
"""

import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.support import (
    POSTGRES_ONLY,
    PYTHON,
    REDIS_URL,
    ROOT,
    SQLITE_PASS_ONLY,
    _sqlite_copy,
    clean_env,
    free_port,
    port_open,
    redis_available,
    unavailable,
)

README = ROOT / "README.md"
DEMO_PASSWORD = "leap-demo-2026"
# Every marked block, and who reads it; a marker in the README that is not here fails too.
RECIPES = {
    "production-install": "static checks",
    "production-database": "test_the_backup_recipe_restores_a_copy_that_matches_the_hub",
    "production-systemd": "static checks",
    "production-nginx": "test_the_nginx_recipe_fills_every_placeholder_and_nginx_accepts_the_site",
    "production-one-machine": "test_the_one_machine_production_profile_serves_a_sign_in_and_stops_on_ctrl_c",
    "backup-restore": "test_the_backup_recipe_restores_a_copy_that_matches_the_hub",
    "backup-restore-check": "test_the_backup_recipe_restores_a_copy_that_matches_the_hub",
    "sqlite-backup": "test_the_sqlite_laptop_recipe_backs_up_and_restores_database_and_files",
    "sqlite-restore": "test_the_sqlite_laptop_recipe_backs_up_and_restores_database_and_files",
}
MARKER = re.compile(r"^<!-- recipe: ([a-z0-9-]+) -->\s*$")


# -- reading the README ---------------------------------------------------------------------------

def readme_lines() -> list[str]:
    return README.read_text().splitlines()


def recipe(name: str) -> str:
    """The fenced block after `<!-- recipe: name -->` (the next non-blank line must open it)."""
    lines = readme_lines()
    for number, line in enumerate(lines):
        found = MARKER.match(line)
        if not found or found.group(1) != name:
            continue
        rest = [n for n in range(number + 1, len(lines)) if lines[n].strip()]
        assert rest and lines[rest[0]].startswith("```"), (
            f"README.md line {number + 1}: <!-- recipe: {name} --> must come right before a ``` block")
        start = rest[0] + 1
        end = next(n for n in range(start, len(lines)) if lines[n].startswith("```"))
        return "\n".join(lines[start:end]) + "\n"
    raise AssertionError(f"README.md has no block marked <!-- recipe: {name} --> (the test of it reads it)")


def section_spans(heading: str) -> list[str]:
    """The inline code spans of a README section (from its heading to the next one), line by line."""
    lines, spans, inside, in_block = readme_lines(), [], False, False
    for line in lines:
        if line.startswith("```"):
            in_block = not in_block
        elif in_block:
            continue
        elif line.startswith("#"):
            if inside:
                break
            inside = line.lstrip("# ").startswith(heading)
        elif inside:
            spans += re.findall(r"`([^`]+)`", line)
    assert inside, f"README.md has no section {heading!r}"
    return spans


def logical_lines(block: str) -> list[str]:
    """The block's command lines, a line ending in a backslash joined with the next; no comments."""
    commands, pending = [], ""
    for line in block.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        commands.append(pending + line)
        pending = ""
    if pending:
        commands.append(pending)
    return commands


def rewrite(block: str, changes: list[tuple[str, str]], *, forbid=("/srv/", "/etc/", "sudo ")) -> str:
    """Apply the documented changes; each must find its text, and none of `forbid` may be left."""
    for old, new in changes:
        assert old in block, f"the recipe no longer contains {old!r} (update the test's rewrites):\n{block}"
        block = block.replace(old, new)
    for leftover in forbid:
        assert leftover not in block, f"{leftover!r} left after the test's rewrites:\n{block}"
    return block


def checked(block: str) -> str:
    """The block as a bash script that stops at the first command line that fails, naming it."""
    script = ["set -o pipefail"]
    for command in logical_lines(block):
        quoted = command.replace("'", "'\\''")
        script += [command, "__rc=$?",
                   f"if [ $__rc -ne 0 ]; then printf 'RECIPE LINE FAILED (%s): %s\\n' $__rc '{quoted}' >&2; "
                   "exit $__rc; fi"]
    return "\n".join(script) + "\n"


def run_recipe(script: str, *, cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(["bash", "-c", checked(script)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"the recipe failed:\n{script}\n--- output\n{done.stdout[-4000:]}\n" \
                                 f"--- errors\n{done.stderr[-4000:]}"
    return done


# -- a fresh copy of the project --------------------------------------------------------------------

def project_copy(dest: Path) -> Path:
    """What a fresh clone holds (tracked files and new unignored ones, as they are now), with `.venv`."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (dest / ".venv").symlink_to((ROOT / ".venv").resolve())
    return dest


@pytest.fixture
def scratch():
    """A folder anyone may enter (nginx reads static files in it as an unprivileged user)."""
    folder = Path(tempfile.mkdtemp(prefix="hub-readme-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_base():
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres", "pgsql")):
        pytest.skip(f"{POSTGRES_ONLY}: the recipe is for PostgreSQL")
    return base


def _admin_url(base: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))


def drop_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(base), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def count_users(url: str) -> int:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute("SELECT count(*) FROM auth_user").fetchone()[0]


def files_under(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


UPLOADS = """
from django.core.files.base import ContentFile
from filer.models import File
File.objects.create(file=ContentFile(b'%PDF-1.4 a public handout', 'handout.pdf'), is_public=True,
                    original_filename='handout.pdf')
if {private}:
    File.objects.create(file=ContentFile(b'%PDF-1.4 signed consent', 'consent.pdf'), is_public=False,
                        original_filename='consent.pdf')
"""


def upload_files(app: Path, env: dict, *, private: bool) -> None:
    subprocess.run([str(app / ".venv/bin/python"), "manage.py", "shell", "-c", UPLOADS.format(private=private)],
                   cwd=app, env=env, check=True, capture_output=True, timeout=120)


# -- recipes that serve until Ctrl-C ----------------------------------------------------------------

def processes_with(token: str) -> list[int]:
    """Processes whose environment carries the run's token: everything a recipe started."""
    mark = f"HUB_RECIPE_RUN={token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if mark in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _ctrl_c_as_in_a_terminal() -> None:
    """In the recipe's process, before bash starts: SIGINT does what it does in a terminal. A test run
    started in the background of a shell without job control (`(bash .ci/run &)`) inherits SIGINT
    ignored, and bash, Python and daphne then keep ignoring it: the recipe never stops on Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Foreground:
    """A recipe whose last command serves until Ctrl-C, run as a terminal would: in its own process
    group, so that SIGINT to the group is what Ctrl-C sends. Every process it starts carries a token in
    its environment, so the test can tell that all of them stopped (and end any that did not)."""

    def __init__(self, block: str, *, cwd: Path, env: dict):
        self.token = secrets.token_hex(8)
        self.proc = subprocess.Popen(["bash", "-c", checked(block)], cwd=cwd, env={**env, "HUB_RECIPE_RUN": self.token},
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True, preexec_fn=_ctrl_c_as_in_a_terminal)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True)
        self.reader.start()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, ready, what: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            assert self.proc.poll() is None, f"the recipe stopped before {what}:\n{self.output[-5000:]}"
            assert time.monotonic() < deadline, f"no {what} after {timeout:.0f} s:\n{self.output[-5000:]}"
            time.sleep(0.2)

    def ctrl_c(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground group
        try:
            # A second is usual (a production profile stops its processes one after another: give it a
            # minute); a timeout shows what the recipe printed and which of its processes were still there.
            code = self.proc.wait(90)
        except subprocess.TimeoutExpired:
            still = subprocess.run(["ps", "-o", "pid,stat,etime,args", "-g", str(self.proc.pid)], capture_output=True,
                                   text=True).stdout
            raise AssertionError(f"still running 90 s after Ctrl-C:\n{still}\n{self.output[-5000:]}") from None
        assert code == 0, self.output[-5000:]
        self.reader.join(10)
        assert processes_with(self.token) == [], "processes the recipe started are still running"

    def end(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        for pid in processes_with(self.token):  # only processes this run started carry the token
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def http_session():
    import requests

    session = requests.Session()
    session.trust_env = False  # no HTTP proxy from the environment between us and 127.0.0.1
    return session


def sign_in(address: str, username: str = "visitor"):
    """Sign in through the real form; return the page the Hub lands on (My training)."""
    session = http_session()
    form = session.get(f"{address}accounts/login/", timeout=30)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    landed = session.post(f"{address}accounts/login/", timeout=30, data={
        "csrfmiddlewaretoken": csrf, "username": username, "password": DEMO_PASSWORD, "next": "/training/",
    }, headers={"Referer": f"{address}accounts/login/"})
    assert landed.status_code == 200 and urlsplit(landed.url).path == "/training/", landed.url
    return landed


# -- the one-machine production profile ------------------------------------------------------------

@pytest.mark.services
def test_the_one_machine_production_profile_serves_a_sign_in_and_stops_on_ctrl_c(
        postgres_base, database_templates, scratch):
    from scripts.production_local import find_nginx

    if not redis_available():
        unavailable(f"Redis is not reachable at {REDIS_URL}")
    if not find_nginx():
        unavailable("nginx is missing: install Debian's nginx-light (scripts/ensure-nginx.sh)")
    parts = urlsplit(postgres_base)
    if (parts.hostname, parts.port or 5432, parts.username) != ("127.0.0.1", 5432, "postgres"):
        pytest.skip("the recipe names postgres@127.0.0.1:5432; DATABASE_URL points elsewhere")
    template = database_templates.template(seeded=True)
    name = f"hub_readme_{os.getpid()}_{secrets.token_hex(3)}"
    port = free_port()
    block = rewrite(recipe("production-one-machine"), [
        ("createdb ", f"createdb -T {template} "),
        ("hub_local", name),
        ("scripts/production_local.py ", f"scripts/production_local.py --port {port} "),
    ])
    app = project_copy(scratch / "app")
    address = f"http://127.0.0.1:{port}/"
    running = Foreground(block, cwd=app, env=clean_env())
    try:
        running.wait_for(lambda: address in running.output, f"{address} printed")
        details = re.search(r"gunicorn 127\.0\.0\.1:(\d+) .*daphne (.+); logs in (\S+)", running.output)
        assert details, running.output
        ports = [port, int(details.group(1)), *map(int, re.findall(r":(\d+)", details.group(2)))]
        assert len(ports) == 4  # nginx, gunicorn, two daphne processes

        home = http_session().get(address, timeout=30)
        assert home.status_code == 200 and "Home Visit Hub" in home.text
        assert http_session().get(f"{address}static/admin/css/base.css", timeout=30).status_code == 200
        assert "Ana Ruiz" in sign_in(address).text
        # The two-step code of a demo staff account, "in the same shell" (the block's exports).
        [code_command] = [span for span in section_spans("Trying the production profile on one machine")
                          if "manage.py demo_code" in span]
        exports = "\n".join(line for line in logical_lines(block) if line.startswith("export "))
        code = run_recipe(f"{exports}\n{code_command}\n", cwd=app, env=clean_env())
        assert re.fullmatch(r"\d{6}\n", code.stdout), code.stdout

        running.ctrl_c()
        assert "Stopping" in running.output
        assert [p for p in ports if port_open("127.0.0.1", p)] == []
        assert not Path(details.group(3)).exists()  # its logs and rendered config are cleaned up
    finally:
        running.end()
        drop_database(postgres_base, name)


def test_without_a_secret_key_neither_the_profile_nor_the_hub_starts_with_debug_off(tmp_path):
    """The recipe's --ephemeral-secret is the only way round it: no key, no migrate, no server."""
    database = tmp_path / "never.sqlite3"
    env = clean_env(DATABASE_URL=f"sqlite:///{database}", REDIS_URL=REDIS_URL)
    profile = subprocess.run([PYTHON, "scripts/production_local.py", "--plain-http-loopback", "--migrate",
                              "--seed-demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert profile.returncode == 2 and "SECRET_KEY is not set" in profile.stderr
    hub = subprocess.run([PYTHON, "manage.py", "migrate"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert hub.returncode == 2 and "SECRET_KEY is not set" in hub.stderr
    assert not database.exists()


# -- PostgreSQL backup and restore -----------------------------------------------------------------

@pytest.mark.services
def test_the_backup_recipe_restores_a_copy_that_matches_the_hub(postgres_base, database_templates, scratch):
    source_url, drop_source = database_templates.copy(seeded=True)
    restored = f"hub_readme_restored_{os.getpid()}_{secrets.token_hex(3)}"
    app, srv = project_copy(scratch / "app"), scratch / "srv-hub"
    hub_env = {  # as README "2. Environment" describes /etc/hub/hub.env
        "DATABASE_URL": source_url, "REDIS_URL": REDIS_URL, "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "hub.example.org", "CSRF_TRUSTED_ORIGINS": "https://hub.example.org", "BEHIND_PROXY": "1",
        "TRUSTED_PROXY_COUNT": "1", "SITE_URL": "https://hub.example.org", "STATIC_ROOT": str(srv / "static"),
        "MEDIA_ROOT": str(srv / "media"), "PRIVATE_MEDIA_ROOT": str(srv / "smedia"),
    }
    env_file = scratch / "etc-hub" / "hub.env"
    env_file.parent.mkdir()
    env_file.write_text("".join(f"{key}={value}\n" for key, value in hub_env.items()))
    env_file.chmod(0o600)
    pg = urlsplit(postgres_base)
    as_the_hub = [("/srv/hub/app", str(app)), ("/etc/hub/hub.env", str(env_file))]
    try:
        upload_files(app, clean_env(**hub_env), private=True)
        originals = {store: files_under(srv / store) for store in ("media", "smedia")}
        assert all(originals.values())

        run_recipe(rewrite(recipe("production-database"), [*as_the_hub, ("sudo -E -u hub ", "")]),
                   cwd=scratch, env=clean_env())
        assert (srv / "static" / "admin" / "css" / "base.css").is_file()

        done = run_recipe(rewrite(recipe("backup-restore"), [
            *as_the_hub, ("/srv/hub/", f"{srv}/"), ("sudo -E -u hub ", ""),
            ("sudo -u postgres createdb -O hub ", f"createdb -h {pg.hostname} -p {pg.port or 5432} "
                                                  f"-U {pg.username or 'postgres'} "),
            ("hub_restored", restored),
        ]), cwd=scratch, env=clean_env())
        assert "backup complete" in done.stdout
        assert "restore complete" in done.stdout and "all checked" in done.stdout
        for store, files in originals.items():
            assert files_under(srv / "restored" / store) == files
        restored_url = source_url.rsplit("/", 1)[0] + "/" + restored
        assert count_users(restored_url) == count_users(source_url) > 0

        # Test the restore: the Hub on the copy, in the same shell, serves a sign-in until Ctrl-C.
        port = free_port()
        same_shell = logical_lines(recipe("backup-restore"))[0] + "\n"
        check = rewrite(same_shell + recipe("backup-restore-check"), [
            *as_the_hub, ("/srv/hub/", f"{srv}/"), ("sudo -E -u hub ", ""), ("hub_restored", restored),
            ("-p 8099 ", f"-p {port} "),
        ])
        serving = Foreground(check, cwd=scratch, env=clean_env())
        try:
            serving.wait_for(lambda: port_open("127.0.0.1", port), f"a Hub on port {port}", timeout=120)
            assert "Ana Ruiz" in sign_in(f"http://127.0.0.1:{port}/").text
            serving.ctrl_c()
            assert not port_open("127.0.0.1", port)
        finally:
            serving.end()
    finally:
        drop_database(postgres_base, restored)
        drop_source()


# -- the SQLite laptop install --------------------------------------------------------------------

@pytest.mark.services
@pytest.mark.parametrize("private_file", [False, True], ids=["before-any-private-file", "with-a-private-file"])
def test_the_sqlite_laptop_recipe_backs_up_and_restores_database_and_files(database_templates, scratch,
                                                                            private_file):
    if os.environ.get("DATABASE_URL"):
        pytest.skip(f"{SQLITE_PASS_ONLY}: a laptop install (`make run`) is SQLite")
    if not shutil.which("sqlite3"):
        unavailable("the sqlite3 command is missing (Debian: apt-get install sqlite3)")
    app = project_copy(scratch / "app")
    _sqlite_copy(database_templates.template(seeded=True, engine="sqlite"), app / "db.sqlite3")  # `make run`
    upload_files(app, clean_env(DEBUG="1"), private=private_file)
    originals = {store: files_under(app / store) for store in ("media", "smedia")}
    assert bool(originals["smedia"]) == private_file

    run_recipe(recipe("sqlite-backup"), cwd=app, env=clean_env())
    [backup] = app.glob("backup-*.sqlite3")
    day = re.fullmatch(r"backup-(\d{4}-\d\d-\d\d)\.sqlite3", backup.name).group(1)

    # What a restore is for: the database and the files changed since.
    with sqlite3.connect(app / "db.sqlite3") as db:
        db.execute("UPDATE auth_user SET first_name = 'Changed' WHERE username = 'visitor'")
    db.close()
    shutil.rmtree(app / "media" / "filer_public")
    shutil.rmtree(app / "smedia", ignore_errors=True)

    run_recipe(rewrite(recipe("sqlite-restore"), [("2026-03-01", day)]), cwd=app, env=clean_env())
    with sqlite3.connect(app / "db.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT first_name FROM auth_user WHERE username = 'visitor'").fetchone() == ("Ana",)
    db.close()
    for store, files in originals.items():
        assert files_under(app / store) == files


def test_the_demo_code_command_in_demo_logins_prints_a_code_after_make_run(database_templates, scratch):
    """Typed in a second terminal while `make run` serves: a plain shell, where DEBUG is not set (the
    Makefile sets it for its own commands only)."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip(f"{SQLITE_PASS_ONLY}: `make run` is SQLite")
    [command] = [span for span in section_spans("Demo logins") if "manage.py demo_code" in span]
    app = project_copy(scratch / "app")
    _sqlite_copy(database_templates.template(seeded=True, engine="sqlite"), app / "db.sqlite3")
    done = run_recipe(command, cwd=app, env=clean_env())
    assert re.fullmatch(r"\d{6}\n", done.stdout), done.stdout


# -- nginx --------------------------------------------------------------------------------------------

@pytest.mark.services
def test_the_nginx_recipe_fills_every_placeholder_and_nginx_accepts_the_site(tmp_path):
    from scripts.production_local import find_nginx, render_main

    nginx = find_nginx()
    if not nginx:
        unavailable("nginx is missing: install Debian's nginx-light (scripts/ensure-nginx.sh)")
    if not shutil.which("openssl"):
        unavailable("openssl is missing (for a throwaway certificate)")
    sed = [line for line in logical_lines(recipe("production-nginx")) if line.startswith("sed ")]
    assert len(sed) == 1, "the nginx recipe should have one sed command"
    site, tls, logs = tmp_path / "hub-site.conf", tmp_path / "tls", tmp_path / "log"
    tls.mkdir()
    logs.mkdir()
    run_recipe(rewrite(sed[0], [("/etc/nginx/sites-available/hub", str(site)),
                                ("/etc/letsencrypt/live/hub.example.org/", f"{tls}/"),
                                ("/var/log/nginx/", f"{logs}/")], forbid=("/etc/", "/var/")),
               cwd=ROOT, env=clean_env())  # /srv/hub/static and /srv/hub/media are only written into it
    live = [line for line in site.read_text().splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in live if re.search(r"@[A-Z_]+@", line)], "placeholders the sed line misses"

    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=hub.example.org", "-keyout", tls / "privkey.pem", "-out", tls / "fullchain.pem"],
                   check=True, capture_output=True)
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "temp" / sub).mkdir(parents=True)
    main = tmp_path / "nginx.conf"
    main.write_text(render_main(workdir=tmp_path, site=site))
    checked_site = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(main), "-e",
                                   str(tmp_path / "error.log")], capture_output=True, text=True)
    assert checked_site.returncode == 0, checked_site.stderr


# -- static checks: everything else the README shows exists, with the options it shows --------------

def test_every_recipe_marker_in_the_readme_is_one_a_test_reads():
    markers = [m.group(1) for m in map(MARKER.match, readme_lines()) if m]
    assert sorted(markers) == sorted(RECIPES), "a recipe marker was added, renamed or removed"
    for name in RECIPES:
        assert logical_lines(recipe(name))


def readme_commands() -> list[tuple[str, str]]:
    """(README line number, command text) for every inline code span outside blocks and every command
    line inside them. A span that starts with `…` continues the command before it (the privacy table),
    and a span of options alone belongs to the last command on its line, or else to the last
    command of the block before its paragraph."""
    commands, in_block, block_lines, last_block_command, last_named = [], False, [], "", ""
    for number, line in enumerate(readme_lines(), start=1):
        if line.startswith("```"):
            if in_block:
                for command in logical_lines("\n".join(block_lines)):
                    command = re.sub(r"\s+#\s.*$", "", command)  # a trailing comment
                    commands.append((f"README.md block ending line {number}", command))
                    if names_a_command(command):
                        last_block_command = command
            in_block, block_lines = not in_block, []
            continue
        if in_block:
            block_lines.append(line)
            continue
        last_on_line = None
        for span in re.findall(r"`([^`]+)`", line):
            if span.startswith("…") and last_named:
                span = last_named.split(" --")[0] + span[1:]
            elif span.startswith("--"):
                span = f"{last_on_line or last_block_command} {span}"
            commands.append((f"README.md line {number}", span))
            if names_a_command(span):
                last_on_line = last_named = span
    return commands


def names_a_command(text: str) -> bool:
    return bool(re.search(r"manage\.py [a-z]|(?<![\w/])(scripts|bench)/\S+\.(py|sh)\b", text))


OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")


def test_every_manage_py_command_the_readme_shows_exists_with_the_options_it_shows():
    from django.core.management import get_commands, load_command_class

    known, problems, seen = get_commands(), [], set()
    lines = readme_lines()
    uses = []
    for where, command in readme_commands():
        found = re.search(r"manage\.py\s+([a-z][a-z0-9_]*)(.*)", command)
        if found:
            uses.append((where, found.group(1), OPTION.findall(found.group(2))))
    for number, line in enumerate(lines, start=1):  # "`manage.py axes_reset_username <name>` (or `axes_reset_ip`)"
        uses += [(f"README.md line {number}", name, [])
                 for name in re.findall(r"`[^`]*manage\.py [a-z_]+[^`]*` \(or `([a-z_]+)`\)", line)]
    for where, name, options in uses:
        seen.add(name)
        if name not in known:
            problems.append(f"{where}: manage.py {name}: there is no such command")
            continue
        parser = load_command_class(known[name], name).create_parser("manage.py", name)
        accepted = {flag for action in parser._actions for flag in action.option_strings}
        problems += [f"{where}: manage.py {name} has no option {option}" for option in options
                     if option not in accepted]
    assert {"export_person_data", "erase_person_data", "purge_closed_cases", "send_session_reminders",
            "send_certificate_reminders", "purge_roundtable_contacts", "demo_code", "axes_reset_ip"} <= seen
    assert not problems, "\n".join(problems)


def test_every_script_the_readme_shows_accepts_the_options_it_shows():
    wanted: dict[str, set] = {}
    for _, command in readme_commands():
        found = re.search(r"(?<![\w/])((?:scripts|bench)/[\w-]+\.(?:py|sh))\b(.*)", command)
        if found:
            wanted.setdefault(found.group(1), set()).update(OPTION.findall(found.group(2)))
    assert {"--plain-http-loopback", "--ephemeral-secret", "--migrate", "--seed-demo", "--port",
            "--workers"} <= wanted.get("scripts/production_local.py", set())
    problems = []
    for script, options in sorted(wanted.items()):
        assert (ROOT / script).is_file(), f"README names {script}, which does not exist"
        if not options:
            continue
        runner = [PYTHON] if script.endswith(".py") else ["bash"]
        shown = subprocess.run([*runner, script, "--help"], cwd=ROOT, env=clean_env(), capture_output=True,
                               text=True, timeout=60)
        assert shown.returncode == 0, f"{script} --help failed: {shown.stderr[-2000:]}"
        problems += [f"{script} has no option {option}" for option in sorted(options)
                     if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", shown.stdout)]
    assert not problems, "\n".join(problems)


def test_every_make_target_and_variable_the_readme_shows_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets, problems = set(), []
    for where, command in readme_commands():
        for found in re.finditer(r"(?<![\w-])make ((?:[a-z][\w-]*\s*)+)((?:[A-Z_]+=\S+\s*)*)", command):
            for target in found.group(1).split():
                targets.add(target)
            problems += [f"{where}: the Makefile never reads {name}" for name in
                         re.findall(r"([A-Z_]+)=", found.group(2)) if f"$({name})" not in makefile]
    assert {"run", "test", "lock", "bench", "lint"} <= targets
    for target in sorted(targets):
        dry = subprocess.run(["make", "-n", "-s", target], cwd=ROOT, env=clean_env(), capture_output=True,
                             text=True, timeout=60)
        if dry.returncode:
            problems.append(f"make {target}: {dry.stderr.strip()}")
    assert not problems, "\n".join(problems)


def test_every_file_the_readme_names_exists():
    top = {p.name for p in ROOT.iterdir()}
    names = set()
    for _, command in readme_commands():
        for token in re.split(r"[\s=;|&()'\"]+", command):
            token = token.rstrip(".,:")
            if "<" in token or token.startswith(("/", "..", "http")) or token.split("/")[0] not in top:
                continue
            if "/" in token or re.fullmatch(r"[\w-]+\.(md|toml|lock|json|py)", token):
                names.add(token)
    assert {"scripts/backup.sh", "deploy/nginx.conf", "requirements.lock", ".ci/run"} <= names
    missing = []
    for name in sorted(names):
        if list(ROOT.glob(name)) or (ROOT / name).exists():
            continue
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT).returncode == 0
        if not ignored:  # a folder the Hub makes at run time (media/, smedia/) is ignored, not missing
            missing.append(name)
    assert not missing, f"README names files that do not exist: {missing}"


def test_every_systemd_unit_the_readme_names_is_in_deploy_systemd():
    units = set()
    for line in logical_lines(recipe("production-systemd")):
        units.update(re.findall(r"(?<![\w/])(hub-[\w@.-]+)", line))
    for _, command in readme_commands():
        if command.startswith("hub-") or command.startswith("systemctl "):
            units.update(re.findall(r"(?<![\w/])(hub-[\w@.-]*[\w@])", command))
    # The scheduled jobs table: the scheduler's unit runs them all, and each command there is a job it runs.
    from hub.schedule.registry import jobs

    table = README.read_text().split("Scheduled jobs the scheduler runs", 1)[1].split("\n\n")[1]
    assert set(re.findall(r"^\| `manage\.py ([a-z_]+)`", table, re.M)) == {job.name for job in jobs()}
    assert "hub-schedule" in units
    missing = []
    for unit in sorted(units):
        name = re.sub(r"@[^.]*", "@", unit)
        if not name.endswith(".service"):
            name += ".service"
        if not (ROOT / "deploy" / "systemd" / name).is_file():
            missing.append(f"{unit} (deploy/systemd/{name})")
    assert len(units) >= 5
    assert not missing, f"README names units that deploy/systemd lacks: {missing}"


def test_every_environment_variable_in_the_readme_tables_is_read_by_the_hub():
    code = "\n".join(p.read_text() for folder in ("hub", "deploy", "scripts")
                     for p in (ROOT / folder).rglob("*.py"))
    variables = set()
    for line in readme_lines():
        cells = line.split("|")
        if len(cells) > 3 and re.fullmatch(r"\s*`[A-Z][A-Z0-9_]+`(,\s*`[A-Z][A-Z0-9_]+`)*\s*", cells[1]):
            variables.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[1]))
    assert {"DATABASE_URL", "SECRET_KEY", "GUNICORN_WORKERS", "CASE_RETENTION_DAYS"} <= variables
    unread = sorted(name for name in variables if f'"{name}"' not in code and f"'{name}'" not in code)
    assert not unread, f"README's tables list variables nothing reads: {unread}"
