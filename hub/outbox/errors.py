"""Refusals of the outbox."""

from django.utils.translation import gettext_lazy as _

from hub.errors import HubError


class OutboxError(HubError):
    code = "outbox"


class NotAllowed(OutboxError):
    code = "not_allowed"


class NotFailed(OutboxError):
    """Only a message that failed (every try used) can be sent again."""

    code = "not_failed"

    def __init__(self, message=None):
        super().__init__(message or _("Only a message that failed can be sent again."))
