from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CoordinatorsConfig(AppConfig):
    name = "coordinators"
    label = "coordinators"
    verbose_name = "Coordinators: roster, cases and visits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coordinators.selectors import coordinators_of_open_cases
        from courses.services import lapse_watcher_register
        from hub.navigation import NavItem, nav_register
        from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, VISITOR

        staff = frozenset({COORDINATOR, REGIONAL_STAFF, STATE_STAFF})
        nav_register(NavItem(gettext_lazy("Who is trained"), "coordinators:roster", roles=staff, order=30))
        nav_register(NavItem(gettext_lazy("Cases"), "coordinators:case_list", roles=staff, order=31))
        nav_register(NavItem(gettext_lazy("Dashboard"), "coordinators:dashboard", roles=staff, order=32))
        nav_register(NavItem(gettext_lazy("My cases"), "coordinators:my_cases", roles=frozenset({VISITOR}), order=20))
        lapse_watcher_register(coordinators_of_open_cases)
        import coordinators.privacy  # noqa: F401 - registers what this app holds (hub.privacy)
        from coordinators.reasons import MESSAGES
        from hub.reasons import reason_messages_register

        reason_messages_register(MESSAGES)
        from coordinators.receivers import flag_cases_of_departed_visitor
        from hub.membership.signals import visitor_left_district

        visitor_left_district.connect(flag_cases_of_departed_visitor, dispatch_uid="coordinators_flag_departed")
        from coordinators.jobs import kinds_register

        kinds_register()
        nav_register(NavItem(gettext_lazy("Case board"), "coordinators:board_home", roles=frozenset({VISITOR, COORDINATOR}),
                             order=21))
        from coordinators import scheduled
        from hub.schedule.registry import job_register

        job_register(*scheduled.JOBS)  # hub.schedule: this app's scheduled jobs
        nav_register(NavItem(gettext_lazy("District need"), "coordinators:need_index",
                             roles=frozenset({REGIONAL_STAFF, STATE_STAFF}), order=33))
