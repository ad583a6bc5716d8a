"""gunicorn settings for the Hub's ordinary pages (hub.wsgi); websockets go to daphne (README "Production").

    gunicorn -c deploy/gunicorn.conf.py hub.wsgi:application

Read from the environment (the systemd unit's EnvironmentFile), command-line flags win:
  GUNICORN_BIND        address to listen on (default 127.0.0.1:8000; only nginx talks to it)
  GUNICORN_WORKERS     worker processes (default 2 x CPU cores + 1)
  GUNICORN_THREADS     threads per worker (default 1: plain sync workers)
  GUNICORN_TIMEOUT     seconds a request may take before its worker is restarted (default 60)
  GUNICORN_ACCESS_LOG  access log file, "-" for standard output (default "-": journald keeps it)
  GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket for `gunicornc` (default: none)
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number (got {raw!r}).") from None
    if value < 1:
        raise SystemExit(f"{name} must be 1 or more (got {value}).")
    return value


wsgi_app = "hub.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
# nginx buffers request and response bodies, so a worker only ever talks to nginx over loopback:
# 60 s is long enough for the slowest page (a CSV export) and short enough to recover a stuck worker.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections open (keepalive 16 in deploy/nginx.conf)
# Recycle workers now and then (a slow leak in any library cannot grow without bound).
max_requests = 2000
max_requests_jitter = 200
# Only the local proxy may say the request was HTTPS (Django also needs BEHIND_PROXY=1).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# The client address is nginx's; nginx's own access log has the real one (and the upstream).
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "hub-gunicorn"
# gunicorn 25.1+ opens a control socket at $HOME/.gunicorn/gunicorn.ctl by default: two gunicorns of one
# user would share it, and systemd's ProtectHome hides $HOME. Off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off the disk (gunicorn docs, "Blocking OS calls")
