"""Sockets follow the session, not the next frame, on every daphne process (issue 13).

An outside run found that a visitor who signed out kept their case-board socket open, and it went on
receiving `case.opened` pushes until it next sent a frame. Here, two daphne processes share one database
and one Redis: a visitor's listen-only sockets (the discussion and the case board, on both processes,
from two browsers) close within 5 seconds of signing out (that browser's) or of "Sign out everywhere"
(all of them), and nothing more arrives on them.
"""

import asyncio
import http.client
import json
import re
import time

import pytest

from tests.support import Daphne, two_daphnes_over_redis

pytestmark = pytest.mark.services

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from hub.demo import seed_organisations
from hub.discussion.services import rooms_ensure
from hub.models import District, School
from hub.roles import COORDINATOR, VISITOR
from hub.services import person_create, site_ensure
from tests.conftest import verify_test_session

seed_organisations()
site_ensure()
rooms_ensure()
hartford = District.objects.get(name="Hartford")
school = School.objects.get(district=hartford, name="Parkville Community School")
person_create(username="ana", email="ana@example.org", first_name="Ana", last_name="Ruiz", password=None,
              roles=(VISITOR,), school=school)
person_create(username="carla", email="carla@example.org", first_name="Carla", last_name="Mendes", password=None,
              roles=(COORDINATOR,), home_district=hartford)
keys = {}
for name, browser in (("ana", "phone"), ("ana", "laptop"), ("carla", "office")):
    user = get_user_model().objects.get(username=name)
    client = Client()
    client.force_login(user)
    verify_test_session(client.session, user)
    keys[browser] = client.cookies["sessionid"].value
print("SESSIONS " + json.dumps({"keys": keys, "district": hartford.pk}))
"""

CLOSE_WITHIN = 5.0


@pytest.fixture(scope="module")
def two_daphnes(database_templates):
    yield from two_daphnes_over_redis(database_templates, SETUP, "SESSIONS")


async def _socket(daphne: Daphne, path: str, session_key: str):
    from websockets.asyncio.client import connect

    return await connect(f"ws://127.0.0.1:{daphne.port}{path}", origin=f"http://127.0.0.1:{daphne.port}",
                         additional_headers={"Cookie": f"sessionid={session_key}"}, proxy=None)


def _post_signed_in(daphne: Daphne, path: str, session_key: str) -> int:
    """POST a form of the Hub as the browser with this session would (its CSRF token from /me/)."""
    connection = http.client.HTTPConnection("127.0.0.1", daphne.port, timeout=10)
    connection.request("GET", "/me/", headers={"Cookie": f"sessionid={session_key}"})
    page = connection.getresponse()
    body = page.read().decode()
    assert page.status == 200, body[:500]
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    connection.request("POST", path, body=f"csrfmiddlewaretoken={token}",
                       headers={"Cookie": f"sessionid={session_key}; csrftoken={csrf_cookie}",
                                "Content-Type": "application/x-www-form-urlencoded"})
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer.status


async def _closed(ws, *, within: float) -> tuple[int, float, list]:
    """Wait for the socket to close: (close code, seconds it took, frames that came before the close)."""
    from websockets.exceptions import ConnectionClosed

    began, frames = time.monotonic(), []
    try:
        while True:
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), within - (time.monotonic() - began))))
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None, time.monotonic() - began, frames


async def _first_frame(ws) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), 5))


async def _scenario(first: Daphne, second: Daphne, data: dict) -> None:
    keys, board = data["keys"], f"/ws/board/{data['district']}/"
    phone_discussion = await _socket(second, "/ws/discussion/", keys["phone"])
    phone_board = await _socket(first, board, keys["phone"])
    laptop_board = await _socket(second, board, keys["laptop"])
    coordinator_board = await _socket(first, board, keys["office"])
    for ws in (phone_board, laptop_board, coordinator_board):
        assert (await _first_frame(ws))["type"] == "snapshot"

    # Signing out on the phone closes the phone's sockets on both processes; the laptop's stays open.
    assert _post_signed_in(first, "/accounts/logout/", keys["phone"]) in (200, 302)
    for ws in (phone_discussion, phone_board):
        code, took, frames = await _closed(ws, within=CLOSE_WITHIN)
        assert code == 4401 and took < CLOSE_WITHIN
        assert [f["type"] for f in frames] == ["error"] and frames[0]["code"] == "signed_out"
    await laptop_board.ping()

    # "Sign out everywhere" from the laptop ends it too, on the other process, while it only listens.
    assert _post_signed_in(first, "/me/sign-out-everywhere/", keys["laptop"]) == 302
    code, took, frames = await _closed(laptop_board, within=CLOSE_WITHIN)
    assert code == 4401 and took < CLOSE_WITHIN and [f["type"] for f in frames] == ["error"]

    # The coordinator's socket is untouched and nothing of the visitor's arrives any more.
    await coordinator_board.ping()
    await coordinator_board.close()


def test_signing_out_closes_listening_sockets_on_every_process_within_five_seconds(two_daphnes):
    first, second, data = two_daphnes
    asyncio.run(_scenario(first, second, data))
