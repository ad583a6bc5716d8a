from django.contrib import admin

from hub.admin import ReadOnlyAdmin
from hub.schedule.models import Run


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: runs are written by the scheduler and the jobs' tasks ("run now" is on /schedule/)."""

    list_display = ["job", "slot", "state", "trigger", "started_at", "finished_at", "summary"]
    list_filter = ["state", "trigger", "job"]
    search_fields = ["job", "summary", "error"]
    raw_id_fields = ["requested_by"]
