"""How discussion messages look: plain text made safe with links, mentions found, and a message as the
websocket protocol sends it (hub/discussion/protocol.md). Pure functions: no database writes."""

import re

from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hub.discussion.models import Message, Room

MAX_MENTIONS = 10

URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.+-]{1,150})")


def message_html(body: str) -> SafeString:
    """Plain text, escaped, with http(s) links made clickable: nothing else becomes markup."""
    out, last = [], 0
    for match in URL.finditer(body):
        url = match.group(0)
        stripped = url.rstrip(TRAILING)
        end = match.start() + len(stripped)
        if len(stripped) <= len("https://"):
            continue
        out.append(escape(body[last:match.start()]))
        out.append(f'<a href="{escape(stripped)}" rel="noopener nofollow ugc">{escape(stripped)}</a>')
        last = end
    out.append(escape(body[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def mentioned_usernames(body: str) -> list[str]:
    names = []
    for match in MENTION.finditer(body):
        name = match.group(1).rstrip(".-+")
        if name and name not in names:
            names.append(name)
    return names[:MAX_MENTIONS]


def room_url(room: Room) -> str:
    try:
        return reverse("discussion:room", kwargs={"slug": room.slug})
    except NoReverseMatch:
        return f"/discussion/{room.slug}/"


def message_data(message: Message) -> dict:
    """A message as the websocket protocol sends it (hub/discussion/protocol.md)."""
    author = message.author
    data = {
        "id": message.pk,
        "room": message.room.slug,
        "author": {"id": author.pk, "username": author.get_username(),
                   "name": author.get_full_name() or author.get_username()},
        "client_id": message.client_id,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": message.deleted_at is not None,
        "hidden": message.hidden_at is not None,
        "hidden_reason": message.hidden_reason if message.hidden_at else "",
        "body": "",
        "html": "",
    }
    if not data["deleted"] and not data["hidden"]:
        data["body"] = message.body
        data["html"] = str(message_html(message.body))
    return data
