"""The discussion websocket (`/ws/discussion/`). The protocol is documented in hub/discussion/protocol.md.

One socket per page, any number of joined rooms. What every Hub socket shares (sign-in, frame parsing,
the rate limit, following the session) is `hub.sockets.HubSocketConsumer`; this consumer only reads the
fields of its frames and calls the services in `hub.discussion.services`, which enforce every rule.
Broadcasts come back from the services through the channel layer after their transaction commits.

Groups: `discussion.room.<id>` for each joined room; `user.<id>` (joined by the base) carries
`session.end`, `session.check`, `access.recheck` (leave rooms no longer readable) and
`discussion.mention` frames.
"""

from channels.db import database_sync_to_async

from hub.discussion import services
from hub.discussion.errors import InvalidMessage
from hub.discussion.formatting import message_data
from hub.discussion.models import Room
from hub.discussion.selectors import CATCH_UP_LIMIT, PAGE_SIZE, access_for, room_messages, room_unread
from hub.discussion.services import room_group
from hub.sockets import HubSocketConsumer, session_user

WRITE_TYPES = frozenset({"message", "edit", "delete", "hide"})


def _int_or_none(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidMessage("Message ids are whole numbers.")
    return value


class DiscussionConsumer(HubSocketConsumer):
    write_types = WRITE_TYPES

    async def connected(self, user):
        self.rooms: dict[str, int] = {}  # slug -> id of the joined rooms
        await database_sync_to_async(services.presence_connect)(user_id=self.user_id)

    async def disconnected(self):
        for room_id in self.rooms.values():
            await self.channel_layer.group_discard(room_group(room_id), self.channel_name)
        await database_sync_to_async(services.presence_disconnect)(user_id=self.user_id)

    async def dispatch(self, message):
        # Fan-out events touch no database: skip Channels' per-event close_old_connections thread hop,
        # which would otherwise cost one hop per socket per broadcast.
        if message["type"] == "discussion.event":
            await self.discussion_event(message)
            return
        await super().dispatch(message)

    # --- frames from the client ----------------------------------------------------------------------

    async def on_join(self, user, frame, ref):
        since = _int_or_none(frame.get("since"))

        def check():
            return services.room_for_reader(slug=frame.get("room"), user=user)

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
            raise InvalidMessage("Say which room to leave.")
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
            room = services.room_for_reader(slug=frame.get("room"), user=user)
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
            room = services.room_for_reader(slug=frame.get("room"), user=user, access=access)
            message, created = services.message_post(room=room, author=user, body=frame.get("body"),
                                                      client_id=frame.get("client_id"), access=access)
            return message_data(message), created

        data, created = await database_sync_to_async(work)()
        await self.send_json({"type": "ack", "ref": ref, "client_id": data["client_id"], "id": data["id"],
                              "duplicate": not created, "message": data})

    async def _message_action(self, ref, action):
        data = message_data(await database_sync_to_async(action)())
        await self.send_json({"type": "ack", "ref": ref, "id": data["id"], "message": data})

    async def on_edit(self, user, frame, ref):
        await self._message_action(ref, lambda: services.message_edit(
            message=services.message_get(message_id=frame.get("id")), by=user, body=frame.get("body")))

    async def on_delete(self, user, frame, ref):
        await self._message_action(ref, lambda: services.message_delete(
            message=services.message_get(message_id=frame.get("id")), by=user))

    async def on_hide(self, user, frame, ref):
        await self._message_action(ref, lambda: services.message_hide(
            message=services.message_get(message_id=frame.get("id")), by=user, reason=frame.get("reason")))

    async def on_read(self, user, frame, ref):
        def work():
            room = services.room_for_reader(slug=frame.get("room"), user=user)
            return room.slug, services.room_mark_read(room=room, user=user, up_to=frame.get("id"))

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

    async def recheck(self):
        """What the person may read narrowed: leave (and say so) every room they may no longer read."""
        joined = dict(self.rooms)

        def work():
            user = session_user(self.session_key)
            access = access_for(user)
            rooms = {room.pk: room for room in Room.objects.filter(pk__in=joined.values())}
            return [slug for slug, room_id in joined.items()
                    if room_id not in rooms or not access.can_read(rooms[room_id])]

        for slug in await database_sync_to_async(work)():
            room_id = self.rooms.pop(slug, None)
            if room_id is not None:
                await self.channel_layer.group_discard(room_group(room_id), self.channel_name)
                await self.send_json({"type": "left", "room": slug, "reason": "access",
                                      "message": "You can no longer read this room."})
