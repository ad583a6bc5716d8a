"""The production profile end to end: nginx in front of gunicorn and two daphne processes on a fresh,
seeded PostgreSQL database with Redis (scripts/production_local.py, deploy/nginx.conf)."""

import asyncio
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from hub.schedule.registry import jobs
from tests.support import (
    POSTGRES_ONLY,
    PYTHON,
    REDIS_URL,
    ROOT,
    manage,
    redis_available,
    server_env,
    unavailable,
)

pytestmark = pytest.mark.services

DEMO_PASSWORD = "leap-demo-2026"
SECRET = b"%PDF-1.7\nAna's private visit notes " + secrets.token_hex(8).encode() + b"\n%%EOF\n"
PUBLIC = b"%PDF-1.7\nA public handout\n%%EOF\n"

FILES = """
import json
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from filer.models import File, Folder

owner = get_user_model().objects.get(username="visitor")
folder = Folder.objects.create(name="Ana's visit notes", owner=owner)
private = File.objects.create(owner=owner, folder=folder, is_public=False, name="Visit notes",
                              original_filename="notes.pdf", file=ContentFile(%(secret)r, "notes.pdf"))
public = File.objects.create(owner=owner, is_public=True, name="Handout", original_filename="handout.pdf",
                             file=ContentFile(%(public)r, "handout.pdf"))
# Files that no upload path stores (each refuses them), written straight into MEDIA_ROOT as if by some
# other way: nginx must still never serve them as what their names say.
from django.core.files.storage import default_storage
planted = [default_storage.url(default_storage.save(name, ContentFile(body))) for name, body in (
    ("filer_public/planted/page.html", b"<html><script>alert(1)</script></html>"),
    ("filer_public/planted/drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("filer_public/planted/app.js", b"alert(1)"), ("original_images/planted.svg", b"<svg onload='alert(1)'/>"),
    ("images/planted.html", b"<html><script>alert(1)</script></html>"))]
print("FILES " + json.dumps({"private": private.url, "name": private.file.name, "public": public.url,
                             "planted": planted}))
"""


@pytest.fixture(scope="module")
def profile(database_templates):
    from scripts.production_local import ProductionProfile, find_nginx

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres", "pgsql")):
        pytest.skip(f"{POSTGRES_ONLY}: the production profile runs on PostgreSQL")
    if not redis_available():
        unavailable(f"Redis is not reachable at {REDIS_URL}")
    if not find_nginx():
        unavailable("nginx is missing: install Debian's nginx-light (scripts/ensure-nginx.sh)")
    url, drop = database_templates.copy(seeded=True)
    # nginx runs unprivileged: the files it serves must be readable by anyone on this machine.
    files = Path(tempfile.mkdtemp(prefix="hub-production-test-"))
    files.chmod(0o755)
    env = server_env(url, REDIS_URL=REDIS_URL, HUB_ALLOW_DEMO_DATA="1", STATIC_ROOT=str(files / "static"),
                     MEDIA_ROOT=str(files / "media"), PRIVATE_MEDIA_ROOT=str(files / "smedia"),
                     EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    running = None
    # collectstatic needs no database: let it run while the files below are stored.
    static = subprocess.Popen([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT,
                              env={**env, "SERVE_STATIC": "0"}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        out = manage("shell", "-c", FILES % {"secret": SECRET, "public": PUBLIC}, env=env).stdout
        stored = json.loads(next(line for line in out.splitlines() if line.startswith("FILES "))[6:])
        assert static.wait(120) == 0, static.stderr.read()
        running = ProductionProfile(env, workers=2, plain_http_loopback=True, collectstatic=False)
        running.start(timeout=90)
        yield running, stored
    finally:
        if static.poll() is None:
            static.kill()
        if running:
            running.cleanup()
        drop()
        shutil.rmtree(files, ignore_errors=True)


def _session():
    import requests

    session = requests.Session()
    session.trust_env = False  # no HTTP proxy from the environment between us and 127.0.0.1
    return session


def _sign_in(base: str, username: str):
    session = _session()
    form = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    done = session.post(f"{base}/accounts/login/", timeout=10, allow_redirects=False,
                        data={"csrfmiddlewaretoken": token, "username": username, "password": DEMO_PASSWORD},
                        headers={"Referer": f"{base}/accounts/login/", "Origin": base})
    assert done.status_code == 302, done.text[:500]
    assert "sessionid" in session.cookies
    return session


def _access_lines(profile, name: str, needle: str, wait: float = 0) -> list[str]:
    """Lines of a log naming `needle`; with `wait`, give the server that long to write it (gunicorn
    and nginx log a request after its response has gone out)."""
    deadline = time.monotonic() + wait
    while True:
        lines = [line for line in profile.read_log(name).splitlines() if needle in line]
        if lines or time.monotonic() >= deadline:
            return lines
        time.sleep(0.1)


def test_pages_go_to_gunicorn_and_static_files_are_served_by_nginx(profile):
    running, _ = profile
    session = _session()
    probe = secrets.token_hex(6)
    page = session.get(f"{running.url}/?probe={probe}", timeout=10)
    assert page.status_code == 200
    assert "Home Visit Hub" in page.text
    assert page.headers["X-Frame-Options"] == "DENY"  # Django's SecurityMiddleware answered
    # gunicorn logged it; no daphne did; nginx's log names gunicorn's port as the upstream.
    assert _access_lines(running, "gunicorn-access", f"probe={probe}", wait=5)
    [proxied] = _access_lines(running, "nginx-access", f"probe={probe}", wait=5)
    for number in range(1, len(running.daphne_ports) + 1):
        assert not _access_lines(running, f"daphne{number}-access", probe)
    assert f"upstream=127.0.0.1:{running.gunicorn_port} " in proxied

    static = session.get(f"{running.url}/static/admin/css/base.css", timeout=10)
    assert static.status_code == 200 and "text/css" in static.headers["Content-Type"]
    assert static.headers["Cache-Control"] == "public, max-age=604800"
    assert "X-Frame-Options" not in static.headers  # not a Django response
    assert not _access_lines(running, "gunicorn-access", "/static/")

    # Public filer files come from MEDIA_ROOT through nginx; anything else under /media/ does not.
    _, stored = profile
    public = session.get(running.url + stored["public"], timeout=10)
    assert public.status_code == 200 and public.content == PUBLIC
    assert not _access_lines(running, "gunicorn-access", stored["public"])


def test_a_body_over_the_proxys_limit_gets_a_page_saying_so_in_both_languages(profile):
    """nginx refuses a body over client_max_body_size (30 MB: a CSV import, a form) before Django sees
    it; the person gets the Hub's page with the reason and a way back, not nginx's bare 413."""
    import socket
    from urllib.parse import urlsplit

    running, _ = profile
    address = urlsplit(running.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as raw:
        raw.sendall(f"POST /coordinators/cases/import/ HTTP/1.1\r\nHost: {address.netloc}\r\n"
                    f"Content-Type: text/csv\r\nContent-Length: {31 * 1024 * 1024}\r\nConnection: close\r\n\r\n"
                    .encode())
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, _, body = answer.decode("utf-8").partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 413"), head
    assert "text/html; charset=utf-8" in head.lower()
    assert "<h1>The file is too large</h1>" in body and 'lang="es"' in body and "No se guardó nada" in body
    assert '<a href="/">' in body


def test_public_media_is_served_only_as_the_types_the_hub_accepts(profile):
    running, stored = profile
    session = _session()
    handout = session.get(running.url + stored["public"], timeout=10)
    assert handout.headers["Content-Type"] == "application/pdf"
    assert handout.headers["X-Content-Type-Options"] == "nosniff"
    for url in stored["planted"]:
        served = session.get(running.url + url, timeout=10)
        assert served.status_code == 200, url
        assert served.headers["Content-Type"] == "application/octet-stream", url
        assert served.headers["X-Content-Type-Options"] == "nosniff", url
        assert "default-src 'none'" in served.headers["Content-Security-Policy"], url


def test_a_websocket_through_nginx_reaches_sockets_on_both_daphnes(profile):
    running, _ = profile
    session = _sign_in(running.url, "visitor")
    cookie = f"sessionid={session.cookies['sessionid']}"
    body = f"through the proxy {secrets.token_hex(4)}"
    asyncio.run(_exchange(running, cookie, body))
    # The proxied socket went to one of the daphne processes (nginx logs it when it closes).
    [line] = _access_lines(running, "nginx-access", "GET /ws/discussion/", wait=5)
    assert re.search(r'" 101 ', line)
    assert any(f"upstream=127.0.0.1:{port} " in line for port in running.daphne_ports)


async def _exchange(running, cookie: str, body: str) -> None:
    from websockets.asyncio.client import connect

    async def socket(port: int):
        return await connect(f"ws://127.0.0.1:{port}/ws/discussion/", origin=f"http://127.0.0.1:{port}",
                             additional_headers={"Cookie": cookie}, proxy=None, open_timeout=10)

    async def next_frame(ws, kind: str) -> dict:
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if frame["type"] == kind:
                return frame

    room = "district-hartford"
    # One listener directly on each daphne, so the check does not depend on nginx's choice.
    listeners = [await socket(port) for port in running.daphne_ports]
    poster = await socket(running.port)  # through nginx
    try:
        for ws in (*listeners, poster):
            await ws.send(json.dumps({"type": "join", "room": room}))
            await next_frame(ws, "joined")
        await poster.send(json.dumps({"type": "message", "room": room, "client_id": "p-1", "body": body}))
        ack = await next_frame(poster, "ack")
        for ws in listeners:
            seen = await next_frame(ws, "message")
            assert (seen["message"]["id"], seen["message"]["body"]) == (ack["id"], body)
    finally:
        for ws in (*listeners, poster):
            await ws.close()


def test_a_websocket_through_nginx_from_another_origin_is_refused(profile):
    """nginx passes the Host with its port (`$http_host`): the page's own origin is accepted; the same host
    on another port (or on none: port 80), another scheme, a look-alike host or no origin is refused."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus

    running, _ = profile
    cookie = f"sessionid={_sign_in(running.url, 'visitor').cookies['sessionid']}"

    async def attempt(origin):
        async with connect(f"ws://127.0.0.1:{running.port}/ws/discussion/", origin=origin, proxy=None,
                           additional_headers={"Cookie": cookie}, open_timeout=10):
            return True

    async def attempts():
        assert await attempt(f"http://127.0.0.1:{running.port}")
        for origin in (f"http://127.0.0.1:{running.port + 1}", "http://127.0.0.1", f"https://127.0.0.1:{running.port}",
                       f"http://127.0.0.1.evil.example:{running.port}", "null", None):
            with pytest.raises(InvalidStatus) as refused:
                await attempt(origin)
            assert refused.value.response.status_code == 403, origin

    asyncio.run(attempts())


def test_a_private_file_reaches_only_its_owner_through_the_proxy(profile):
    running, stored = profile
    url = running.url + stored["private"]
    assert stored["private"].startswith("/smedia/filer_private/")

    anonymous = _session().get(url, timeout=10)
    assert anonymous.status_code in (403, 404) and SECRET not in anonymous.content
    other = _sign_in(running.url, "marcus")  # a visitor with no permission on Ana's folder
    refused = other.get(url, timeout=10)
    assert refused.status_code in (403, 404) and SECRET not in refused.content

    owner = _sign_in(running.url, "visitor")
    served = owner.get(url, timeout=10)
    assert served.status_code == 200 and served.content == SECRET

    # Guessed addresses never serve it, whoever asks: nginx has no location for the private store.
    name = stored["name"]
    for guess in (f"/media/filer_private/{name}", f"/media/{name}", f"/media/../smedia/filer_private/{name}",
                  f"/smedia/{name}", f"/smedia/filer_private/../filer_private/{name}",
                  f"/media/%2e%2e/smedia/filer_private/{name}"):
        for who in (_session(), other):
            response = who.get(running.url + guess, timeout=10)
            assert response.status_code in (400, 403, 404), guess
            assert SECRET not in response.content, guess


def test_the_task_worker_sends_what_the_hub_queued(profile):
    """The profile runs a task worker (deploy/systemd/hub-worker@.service): the confirmations the demo's
    sign-ups queued leave the outbox (the relay here is Django's in-memory one)."""
    import psycopg

    running, _stored = profile
    assert running.procs["worker1"].poll() is None
    url = running.env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    deadline = time.monotonic() + 60
    while True:
        with psycopg.connect(url) as conn:
            counts = dict(conn.execute("SELECT state, COUNT(*) FROM outbox_message GROUP BY state").fetchall())
        if not counts.get("queued") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert counts.get("sent", 0) > 0 and not counts.get("queued"), (counts, running.tail("worker1-output"))


def test_the_scheduler_queues_the_jobs_and_the_worker_records_them_finished(profile):
    """The profile runs the scheduler (deploy/systemd/hub-schedule.service): its first tick queues each
    job's due slot, the worker runs it, and each run is recorded finished (the /schedule/ page's rows)."""
    import psycopg

    running, _stored = profile
    assert running.procs["scheduler"].poll() is None
    url = running.env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    deadline = time.monotonic() + 60
    while True:
        with psycopg.connect(url) as conn:
            states = dict(conn.execute("SELECT job, state FROM scheduled_run").fetchall())
        if (len(states) == len(jobs()) and set(states.values()) == {"finished"}) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert states == dict.fromkeys(("purge_closed_cases", "purge_roundtable_contacts", "send_certificate_reminders",
                                    "send_session_reminders", "jobs_recover", "jobs_purge_expired", "outbox_prune",
                                    "outbox_recover", "runs_prune", "announce_certificate_lapses", "impact_refresh"),
                                   "finished"), \
        (states, running.tail("scheduler-output"))
