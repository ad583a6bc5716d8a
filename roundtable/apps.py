from django.apps import AppConfig


class RoundtableConfig(AppConfig):
    name = "roundtable"
    label = "roundtable"
    default_auto_field = "django.db.models.BigAutoField"
