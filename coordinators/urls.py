from django.urls import path

from coordinators import fidelity_views, need_views, views, waiting_views

app_name = "coordinators"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("roster/export.csv", views.roster_export, name="roster_export"),
    path("roster/<int:person_id>/", views.roster_person, name="roster_person"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/import/", views.case_import, name="case_import"),
    path("cases/export.csv", views.case_export, name="case_export"),
    path("cases/attendance/import/", views.attendance_import, name="attendance_import"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/choice/", views.case_choice, name="case_choice"),
    path("cases/<int:case_id>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:case_id>/visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/edit/", views.visit_edit, name="visit_edit"),
    path("referrals/<int:referral_id>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("mine/", views.my_cases, name="my_cases"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("impact/", views.impact, name="impact"),
    path("impact/impact.csv", views.impact_export, name="impact_export"),
    path("audit/", views.audit_trail, name="audit"),
    path("board/", views.board_home, name="board_home"),
    path("board/<int:district_id>/", views.board, name="board"),
    path("waiting/", waiting_views.waiting, name="waiting"),
    path("waiting/<int:case_id>/assign/", waiting_views.waiting_assign, name="waiting_assign"),
    # Prioritisation (issue 16): the district need index, for state and regional staff.
    path("need/", need_views.need_index, name="need_index"),
    path("need/need-index.csv", need_views.need_export, name="need_export"),
    path("need/upload/", need_views.need_upload, name="need_upload"),
    path("need/template.csv", need_views.need_template, name="need_template"),
    path("need/example.csv", need_views.need_example, name="need_example"),
    path("fidelity/", fidelity_views.fidelity, name="fidelity"),
    path("fidelity/fidelity.csv", fidelity_views.fidelity_export, name="fidelity_export"),
    path("fidelity/targets/", fidelity_views.fidelity_targets, name="fidelity_targets"),
]
