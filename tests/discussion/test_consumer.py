"""The discussion websocket through the real ASGI stack (origin check, session auth, routing, consumer).

Every frame type and every refusal of hub/discussion/protocol.md. Consumers touch the database from
their own thread, hence `transaction=True` (DEPENDENCIES §6).
"""

import time
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from hub import sockets
from hub.discussion import services as discussion
from hub.discussion.models import Message, Room
from hub.models import Person, School
from hub.models import UserSession as Session
from hub.roles import COORDINATOR, VISITOR
from tests.sockets import ORIGIN, expect, socket_open

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

HARTFORD = "district-hartford"


@pytest.fixture(autouse=True)
def _fresh_layer(fresh_layer):
    yield


@pytest.fixture
def people(orgs, make_person):
    burns = School.objects.get(name="Burns Latino Studies Academy")
    made = {
        "ana": make_person("ana", roles=(VISITOR,), school=burns, first_name="Ana", last_name="Ruiz"),
        "marcus": make_person("marcus", roles=(VISITOR,), school=burns),
        "jordan": make_person("jordan", roles=(VISITOR,), home_district=orgs["New Haven"]),
        "carla": make_person("carla", roles=(COORDINATOR,), home_district=orgs["Hartford"]),
    }
    discussion.rooms_ensure()
    return {name: person.user for name, person in made.items()}


def session_key(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def keys(people):
    return {name: session_key(user) for name, user in people.items()}


async def connect(key: str | None = None, origin=ORIGIN, expect_ok: bool = True) -> WebsocketCommunicator:
    comm, connected, _ = await socket_open("/ws/discussion/", key, origin=origin)
    assert connected is expect_ok
    return comm


async def join(comm, room=HARTFORD, **extra) -> dict:
    await comm.send_json_to({"type": "join", "room": room, **extra})
    return await expect(comm, "joined")


async def closed_with(comm, code: int) -> None:
    output = await comm.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": code}


def stored() -> list[tuple[str, str]]:
    return list(Message.objects.order_by("id").values_list("author__username", "body"))


async def count_stored() -> list:
    return await database_sync_to_async(stored)()


# --- connect --------------------------------------------------------------------------------------------


async def test_an_anonymous_socket_is_closed(people):
    comm = await connect(None, expect_ok=False)
    assert comm.refused_with == 4401


async def test_a_socket_from_another_origin_is_refused(keys):
    await connect(keys["ana"], origin=(b"origin", b"http://evil.example.com"), expect_ok=False)
    await connect(keys["ana"], origin=None, expect_ok=False)


# --- join, message, ack, broadcast ---------------------------------------------------------------------


async def test_a_message_is_acked_to_its_sender_and_broadcast_to_the_room(keys):
    ana, marcus = await connect(keys["ana"]), await connect(keys["marcus"])
    joined = await join(ana)
    assert (joined["room"], joined["messages"], joined["more"], joined["unread"]) == (HARTFORD, [], False, 0)
    await join(marcus)
    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "c-1", "ref": "r1",
                            "body": "What worked: a text first.", "author": "marcus", "author_id": 999})
    seen = await expect(marcus, "message")
    assert seen["room"] == HARTFORD
    message = seen["message"]
    assert (message["author"]["username"], message["body"], message["client_id"]) == (
        "ana", "What worked: a text first.", "c-1")
    ack = await expect(ana, "ack")  # the ack comes first: the broadcast waits for the frame to finish
    broadcast = await expect(ana, "message")  # the sender's own copy (other tabs show it too)
    assert (ack["client_id"], ack["ref"], ack["id"], ack["duplicate"]) == ("c-1", "r1", message["id"], False)
    assert broadcast["message"]["id"] == message["id"]
    assert await count_stored() == [("ana", "What worked: a text first.")]  # the forged author is ignored
    await ana.disconnect()
    await marcus.disconnect()


async def test_a_resent_client_id_is_stored_once_and_acked_with_the_same_id(keys):
    ana, marcus = await connect(keys["ana"]), await connect(keys["marcus"])
    await join(marcus)
    frame = {"type": "message", "room": HARTFORD, "client_id": "retry-7", "body": "Hello again"}
    await ana.send_json_to(frame)
    first = await expect(ana, "ack")
    await ana.send_json_to(frame)
    second = await expect(ana, "ack")
    assert (first["client_id"], second["client_id"], second["id"]) == ("retry-7", "retry-7", first["id"])
    assert (first["duplicate"], second["duplicate"]) == (False, True)
    await expect(marcus, "message")
    assert await marcus.receive_nothing(timeout=0.3)  # broadcast once
    assert len(await count_stored()) == 1
    await ana.disconnect()
    await marcus.disconnect()


async def test_a_reconnecting_client_gets_what_it_missed_with_since(keys):
    ana, marcus = await connect(keys["ana"]), await connect(keys["marcus"])
    await join(marcus)
    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "a0", "body": "before"})
    await expect(ana, "ack")
    last_seen = (await expect(marcus, "message"))["message"]["id"]
    await marcus.disconnect()
    for n in range(3):
        await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": f"a{n + 1}", "body": f"missed {n}"})
        await expect(ana, "ack")
    marcus = await connect(keys["marcus"])
    joined = await join(marcus, since=last_seen)
    assert [m["body"] for m in joined["messages"]] == ["missed 0", "missed 1", "missed 2"]
    assert joined["unread"] == 4
    await marcus.send_json_to({"type": "read", "room": HARTFORD, "id": joined["messages"][-1]["id"], "ref": "rd"})
    ack = await expect(marcus, "ack")
    assert (ack["ref"], ack["unread"]) == ("rd", 0)
    await ana.disconnect()
    await marcus.disconnect()


async def test_history_loads_older_messages_by_id(keys, people):
    room = await database_sync_to_async(Room.objects.get)(slug=HARTFORD)
    for n in range(5):
        await database_sync_to_async(discussion.message_post)(room=room, author=people["ana"], body=f"m{n}",
                                                              client_id=f"h{n}")
    comm = await connect(keys["marcus"])
    joined = await join(comm)
    await comm.send_json_to({"type": "history", "room": HARTFORD, "before": joined["messages"][2]["id"],
                             "limit": 1})
    history = await expect(comm, "history")
    assert ([m["body"] for m in history["messages"]], history["more"]) == (["m1"], True)
    await comm.send_json_to({"type": "leave", "room": HARTFORD})
    assert (await expect(comm, "left"))["reason"] == "asked"
    await comm.disconnect()


async def test_edit_delete_and_hide_are_acked_and_broadcast(keys):
    ana, carla = await connect(keys["ana"]), await connect(keys["carla"])
    await join(carla)
    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "e1", "body": "Frist"})
    message_id = (await expect(ana, "ack"))["id"]
    await expect(carla, "message")

    await ana.send_json_to({"type": "edit", "id": message_id, "body": "First", "ref": "e"})
    assert (await expect(ana, "ack"))["message"]["body"] == "First"
    edit = await expect(carla, "edit")
    assert (edit["message"]["body"], edit["message"]["edited_at"] is not None) == ("First", True)

    await carla.send_json_to({"type": "hide", "id": message_id, "reason": "Names a student"})
    await expect(carla, "ack")
    hide = await expect(carla, "hide")
    assert (hide["message"]["hidden"], hide["message"]["hidden_reason"], hide["message"]["body"]) == (
        True, "Names a student", "")

    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "e2", "body": "Oops"})
    other_id = (await expect(ana, "ack"))["id"]
    await expect(carla, "message")
    await ana.send_json_to({"type": "delete", "id": other_id})
    await expect(ana, "ack")
    deleted = await expect(carla, "delete")
    assert (deleted["message"]["deleted"], deleted["message"]["body"]) == (True, "")
    assert await count_stored() == [("ana", "First"), ("ana", "")]
    await ana.disconnect()
    await carla.disconnect()


async def test_a_mention_reaches_the_persons_socket_even_outside_the_room(keys):
    ana, marcus = await connect(keys["ana"]), await connect(keys["marcus"])
    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "m1", "body": "@marcus see this"})
    await expect(ana, "ack")
    mention = await expect(marcus, "mention")
    assert (mention["room"], mention["room_title"], mention["message"]["author"]["username"]) == (
        HARTFORD, "Hartford", "ana")
    await ana.disconnect()
    await marcus.disconnect()


# --- refusals: an error frame, nothing stored, the socket (and everyone else's) still usable -------------


async def assert_still_usable(comm, client_id: str) -> None:
    await comm.send_json_to({"type": "message", "room": HARTFORD, "client_id": client_id, "body": "still here"})
    assert (await expect(comm, "ack"))["client_id"] == client_id


async def test_bad_frames_get_an_error_frame_and_the_socket_stays_usable(keys):
    ana, marcus = await connect(keys["ana"]), await connect(keys["marcus"])
    await join(marcus)
    await ana.send_to(text_data="x" * 1_000_000)
    assert (await expect(ana, "error"))["code"] == "too_large"
    await ana.send_to(text_data="{not json")
    assert (await expect(ana, "error"))["code"] == "bad_json"
    await ana.send_to(text_data="[1, 2]")
    assert (await expect(ana, "error"))["code"] == "bad_frame"
    await ana.send_to(bytes_data=b"\x00\x01")
    assert (await expect(ana, "error"))["code"] == "bad_frame"
    await ana.send_json_to({"type": "shout", "ref": "s1"})
    error = await expect(ana, "error")
    assert (error["code"], error["ref"]) == ("unknown_type", "s1")
    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "big", "body": "x" * 2001})
    error = await expect(ana, "error")
    assert (error["code"], error["client_id"]) == ("invalid", "big")
    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "no spaces!", "body": "x"})
    assert (await expect(ana, "error"))["code"] == "invalid"
    await ana.send_json_to({"type": "join", "room": HARTFORD, "since": "yesterday"})
    assert (await expect(ana, "error"))["code"] == "invalid"
    assert await count_stored() == []
    assert await marcus.receive_nothing(timeout=0.2)
    await assert_still_usable(ana, "ok-1")
    await ana.disconnect()
    await marcus.disconnect()


async def test_a_room_one_may_not_read_is_refused_on_join_and_on_every_message(keys):
    jordan, ana = await connect(keys["jordan"]), await connect(keys["ana"])
    await join(ana)
    await jordan.send_json_to({"type": "join", "room": HARTFORD})
    assert (await expect(jordan, "error"))["code"] == "forbidden"
    await jordan.send_json_to({"type": "message", "room": HARTFORD, "client_id": "j1", "body": "Hi Hartford"})
    assert (await expect(jordan, "error"))["code"] == "forbidden"
    await jordan.send_json_to({"type": "join", "room": "no-such-room"})
    assert (await expect(jordan, "error"))["code"] == "not_found"
    await jordan.send_json_to({"type": "history", "room": "trainers"})
    assert (await expect(jordan, "error"))["code"] == "forbidden"
    assert await count_stored() == []
    assert await ana.receive_nothing(timeout=0.2)
    joined = await join(jordan, room="district-new-haven")
    assert joined["room"] == "district-new-haven"
    await jordan.disconnect()
    await ana.disconnect()


async def test_editing_someone_elses_message_or_after_fifteen_minutes_is_refused(keys):
    ana, marcus = await connect(keys["ana"]), await connect(keys["marcus"])
    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "x1", "body": "Original"})
    message_id = (await expect(ana, "ack"))["id"]
    await marcus.send_json_to({"type": "edit", "id": message_id, "body": "Hijacked"})
    assert (await expect(marcus, "error"))["code"] == "not_yours"
    await marcus.send_json_to({"type": "delete", "id": message_id})
    assert (await expect(marcus, "error"))["code"] == "not_yours"
    await database_sync_to_async(Message.objects.filter(pk=message_id).update)(
        created_at=timezone.now() - timedelta(minutes=16))
    await ana.send_json_to({"type": "edit", "id": message_id, "body": "Too late"})
    assert (await expect(ana, "error"))["code"] == "edit_window_closed"
    await ana.send_json_to({"type": "edit", "id": 987654, "body": "Nothing"})
    assert (await expect(ana, "error"))["code"] == "not_found"
    assert await count_stored() == [("ana", "Original")]
    await ana.disconnect()
    await marcus.disconnect()


async def test_hiding_needs_a_trainer_or_coordinator(keys):
    ana, marcus = await connect(keys["ana"]), await connect(keys["marcus"])
    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "x1", "body": "Something"})
    message_id = (await expect(ana, "ack"))["id"]
    await marcus.send_json_to({"type": "hide", "id": message_id, "reason": "I don't like it"})
    assert (await expect(marcus, "error"))["code"] == "not_moderator"
    message = await database_sync_to_async(Message.objects.get)(pk=message_id)
    assert message.hidden_at is None
    await ana.disconnect()
    await marcus.disconnect()


async def test_a_thousand_messages_a_second_are_rate_limited_and_others_are_unaffected(keys):
    ana, marcus = await connect(keys["ana"]), await connect(keys["marcus"])
    await join(marcus)
    began = time.monotonic()
    for n in range(1000):
        await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": f"f{n}", "body": f"flood {n}"})
    acks = errors = 0
    for _ in range(1000):
        frame = await ana.receive_json_from(timeout=5)
        if frame["type"] == "ack":
            acks += 1
        else:
            assert (frame["type"], frame["code"]) == ("error", "rate_limited")
            errors += 1
    elapsed = time.monotonic() - began
    allowed = sockets.WRITE_BURST + sockets.WRITE_RATE * elapsed + 1
    assert sockets.WRITE_BURST <= acks <= allowed and acks + errors == 1000
    assert len(await count_stored()) == acks
    delivered = 0
    while not await marcus.receive_nothing(timeout=0.3):
        assert (await marcus.receive_json_from())["type"] == "message"
        delivered += 1
    assert delivered == acks
    # Another person is not limited by Ana's flood.
    await marcus.send_json_to({"type": "message", "room": HARTFORD, "client_id": "m-ok", "body": "calm"})
    await expect(marcus, "ack")
    await expect(marcus, "message")
    await ana.disconnect()
    await marcus.disconnect()


# --- sign-in ends, access narrows: the server closes or narrows the sockets -----------------------------


async def test_signing_out_closes_that_sessions_sockets_only(people):
    first, second = Client(), Client()
    await database_sync_to_async(first.force_login)(people["ana"])
    await database_sync_to_async(second.force_login)(people["ana"])
    here = await connect(first.cookies["sessionid"].value)
    elsewhere = await connect(second.cookies["sessionid"].value)
    await database_sync_to_async(first.logout)()
    assert (await expect(here, "error"))["code"] == "signed_out"
    await closed_with(here, 4401)
    assert await elsewhere.receive_nothing(timeout=0.3)
    await assert_still_usable(elsewhere, "still-1")
    await elsewhere.disconnect()


async def test_deactivating_a_person_closes_all_their_sockets(keys, people):
    ana, marcus = await connect(keys["ana"]), await connect(keys["marcus"])

    def deactivate():
        user = get_user_model().objects.get(username="ana")
        user.is_active = False
        user.save()

    await database_sync_to_async(deactivate)()
    assert (await expect(ana, "error"))["code"] == "signed_out"
    await closed_with(ana, 4401)
    assert await marcus.receive_nothing(timeout=0.2)
    await marcus.disconnect()


async def test_access_changed_leaves_the_rooms_one_may_no_longer_read(keys, orgs):
    ana = await connect(keys["ana"])
    await join(ana)
    await join(ana, room="region-crec")

    def move_to_new_haven():
        person = Person.objects.get(user__username="ana")
        person.school = School.objects.get(name="Fair Haven School")
        person.home_district = orgs["New Haven"]
        person.save()
        sockets.access_changed([person.user_id])

    await database_sync_to_async(move_to_new_haven)()
    left = {(await expect(ana, "left"))["room"], (await expect(ana, "left"))["room"]}
    assert left == {HARTFORD, "region-crec"}
    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "late", "body": "still?"})
    assert (await expect(ana, "error"))["code"] == "forbidden"
    await join(ana, room="district-new-haven")  # the socket itself stays open
    await ana.disconnect()


async def test_a_session_that_expired_while_the_socket_was_open_is_refused_and_closed(keys):
    ana, marcus = await connect(keys["ana"]), await connect(keys["marcus"])
    await join(marcus)
    await database_sync_to_async(Session.objects.filter(session_key=keys["ana"]).delete)()
    await ana.send_json_to({"type": "message", "room": HARTFORD, "client_id": "z1", "body": "Anyone?"})
    assert (await expect(ana, "error"))["code"] == "session_expired"
    await closed_with(ana, 4401)
    assert await count_stored() == []
    assert await marcus.receive_nothing(timeout=0.2)
    await assert_still_usable(marcus, "m-1")
    await marcus.disconnect()
