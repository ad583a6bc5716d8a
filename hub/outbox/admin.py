from django.contrib import admin

from hub.admin import ReadOnlyAdmin
from hub.outbox.models import Message


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: messages are written and sent by the outbox's services ("send again" is on /outbox/)."""

    list_display = ["created_at", "kind", "recipient", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind", "district"]
    search_fields = ["recipient", "subject", "key"]
    raw_id_fields = ["person"]
