from django.urls import path

from hub.twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("turn-off/", views.turn_off, name="turn_off"),
]
