from django.contrib import admin

from hub.admin import ReadOnlyAdmin
from hub.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the trail is written by the services."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "district", "rows"]
    list_filter = ["action", "district"]
