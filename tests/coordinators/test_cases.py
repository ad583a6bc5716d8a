"""Cases: the form, CSV imports (bad input included), exports, and who may read a case."""

import csv
import io
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators import csv_import
from coordinators.models import AttendanceMonth, StudentCase
from hub.audit.models import AuditEntry
from tests.coordinators.conftest import make_case

pytestmark = pytest.mark.django_db

HEADER = "student_id,first_name,last_initial,grade,school,home_language,days_enrolled,days_absent,referral_reason\n"


def upload(text: str, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def run(coordinator, hartford, text, encoding="utf-8"):
    return csv_import.cases_import(district=hartford, file=upload(text, encoding), by=coordinator.user)


def test_the_form_adds_a_case(client, coordinator, school):
    client.force_login(coordinator.user)
    response = client.post(reverse("coordinators:case_new"), {
        "student_ref": "H-100", "first_name": "Maya", "last_initial": "L", "grade": "4", "school": school.pk,
        "home_language": "English", "days_enrolled": 50, "days_absent": 8, "referral_reason": "Mornings"})
    case = StudentCase.objects.get()
    assert response.status_code == 302 and case.absence_level == "chronic" and case.created_by == coordinator.user


def test_absence_levels_follow_attendance_works():
    from coordinators.models import absence_level

    assert [absence_level(100, n) for n in (4, 5, 9, 10, 19, 20)] == [
        "satisfactory", "at_risk", "at_risk", "chronic", "chronic", "severe"]


def test_an_import_keeps_good_rows_reports_bad_ones_by_line_and_is_idempotent(coordinator, hartford, school):
    text = HEADER + (
        "H-1,Maya,L,4,Parkville Community School,Spanish,50,8,Mornings are hard\n"
        "H-2,Leo,Lopez,3,Parkville Community School,English,50,8,\n"          # whole last name
        "H-3,Ada,K,14,Parkville Community School,English,50,8,\n"             # grade
        "H-4,Sam,T,K,Nowhere School,English,50,8,\n"                          # school
        "H-5,Zoe,P,2,Parkville Community School,English,50,80,\n"             # absent > enrolled
        "H-1,Maya,L,4,Parkville Community School,Spanish,50,8,again\n"        # duplicate id
        "H-6,Eli,W,K,parkville community school,,40,two,\n"                   # not a number
        "H-7,Ivy,R,PK,Parkville Community School,Haitian Creole,40,12,\"=HYPERLINK(\"\"http://x\"\")\"\n"
        "H-8,too,few\n"
    )
    report = run(coordinator, hartford, text)
    assert (report.created, report.updated, report.error_count) == (2, 0, 7)
    lines = dict(report.errors)
    assert "last initial" in lines[3] and "grade" in lines[4] and "Nowhere School" in lines[5]
    assert "Days absent" in lines[6] and "first on line 2" in lines[7] and "whole number" in lines[8]
    assert "3 cells" in lines[10]
    assert StudentCase.objects.get(student_ref="H-7").referral_reason == '=HYPERLINK("http://x")'
    stamps = list(StudentCase.objects.order_by("pk").values_list("pk", "updated_at"))
    again = run(coordinator, hartford, text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(StudentCase.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
    changed = run(coordinator, hartford, HEADER + "H-1,Maya,L,4,Parkville Community School,Spanish,55,8,x\n")
    assert changed.updated == 1 and StudentCase.objects.get(student_ref="H-1").days_enrolled == 55


def test_wrong_columns_import_nothing_with_a_clear_message(coordinator, hartford):
    report = run(coordinator, hartford, "id,name,grade\n1,Maya,4\n")
    assert "The columns are wrong" in report.fatal and "missing student_id" in report.fatal
    assert "unexpected 'id'" in report.fatal and not StudentCase.objects.exists()


def test_a_file_not_in_utf8_imports_nothing(coordinator, hartford):
    text = HEADER + "H-1,José,L,4,Parkville Community School,Español,50,8,\n"
    report = run(coordinator, hartford, text, encoding="cp1252")
    assert "not UTF-8" in report.fatal and not StudentCase.objects.exists()


def test_an_excel_bom_is_fine(coordinator, hartford, school):
    report = run(coordinator, hartford, HEADER + "H-1,José,L,4,Parkville Community School,Español,50,8,\n",
                 encoding="utf-8-sig")
    assert report.created == 1 and StudentCase.objects.get().first_name == "José"


def test_a_large_import_streams_in_batches(coordinator, hartford, school):
    rows = "".join(f"L-{n},Kid{n},A,{n % 12 + 1},Parkville Community School,English,60,{n % 30},\n"
                   for n in range(5000))
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        report = run(coordinator, hartford, HEADER + rows)
    took = time.monotonic() - started
    assert report.created == 5000 and report.error_count == 0
    assert len(queries) < 150, "batched inserts (SQLite caps parameters per statement), not one per row"
    assert took < 20


def test_the_import_runs_as_a_job_whose_page_shows_the_report(client, coordinator, school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator.user)
    text = HEADER + "H-1,Maya,L,4,Parkville Community School,Spanish,50,8,\nH-2,Leo,Lopez,3,x,English,50,8,\n"
    response = client.post(reverse("coordinators:case_import"),
                           {"file": SimpleUploadedFile("cases.csv", text.encode(), content_type="text/csv")},
                           follow=True)
    html = response.content.decode()
    assert response.redirect_chain[0][0].startswith("/jobs/")  # POST, then the job's page (GET)
    assert response.status_code == 200 and "1 added" in html and "Give only the last initial" in html


def test_attendance_import_upserts_months_and_reports_unknown_students(coordinator, hartford, school):
    case = make_case(hartford, school, coordinator, ref="A-1")
    text = ("student_id,month,days_enrolled,days_absent\n"
            "A-1,2025-09,20,4\nA-1,2025-10,21,1\nZZ,2025-10,20,1\nA-1,2025-10,21,2\nA-1,October,20,1\n")
    report = csv_import.attendance_import(district=hartford, file=upload(text), by=coordinator.user)
    assert report.created == 2 and report.error_count == 3
    assert sorted(line for line, _ in report.errors) == [4, 5, 6]
    assert list(case.attendance.values_list("days_absent", flat=True)) == [4, 1]
    again = csv_import.attendance_import(district=hartford, file=upload(text), by=coordinator.user)
    assert again.created == 0 and again.unchanged == 2 and AttendanceMonth.objects.count() == 2


def test_case_export_is_safe_and_audited(client, coordinator, hartford, school):
    make_case(hartford, school, coordinator, ref="=1+1")
    client.force_login(coordinator.user)
    response = client.get(reverse("coordinators:case_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][0] == "'=1+1"
    assert AuditEntry.objects.filter(action="cases.export").exists()


def test_viewing_a_case_is_audited(client, coordinator, case):
    client.force_login(coordinator.user)
    assert client.get(reverse("coordinators:case_detail", args=[case.pk])).status_code == 200
    assert AuditEntry.objects.filter(action="case.view", object_id=str(case.pk), actor=coordinator.user).exists()


def test_another_districts_case_answers_404_and_the_attempt_is_audited(client, coordinator_nh, case, orgs):
    client.force_login(coordinator_nh.user)
    assert client.get(reverse("coordinators:case_detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("coordinators:case_assign", args=[case.pk]), {}).status_code == 404
    assert client.get(reverse("coordinators:case_export") + f"?district={orgs['Hartford'].pk}").status_code == 404
    denied = AuditEntry.objects.filter(actor=coordinator_nh.user, action="case.denied")
    assert denied.count() == 2 and denied.first().district_id == case.district_id
    assert AuditEntry.objects.filter(actor=coordinator_nh.user, action="export.denied").exists()
    assert not AuditEntry.objects.filter(action="case.view").exists()


def test_a_visitor_reads_only_cases_assigned_to_them(client, case, coordinator, marcus, luis, visitor_factory):
    from coordinators import services

    other = visitor_factory("other", "Otto", "Vance")
    client.force_login(marcus.user)
    assert client.get(reverse("coordinators:case_detail", args=[case.pk])).status_code == 404
    services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    assert client.get(reverse("coordinators:case_detail", args=[case.pk])).status_code == 200
    assert "Jaylen R." in client.get(reverse("coordinators:my_cases")).content.decode()
    client.force_login(other.user)
    assert client.get(reverse("coordinators:case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("coordinators:case_list")).status_code == 403


def test_the_case_page_shows_the_refusal_reason(client, coordinator, case, ana, marcus):
    client.force_login(coordinator.user)
    response = client.post(reverse("coordinators:case_assign", args=[case.pk]),
                           {"visitor_1": ana.pk, "visitor_2": marcus.pk})
    assert response.status_code == 409
    assert "Ana Ruiz still has 1 LEAP 101 module to finish: Module 2." in response.content.decode()
