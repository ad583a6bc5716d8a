from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail: entries, the districts each concerns, and who may read them."""

    name = "hub.audit"
    label = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import hub.audit.privacy  # noqa: F401 - registers what the trail holds (hub.privacy.registry)
