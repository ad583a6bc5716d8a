from django.urls import path

from hub.discussion import views

app_name = "discussion"

urlpatterns = [
    path("", views.room_list, name="rooms"),
    path("<slug:slug>/", views.room_detail, name="room"),
    path("<slug:slug>/<int:message_id>/edit/", views.message_edit, name="message_edit"),
    path("<slug:slug>/<int:message_id>/delete/", views.message_delete, name="message_delete"),
    path("<slug:slug>/<int:message_id>/hide/", views.message_hide, name="message_hide"),
]
