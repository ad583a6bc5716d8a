"""Departures are written by the account-life services only: the admin shows them, never edits them.
Role and district changes made in the admin (a user's groups, a person's home district) are audited by
`hub.membership.recording`, as every other change is."""

from django.contrib import admin

from hub.admin import ReadOnlyAdmin
from hub.membership.models import Departure


@admin.register(Departure)
class DepartureAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["person", "kind", "state", "from_district", "to_district", "requested_by", "decided_by",
                    "created_at"]
    list_filter = ["kind", "state", "from_district", "to_district"]
    search_fields = ["person__user__first_name", "person__user__last_name", "person__user__email"]
    list_select_related = ["person__user", "from_district", "to_district", "requested_by", "decided_by"]
