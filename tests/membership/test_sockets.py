"""After deactivation the person's open sockets close (the machinery of "sockets follow the session",
hub.sockets) and their sessions are gone; the real ASGI stack, as the board's own socket tests use."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from coordinators import services as coordinator_services
from hub.membership import services
from hub.models import UserSession
from tests.sockets import expect, socket_open


def session_key(person) -> str:
    client = Client()
    client.force_login(person.user)
    return client.cookies["sessionid"].value


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_deactivating_a_visitor_closes_their_open_board_socket(fresh_layer, coordinator, marcus, luis, case):
    await database_sync_to_async(coordinator_services.case_open_for_volunteers)(case=case, by=coordinator.user,
                                                                                      note="Afternoons are best.")
    marcus_key, luis_key = await database_sync_to_async(session_key)(marcus), \
        await database_sync_to_async(session_key)(luis)
    theirs, _, _ = await socket_open(f"/ws/board/{case.district_id}/", marcus_key)
    others, _, _ = await socket_open(f"/ws/board/{case.district_id}/", luis_key)
    await expect(theirs, "snapshot")
    await expect(others, "snapshot")

    await database_sync_to_async(services.visitor_deactivate)(person_id=marcus.pk, by=coordinator.user)

    frame = await theirs.receive_json_from(timeout=5)
    assert frame["type"] == "error" and frame["code"] == "signed_out"
    assert await theirs.receive_output(timeout=5) == {"type": "websocket.close", "code": 4401}
    assert not await database_sync_to_async(UserSession.objects.filter(user_id=marcus.user.pk).exists)()
    # Luis's socket stays open: nothing closes it.
    assert await others.receive_nothing(timeout=0.5)
    await others.disconnect()
    # A new socket with the old session is refused.
    again, connected, code = await socket_open(f"/ws/board/{case.district_id}/", marcus_key)
    assert not connected and code == 4401
