"""The websocket write limit is one allowance per person across every process (issue 13): a visitor
flooding messages through sockets on two daphne processes (sharing Redis, as in production) gets no more
acks in total than one socket would (the burst plus the rate), and the rest are refused as rate_limited."""

import asyncio
import json
import time

import pytest

from hub.sockets import WRITE_BURST, WRITE_RATE
from tests.integration.test_sockets_follow_the_session import SETUP, _socket
from tests.support import two_daphnes_over_redis

pytestmark = pytest.mark.services
FLOOD = 60  # per socket


@pytest.fixture(scope="module")
def two_daphnes(database_templates):
    yield from two_daphnes_over_redis(database_templates, SETUP, "SESSIONS")


async def _flood(first, second, keys) -> tuple[int, int, float]:
    sockets = [await _socket(first, "/ws/discussion/", keys["phone"]),
               await _socket(second, "/ws/discussion/", keys["laptop"])]
    began = time.monotonic()
    for n in range(FLOOD):
        for i, ws in enumerate(sockets):
            await ws.send(json.dumps({"type": "message", "room": "district-hartford", "client_id": f"s{i}-{n}",
                                      "body": f"flood {i}-{n}"}))
    acks = refused = 0
    for ws in sockets:
        for _ in range(FLOOD):
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            while frame["type"] not in ("ack", "error"):  # the room's own broadcast of a stored message
                frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if frame["type"] == "ack":
                acks += 1
            else:
                assert frame["code"] == "rate_limited", frame
                refused += 1
    elapsed = time.monotonic() - began
    for ws in sockets:
        await ws.close()
    return acks, refused, elapsed


def test_a_flood_through_two_processes_shares_one_allowance(two_daphnes):
    first, second, data = two_daphnes
    acks, refused, elapsed = asyncio.run(_flood(first, second, data["keys"]))
    assert acks + refused == 2 * FLOOD
    # One socket's allowance (with a little slack for the sliding window's edge), not two.
    assert WRITE_BURST <= acks <= WRITE_BURST + WRITE_RATE * elapsed + 2, (acks, elapsed)
