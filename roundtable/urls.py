from django.urls import path

from roundtable import views

app_name = "roundtable"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("<int:pk>/", views.signup, name="signup"),
    path("s/<str:token>/", views.private, name="private"),
    path("s/<str:token>/cancel/", views.cancel, name="cancel"),
    path("organise/", views.organise, name="organise"),
    path("organise/new/", views.roundtable_new, name="roundtable_new"),
    path("organise/<int:pk>/", views.organise_detail, name="organise_detail"),
    path("organise/<int:pk>/edit/", views.roundtable_edit, name="roundtable_edit"),
    path("organise/<int:pk>/copy/", views.roundtable_copy, name="roundtable_copy"),
    path("organise/<int:pk>/cancel/", views.roundtable_cancel, name="roundtable_cancel"),
    path("organise/<int:pk>/signups.csv", views.export_csv, name="export_csv"),
    path("organise/<int:pk>/check-in/<int:signup_id>/", views.check_in, name="check_in"),
    path("organise/<int:pk>/insights/", views.insight_add, name="insight_add"),
    path("organise/<int:pk>/insights/<int:insight_id>/edit/", views.insight_edit, name="insight_edit"),
    path("organise/<int:pk>/insights/<int:insight_id>/delete/", views.insight_delete, name="insight_delete"),
    path("insights/", views.insights, name="insights"),
]
