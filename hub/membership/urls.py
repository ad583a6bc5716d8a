from django.urls import path

from hub.membership import views

app_name = "membership"

urlpatterns = [
    path("", views.people, name="people"),
    path("<int:person_id>/left/", views.leave, name="leave"),
    path("<int:person_id>/move/", views.move, name="move"),
    path("<int:person_id>/deactivate/", views.deactivate, name="deactivate"),
    path("moving-in/", views.moves_incoming, name="moves_incoming"),
    path("moves/<int:move_id>/decide/", views.move_decide, name="move_decide"),
    path("moves/<int:move_id>/withdraw/", views.move_withdraw, name="move_withdraw"),
]
