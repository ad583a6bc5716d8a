"""The discussion space's actions: rooms, messages, moderation, mentions, read markers.

Every write is a service here; the websocket consumer (`hub.discussion.consumers`) and the HTML views
(`hub.discussion.views`) only call them, so both paths obey the same rules. Who may read and post is
answered by `hub.discussion.selectors` (one rule, asked by every path).

Nothing is lost in transit: a message is stored first and broadcast to the room's channel-layer group
only after its transaction commits (`hub.sockets.group_send_on_commit`); the database is the source of
truth, so a client that reconnects asks for what it missed (`join` with `since`).

What a person may read can narrow (a revoked certificate, a case reassignment, a new home district):
the service that narrows it calls `hub.sockets.access_changed(user_ids)`, and their open sockets
re-check every joined room.
"""

import json
import logging
import re
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from hub import mail, sockets
from hub.discussion.errors import (
    ClientIdReused,
    EditWindowClosed,
    InvalidMessage,
    MessageGone,
    MessageNotFound,
    NoAccess,
    NotModerator,
    NotYourMessage,
    RoomNotFound,
)
from hub.discussion.formatting import mentioned_usernames, message_data, room_url
from hub.discussion.models import Mention, Message, Room, RoomMembership
from hub.discussion.selectors import Access, access_for, room_unread
from hub.models import District, Region
from hub.selectors import language_of, person_for

logger = logging.getLogger(__name__)

MAX_BODY = 2000
EDIT_WINDOW = timedelta(minutes=15)
SESSION_OPENS_BEFORE = timedelta(hours=1)
SESSION_CLOSES_AFTER = timedelta(days=1)
CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
PRESENCE_TTL = 60 * 60 * 12


# --- Broadcasts ---------------------------------------------------------------------------------------


def room_group(room_id: int) -> str:
    return f"discussion.room.{room_id}"


def _broadcast_on_commit(message: Message, kind: str) -> None:
    # Encoded once here; each consumer forwards the text as it is.
    frame = {"type": kind, "room": message.room.slug, "message": message_data(message)}
    sockets.group_send_on_commit(room_group(message.room_id), {
        "type": "discussion.event", "room_id": message.room_id, "text": json.dumps(frame)})


# --- Presence (for email on mention) -----------------------------------------------------------------


def _presence_key(user_id: int) -> str:
    return f"discussion:online:{user_id}"


def presence_connect(*, user_id: int) -> None:
    key = _presence_key(user_id)
    cache.add(key, 0, PRESENCE_TTL)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, PRESENCE_TTL)


def presence_disconnect(*, user_id: int) -> None:
    key = _presence_key(user_id)
    try:
        if cache.decr(key) <= 0:
            cache.delete(key)
    except ValueError:
        pass


def is_online(user_id: int) -> bool:
    return (cache.get(_presence_key(user_id)) or 0) > 0


# --- Rooms -------------------------------------------------------------------------------------------

COMMUNITY_SLUG = "community"
TRAINERS_SLUG = "trainers"
COORDINATORS_SLUG = "coordinators"
PRACTITIONERS_SLUG = "practitioners"


@transaction.atomic
def rooms_ensure() -> int:
    """The standing rooms: community, trainers, coordinators, one per region and per district (idempotent).

    Returns how many were created. Three queries when nothing is missing.
    """
    existing = set(Room.objects.exclude(kind__in=(Room.Kind.SESSION, Room.Kind.COHORT))
                   .values_list("slug", flat=True))
    wanted = [
        Room(kind=Room.Kind.COMMUNITY, slug=COMMUNITY_SLUG, title="Statewide community",
             description="Everyone taking or done with LEAP 101: what worked on a hard visit."),
        Room(kind=Room.Kind.TRAINERS, slug=TRAINERS_SLUG, title="Trainers",
             description="Hub trainers and state staff."),
        Room(kind=Room.Kind.COORDINATORS, slug=COORDINATORS_SLUG, title="Coordinators",
             description="District coordinators with regional and state staff."),
        Room(kind=Room.Kind.PRACTITIONERS, slug=PRACTITIONERS_SLUG, title="Certified home visitors",
             description="People holding a current LEAP 101 certificate, with the trainers."),
    ]
    wanted += [Room(kind=Room.Kind.REGION, slug=f"region-{region.code}", title=f"{region.name} region",
                    region=region) for region in Region.objects.all()]
    wanted += [Room(kind=Room.Kind.DISTRICT, slug=f"district-{district.slug}", title=district.name,
                    district=district) for district in District.objects.all()]
    missing = [room for room in wanted if room.slug not in existing]
    if missing:
        Room.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@transaction.atomic
def room_for_session(*, external_ref: str, title: str, starts_at: datetime, ends_at: datetime) -> Room:
    """The room beside a live session, open from an hour before it starts to a day after it ends.

    Idempotent by `external_ref` (e.g. "occurrence:123"); a moved session moves its window.
    """
    if not external_ref or len(external_ref) > 80:
        raise InvalidMessage("A session room needs a reference of 1 to 80 characters.")
    if ends_at <= starts_at:
        raise InvalidMessage("A session must end after it starts.")
    opens_at, closes_at = starts_at - SESSION_OPENS_BEFORE, ends_at + SESSION_CLOSES_AFTER
    room = Room.objects.select_for_update().filter(external_ref=external_ref).first()
    if room is None:
        slug = f"session-{slugify(external_ref)}"[:80]
        return Room.objects.create(kind=Room.Kind.SESSION, slug=slug, title=title[:200], external_ref=external_ref,
                                   opens_at=opens_at, closes_at=closes_at)
    room.title, room.opens_at, room.closes_at = title[:200], opens_at, closes_at
    room.save(update_fields=["title", "opens_at", "closes_at", "updated_at"])
    return room


@transaction.atomic
def room_for_cohort(*, external_ref: str, title: str) -> Room:
    """The room of one training cohort (e.g. "cohort:123", the people of one LEAP 101 live training), which
    stays open after the training so the cohort keeps talking. Idempotent by `external_ref`."""
    if not external_ref or len(external_ref) > 80:
        raise InvalidMessage("A cohort room needs a reference of 1 to 80 characters.")
    room = Room.objects.select_for_update().filter(external_ref=external_ref).first()
    if room is None:
        return Room.objects.create(kind=Room.Kind.COHORT, slug=f"cohort-{slugify(external_ref)}"[:80],
                                   title=title[:200], external_ref=external_ref)
    if room.kind != Room.Kind.COHORT:
        raise InvalidMessage("That reference belongs to another kind of room.")
    return room


def room_get(*, slug: str) -> Room:
    room = Room.objects.select_related("region", "district").filter(slug=slug).first()
    if room is None:
        raise RoomNotFound("There is no such room.")
    return room


def room_for_reader(*, slug: str, user, access: Access | None = None) -> Room:
    """The room, if the person may read it; the same refusal for a missing room and a closed door."""
    if not isinstance(slug, str) or not slug:
        raise RoomNotFound("There is no such room.")
    room = room_get(slug=slug)
    if not (access or access_for(user)).can_read(room):
        raise NoAccess(f"You can't read {room.title}.")
    return room


def message_get(*, message_id) -> Message:
    # An id is a whole number (or its digits, from a URL or form): never True (== 1) nor 1.9 (int() == 1).
    if isinstance(message_id, bool) or not isinstance(message_id, int | str):
        raise MessageNotFound("There is no such message.")
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        raise MessageNotFound("There is no such message.") from None
    message = Message.objects.select_related("room", "author").filter(pk=message_id).first()
    if message is None:
        raise MessageNotFound("There is no such message.")
    return message


# --- Messages ----------------------------------------------------------------------------------------


def _clean_body(body) -> str:
    if not isinstance(body, str):
        raise InvalidMessage("A message is text.")
    body = body.replace("\r\n", "\n").strip()
    if "\x00" in body:
        raise InvalidMessage("A message can't contain NUL characters.")
    if not body:
        raise InvalidMessage("Write something first.")
    if len(body) > MAX_BODY:
        raise InvalidMessage(f"A message is at most {MAX_BODY:,} characters (this one has {len(body):,}).")
    return body


def _require_reader(room: Room, user, access: Access | None) -> Access:
    access = access or access_for(user)
    if not access.can_read(room):
        raise NoAccess(f"You can't post in {room.title}.")
    return access


@transaction.atomic
def message_post(*, room: Room, author, body, client_id, access: Access | None = None) -> tuple[Message, bool]:
    """Store a message (once per author and client id) and broadcast it after commit.

    Returns (message, created). A resend with the same client id returns the stored message and
    broadcasts nothing; the author is always the signed-in person, never a field of the request.
    """
    _require_reader(room, author, access)
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise InvalidMessage("A message needs a client id of 1 to 64 letters, digits or - _ . :")
    body = _clean_body(body)
    existing = Message.objects.select_related("room", "author").filter(author=author, client_id=client_id).first()
    if existing is None:
        try:
            with transaction.atomic():
                message = Message.objects.create(room=room, author=author, client_id=client_id, body=body)
        except IntegrityError:  # the same resend racing on another process
            existing = Message.objects.select_related("room", "author").get(author=author, client_id=client_id)
    if existing is not None:
        if existing.room_id != room.pk:
            raise ClientIdReused("That client id was already used for a message in another room.")
        return existing, False
    message.room, message.author = room, author
    _broadcast_on_commit(message, "message")
    _mentions_create(message)
    return message, True


def _mentions_create(message: Message) -> None:
    names = [n for n in mentioned_usernames(message.body) if n.lower() != message.author.get_username().lower()]
    if not names:
        return
    User = get_user_model()
    users = [u for u in User.objects.filter(username__in=names, is_active=True)
             if access_for(u).can_read(message.room)]
    if not users:
        return
    Mention.objects.bulk_create([Mention(message=message, user=u) for u in users], ignore_conflicts=True)
    frame = {"type": "mention", "room": message.room.slug, "room_title": message.room.title,
             "message": message_data(message)}
    text = json.dumps(frame)
    transaction.on_commit(lambda: _mentions_notify(message, users, text))


def _mentions_notify(message: Message, users: list, text: str) -> None:
    """In the page for everyone mentioned; by email for those with no socket open."""
    emailed = []
    link = mail.absolute_url(f"{room_url(message.room)}#m{message.pk}")
    who = message.author.get_full_name() or message.author.get_username()
    for user in users:
        sockets.user_send(user.pk, {"type": "discussion.mention", "text": text})
        if is_online(user.pk) or not user.email:
            continue
        person = person_for(user)
        language = language_of(user)  # the mentioned person's, not the author's
        with translation.override(language):
            context = {"who": who, "room": message.room.title, "body": message.body, "link": link}
            context["subject"] = subject = translation.gettext("%(who)s mentioned you in %(room)s") % context
            text, html = mail.mail_render("discussion/email/mention", context, language=language)
        if mail.mail_send(subject=subject, body=text, html=html, to=user.email, kind="mention", person=person,
                          language=language, key=f"discussion:mention:{message.pk}:{user.pk}", about=message):
            emailed.append(user.pk)
    if emailed:
        Mention.objects.filter(message=message, user_id__in=emailed).update(emailed=True)


@transaction.atomic
def message_edit(*, message: Message, by, body, access: Access | None = None,
                 now: datetime | None = None) -> Message:
    """Change one's own message within 15 minutes of posting it."""
    now = now or timezone.now()
    message = Message.objects.select_for_update().select_related("room", "author").get(pk=message.pk)
    if message.author_id != by.pk:
        raise NotYourMessage("You can only edit your own messages.")
    _require_reader(message.room, by, access)
    if message.deleted_at or message.hidden_at:
        raise MessageGone("That message was deleted or hidden.")
    if now - message.created_at > EDIT_WINDOW:
        raise EditWindowClosed("Messages can be edited for 15 minutes after posting.")
    message.body = _clean_body(body)
    message.edited_at = now
    message.save(update_fields=["body", "edited_at", "updated_at"])
    _broadcast_on_commit(message, "edit")
    return message


@transaction.atomic
def message_delete(*, message: Message, by, access: Access | None = None) -> Message:
    """Delete one's own message: the text goes, a tombstone stays in the history."""
    message = Message.objects.select_for_update().select_related("room", "author").get(pk=message.pk)
    if message.author_id != by.pk:
        raise NotYourMessage("You can only delete your own messages (moderators hide others').")
    _require_reader(message.room, by, access)
    if message.deleted_at is None:
        message.deleted_at = timezone.now()
        message.body = ""
        message.save(update_fields=["deleted_at", "body", "updated_at"])
        Mention.objects.filter(message=message).delete()
        _broadcast_on_commit(message, "delete")
    return message


@transaction.atomic
def message_hide(*, message: Message, by, reason, access: Access | None = None) -> Message:
    """A trainer or coordinator hides a message with a reason; the text is kept for the record."""
    message = Message.objects.select_for_update().select_related("room", "author").get(pk=message.pk)
    access = access or access_for(by)
    if not access.can_moderate(message.room):
        raise NotModerator("Only trainers and coordinators can hide messages.")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidMessage("Say why the message is hidden.")
    reason = reason.strip()
    if len(reason) > 300:
        raise InvalidMessage("A reason is at most 300 characters.")
    if "\x00" in reason:
        raise InvalidMessage("A reason can't contain NUL characters.")
    if message.deleted_at:
        raise MessageGone("That message was deleted.")
    message.hidden_at = timezone.now()
    message.hidden_by = by
    message.hidden_reason = reason
    message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    _broadcast_on_commit(message, "hide")
    return message


@transaction.atomic
def room_mark_read(*, room: Room, user, up_to, access: Access | None = None) -> int:
    """Everything up to message `up_to` is read; returns the unread count left (never moves back)."""
    _require_reader(room, user, access)
    try:
        up_to = int(up_to)
    except (TypeError, ValueError):
        raise InvalidMessage("Say which message was read last.") from None
    latest = Message.objects.filter(room=room).order_by("-id").values_list("id", flat=True).first() or 0
    up_to = max(0, min(up_to, latest))
    membership, _ = RoomMembership.objects.select_for_update().get_or_create(room=room, user=user)
    if up_to > membership.last_read_id:
        membership.last_read_id = up_to
        membership.save(update_fields=["last_read_id", "updated_at"])
    return room_unread(room=room, user=user)
