from django.urls import path

from hub import views

app_name = "hub"

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("districts/", views.district_list, name="districts"),
    path("health/", views.health, name="health"),
]
