"""The outbox: one row per email the Hub sends, written in the transaction of the change that causes
it (a sign-up, a promotion, a reminder), sent by a task worker (`hub.outbox.tasks`)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.models import District, Person, TimeStampedModel


class Kind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation")
    PROMOTION = "promotion", _("Waitlist promotion")
    REMINDER = "reminder", _("Reminder")
    MENTION = "mention", _("Mention")
    INVITATION = "invitation", _("Invitation")
    CERTIFICATE = "certificate", _("Certificate notice")
    CANCELLATION = "cancellation", _("Cancellation")
    CHANGE = "change", _("Change of plan")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    QUEUED = "queued", _("Queued")  # waiting for a worker, or for its next try after a relay failure
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # every try used; staff may send it again
    SKIPPED = "skipped", _("Skipped")  # no longer makes sense (the person was erased...); `last_error` says why


class Message(TimeStampedModel):
    key = models.CharField(max_length=200, unique=True,
                           help_text="Idempotency key: the same notice is never queued twice.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    recipient = models.EmailField(max_length=254, blank=True)
    language = models.CharField(max_length=12, blank=True, help_text="The language it was written in.")
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="outbox_messages", help_text="The person it concerns, if any.")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="outbox_messages")
    # What the message is about (a sign-up, a registration, a certificate): before sending, the worker
    # asks the check its app registered (`hub.outbox.relevance`) whether it still makes sense.
    about_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text="The kind of thing the message is about, if any.")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True,
                                  help_text="The relay's last refusal (its class and message; never credentials).")
    next_try_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="outbox_state_created_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                                   name="outbox_sent_has_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient or '(removed)'}: {self.subject}"
