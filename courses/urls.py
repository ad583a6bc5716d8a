from django.urls import path

from courses import analytics_views, badge_views, coach_views, views

app_name = "courses"

urlpatterns = [
    path("", views.my_training, name="my_training"),
    path("courses/<int:course_id>/enroll/", views.course_enroll, name="enroll"),
    path("modules/<int:module_id>/checks/<str:check_id>/", views.check_submit, name="check_submit"),
    path("modules/<int:module_id>/reflections/<str:block_id>/", views.reflection_submit, name="reflection_submit"),
    path("modules/<int:module_id>/complete/", views.module_complete, name="module_complete"),
    path("analytics/", analytics_views.course_analytics, name="analytics"),
    path("analytics/<int:course_id>.csv", analytics_views.course_analytics_csv, name="analytics_csv"),
    path("coaches/", coach_views.coach_list, name="coaches"),
    path("coaches/<int:person_id>/take-away/", coach_views.coach_take, name="coach_take"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<str:code>.jwt", badge_views.certificate_badge, name="certificate_badge"),
    path("certificates/<str:code>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("certificates/<str:code>/reinstate/", views.certificate_reinstate, name="certificate_reinstate"),
    path("certificates/<str:code>/renewal/", views.certificate_renewal_open, name="certificate_renewal_open"),
    path("courses/<int:course_id>/renew/", views.renewal_start, name="renewal_start"),
    path("verify/", badge_views.credential_check, name="credential_check"),
    path("verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
