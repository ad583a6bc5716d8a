from django.apps import AppConfig


class MembershipConfig(AppConfig):
    """Account life (left, moved, deactivated) and the audit of every role, district and active change."""

    name = "hub.membership"
    label = "membership"
    verbose_name = "Account life"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        import hub.membership.privacy  # noqa: F401 - registers what this app holds (hub.privacy.registry)
        import hub.membership.recording  # noqa: F401 - audits every role, district and active change
        from hub.navigation import NavItem, nav_register
        from hub.roles import COORDINATOR

        nav_register(NavItem(_("Your visitors"), "membership:people", roles=frozenset({COORDINATOR}), order=33))
