from django.urls import path

from hub import views

app_name = "hub"

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("districts/", views.district_list, name="districts"),
    path("health/", views.health, name="health"),
]
