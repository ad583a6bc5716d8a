from django.urls import path

from hub.joining import views

app_name = "joining"

urlpatterns = [
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/new/", views.invite, name="invite"),
    path("invitations/import/", views.invite_import, name="import"),
    path("invitations/<int:invitation_id>/resend/", views.resend, name="resend"),
    path("invitations/<int:invitation_id>/withdraw/", views.withdraw, name="withdraw"),
    path("leap-101/", views.learner_signup, name="learner_signup"),
    path("leap-101/waiting/", views.learner_waiting, name="learner_waiting"),
    path("learners/", views.learner_queue, name="learners"),
    path("learners/<int:request_id>/approve/", views.learner_approve, name="learner_approve"),
    path("learners/<int:request_id>/refuse/", views.learner_refuse, name="learner_refuse"),
    # Last: any other single segment is an invitation's token.
    path("<str:token>/", views.accept, name="accept"),
    path("<str:token>/sso/<str:provider_id>/", views.sso_start, name="sso_start"),
]
