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
        import hub.jobs.privacy  # noqa: F401 - registers what this app holds (hub.privacy.registry)
