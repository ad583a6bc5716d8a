"""Django admin for support staff. Trainers use the Hub's own pages (/sessions/manage/)."""

from django.contrib import admin

from hub.admin import ReadOnlyAdmin
from sessions.models import Attendance, CalendarFeed, Registration, ReminderSent, Series, SessionOccurrence


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["slug", "kind", "audience", "capacity", "repeat", "first_date", "last_date"]
    list_filter = ["kind", "audience", "repeat"]
    search_fields = ["slug", "event__title"]
    raw_id_fields = ["event", "district"]
    filter_horizontal = ["facilitators"]


@admin.register(SessionOccurrence)
class SessionOccurrenceAdmin(admin.ModelAdmin):
    list_display = ["series", "original_start"]
    list_filter = ["series__kind"]
    raw_id_fields = ["series", "occurrence"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: seats change only through the services (the waitlist rule lives there)."""

    list_display = ["person", "occurrence", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["person__user__username", "person__user__last_name"]
    deletable = True


admin.site.register(Attendance)
admin.site.register(CalendarFeed)
admin.site.register(ReminderSent)
