from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    label = "hub"
    verbose_name = "People and organisations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from hub.navigation import NavItem, nav_register
        from hub.roles import CONTENT_EDITORS, COORDINATOR, REGIONAL_STAFF, STATE_STAFF

        # Items shown to signed-out families are translated; the staff pages are in English.
        nav_register(NavItem(_("Home"), "/", public=True, order=0))
        nav_register(NavItem("My profile", "hub:profile", order=80))
        nav_register(
            NavItem("Districts", "hub:districts", roles=frozenset({COORDINATOR, REGIONAL_STAFF, STATE_STAFF}),
                    order=70)
        )
        nav_register(NavItem("Edit the site", "wagtailadmin_home", roles=CONTENT_EDITORS, order=90))
        from django.db.backends.signals import connection_created

        from hub.text import sqlite_functions_register

        connection_created.connect(sqlite_functions_register, dispatch_uid="hub.text.sqlite_functions")
        from hub.sockets import signals_connect

        signals_connect()  # sockets follow the session: sign-out, a new password, deactivation
        from hub.upload_validation import install as uploads_install

        uploads_install()  # every file field checks what is uploaded; names people read are cleaned
