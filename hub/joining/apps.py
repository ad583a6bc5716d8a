from django.apps import AppConfig


class JoiningConfig(AppConfig):
    """How people join the Hub: invitations by email, one by one or from a staff list (CSV); and learners
    from outside the program's districts, who sign up for LEAP 101 themselves."""

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
        nav_register(NavItem(_("Learners to approve"), "joining:learners", roles=frozenset({TRAINER, STATE_STAFF}),
                             order=71))
        from django.contrib.auth.signals import user_login_failed
        from django.core import checks

        from hub.joining.views import learner_sign_in_failed

        user_login_failed.connect(learner_sign_in_failed, dispatch_uid="joining.learner_sign_in_failed")
        checks.register(learner_approval_check)
        import hub.joining.privacy  # noqa: F401 - registers what this app holds (hub.privacy.registry)
        from hub.joining.jobs import kinds_register

        kinds_register()  # the staff-list import runs as a job (hub.jobs)


def learner_approval_check(app_configs=None, **kwargs):
    """`manage.py check` warns about a LEARNER_SIGNUP_APPROVAL that is neither "queue" nor "open" (the Hub
    treats it as "queue": nobody gets in unapproved by a typo)."""
    from django.conf import settings
    from django.core import checks

    from hub.joining.selectors import APPROVAL_MODES

    value = getattr(settings, "LEARNER_SIGNUP_APPROVAL", "queue")
    if value in APPROVAL_MODES:
        return []
    return [checks.Warning(f"LEARNER_SIGNUP_APPROVAL is {value!r}; it must be 'queue' or 'open'. The Hub treats "
                           "it as 'queue' (trainers approve each learner).", id="joining.W001")]
