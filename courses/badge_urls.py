"""The Open Badges addresses verifiers rely on: stable, outside /training/ (mounted at the site root by
hub/urls.py). Credentials already issued name them, so they must never move."""

from django.urls import path

from courses import badge_views

app_name = "badges"

urlpatterns = [
    path("badges/issuer", badge_views.issuer, name="issuer"),
    path("badges/achievements/<str:course_code>", badge_views.achievement_document, name="achievement"),
    path("badges/status/<int:number>", badge_views.status_list, name="status_list"),
    path(".well-known/jwks.json", badge_views.jwks_document, name="jwks"),
]
