from django.apps import AppConfig


class RoundtableConfig(AppConfig):
    name = "roundtable"
    label = "roundtable"
    verbose_name = "Family Roundtables"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from hub.navigation import Entrance, NavItem, entrance_register, nav_register
        from hub.roles import REGIONAL_STAFF, STATE_STAFF, TRAINER

        nav_register(NavItem(_("Family Roundtables"), "roundtable:upcoming", public=True, order=35))
        nav_register(NavItem(_("Roundtable organising"), "roundtable:organise",
                             roles=frozenset({TRAINER, STATE_STAFF}), order=86))
        entrance_register(Entrance(
            _("Family Roundtables — sign up"), "roundtable:upcoming", order=10,
            lead=_("Parents and guardians: tell us what helps your children get to school. Free, with childcare "
                   "and interpreters, in English and Spanish. No account needed.")))
        import roundtable.privacy  # noqa: F401 - registers what this app holds (hub.privacy)
        from hub.outbox.relevance import relevance_register
        from roundtable.selectors import signup_message_reason

        relevance_register("roundtable.familysignup", signup_message_reason)  # skip mail about a cancelled sign-up
        nav_register(NavItem(_("Family insights"), "roundtable:insights",
                             roles=frozenset({TRAINER, STATE_STAFF, REGIONAL_STAFF}), order=87))
        from hub.schedule.registry import job_register
        from roundtable import scheduled

        job_register(*scheduled.JOBS)  # hub.schedule: this app's scheduled jobs
