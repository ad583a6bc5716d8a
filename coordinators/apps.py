from django.apps import AppConfig


class CoordinatorsConfig(AppConfig):
    name = "coordinators"
    label = "coordinators"
    default_auto_field = "django.db.models.BigAutoField"
