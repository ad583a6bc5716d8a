from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    """Two-step sign-in (django-otp: authenticator apps and backup codes) and sign-in throttling
    (django-axes, `hub.twofactor.throttle`). Its devices are django-otp's models; it has none of its own."""

    name = "hub.twofactor"
    label = "twofactor"
    verbose_name = "Two-step sign-in"
    default_auto_field = "django.db.models.BigAutoField"
