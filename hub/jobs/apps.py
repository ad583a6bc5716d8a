from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Long work (imports, large exports) run by the task worker with a progress bar: a `Job` row per run,
    its file kept privately for its owner for JOB_RESULT_DAYS. Feature apps register their kinds of job
    (`hub.jobs.registry.kind_register`) from their own AppConfig.ready(); this app imports none of them."""

    name = "hub.jobs"
    label = "jobs"
    verbose_name = "Jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        import hub.jobs.privacy  # noqa: F401 - registers what this app holds (hub.privacy.registry)
        from hub.navigation import NavItem, nav_register
        from hub.roles import COORDINATOR, STATE_STAFF, TRAINER

        # The people who import and export (coordinators; trainers and state staff import staff lists).
        nav_register(NavItem(_("My recent jobs"), "jobs:list", roles=frozenset({COORDINATOR, TRAINER, STATE_STAFF}),
                             order=83))
        from hub.jobs import scheduled
        from hub.schedule.registry import job_register

        job_register(*scheduled.JOBS)  # hub.schedule: resume stopped jobs, remove expired files
