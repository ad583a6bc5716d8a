#!/usr/bin/env python3
"""The production profile on one machine: nginx in front of gunicorn (ordinary pages) and two daphne
processes (websockets), exactly as deploy/nginx.conf describes, but on 127.0.0.1 over plain HTTP.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python scripts/production_local.py --plain-http-loopback --ephemeral-secret --migrate --seed-demo

With --migrate it runs `manage.py migrate --no-input` first, and with --seed-demo `manage.py seed_demo`
(HUB_ALLOW_DEMO_DATA=1 for that command only; it prints the demo logins): both with this run's
environment and SECRET_KEY, which with DEBUG off every manage.py command needs. Then it runs
`collectstatic --no-input`, starts gunicorn (hub.wsgi; workers: --workers or 2 x cores + 1), two
daphne processes, one task worker (`manage.py db_worker`; --task-workers), the scheduler (`manage.py
run_schedule`, deploy/systemd/hub-schedule.service: the reminders and purges) and nginx (as an
unprivileged user; its config, pid, logs and temp files in a temporary folder), prints the address when every process answers /health/, and stops them all on
Ctrl-C or SIGTERM.

--ephemeral-secret: when SECRET_KEY is not set, make a throwaway one for this run (every command and
process of the run shares it; sessions and signed links end with the run). Without it, and without
SECRET_KEY, the profile refuses to start, as the Hub itself does with DEBUG off.

--plain-http-loopback: the Hub is secure by default with DEBUG off (HTTPS redirect, Secure cookies).
Without TLS on 127.0.0.1 a browser would be sent to https:// and cookies would never come back, so this
flag turns those three settings off. nginx listens on 127.0.0.1 only, so nothing travels off the
machine in clear text. Never use it for a real site: there, nginx terminates TLS (deploy/nginx.conf).

Tests and benchmarks use `ProductionProfile` from Python (tests/integration/test_production_profile.py).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
BIN = Path(sys.executable).parent
NOBODY = 65534
DEFAULT_UPLOAD_MAX_BYTES = 2 * 1024**3


class ProfileError(RuntimeError):
    """The profile cannot start; the message says what to do."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_nginx() -> str | None:
    explicit = os.environ.get("HUB_NGINX")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for candidate in ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"):
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("nginx")


def render_site(*, listen: str, static_root: Path, media_root: Path, gunicorn: str, daphnes: list[str],
                access_log: Path, server_name: str = "127.0.0.1 localhost", plain_http: bool = True,
                template: Path = TEMPLATE, upload_max_bytes: int | None = None) -> str:
    """deploy/nginx.conf with its placeholders filled; plain_http drops the TLS lines and uncomments
    the PLAIN lines (the only difference between the production file and the local one)."""
    lines, section = [], None
    for line in template.read_text().splitlines():
        marker = line.strip()
        if marker in ("# --- TLS-BEGIN ---", "# --- PLAIN-BEGIN ---"):
            section = "tls" if "TLS" in marker else "plain"
            continue
        if marker in ("# --- TLS-END ---", "# --- PLAIN-END ---"):
            section = None
            continue
        if plain_http and section == "tls":
            continue
        if section == "plain":
            if not plain_http:
                continue
            line = line.replace("# ", "", 1)
        lines.append(line)
    text = "\n".join(lines) + "\n"
    if upload_max_bytes:
        text = text.replace("client_max_body_size 2g;", f"client_max_body_size {upload_max_bytes};")
    for key, value in {
        "@LISTEN@": listen, "@SERVER_NAME@": server_name, "@STATIC_ROOT@": str(static_root).rstrip("/"),
        "@MEDIA_ROOT@": str(media_root).rstrip("/"), "@GUNICORN@": gunicorn, "@ACCESS_LOG@": str(access_log),
        "@DAPHNE_SERVERS@": " ".join(f"server {address};" for address in daphnes),
    }.items():
        text = text.replace(key, value)
    return text


def render_main(*, workdir: Path, site: Path) -> str:
    """The top-level nginx.conf of the local profile: everything nginx writes stays in workdir."""
    mime_types = "/etc/nginx/mime.types"
    types = f"include {mime_types};" if Path(mime_types).exists() else (
        "types { text/html html; text/css css; application/javascript js; image/png png; image/svg+xml svg; "
        "image/jpeg jpg jpeg; application/pdf pdf; video/mp4 mp4; font/woff2 woff2; application/json json; }")
    temp = workdir / "temp"
    return f"""# Rendered by scripts/production_local.py from deploy/nginx.conf (plain HTTP, loopback only).
daemon off;
worker_processes 1;
pid {workdir / 'nginx.pid'};
error_log {workdir / 'nginx-error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    {types}
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp / 'client_body'};
    proxy_temp_path {temp / 'proxy'};
    fastcgi_temp_path {temp / 'fastcgi'};
    uwsgi_temp_path {temp / 'uwsgi'};
    scgi_temp_path {temp / 'scgi'};
    include {site};
}}
"""


def _drop_privileges():  # runs in the child before exec
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


class ProductionProfile:
    """nginx + gunicorn + N daphne processes on 127.0.0.1. `env` is the Hub's environment (DATABASE_URL,
    REDIS_URL, SECRET_KEY, ...); STATIC_ROOT/MEDIA_ROOT come from it (or the defaults of settings)."""

    def __init__(self, env: dict, *, port: int | None = None, workers: int | None = None, daphnes: int = 2,
                 plain_http_loopback: bool = False, workdir: Path | None = None, collectstatic: bool = True,
                 task_workers: int = 1):
        for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY"):
            if not env.get(name):
                raise ProfileError(f"{name} is not set: the production profile needs it in the environment.")
        self.nginx_bin = find_nginx()
        if not self.nginx_bin:
            raise ProfileError("nginx is missing: install Debian's nginx-light or nginx (bash scripts/ensure-nginx.sh "
                               "as root), or set HUB_NGINX to its path.")
        self.port = port or free_port()
        self.workers = workers or (os.cpu_count() or 1) * 2 + 1
        self.daphne_ports = [free_port() for _ in range(daphnes)]
        self.gunicorn_port = free_port()
        self.task_workers = task_workers
        self.plain_http_loopback = plain_http_loopback
        self.collectstatic = collectstatic
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="hub-production-"))
        self.static_root = Path(env.get("STATIC_ROOT") or ROOT / "staticfiles")
        self.media_root = Path(env.get("MEDIA_ROOT") or ROOT / "media")
        self.env = self._hub_env(env)
        self.procs: dict[str, subprocess.Popen] = {}
        self._logs: list = []

    # -- configuration -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_path(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def _hub_env(self, env: dict) -> dict:
        hub = dict(env)
        hub.update(
            DJANGO_SETTINGS_MODULE="hub.settings.base", DEBUG="0", SERVE_STATIC="0", BEHIND_PROXY="1",
            TRUSTED_PROXY_COUNT=env.get("TRUSTED_PROXY_COUNT", "1"), STATIC_ROOT=str(self.static_root),
            MEDIA_ROOT=str(self.media_root),
        )
        hub.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
        hub.setdefault("CSRF_TRUSTED_ORIGINS", f"http://127.0.0.1:{self.port},http://localhost:{self.port}")
        hub.setdefault("SITE_URL", self.url)
        insecure = [name for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")
                    if env.get(name, "").strip().lower() in ("0", "false", "no", "off")]
        if self.plain_http_loopback:
            hub.update(SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0")
        elif insecure:
            raise ProfileError(f"{', '.join(insecure)} turned off without --plain-http-loopback: the profile "
                               "keeps HTTPS behaviour on unless told it is loopback testing.")
        return hub

    def render(self) -> Path:
        upload_max = int(self.env.get("UPLOAD_MAX_BYTES_MEDIA") or DEFAULT_UPLOAD_MAX_BYTES)
        site = self.workdir / "hub-site.conf"
        site.write_text(render_site(
            listen=f"127.0.0.1:{self.port}", static_root=self.static_root, media_root=self.media_root,
            gunicorn=f"127.0.0.1:{self.gunicorn_port}", daphnes=[f"127.0.0.1:{p}" for p in self.daphne_ports],
            access_log=self.log_path("nginx-access"), upload_max_bytes=upload_max,
        ))
        main = self.workdir / "nginx.conf"
        main.write_text(render_main(workdir=self.workdir, site=site))
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.workdir / "temp" / sub).mkdir(parents=True, exist_ok=True)
        return main

    # -- running -------------------------------------------------------------------------------------

    def manage(self, *args: str, allow_demo_data: bool = False, timeout: float = 600) -> str:
        """Run `manage.py <args>` with the profile's environment (its SECRET_KEY included, DEBUG off);
        return its output, or raise ProfileError with the end of it."""
        env = {**self.env, "HUB_ALLOW_DEMO_DATA": "1"} if allow_demo_data else self.env
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=timeout)
        if done.returncode:
            raise ProfileError(f"manage.py {' '.join(args)} failed:\n{(done.stdout + done.stderr)[-3000:]}")
        return done.stdout

    def _spawn(self, name: str, args: list[str], **kwargs) -> subprocess.Popen:
        log = open(self.log_path(name + "-output"), "ab")  # noqa: SIM115 - closed in stop()
        self._logs.append(log)
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, **kwargs)
        self.procs[name] = proc
        return proc

    def start(self, timeout: float = 60) -> ProductionProfile:
        self.workdir.mkdir(parents=True, exist_ok=True)
        try:
            if self.collectstatic:
                done = subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                                      cwd=ROOT, env=self.env, capture_output=True, text=True)
                if done.returncode:
                    raise ProfileError(f"collectstatic failed:\n{done.stderr[-3000:]}")
            self._spawn("gunicorn", [
                str(BIN / "gunicorn"), "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{self.gunicorn_port}",
                "--workers", str(self.workers), "--access-logfile", str(self.log_path("gunicorn-access")),
                "hub.wsgi:application",
            ])
            for number, port in enumerate(self.daphne_ports, start=1):
                self._spawn(f"daphne{number}", [
                    str(BIN / "daphne"), "--bind", "127.0.0.1", "--port", str(port), "--proxy-headers",
                    "--access-log", str(self.log_path(f"daphne{number}-access")), "hub.asgi:application",
                ])
            for number in range(1, self.task_workers + 1):  # the task queue (deploy/systemd/hub-worker@.service)
                self._spawn(f"worker{number}", [
                    sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "1",
                    "--worker-id", f"profile-{os.getpid()}-{number}",
                ])
            # The scheduler (deploy/systemd/hub-schedule.service): queues the reminders and purges on time.
            self._spawn("scheduler", [sys.executable, "manage.py", "run_schedule"])
            main = self.render()
            preexec = None
            if os.geteuid() == 0:  # never run nginx as root: it only needs its workdir and the files
                preexec = _drop_privileges
                os.chmod(self.workdir, 0o755)
                for path in [self.workdir, *self.workdir.rglob("*")]:
                    os.chown(path, NOBODY, NOBODY)
            self._spawn("nginx", [self.nginx_bin, "-e", str(self.workdir / "nginx-error.log"),
                                  "-p", str(self.workdir), "-c", str(main)], preexec_fn=preexec)
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        targets = {"gunicorn": self.gunicorn_port, "nginx": self.port,
                   **{f"daphne{n}": p for n, p in enumerate(self.daphne_ports, start=1)}}
        waiting = dict(targets)
        deadline = time.monotonic() + timeout
        while waiting:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise ProfileError(f"{name} exited with {proc.returncode}:\n{self.tail(name + '-output')}")
            for name, port in list(waiting.items()):
                if self._healthy(port):
                    del waiting[name]
            if waiting and time.monotonic() > deadline:
                raise ProfileError(f"{', '.join(waiting)} did not answer /health/ within {timeout:.0f} s")
            if waiting:
                time.sleep(0.2)

    @staticmethod
    def _healthy(port: int) -> bool:
        # As the proxy would ask (HTTPS per X-Forwarded-Proto), so the answer is 200 even when
        # SECURE_SSL_REDIRECT is on; nginx overwrites the header with its own scheme.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/health/",
                                         headers={"X-Forwarded-Proto": "https"})
        try:
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=2) as response:
                return response.status == 200
        except urllib.error.HTTPError as error:
            return error.code in (301, 302)
        except OSError:
            return False

    def tail(self, name: str, size: int = 3000) -> str:
        path = self.log_path(name)
        return path.read_text(errors="replace")[-size:] if path.exists() else ""

    def read_log(self, name: str) -> str:
        path = self.log_path(name)
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self, timeout: float = 15) -> None:
        for name in ("nginx", *[n for n in self.procs if n.startswith(("daphne", "worker", "scheduler"))],
                     "gunicorn"):
            proc = self.procs.get(name)
            if proc and proc.poll() is None:
                # nginx and gunicorn: SIGQUIT is nginx's graceful stop and gunicorn's quick one.
                proc.send_signal(signal.SIGQUIT if name in ("nginx", "gunicorn") else signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        self.procs.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()

    def cleanup(self) -> None:
        self.stop()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> ProductionProfile:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 2 x cores + 1)")
    parser.add_argument("--daphnes", type=int, default=2, help="daphne processes for /ws/ (default 2)")
    parser.add_argument("--task-workers", type=int, default=1,
                        help="task workers (manage.py db_worker: email, Wagtail's indexing; default 1)")
    parser.add_argument("--plain-http-loopback", action="store_true",
                        help="turn off the HTTPS redirect and Secure cookies (plain HTTP on 127.0.0.1 only)")
    parser.add_argument("--ephemeral-secret", action="store_true",
                        help="generate a SECRET_KEY for this run when none is set (sessions end with it)")
    parser.add_argument("--migrate", action="store_true", help="run manage.py migrate first")
    parser.add_argument("--seed-demo", action="store_true",
                        help="then load the demo site (seed_demo, with HUB_ALLOW_DEMO_DATA=1 for it only)")
    parser.add_argument("--keep-workdir", action="store_true", help="keep the logs and rendered config")
    args = parser.parse_args(argv)

    env = dict(os.environ)
    if not env.get("SECRET_KEY"):
        if not args.ephemeral_secret:
            print("SECRET_KEY is not set: set it, or pass --ephemeral-secret for a throwaway one.", file=sys.stderr)
            return 2
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
    try:
        profile = ProductionProfile(env, port=args.port, workers=args.workers, daphnes=args.daphnes,
                                    plain_http_loopback=args.plain_http_loopback, task_workers=args.task_workers)
    except ProfileError as error:
        print(error, file=sys.stderr)
        return 2

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        if args.migrate:
            print("Migrating the database…", flush=True)
            profile.manage("migrate", "--no-input", "-v0")
        if args.seed_demo:
            print("Loading the demo site…", flush=True)
            print(profile.manage("seed_demo", allow_demo_data=True), end="", flush=True)
            print("  Two-step codes, in this shell: DEBUG=1 .venv/bin/python manage.py demo_code <user name>\n",
                  flush=True)
        profile.start()
        print(f"Home Visit Hub (production profile): {profile.url}/", flush=True)
        print(f"  gunicorn 127.0.0.1:{profile.gunicorn_port} ({profile.workers} workers), daphne "
              + ", ".join(f"127.0.0.1:{p}" for p in profile.daphne_ports)
              + f", {profile.task_workers} task worker(s), the scheduler; logs in {profile.workdir}",
              flush=True)
        if not args.plain_http_loopback:
            print("  HTTPS behaviour is on: plain-HTTP requests are redirected to https:// "
                  "(pass --plain-http-loopback to browse it over HTTP).", flush=True)
        while all(proc.poll() is None for proc in profile.procs.values()):
            time.sleep(0.5)
        dead = [name for name, proc in profile.procs.items() if proc.poll() is not None]
        print(f"{', '.join(dead)} stopped; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopping…", flush=True)
        return 0
    except ProfileError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        if args.keep_workdir:
            profile.stop()
        else:
            profile.cleanup()


if __name__ == "__main__":
    sys.exit(main())
