"""What every websocket of the Hub shares: who is on the other end, how a frame is read, the rate limit,
and how a person's sockets follow their session.

`HubSocketConsumer` is the base of the discussion socket (`hub.discussion.consumers`) and the case board
(`coordinators.consumers`). A subclass says which frame types it answers (`handlers`) and what it may do
on connect (`authorise`, `connected`); the base does the rest, the same way for both:

- **Connect**: an anonymous socket, or one whose session has not passed the two-step sign-in, is closed
  with 4401 (`CLOSE_SIGNED_OUT`); `authorise` may refuse with 4403 (`CLOSE_FORBIDDEN`). Every accepted
  socket joins its person's group `user.<id>`.
- **Frames**: text only, at most `max_frame_chars`, JSON nested at most `MAX_DEPTH` deep (deeper input
  is refused before the parser sees it, so it can never exhaust the stack), an object with a known
  `type`. Anything else gets an `error` frame (`bad_frame`, `too_large`, `bad_json`, `unknown_type`)
  and the socket stays usable. Any frame may carry `ref` (a string of up to 64 characters), echoed.
- **Sign-in on every frame**: Channels checks the session only at connect, so each frame reads it again
  (expired, flushed, password changed, deactivated: `session_expired`, then close 4401).
- **Sockets follow the session, not the next frame**: signing out, a password change or deactivation
  pushes `session.end` / `session.check` to `user.<id>` (signals connected by `HubConfig.ready`), and
  every socket of that session (or person) closes at once, on any daphne process (the channel layer).
  `access_changed(user_ids)` asks their sockets to re-check what they may see (`recheck`).
- **Rate limit**: writes are counted per person in the shared cache (Redis when `REDIS_URL` is set), so
  all of a person's sockets on every process share one allowance (`WRITE_RATE` a second, bursts of
  `WRITE_BURST`); each socket also has a generous in-process limit on frames of any kind.
- **Errors**: a handler raises a `hub.errors.HubError` (its `code` and text become the error frame) or
  `FrameError`; anything unexpected is logged and answered `server_error`, never a 1011 close.
"""

import asyncio
import json
import logging
import time
from importlib import import_module

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django.http import HttpRequest

from hub.errors import HubError

logger = logging.getLogger(__name__)

CLOSE_SIGNED_OUT = 4401
CLOSE_FORBIDDEN = 4403
MAX_FRAME_CHARS = 32 * 1024
MAX_DEPTH = 8
REF_MAX = 64

# Writes per person across all their sockets and processes: 5 a second, bursts of 10.
WRITE_RATE, WRITE_BURST = 5.0, 10
# Any frame, per socket: generous, it only stops floods of cheap frames.
FRAME_RATE, FRAME_BURST = 50.0, 100


class FrameError(HubError):
    """A frame that is not what the protocol says (a missing field, a wrong type): `code` names it."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


# --- Groups and sending ------------------------------------------------------------------------------


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def group_send(group: str, event: dict) -> None:
    """group_send from sync code (a view, a service in a worker thread) or from the event loop.

    A broadcast that fails is logged, never raised: what was stored stays stored, and a client that
    reconnects (or reloads) sees the truth from the database."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        try:
            async_to_sync(layer.group_send)(group, event)
        except Exception:
            logger.exception("group_send to %s failed", group)
        return
    task = asyncio.ensure_future(layer.group_send(group, event))
    task.add_done_callback(lambda t: t.cancelled() or t.exception() and logger.error("group_send: %s", t.exception()))


def group_send_on_commit(group: str, event: dict) -> None:
    """Send once the current transaction commits (at once outside one): never announce a rolled-back change."""
    transaction.on_commit(lambda: group_send(group, event))


def user_send(user_id: int, event: dict) -> None:
    group_send(user_group(user_id), event)


def access_changed(user_ids) -> None:
    """What these people may see may have narrowed: each of their sockets re-checks (`recheck`)."""
    for user_id in set(user_ids):
        user_send(user_id, {"type": "access.recheck"})


def sockets_end(*, user_id: int, session_key: str | None = None) -> None:
    """Close the person's sockets (only those of `session_key` when given) with code 4401."""
    user_send(user_id, {"type": "session.end", "session_key": session_key})


def sessions_check(*, user_id: int) -> None:
    """Each of the person's sockets reads its session again and closes if it no longer signs them in."""
    user_send(user_id, {"type": "session.check"})


# --- Who is on the other end --------------------------------------------------------------------------


def session_user(session_key: str | None):
    """The user the session still signs in, read afresh (None if it expired, was flushed or the user is
    inactive or changed password)."""
    if not session_key:
        return None
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = auth.get_user(request)
    return user if user.is_authenticated else None


async def signed_in_user(scope):
    """The socket's user when signed in and, where required, past the two-step sign-in; else None."""
    from hub.twofactor.selectors import session_verified

    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return None
    if not await database_sync_to_async(session_verified)(user, scope.get("session")):
        return None
    return user


# --- Frames --------------------------------------------------------------------------------------------


def nesting_depth_exceeds(text: str, limit: int) -> bool:
    """Whether JSON text nests objects/arrays deeper than `limit` (brackets inside strings don't count)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def frame_parse(text_data, *, max_chars: int = MAX_FRAME_CHARS) -> dict:
    """A client frame as a dict with a string `type`, or FrameError naming what is wrong with it."""
    if not isinstance(text_data, str):
        raise FrameError("bad_frame", "Send JSON text frames.")
    if len(text_data) > max_chars:
        raise FrameError("too_large", f"A frame is at most {max_chars:,} characters.")
    if nesting_depth_exceeds(text_data, MAX_DEPTH):
        raise FrameError("bad_frame", f"A frame nests at most {MAX_DEPTH} levels deep.")
    try:
        frame = json.loads(text_data, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise FrameError("bad_json", "That frame is not JSON.") from None
    if not isinstance(frame, dict):
        raise FrameError("bad_frame", "A frame is a JSON object with a type.")
    return frame


def frame_ref(frame: dict) -> str | None:
    ref = frame.get("ref")
    return ref if isinstance(ref, str) and len(ref) <= REF_MAX else None


def frame_id(value, what: str) -> int:
    """A positive whole number from a frame (never True, 1.5 or "7"), else FrameError('bad_frame')."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise FrameError("bad_frame", f"{what} must be a whole number.")
    return value


# --- Rate limits -----------------------------------------------------------------------------------------


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up (in this process: per socket)."""

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


def write_allowed(user_id: int, *, now: float | None = None) -> bool:
    """One write by this person, if their shared allowance has room (`hub.ratelimit.sliding_window_hit`)."""
    from hub.ratelimit import sliding_window_hit

    return sliding_window_hit(f"socket-writes:{user_id}", limit=WRITE_BURST,
                              window=WRITE_BURST / WRITE_RATE, now=now)


# --- The base consumer -------------------------------------------------------------------------------------


class HubSocketConsumer(AsyncWebsocketConsumer):
    """The shared half of the Hub's websockets (see the module docstring). Subclasses set:

    - `handlers`: {frame type: handler}. An `async def handler(self, user, frame, ref)` sends its own
      answer; a plain `def handler(self, user, frame)` runs in the database thread and its return value
      goes back as `ack_frame(kind, ref, result)`.
    - `write_types`: the frame types counted against the person's write allowance.
    - `max_frame_chars`.
    """

    handlers: dict = {}
    write_types: frozenset[str] = frozenset()
    max_frame_chars = MAX_FRAME_CHARS
    user_id: int | None = None
    session_key: str | None = None

    # --- hooks -------------------------------------------------------------------------------------------

    async def authorise(self, user) -> bool:
        """Whether this signed-in person may open this socket (False closes it with 4403)."""
        return True

    async def connected(self, user) -> None:
        """After accept: send the first frames."""

    async def disconnected(self) -> None:
        """Leave the subclass's own groups."""

    async def recheck(self) -> None:
        """What the person may see narrowed: drop or close what they may no longer see."""

    def ack_frame(self, kind: str, ref, result) -> dict:
        return {"type": "ack", "ref": ref, "action": kind, "result": result}

    # --- lifecycle ---------------------------------------------------------------------------------------

    async def connect(self):
        user = await signed_in_user(self.scope)
        if user is None:
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        if not await self.authorise(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user_id = user.pk
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.frames = TokenBucket(rate=FRAME_RATE, burst=FRAME_BURST)
        await self.channel_layer.group_add(user_group(self.user_id), self.channel_name)
        await self.accept()
        await self.connected(user)

    async def disconnect(self, code):
        if self.user_id is None:
            return
        await self.channel_layer.group_discard(user_group(self.user_id), self.channel_name)
        await self.disconnected()

    # --- frames from the client ----------------------------------------------------------------------------

    async def send_json(self, frame: dict) -> None:
        await self.send(text_data=json.dumps(frame))

    async def error(self, code: str, text: str, **extra) -> None:
        frame = {"type": "error", "code": code, "message": text}
        frame.update({k: v for k, v in extra.items() if v is not None})
        await self.send_json(frame)

    async def signed_out(self, code: str, text: str, ref=None) -> None:
        await self.error(code, text, ref=ref)
        await self.close(code=CLOSE_SIGNED_OUT)

    def _checks(self, kind: str):
        """In the database thread, in one hop: the session still signs the person in, and (for writes)
        their shared allowance has room. Returns (user or None, allowed)."""
        user = session_user(self.session_key)
        if user is None or user.pk != self.user_id:
            return None, True
        return user, (kind not in self.write_types or write_allowed(self.user_id))

    async def receive(self, text_data=None, bytes_data=None):
        if not self.frames.take():
            await self.error("rate_limited", "Too many frames: slow down.")
            return
        try:
            frame = frame_parse(text_data, max_chars=self.max_frame_chars)
        except FrameError as exc:
            await self.error(exc.code, str(exc))
            return
        ref = frame_ref(frame)
        client_id = frame.get("client_id") if isinstance(frame.get("client_id"), str) else None
        kind = frame.get("type")
        handler = self.handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            await self.error("unknown_type", f"Unknown frame type {str(kind)[:40]!r}.", ref=ref)
            return
        user, allowed = await database_sync_to_async(self._checks)(kind)
        if user is None:
            await self.signed_out("session_expired", "Your sign-in has ended: sign in again.", ref=ref)
            return
        if not allowed:
            await self.error("rate_limited", "You're sending too fast: wait a moment.", ref=ref,
                             client_id=client_id)
            return
        try:
            if asyncio.iscoroutinefunction(handler):
                await handler(self, user, frame, ref)
            else:
                result = await database_sync_to_async(handler)(self, user, frame)
                await self.send_json(self.ack_frame(kind, ref, result))
        except HubError as exc:
            await self.error(exc.code, str(exc), ref=ref, client_id=client_id)
        except Exception:
            logger.exception("%s frame %s failed", type(self).__name__, kind)
            await self.error("server_error", "Something went wrong on our side; try again.", ref=ref,
                             client_id=client_id)

    # --- events from the channel layer (group user.<id>) -----------------------------------------------------

    async def session_end(self, event):
        key = event.get("session_key")
        if key is None or key == self.session_key:
            await self.signed_out("signed_out", "You were signed out.")

    async def session_check(self, event):
        """The account changed (a new password, switched off): close if the session no longer signs in."""
        user = await database_sync_to_async(session_user)(self.session_key)
        if user is None or user.pk != self.user_id:
            await self.signed_out("signed_out", "You were signed out.")

    async def access_recheck(self, event):
        user = await database_sync_to_async(session_user)(self.session_key)
        if user is None or user.pk != self.user_id:
            await self.signed_out("session_expired", "Your sign-in has ended: sign in again.")
            return
        await self.recheck()


def _on_logged_out(sender, request=None, user=None, **kwargs) -> None:
    if user is None:
        return
    session = getattr(request, "session", None)
    sockets_end(user_id=user.pk, session_key=getattr(session, "session_key", None))


def _on_user_saved(sender, instance, created=False, **kwargs) -> None:
    """A saved account may have a new password or be switched off: its sockets re-read their sessions."""
    if created:
        return
    user_id = instance.pk
    transaction.on_commit(lambda: sessions_check(user_id=user_id))


def _on_person_saved(sender, instance, created=False, **kwargs) -> None:
    """A profile changed (a new home district, school or partner): what the person may see may narrow."""
    if created:
        return
    user_id = instance.user_id
    transaction.on_commit(lambda: access_changed([user_id]))


def _on_roles_changed(sender, instance, action, pk_set=None, reverse=False, **kwargs) -> None:
    """Roles are groups: adding or removing one changes what the person may see."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    user_ids = set(pk_set or ()) if reverse else {instance.pk}
    transaction.on_commit(lambda: access_changed(user_ids))


def signals_connect() -> None:
    """Called from HubConfig.ready()."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_out
    from django.db.models.signals import m2m_changed, post_save

    user_logged_out.connect(_on_logged_out, dispatch_uid="hub-sockets-logged-out")
    post_save.connect(_on_user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="hub-sockets-user-saved")
    post_save.connect(_on_person_saved, sender="hub.Person", dispatch_uid="hub-sockets-person-saved")
    m2m_changed.connect(_on_roles_changed, sender=get_user_model().groups.through,
                        dispatch_uid="hub-sockets-roles-changed")

