from django.urls import path

from hub.schedule import views

app_name = "scheduled"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<slug:name>/run-now/", views.job_run_now, name="run_now"),
]
