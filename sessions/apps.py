from django.apps import AppConfig


class SessionsConfig(AppConfig):
    # `sessions` is django.contrib.sessions' label. Use `training_sessions` in every lazy reference
    # and in `makemigrations training_sessions` / `migrate training_sessions` (DEPENDENCIES.md §3).
    name = "sessions"
    label = "training_sessions"
    verbose_name = "Live sessions"
    default_auto_field = "django.db.models.BigAutoField"
