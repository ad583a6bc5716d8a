from django.urls import path

from sessions import views

app_name = "training_sessions"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("month/", views.month, name="month"),
    path("month/<int:year>/<int:month>/", views.month, name="month_of"),
    path("mine/", views.mine, name="mine"),
    path("mine/feed/regenerate/", views.feed_regenerate, name="feed_regenerate"),
    path("feed/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.series_new, name="series_new"),
    path("manage/<int:series_id>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:series_id>/", views.series_detail, name="series"),
    path("series/<int:series_id>/calendar.ics", views.series_feed, name="series_feed"),
    path("recordings/upload/", views.recording_upload, name="recording_upload"),
    path("recordings/<int:page_id>/progress/", views.recording_progress, name="recording_progress"),
    path("recordings/<int:page_id>/reflection/", views.recording_reflection, name="recording_reflection"),
    path("<int:series_id>/<str:key>/", views.occurrence, name="occurrence"),
    path("<int:series_id>/<str:key>/session.ics", views.occurrence_ics, name="occurrence_ics"),
    path("<int:series_id>/<str:key>/register/", views.register, name="register"),
    path("<int:series_id>/<str:key>/chat/", views.occurrence_chat, name="occurrence_chat"),
    path("<int:series_id>/<str:key>/cohort/", views.occurrence_cohort, name="occurrence_cohort"),
    path("<int:series_id>/<str:key>/unregister/", views.unregister, name="unregister"),
    path("<int:series_id>/<str:key>/attendance/", views.attendance, name="attendance"),
    path("<int:series_id>/<str:key>/observations/", views.observations, name="observations"),
    path("<int:series_id>/<str:key>/cancel/", views.cancel_occurrence, name="cancel_occurrence"),
    path("<int:series_id>/<str:key>/renewal/", views.occurrence_renewal, name="occurrence_renewal"),
    path("<int:series_id>/<str:key>/move/", views.move_occurrence, name="move_occurrence"),
]
