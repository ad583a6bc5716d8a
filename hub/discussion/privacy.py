"""What the discussion space holds about a person (registered into the privacy registry from
DiscussionConfig.ready())."""

from django.utils import timezone

from hub.privacy.holdings import STAFF_ACT
from hub.privacy.registry import PERSON, anonymise, delete, holding_register, keep

holding_register(
    "discussion.Message", subject=PERSON, find="author", section="Discussion messages you wrote",
    fields=[("Room", "room.title"), ("Posted", "created_at"), ("Text", "body"), ("Edited", "edited_at"),
            ("Deleted", "deleted_at"), ("Hidden by a moderator", "hidden_at")],
    erase=anonymise(body="", deleted_at=lambda row, subject: row.deleted_at or timezone.now()),
    reason="Your posts. Erasure empties them; the room keeps a '(removed)' tombstone so replies "
           "still read in order and message counts stay.")
holding_register(
    "discussion.Message", subject=PERSON, find="hidden_by", section="Messages you hid as a moderator",
    fields=[("Room", "room.title"), ("Hidden", "hidden_at"), ("Reason", "hidden_reason")],
    erase=keep(), reason=f"Moderation: {STAFF_ACT}.")
holding_register(
    "discussion.Mention", subject=PERSON, find="user", section="Mentions of you",
    fields=[("Room", "message.room.title"), ("When", "message.created_at"), ("Emailed", "emailed")],
    erase=delete(), reason="Tells you someone @mentioned you; nothing to keep once you leave.")
holding_register(
    "discussion.Mention", subject=PERSON, find="message__author", erase=delete(),
    reason="Mentions made in your messages go with their text.")
holding_register(
    "discussion.RoomMembership", subject=PERSON, find="user", section="Discussion rooms you read",
    fields=[("Room", "room.title"), ("Read up to message", "last_read_id")],
    erase=delete(), reason="Only your unread counts.")
