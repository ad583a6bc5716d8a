from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    """Scheduled work (reminders, purges) run through the task queue: each feature app declares its jobs,
    `manage.py run_schedule` (the beat) enqueues each due slot once, and every run is recorded (`Run`)
    so that staff see what ran, what it did, and what was missed.

    The label is `scheduled`, not `schedule`: that one is django-scheduler's (sessions' calendars)."""

    name = "hub.schedule"
    label = "scheduled"
    verbose_name = "Scheduled jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from hub.navigation import NavItem, nav_register
        from hub.schedule import privacy  # noqa: F401 - what the runs hold (hub.privacy)
        from hub.schedule.selectors import SCHEDULE_ROLES

        nav_register(NavItem(_("Scheduled jobs"), "scheduled:list", roles=SCHEDULE_ROLES, order=88))
        from hub.schedule import scheduled
        from hub.schedule.registry import job_register

        job_register(*scheduled.JOBS)  # old runs deleted daily
