"""Two daphne processes sharing one database and one Redis: a message posted through one reaches a
socket on the other, and a client that reconnects to the other process catches up with `since`."""

import asyncio
import json
import secrets

import pytest

from tests.support import Daphne, two_daphnes_over_redis

pytestmark = pytest.mark.services

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from hub.discussion import services as discussion
from hub.demo import seed_organisations
from hub.models import District
from hub.roles import VISITOR
from hub.services import person_create

seed_organisations()
hartford = District.objects.get(name="Hartford")
keys = {}
for name in ("ana", "marcus"):
    person_create(username=name, email=f"{name}@example.org", first_name=name.title(), last_name="Test",
                  password=None, roles=(VISITOR,), home_district=hartford)
    client = Client()
    client.force_login(get_user_model().objects.get(username=name))
    keys[name] = client.cookies["sessionid"].value
discussion.rooms_ensure()
print("KEYS " + json.dumps(keys))
"""


@pytest.fixture(scope="module")
def two_daphnes(database_templates):
    yield from two_daphnes_over_redis(database_templates, SETUP, "KEYS")


async def _socket(daphne: Daphne, session_key: str):
    from websockets.asyncio.client import connect

    return await connect(f"ws://127.0.0.1:{daphne.port}/ws/discussion/", origin=f"http://127.0.0.1:{daphne.port}",
                         additional_headers={"Cookie": f"sessionid={session_key}"}, proxy=None)


async def _next(ws, kind: str, timeout: float = 5) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if frame["type"] == kind:
            return frame


async def _exchange(first: Daphne, second: Daphne, keys: dict) -> None:
    room = "district-hartford"
    listener = await _socket(second, keys["marcus"])
    poster = await _socket(first, keys["ana"])
    try:
        await listener.send(json.dumps({"type": "join", "room": room}))
        await _next(listener, "joined")
        body = f"across processes {secrets.token_hex(3)}"
        await poster.send(json.dumps({"type": "message", "room": room, "client_id": "x-1", "body": body}))
        ack = await _next(poster, "ack")
        seen = await _next(listener, "message")
        assert (seen["message"]["id"], seen["message"]["body"], seen["message"]["author"]["username"]) == (
            ack["id"], body, "ana")

        # The listener drops off; a message is posted meanwhile; it reconnects to the *other* process.
        await listener.close()
        await poster.send(json.dumps({"type": "message", "room": room, "client_id": "x-2", "body": "missed"}))
        missed = await _next(poster, "ack")
        listener = await _socket(first, keys["marcus"])
        await listener.send(json.dumps({"type": "join", "room": room, "since": ack["id"]}))
        joined = await _next(listener, "joined")
        assert [m["id"] for m in joined["messages"]] == [missed["id"]]
    finally:
        await listener.close()
        await poster.close()


def test_a_message_posted_through_one_daphne_reaches_a_socket_on_the_other(two_daphnes):
    first, second, keys = two_daphnes
    asyncio.run(_exchange(first, second, keys))
