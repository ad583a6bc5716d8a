"""Every frame type of the discussion socket (hub/discussion/protocol.md) and of the case board
(coordinators/consumers.py) with bad payloads: missing fields, wrong types, oversized, unknown types,
other rooms and districts, someone else's message, binary frames, invalid JSON. Each gets an `error`
frame, changes no row, and the socket still answers a good frame afterwards.

The consumers use the database from their own thread, so this module's world is committed (not in a
rolled-back transaction like the other modules') and the database is flushed when the module ends.
"""

import json

import pytest
from asgiref.sync import SyncToAsync
from channels.db import database_sync_to_async
from django.core.management import call_command
from django.db import connections

from tests.hostile.conftest import compare, snapshot
from tests.hostile.world import build_world
from tests.sockets import socket_open

pytestmark = [pytest.mark.asyncio, pytest.mark.hostile_input]

BIG = "x" * (33 * 1024)


def _always(value):
    """A board case's frame maker that ignores the world: the frame is the same text whatever it holds."""
    return lambda w: value


def _nested(depth: int, open_="[", close="]", inner="1") -> str:
    return open_ * depth + inner + close * depth


# Deep nesting well under the size limit used to raise RecursionError in the consumer (a 1011 close);
# JSON's non-numbers and numbers too long to read are not JSON either.
DEEP = [
    ("nested-list-9", '{"type": "join", "x": ' + _nested(9) + "}", "bad_frame"),
    ("nested-list-3000", _nested(3000), "bad_frame"),
    ("nested-object-2500", _nested(2500, '{"a":', "}"), "bad_frame"),
    ("nested-in-a-frame-2000", '{"type": "message", "room": "district-hartford", "client_id": "deep", '
                               '"body": ' + _nested(2000) + "}", "bad_frame"),
    ("nested-mixed-2000", '[{"a":' * 2000 + "1" + "}]" * 2000, "bad_frame"),
    ("nested-unbalanced-4000", "[" * 4000, "bad_frame"),
    ("brackets-in-a-string-are-text", '{"type": "' + "[" * 5000 + '"}', "unknown_type"),
    ("nan", '{"type": "join", "since": NaN}', "bad_json"),
    ("infinity", '{"type": "join", "since": -Infinity}', "bad_json"),
    ("huge-integer", '{"type": "join", "since": ' + "9" * 5000 + "}", "bad_json"),
]


@pytest.fixture(scope="module")
def committed_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        world = build_world()
        yield world
        SyncToAsync.single_thread_executor.submit(connections.close_all).result()
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def db(django_db_setup, django_db_blocker):
    """Replaces pytest-django's `db` (a rolled-back transaction per test) in this module: the consumers'
    thread must see the committed world. Naming it `db` also tells pytest-django to set up the test
    database for these tests."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def cw(committed_world, db):
    return committed_world


@pytest.fixture(autouse=True)
def _fresh_layer(fresh_layer):
    yield


async def _connect(world, name, path):
    comm, connected, code = await socket_open(path, world.keys[name])
    assert connected, f"{name} could not connect to {path} ({code})"
    return comm


async def _frames_until(comm, kinds, limit=10):
    """Frames received until one of `kinds` (others, like broadcasts, are skipped)."""
    for _ in range(limit):
        frame = json.loads(await comm.receive_from(timeout=5))
        if frame["type"] in kinds:
            return frame
    raise AssertionError(f"no {kinds} frame")


async def _send(comm, frame):
    if isinstance(frame, bytes):
        await comm.send_to(bytes_data=frame)
    elif isinstance(frame, str):
        await comm.send_to(text_data=frame)
    else:
        await comm.send_to(text_data=json.dumps(frame))


# --- the discussion socket ----------------------------------------------------------------------------------

ANY = [
    ("binary-frame", b"\x00\x01binary", "bad_frame"),
    ("invalid-json", "{not json", "bad_json"),
    ("invalid-json-trailing", '{"type": "join"} trailing', "bad_json"),
    ("json-list", "[1, 2]", "bad_frame"),
    ("json-string", '"join"', "bad_frame"),
    ("json-number", "42", "bad_frame"),
    ("json-null", "null", "bad_frame"),
    ("oversized", json.dumps({"type": "message", "room": "district-hartford", "client_id": "big", "body": BIG}),
     "too_large"),
    ("unknown-type", {"type": "drop_tables"}, "unknown_type"),
    ("type-number", {"type": 7}, "unknown_type"),
    ("type-list", {"type": ["join"]}, "unknown_type"),
    ("missing-type", {"room": "district-hartford"}, "unknown_type"),
    ("script-type", {"type": "<script>alert(1)</script>"}, "unknown_type"),
    *DEEP,
]

JOIN = [
    ("join-missing-room", {"type": "join"}, "not_found"),
    ("join-room-number", {"type": "join", "room": 5}, "not_found"),
    ("join-room-list", {"type": "join", "room": ["district-hartford"]}, "not_found"),
    ("join-other-district", {"type": "join", "room": "district-new-haven"}, "forbidden"),
    ("join-trainers-room", {"type": "join", "room": "trainers"}, "forbidden"),
    ("join-sql-room", {"type": "join", "room": "' OR 1=1 --"}, "not_found"),
    ("join-since-text", {"type": "join", "room": "district-hartford", "since": "abc"}, "invalid"),
    ("join-since-negative", {"type": "join", "room": "district-hartford", "since": -1}, "invalid"),
    ("join-since-float", {"type": "join", "room": "district-hartford", "since": 1.5}, "invalid"),
    ("join-since-bool", {"type": "join", "room": "district-hartford", "since": True}, "invalid"),
]

LEAVE = [
    ("leave-room-number", {"type": "leave", "room": 5}, "invalid"),
    ("leave-room-object", {"type": "leave", "room": {"slug": "x"}}, "invalid"),
]

HISTORY = [
    ("history-other-district", {"type": "history", "room": "district-new-haven"}, "forbidden"),
    ("history-before-text", {"type": "history", "room": "district-hartford", "before": "abc"}, "invalid"),
    ("history-before-negative", {"type": "history", "room": "district-hartford", "before": -5}, "invalid"),
    ("history-missing-room", {"type": "history"}, "not_found"),
]

MESSAGE = [
    ("message-missing-room", {"type": "message", "client_id": "m1", "body": "hi"}, "not_found"),
    ("message-missing-body", {"type": "message", "room": "district-hartford", "client_id": "m2"}, "invalid"),
    ("message-missing-client-id", {"type": "message", "room": "district-hartford", "body": "hi"}, "invalid"),
    ("message-body-number", {"type": "message", "room": "district-hartford", "client_id": "m3", "body": 12},
     "invalid"),
    ("message-body-list", {"type": "message", "room": "district-hartford", "client_id": "m4", "body": ["hi"]},
     "invalid"),
    ("message-body-object", {"type": "message", "room": "district-hartford", "client_id": "m5",
                             "body": {"text": "hi"}}, "invalid"),
    ("message-body-empty", {"type": "message", "room": "district-hartford", "client_id": "m6", "body": "  \n"},
     "invalid"),
    ("message-body-2001", {"type": "message", "room": "district-hartford", "client_id": "m7", "body": "b" * 2001},
     "invalid"),
    ("message-body-nul", {"type": "message", "room": "district-hartford", "client_id": "m8", "body": "a\x00b"},
     "invalid"),
    ("message-client-id-spaces", {"type": "message", "room": "district-hartford", "client_id": "a b",
                                  "body": "hi"}, "invalid"),
    ("message-client-id-65", {"type": "message", "room": "district-hartford", "client_id": "c" * 65,
                              "body": "hi"}, "invalid"),
    ("message-client-id-number", {"type": "message", "room": "district-hartford", "client_id": 12,
                                  "body": "hi"}, "invalid"),
    ("message-client-id-script", {"type": "message", "room": "district-hartford", "client_id": "<script>",
                                  "body": "hi"}, "invalid"),
    ("message-other-district", {"type": "message", "room": "district-new-haven", "client_id": "m9",
                                "body": "hi"}, "forbidden"),
    ("message-client-id-reused-other-room", {"type": "message", "room": "community", "client_id": "ana-1",
                                             "body": "again"}, "client_id_reused"),
]


def _msg(world, who):
    return world.messages[who].pk


EDIT = [
    ("edit-missing-id", lambda w: {"type": "edit", "body": "x"}, "not_found"),
    ("edit-id-text", lambda w: {"type": "edit", "id": "abc", "body": "x"}, "not_found"),
    ("edit-id-negative", lambda w: {"type": "edit", "id": -1, "body": "x"}, "not_found"),
    ("edit-id-huge", lambda w: {"type": "edit", "id": 10 ** 30, "body": "x"}, "not_found"),
    ("edit-id-list", lambda w: {"type": "edit", "id": [1], "body": "x"}, "not_found"),
    ("edit-id-bool", lambda w: {"type": "edit", "id": True, "body": "x"}, "not_found"),
    ("edit-id-float", lambda w: {"type": "edit", "id": _msg(w, "ana") + 0.25, "body": "x"}, "not_found"),
    ("edit-someone-elses", lambda w: {"type": "edit", "id": _msg(w, "marcus"), "body": "mine now"}, "not_yours"),
    ("edit-other-district", lambda w: {"type": "edit", "id": _msg(w, "jordan"), "body": "x"}, "not_yours"),
    ("edit-body-2001", lambda w: {"type": "edit", "id": _msg(w, "ana"), "body": "b" * 2001}, "invalid"),
    ("edit-body-number", lambda w: {"type": "edit", "id": _msg(w, "ana"), "body": 5}, "invalid"),
    ("edit-body-missing", lambda w: {"type": "edit", "id": _msg(w, "ana")}, "invalid"),
]

DELETE = [
    ("delete-missing-id", lambda w: {"type": "delete"}, "not_found"),
    ("delete-id-bool", lambda w: {"type": "delete", "id": True}, "not_found"),
    ("delete-id-float", lambda w: {"type": "delete", "id": float(_msg(w, "ana")) + 0.5}, "not_found"),
    ("delete-id-string-float", lambda w: {"type": "delete", "id": f"{_msg(w, 'ana')}.5"}, "not_found"),
    ("delete-someone-elses", lambda w: {"type": "delete", "id": _msg(w, "marcus")}, "not_yours"),
    ("delete-other-district", lambda w: {"type": "delete", "id": _msg(w, "jordan")}, "not_yours"),
]

HIDE = [
    ("hide-not-a-moderator", lambda w: {"type": "hide", "id": _msg(w, "marcus"), "reason": "no"}, "not_moderator"),
    ("hide-missing-id", lambda w: {"type": "hide", "reason": "x"}, "not_found"),
    ("hide-id-bool", lambda w: {"type": "hide", "id": True, "reason": "x"}, ("not_found", "not_moderator")),
]

HIDE_AS_COORDINATOR = [
    ("hide-other-districts-message", lambda w: {"type": "hide", "id": _msg(w, "jordan"), "reason": "x"},
     ("forbidden", "not_moderator")),
    ("hide-missing-reason", lambda w: {"type": "hide", "id": _msg(w, "ana")}, "invalid"),
    ("hide-reason-301", lambda w: {"type": "hide", "id": _msg(w, "ana"), "reason": "r" * 301}, "invalid"),
    ("hide-reason-number", lambda w: {"type": "hide", "id": _msg(w, "ana"), "reason": 3}, "invalid"),
]

READ = [
    ("read-id-text", {"type": "read", "room": "district-hartford", "id": "abc"}, "invalid"),
    ("read-other-district", {"type": "read", "room": "district-new-haven", "id": 1}, "forbidden"),
    ("read-missing-room", {"type": "read", "id": 1}, "not_found"),
]


def _discussion_cases():
    for who, group in (("ana", ANY + JOIN + LEAVE + HISTORY + MESSAGE + READ),
                       ("ana", EDIT + DELETE + HIDE), ("carla", HIDE_AS_COORDINATOR)):
        for case_id, frame, code in group:
            yield pytest.param(who, frame, code, id=f"discussion|{case_id}")


@pytest.mark.parametrize(("who", "frame", "code"), list(_discussion_cases()))
async def test_a_bad_discussion_frame_gets_an_error_and_changes_nothing(cw, who, frame, code):
    w = cw
    comm = await _connect(w, who, "/ws/discussion/")
    try:
        before = await database_sync_to_async(snapshot)()
        await _send(comm, frame(w) if callable(frame) else frame)
        answer = await _frames_until(comm, {"error", "ack", "joined", "left", "history"})
        assert answer["type"] == "error", f"expected an error frame, got {answer}"
        assert answer["code"] in (code if isinstance(code, tuple) else (code,)), answer
        assert answer["message"]
        problems = compare(before, await database_sync_to_async(snapshot)())
        assert not problems, "the database changed: " + "; ".join(problems)
        # The socket is still usable.
        await _send(comm, {"type": "history", "room": "district-hartford", "ref": "after"})
        assert (await _frames_until(comm, {"history", "error"}))["type"] == "history"
    finally:
        await comm.disconnect()


async def test_a_resent_message_is_stored_once(cw):
    """Replaying a websocket client id: the resend is acked as a duplicate, with no second row."""
    from hub.discussion.models import Message

    w = cw
    comm = await _connect(w, "ana", "/ws/discussion/")
    try:
        count = await database_sync_to_async(Message.objects.count)()
        frame = {"type": "message", "room": "district-hartford", "client_id": "replay-1", "body": "once",
                 "author": w.people["marcus"].user_id}
        await _send(comm, frame)
        first = await _frames_until(comm, {"ack", "error"})
        before = await database_sync_to_async(snapshot)()
        await _send(comm, frame)
        second = await _frames_until(comm, {"ack", "error"})
        assert first["type"] == second["type"] == "ack"
        assert second["duplicate"] is True and second["id"] == first["id"]
        assert await database_sync_to_async(Message.objects.count)() == count + 1
        # The author is the session's person, not the frame's `author`.
        assert first["message"]["author"]["username"] == "ana"
        problems = compare(before, await database_sync_to_async(snapshot)(), ignore={"hub_roommembership"})
        assert not problems, "the resend changed the database: " + "; ".join(problems)
    finally:
        await comm.disconnect()


async def test_markup_in_a_message_is_stored_as_text_and_sent_escaped(cw):
    w = cw
    comm = await _connect(w, "ana", "/ws/discussion/")
    try:
        await _send(comm, {"type": "message", "room": "district-hartford", "client_id": "xss-1",
                           "body": '<script>alert(1)</script> "><img src=x onerror=alert(1)>'})
        ack = await _frames_until(comm, {"ack", "error"})
        assert ack["type"] == "ack"
        assert "<script>" not in ack["message"]["html"] and "<img" not in ack["message"]["html"]
        assert "&lt;script&gt;" in ack["message"]["html"]
    finally:
        await comm.disconnect()


async def test_an_expired_session_gets_session_expired_and_is_closed(cw):
    from datetime import timedelta

    from django.utils import timezone

    from hub.models import UserSession as Session

    w = cw
    comm = await _connect(w, "luis", "/ws/discussion/")
    await database_sync_to_async(
        lambda: Session.objects.filter(session_key=w.keys["luis"]).update(
            expire_date=timezone.now() - timedelta(minutes=1)))()
    before = await database_sync_to_async(snapshot)()
    await _send(comm, {"type": "message", "room": "district-hartford", "client_id": "late-1", "body": "hello"})
    answer = await _frames_until(comm, {"error", "ack"})
    assert answer["code"] == "session_expired"
    assert (await comm.receive_output(timeout=5))["type"] == "websocket.close"
    problems = compare(before, await database_sync_to_async(snapshot)())
    assert not problems, "; ".join(problems)


# --- the case board -----------------------------------------------------------------------------------------

BOARD_ANY = [
    ("binary-frame", lambda w: b"\x00binary", "bad_frame"),
    ("invalid-json", lambda w: "{nope", "bad_json"),
    ("json-list", lambda w: "[]", "bad_frame"),
    ("oversized", lambda w: json.dumps({"type": "volunteer", "case": 1, "pad": "x" * 9000}), "too_large"),
    ("unknown-type", lambda w: {"type": "close_all"}, "unknown_type"),
    ("type-number", lambda w: {"type": 1}, "unknown_type"),
    *[(case_id, _always(text), code) for case_id, text, code in DEEP if len(text) <= 8 * 1024],
]

BOARD_VISITOR = [
    ("volunteer-missing-case", lambda w: {"type": "volunteer"}, "bad_frame"),
    ("volunteer-case-text", lambda w: {"type": "volunteer", "case": "abc"}, "bad_frame"),
    ("volunteer-case-bool", lambda w: {"type": "volunteer", "case": True}, "bad_frame"),
    ("volunteer-case-negative", lambda w: {"type": "volunteer", "case": -3}, "bad_frame"),
    ("volunteer-case-float", lambda w: {"type": "volunteer", "case": 1.5}, "bad_frame"),
    ("volunteer-case-list", lambda w: {"type": "volunteer", "case": [1]}, "bad_frame"),
    ("volunteer-missing-case-id", lambda w: {"type": "volunteer", "case": 987654}, "not_found"),
    ("volunteer-other-districts-case", lambda w: {"type": "volunteer", "case": w.nh_case.pk}, "not_found"),
    ("volunteer-assigned-case", lambda w: {"type": "volunteer", "case": w.case.pk}, ("invalid", "not_found")),
    ("volunteer-partner-text", lambda w: {"type": "volunteer", "case": w.board_case.pk, "partner": "luis"},
     "bad_frame"),
    ("volunteer-partner-missing", lambda w: {"type": "volunteer", "case": w.board_case.pk, "partner": 987654},
     "not_found"),
    ("volunteer-partner-other-district", lambda w: {"type": "volunteer", "case": w.board_case.pk,
                                                    "partner": w.people["jordan"].pk},
     ("invalid", "not_certified", "refused", "not_allowed")),
    ("withdraw-never-volunteered", lambda w: {"type": "withdraw", "case": w.board_case.pk}, "invalid"),
    ("assign-as-visitor", lambda w: {"type": "assign", "case": w.board_case.pk,
                                     "visitors": [w.people["marcus"].pk, w.people["luis"].pk]}, "not_allowed"),
]

BOARD_COORDINATOR = [
    ("assign-visitors-missing", lambda w: {"type": "assign", "case": w.board_case.pk}, "bad_frame"),
    ("assign-visitors-text", lambda w: {"type": "assign", "case": w.board_case.pk, "visitors": "12,13"},
     "bad_frame"),
    ("assign-visitors-empty", lambda w: {"type": "assign", "case": w.board_case.pk, "visitors": []}, "bad_frame"),
    ("assign-visitors-five", lambda w: {"type": "assign", "case": w.board_case.pk, "visitors": [1, 2, 3, 4, 5]},
     "bad_frame"),
    ("assign-visitor-text", lambda w: {"type": "assign", "case": w.board_case.pk, "visitors": ["a", "b"]},
     "bad_frame"),
    ("assign-visitor-missing", lambda w: {"type": "assign", "case": w.board_case.pk, "visitors": [987654]},
     "not_found"),
    ("assign-other-districts-visitor", lambda w: {"type": "assign", "case": w.board_case.pk,
                                                  "visitors": [w.people["jordan"].pk, w.people["marcus"].pk]},
     "refused"),
    ("assign-other-districts-case", lambda w: {"type": "assign", "case": w.nh_case.pk,
                                               "visitors": [w.people["marcus"].pk, w.people["luis"].pk]},
     "not_found"),
    ("assign-uncertified", lambda w: {"type": "assign", "case": w.board_case.pk,
                                      "visitors": [w.people["ana"].pk, w.people["marcus"].pk]}, "refused"),
]


def _board_cases():
    for who, group in (("marcus", BOARD_ANY + BOARD_VISITOR), ("carla", BOARD_COORDINATOR)):
        for case_id, frame, code in group:
            yield pytest.param(who, frame, code, id=f"board|{who}|{case_id}")


@pytest.mark.parametrize(("who", "frame", "code"), list(_board_cases()))
async def test_a_bad_board_frame_gets_an_error_and_changes_nothing(cw, who, frame, code):
    w = cw
    comm = await _connect(w, who, f"/ws/board/{w.hartford.pk}/")
    try:
        assert (await _frames_until(comm, {"snapshot"}))["type"] == "snapshot"
        before = await database_sync_to_async(snapshot)()
        await _send(comm, frame(w))
        answer = await _frames_until(comm, {"error", "ack"})
        assert answer["type"] == "error", f"expected an error frame, got {answer}"
        assert answer["code"] in (code if isinstance(code, tuple) else (code,)), answer
        assert answer["message"]
        problems = compare(before, await database_sync_to_async(snapshot)())
        assert not problems, "the database changed: " + "; ".join(problems)
        if who == "marcus":  # still usable: a good frame is acked
            await _send(comm, {"type": "volunteer", "case": w.board_case.pk, "ref": "after"})
            good = await _frames_until(comm, {"ack", "error"})
            assert good["type"] == "ack", good
            await _send(comm, {"type": "withdraw", "case": w.board_case.pk})
            assert (await _frames_until(comm, {"ack", "error"}))["type"] == "ack"
    finally:
        await comm.disconnect()


async def test_another_districts_board_is_refused_at_connect(cw):
    w = cw
    _, connected, code = await socket_open(f"/ws/board/{w.new_haven.pk}/", w.keys["marcus"])
    assert not connected and code == 4403


# --- the handshake: only the Hub's own origin (hub/origins.py) -------------------------------------------

HOSTILE_ORIGINS = [  # (id, Origin header or None, Host header): the Hub is at localhost:8000
    ("same-host-other-port", "http://localhost:8001", "localhost:8000"),
    ("same-host-default-port", "http://localhost", "localhost:8000"),
    ("other-scheme", "https://localhost:8000", "localhost:8000"),
    ("host-prefix", "http://localhost.evil.com:8000", "localhost:8000"),
    ("host-suffix", "http://evillocalhost:8000", "localhost:8000"),
    ("host-in-fragment", "http://evil.com#localhost:8000", "localhost:8000"),
    ("host-as-userinfo", "http://localhost@evil.com", "localhost"),
    ("host-and-port-as-userinfo", "http://localhost:8000@evil.com", "localhost:8000"),
    ("path-after", "http://localhost:8000/ws/", "localhost:8000"),
    ("null", "null", "localhost:8000"),
    ("empty", "", "localhost:8000"),
    ("missing", None, "localhost:8000"),
    ("idn-look-alike", "http://lócalhost:8000", "localhost:8000"),
    ("punycode-look-alike", "http://xn--lcalhost-9za:8000", "localhost:8000"),
    ("other-allowed-host", "http://127.0.0.1:8000", "localhost:8000"),
    ("rebinding-host", "http://evil.example:8000", "evil.example:8000"),
    ("no-host-header", "http://localhost:8000", None),
    ("latin1-bytes", "http://localhost\xff:8000", "localhost:8000"),
]


def _pair(name: bytes, value: str | None):
    return None if value is None else (name, value.encode("latin-1"))


@pytest.mark.parametrize(("origin", "host"), [pytest.param(o, h, id=i) for i, o, h in HOSTILE_ORIGINS])
@pytest.mark.parametrize("socket", ["discussion", "board"])
async def test_a_socket_from_another_origin_is_refused_at_the_handshake(cw, socket, origin, host):
    path = "/ws/discussion/" if socket == "discussion" else f"/ws/board/{cw.hartford.pk}/"
    comm, connected, _ = await socket_open(path, cw.keys["marcus"], origin=_pair(b"origin", origin),
                                           host=_pair(b"host", host))
    assert not connected
    await comm.wait()


@pytest.mark.parametrize(("origin", "host"), [
    ("http://localhost", "localhost"), ("http://localhost:8000", "localhost:8000"),
    ("http://127.0.0.1:8000", "127.0.0.1:8000"), ("HTTP://LOCALHOST:8000", "localhost:8000"),
    ("http://localhost:80", "localhost"),
])
async def test_a_socket_from_the_hubs_own_origin_connects(cw, origin, host):
    comm, connected, code = await socket_open("/ws/discussion/", cw.keys["marcus"], origin=(b"origin", origin.encode()),
                                              host=(b"host", host.encode()))
    assert connected, code
    await comm.disconnect()
