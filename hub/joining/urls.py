from django.urls import path

from hub.joining import views

app_name = "joining"

urlpatterns = [
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/new/", views.invite, name="invite"),
    path("invitations/import/", views.invite_import, name="import"),
    path("invitations/<int:invitation_id>/resend/", views.resend, name="resend"),
    path("invitations/<int:invitation_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:token>/", views.accept, name="accept"),
    path("<str:token>/sso/<str:provider_id>/", views.sso_start, name="sso_start"),
]
