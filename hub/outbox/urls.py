from django.urls import path

from hub.outbox import views

app_name = "outbox"

urlpatterns = [
    path("", views.message_list, name="list"),
    path("<int:pk>/send-again/", views.message_send_again, name="send_again"),
]
