from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """The privacy registry (what each model holds about whom), export and erasure of one subject's data,
    and the record of every such request."""

    name = "hub.privacy"
    label = "privacy"
    verbose_name = "Privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hub.navigation import NavItem, nav_register
        from hub.privacy import holdings
        from hub.roles import STATE_STAFF

        nav_register(NavItem("Privacy requests", "privacy:requests", roles=frozenset({STATE_STAFF}), order=85))

        holdings.register()  # hub's own models and the third-party apps' (each app registers its own)
