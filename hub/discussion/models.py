"""The discussion space's models: rooms, what each person has read, messages and mentions.

Rules live in `hub.discussion.services` (writes) and `hub.discussion.selectors` (who may read what);
the websocket protocol is in `hub/discussion/protocol.md`.

These models were first made in the `hub` app; they moved here with their tables (`db_table`), so a
database made before the move keeps every row (migration `discussion.0001_initial` only tells Django's
state where they live now).
"""

from django.conf import settings
from django.db import models

from hub.models import District, Region, TimeStampedModel


class Room(TimeStampedModel):
    """A place to talk. Who may read and post is `hub.discussion.selectors.room_can_read`."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", "Community"
        REGION = "region", "Region"
        DISTRICT = "district", "District"
        SESSION = "session", "Live session"
        TRAINERS = "trainers", "Trainers"
        COORDINATORS = "coordinators", "Coordinators"
        PRACTITIONERS = "practitioners", "Practitioners"
        COHORT = "cohort", "Training cohort"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.CharField(max_length=300, blank=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="rooms")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE, related_name="rooms")
    external_ref = models.CharField(
        max_length=80, blank=True, default="",
        help_text="For session and cohort rooms: what the room belongs to, e.g. occurrence:123 or cohort:123.",
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "hub_room"
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["region"], condition=models.Q(kind="region"),
                                    name="room_one_per_region"),
            models.UniqueConstraint(fields=["district"], condition=models.Q(kind="district"),
                                    name="room_one_per_district"),
            models.UniqueConstraint(fields=["external_ref"], condition=~models.Q(external_ref=""),
                                    name="room_one_per_external_ref"),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True) | models.Q(closes_at__isnull=True)
                | models.Q(opens_at__lt=models.F("closes_at")),
                name="room_opens_before_it_closes",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoomMembership(TimeStampedModel):
    """What a person has read in a room (the unread count is messages after `last_read_id`)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_memberships")
    last_read_id = models.BigIntegerField(default=0)

    class Meta:
        db_table = "hub_roommembership"
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="room_membership_once")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id} (read to {self.last_read_id})"


class Message(TimeStampedModel):
    """A message in a room. Deleting keeps a tombstone; hiding (moderation) keeps the text and a reason."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages")
    client_id = models.CharField(max_length=64, help_text="Chosen by the sender's client: a resend is stored once.")
    body = models.TextField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "hub_message"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="message_once_per_client_id"),
        ]
        indexes = [models.Index(fields=["room", "id"], name="message_room_id")]

    def __str__(self) -> str:
        return f"{self.author_id} in {self.room_id}: {self.body[:40]}"


class Mention(models.Model):
    """An @mention of a person who may read the room; `emailed` when they were away."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")
    emailed = models.BooleanField(default=False)

    class Meta:
        db_table = "hub_mention"
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="mention_once_per_message")]

    def __str__(self) -> str:
        return f"@{self.user_id} in message {self.message_id}"


