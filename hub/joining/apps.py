from django.apps import AppConfig


class JoiningConfig(AppConfig):
    """How people join the Hub: invitations by email, one by one or from a staff list (CSV)."""

    name = "hub.joining"
    label = "joining"
    verbose_name = "Joining"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from hub.navigation import NavItem, nav_register
        from hub.roles import COORDINATOR, STATE_STAFF, TRAINER

        nav_register(NavItem(_("Invitations"), "joining:invitations",
                             roles=frozenset({COORDINATOR, TRAINER, STATE_STAFF}), order=70))
        import hub.joining.privacy  # noqa: F401 - registers what this app holds (hub.privacy.registry)
