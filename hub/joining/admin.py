from django.contrib import admin

from hub.joining.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made, resent and withdrawn through the Hub's pages (the services)."""

    list_display = ("email", "name", "role", "district", "state", "expires_at", "send_count", "invited_by")
    list_filter = ("state", "role", "district")
    search_fields = ("email", "name")
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
