from django.contrib import admin

from hub.admin import ReadOnlyAdmin
from hub.discussion.models import Message, Room


@admin.register(Room)
class RoomAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Rooms are made by `hub.discussion.services` (the standing rooms, one per live session)."""

    list_display = ["title", "kind", "slug", "district", "region", "opens_at", "closes_at"]
    list_filter = ["kind"]
    search_fields = ["title", "slug"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Messages are posted, edited, deleted and hidden through the services (the room pages and the
    socket), which keep the rules: moderators hide a message there, with a reason."""

    list_display = ["created_at", "room", "author", "deleted_at", "hidden_at"]
    list_filter = ["room__kind"]
    search_fields = ["body", "author__username"]
    list_select_related = ["room", "author"]
