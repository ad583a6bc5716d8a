"""Deactivation follows the session on every daphne process (issue 14): a coordinator deactivates a
visitor on one process; the visitor's listening sockets (the discussion and the case board, on both
processes, from two browsers) close within 5 seconds, and the coordinator's own socket stays open.
The machinery is issue 13's (hub.sockets); the sessions' deletion: tests/membership/test_sockets.py."""

import asyncio

import pytest

from tests.integration.test_sockets_follow_the_session import (
    CLOSE_WITHIN,
    SETUP,
    _closed,
    _first_frame,
    _post_signed_in,
    _socket,
)
from tests.support import two_daphnes_over_redis

pytestmark = pytest.mark.services

# The same people as issue 13's test, and Ana's profile id for the coordinator's form.
DEACTIVATION_SETUP = SETUP.replace(
    'print("SESSIONS " + json.dumps({"keys": keys, "district": hartford.pk}))',
    'from hub.models import Person\n'
    'print("SESSIONS " + json.dumps({"keys": keys, "district": hartford.pk,\n'
    '                                "ana": Person.objects.get(user__username="ana").pk}))')
assert DEACTIVATION_SETUP != SETUP


@pytest.fixture(scope="module")
def two_daphnes(database_templates):
    yield from two_daphnes_over_redis(database_templates, DEACTIVATION_SETUP, "SESSIONS")


async def _scenario(first, second, data) -> None:
    keys, board = data["keys"], f"/ws/board/{data['district']}/"
    phone_discussion = await _socket(second, "/ws/discussion/", keys["phone"])
    phone_board = await _socket(first, board, keys["phone"])
    laptop_board = await _socket(second, board, keys["laptop"])
    coordinator_board = await _socket(first, board, keys["office"])
    for ws in (phone_board, laptop_board, coordinator_board):
        assert (await _first_frame(ws))["type"] == "snapshot"

    # Carla deactivates Ana from her office browser, on the first process.
    assert _post_signed_in(first, f"/people/{data['ana']}/deactivate/", keys["office"]) == 302
    for ws in (phone_discussion, phone_board, laptop_board):
        code, took, frames = await _closed(ws, within=CLOSE_WITHIN)
        assert code == 4401 and took < CLOSE_WITHIN, (code, took, frames)
        assert [f["type"] for f in frames] == ["error"] and frames[0]["code"] == "signed_out"
    await coordinator_board.ping()
    await coordinator_board.close()


def test_deactivating_a_visitor_closes_their_sockets_on_every_process_within_five_seconds(two_daphnes):
    first, second, data = two_daphnes
    asyncio.run(_scenario(first, second, data))
