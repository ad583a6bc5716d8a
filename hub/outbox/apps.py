from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every email the Hub sends: a row written with the change that causes it, sent by a task worker,
    retried with backoff while the relay fails, visible to staff with its state."""

    name = "hub.outbox"
    label = "outbox"
    verbose_name = "Outbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hub.navigation import NavItem, nav_register
        from hub.outbox import demo, privacy  # noqa: F401 - the demo step; what the outbox holds (hub.privacy)
        from hub.roles import COORDINATOR, STATE_STAFF, TRAINER

        nav_register(NavItem("Outbox", "outbox:list", roles=frozenset({TRAINER, STATE_STAFF, COORDINATOR}),
                             order=84))
        from hub.outbox import scheduled
        from hub.schedule.registry import job_register

        job_register(*scheduled.JOBS)  # hub.schedule: old messages and task records deleted daily
