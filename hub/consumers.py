"""The discussion websocket (`/ws/discussion/`). The protocol is documented in hub/discussion_protocol.md.

One socket per page, any number of joined rooms. The consumer only parses frames, checks the person
is still signed in and calls the services in `hub.discussion`, which enforce every rule; broadcasts come
back from the services through the channel layer after their transaction commits.

Groups: `discussion.room.<id>` for each joined room and `user.<id>` for the person, which carries
`session.end` (sign-out, deactivation: close with 4401), `access.recheck` (leave rooms no longer
readable) and `discussion.mention` frames.
"""

import json
import logging
import time
from importlib import import_module

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest

from hub import discussion
from hub.discussion import DiscussionError, message_data, room_group, user_group
from hub.discussion_selectors import CATCH_UP_LIMIT, PAGE_SIZE, access_for, room_messages, room_unread
from hub.models import Room
from hub.twofactor.selectors import session_verified

logger = logging.getLogger(__name__)

MAX_FRAME_CHARS = 32 * 1024
CLOSE_SIGNED_OUT = 4401
WRITE_TYPES = frozenset({"message", "edit", "delete", "hide"})


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up."""

    def __init__(self, *, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


# Writes are limited per person (all their sockets in this process): 5 a second, bursts of 10.
WRITE_RATE, WRITE_BURST = 5.0, 10
# Any frame, per socket: generous, it only stops floods of cheap frames.
FRAME_RATE, FRAME_BURST = 50.0, 100
_write_buckets: dict[int, TokenBucket] = {}


def write_bucket(user_id: int) -> TokenBucket:
    bucket = _write_buckets.get(user_id)
    if bucket is None:
        bucket = _write_buckets[user_id] = TokenBucket(rate=WRITE_RATE, burst=WRITE_BURST)
    return bucket


def session_user(session_key: str | None):
    """The user the session still signs in, read afresh (None if it expired, was flushed or the user is
    inactive or changed password). Channels checks the session only at connect; we check every frame."""
    if not session_key:
        return None
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = auth.get_user(request)
    return user if user.is_authenticated else None


def _int_or_none(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise discussion.InvalidMessage("Message ids are whole numbers.")
    return value


async def signed_in_user(scope):
    """The socket's user when signed in and, where required, past the two-step sign-in; else None.

    Both consumers (discussion, case board) close with CLOSE_SIGNED_OUT on None: a session that has not
    passed the second step is not signed in on a socket either."""
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return None
    if not await database_sync_to_async(session_verified)(user, scope.get("session")):
        return None
    return user


class DiscussionConsumer(AsyncWebsocketConsumer):
    user_id: int | None = None

    async def connect(self):
        user = await signed_in_user(self.scope)
        if user is None:
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        self.user_id = user.pk
        session = self.scope.get("session")
        self.session_key = getattr(session, "session_key", None)
        self.rooms: dict[str, int] = {}  # slug -> id of the joined rooms
        self.frames = TokenBucket(rate=FRAME_RATE, burst=FRAME_BURST)
        await self.channel_layer.group_add(user_group(self.user_id), self.channel_name)
        await database_sync_to_async(discussion.presence_connect)(user_id=self.user_id)
        await self.accept()

    async def disconnect(self, code):
        if self.user_id is None:
            return
        for room_id in self.rooms.values():
            await self.channel_layer.group_discard(room_group(room_id), self.channel_name)
        await self.channel_layer.group_discard(user_group(self.user_id), self.channel_name)
        await database_sync_to_async(discussion.presence_disconnect)(user_id=self.user_id)

    async def dispatch(self, message):
        # Fan-out events touch no database: skip Channels' per-event close_old_connections thread hop,
        # which would otherwise cost one hop per socket per broadcast.
        if message["type"] == "discussion.event":
            await self.discussion_event(message)
            return
        await super().dispatch(message)

    # --- frames from the client ----------------------------------------------------------------------

    async def send_json(self, frame: dict) -> None:
        await self.send(text_data=json.dumps(frame))

    async def error(self, code: str, text: str, **extra) -> None:
        frame = {"type": "error", "code": code, "message": text}
        frame.update({k: v for k, v in extra.items() if v is not None})
        await self.send_json(frame)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None:
            await self.error("bad_frame", "Send JSON text frames.")
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self.error("too_large", f"A frame is at most {MAX_FRAME_CHARS:,} characters.")
            return
        if not self.frames.take():
            await self.error("rate_limited", "Too many frames: slow down.")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.error("bad_json", "That frame is not JSON.")
            return
        if not isinstance(frame, dict):
            await self.error("bad_frame", "A frame is a JSON object with a type.")
            return
        ref = frame.get("ref") if isinstance(frame.get("ref"), str) and len(frame["ref"]) <= 64 else None
        client_id = frame.get("client_id") if isinstance(frame.get("client_id"), str) else None
        kind = frame.get("type")
        handler = self.handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            await self.error("unknown_type", f"Unknown frame type {str(kind)[:40]!r}.", ref=ref)
            return
        if kind in WRITE_TYPES and not write_bucket(self.user_id).take():
            await self.error("rate_limited", "You're sending too fast: wait a moment.", ref=ref,
                             client_id=client_id)
            return
        user = await database_sync_to_async(session_user)(self.session_key)
        if user is None or user.pk != self.user_id:
            await self.error("session_expired", "Your sign-in has ended: sign in again.", ref=ref)
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        try:
            await handler(self, user, frame, ref)
        except DiscussionError as exc:
            await self.error(exc.code, str(exc), ref=ref, client_id=client_id)
        except Exception:
            logger.exception("discussion frame %s failed", kind)
            await self.error("server_error", "Something went wrong on our side; try again.", ref=ref,
                             client_id=client_id)

    async def on_join(self, user, frame, ref):
        since = _int_or_none(frame.get("since"))

        def check():
            return discussion.room_for_reader(slug=frame.get("room"), user=user)

        room = await database_sync_to_async(check)()
        # Join the group before reading the history, so that nothing falls between the two; the client
        # drops duplicates by id.
        if room.slug not in self.rooms:
            await self.channel_layer.group_add(room_group(room.pk), self.channel_name)
            self.rooms[room.slug] = room.pk

        def history():
            messages, more = room_messages(room=room, since=since,
                                           limit=CATCH_UP_LIMIT if since is not None else PAGE_SIZE)
            return [message_data(m) for m in messages], more, room_unread(room=room, user=user)

        messages, more, unread = await database_sync_to_async(history)()
        await self.send_json({"type": "joined", "ref": ref, "room": room.slug, "title": room.title,
                              "since": since, "messages": messages, "more": more, "unread": unread})

    async def on_leave(self, user, frame, ref):
        slug = frame.get("room")
        if not isinstance(slug, str):
            raise discussion.InvalidMessage("Say which room to leave.")
        room_id = self.rooms.pop(slug, None)
        if room_id is not None:
            await self.channel_layer.group_discard(room_group(room_id), self.channel_name)
        await self.send_json({"type": "left", "ref": ref, "room": slug, "reason": "asked"})

    async def on_history(self, user, frame, ref):
        before = _int_or_none(frame.get("before"))
        limit = frame.get("limit", PAGE_SIZE)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100:
            limit = PAGE_SIZE

        def work():
            room = discussion.room_for_reader(slug=frame.get("room"), user=user)
            messages, more = room_messages(room=room, before=before, limit=limit)
            return room.slug, [message_data(m) for m in messages], more

        slug, messages, more = await database_sync_to_async(work)()
        await self.send_json({"type": "history", "ref": ref, "room": slug, "before": before,
                              "messages": messages, "more": more})

    async def on_message(self, user, frame, ref):
        # Only room, body and client_id are read: an `author` field is ignored, the author is the
        # person the session signs in.
        def work():
            access = access_for(user)
            room = discussion.room_for_reader(slug=frame.get("room"), user=user, access=access)
            message, created = discussion.message_post(room=room, author=user, body=frame.get("body"),
                                                       client_id=frame.get("client_id"), access=access)
            return message_data(message), created

        data, created = await database_sync_to_async(work)()
        await self.send_json({"type": "ack", "ref": ref, "client_id": data["client_id"], "id": data["id"],
                              "duplicate": not created, "message": data})

    async def on_edit(self, user, frame, ref):
        def work():
            message = discussion.message_get(message_id=frame.get("id"))
            return message_data(discussion.message_edit(message=message, by=user, body=frame.get("body")))

        data = await database_sync_to_async(work)()
        await self.send_json({"type": "ack", "ref": ref, "id": data["id"], "message": data})

    async def on_delete(self, user, frame, ref):
        def work():
            message = discussion.message_get(message_id=frame.get("id"))
            return message_data(discussion.message_delete(message=message, by=user))

        data = await database_sync_to_async(work)()
        await self.send_json({"type": "ack", "ref": ref, "id": data["id"], "message": data})

    async def on_hide(self, user, frame, ref):
        def work():
            message = discussion.message_get(message_id=frame.get("id"))
            return message_data(discussion.message_hide(message=message, by=user, reason=frame.get("reason")))

        data = await database_sync_to_async(work)()
        await self.send_json({"type": "ack", "ref": ref, "id": data["id"], "message": data})

    async def on_read(self, user, frame, ref):
        def work():
            room = discussion.room_for_reader(slug=frame.get("room"), user=user)
            return room.slug, discussion.room_mark_read(room=room, user=user, up_to=frame.get("id"))

        slug, unread = await database_sync_to_async(work)()
        await self.send_json({"type": "ack", "ref": ref, "room": slug, "unread": unread})

    handlers = {
        "join": on_join, "leave": on_leave, "history": on_history, "message": on_message, "edit": on_edit,
        "delete": on_delete, "hide": on_hide, "read": on_read,
    }

    # --- events from the channel layer ----------------------------------------------------------------

    async def discussion_event(self, event):
        """A stored message, edit, delete or hide in a room: forwarded as the service encoded it."""
        if event.get("room_id") is None or event["room_id"] in self.rooms.values():
            await self.send(text_data=event["text"])

    async def discussion_mention(self, event):
        await self.send(text_data=event["text"])

    async def session_end(self, event):
        key = event.get("session_key")
        if key is None or key == self.session_key:
            await self.error("signed_out", "You were signed out.")
            await self.close(code=CLOSE_SIGNED_OUT)

    async def access_recheck(self, event):
        """What the person may read narrowed: leave (and say so) every room they may no longer read."""
        joined = dict(self.rooms)

        def work():
            user = session_user(self.session_key)
            if user is None or user.pk != self.user_id:
                return None
            access = access_for(user)
            rooms = {room.pk: room for room in Room.objects.filter(pk__in=joined.values())}
            return [slug for slug, room_id in joined.items()
                    if room_id not in rooms or not access.can_read(rooms[room_id])]

        lost = await database_sync_to_async(work)()
        if lost is None:
            await self.error("session_expired", "Your sign-in has ended: sign in again.")
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        for slug in lost:
            room_id = self.rooms.pop(slug, None)
            if room_id is not None:
                await self.channel_layer.group_discard(room_group(room_id), self.channel_name)
                await self.send_json({"type": "left", "room": slug, "reason": "access",
                                      "message": "You can no longer read this room."})
