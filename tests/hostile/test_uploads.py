"""Uploads and CSV: bad files for the case and attendance imports and the recording upload (refused with
a message, nothing imported), formula cells, and CSV exports that neutralise formulas.

Formula cells in an import are data, not code: in a text column (first name) the import keeps them as
the text they are (the design: "stored as the text they are; exports neutralise them"), and every export
writes them with a leading quote. In a number or grade column they are refused like any other bad value.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.hostile import catalogue as cat
from tests.hostile.test_forms import assert_refused

pytestmark = pytest.mark.hostile_input

CASE_HEADER = "student_id,first_name,last_initial,grade,school,home_language,days_enrolled,days_absent,referral_reason\n"
ATTENDANCE_HEADER = "student_id,month,days_enrolled,days_absent\n"
GOOD_CASE = "S-50,Rosa,M,3,Parkville Community School,Spanish,60,9,Absent\n"


def _csv_cell(value: str) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([value])
    return out.getvalue().strip("\r\n")


def _upload(content: bytes, name="cases.csv", kind="text/csv"):
    return SimpleUploadedFile(name, content, content_type=kind)


BAD_CASE_FILES = [(f"bytes-{i}", CASE_HEADER.encode() + b"S-51," + v + b",M,3,Parkville Community School,,60,9,x\n")
                  for i, v in cat.BAD_BYTES if i != "nul"]
BAD_CASE_FILES += [
    ("empty-file", b""),
    ("wrong-columns", b"name,age\nRosa,9\n"),
    ("header-only-script", b"<script>alert(1)</script>\n"),
    ("column-twice", (CASE_HEADER.strip() + ",first_name\n").encode()),
    ("binary-png", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
    ("utf16", CASE_HEADER.encode("utf-16")),
]

# A file whose only row is bad: the row is reported, nothing is imported.
BAD_CASE_ROWS = [(f"{column}-{i}", column, v) for column in ("days_enrolled", "grade", "days_absent")
                 for i, v in cat.FORMULAS + cat.SQL + [("huge", "9" * 30), ("negative", "-4"), ("float", "2.5")]]
BAD_CASE_ROWS += [("school-other-district", "school", "Fair Haven School"), ("school-script", "school", "<b>x</b>"),
                  ("student-id-1mb", "student_id", "z" * cat.MB), ("first-name-nul", "first_name", "Ro\x00sa"),
                  ("first-name-61", "first_name", "r" * 61), ("last-initial-two", "last_initial", "MM")]


def _case_row(column, value):
    row = {"student_id": "S-52", "first_name": "Rosa", "last_initial": "M", "grade": "3",
           "school": "Parkville Community School", "home_language": "Spanish", "days_enrolled": "60",
           "days_absent": "9", "referral_reason": "Absent"}
    row[column] = value
    return ",".join(_csv_cell(row[c]) for c in CASE_HEADER.strip().split(",")) + "\n"


@pytest.mark.parametrize(("content",), [pytest.param(c, id=i) for i, c in BAD_CASE_FILES])
def test_a_bad_case_file_is_refused_and_imports_nothing(w, unchanged, content):
    client = w.client("carla")
    with unchanged():
        response = client.post(reverse("coordinators:case_import"), {"file": _upload(content)})
        assert response.status_code == 400
        assert "nothing was imported" in response.content.decode().lower() or form_has_errors(response)


def form_has_errors(response):
    return bool(response.context and response.context.get("form") and response.context["form"].errors)


@pytest.mark.parametrize(("column", "value"), [pytest.param(c, v, id=i) for i, c, v in BAD_CASE_ROWS])
def test_a_bad_case_row_is_reported_and_not_imported(w, unchanged, column, value):
    client = w.client("carla")
    content = (CASE_HEADER + _case_row(column, value)).encode("utf-8", "surrogatepass")
    with unchanged(expect={"coordinators_auditentry": 1}):  # the import itself is audited
        response = client.post(reverse("coordinators:case_import"), {"file": _upload(content)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "0 added" in page and "1 with problems" in page
    assert "<script>" not in page and "<b>x</b>" not in page


BAD_ATTENDANCE_ROWS = [("month-text", "S-1,October,20,2"), ("month-13", "S-1,2025-13,20,2"),
                       ("enrolled-32", "S-1,2025-10,32,2"), ("absent-over-enrolled", "S-1,2025-10,10,11"),
                       ("formula-days", "S-1,2025-10,=1+1,2"), ("other-districts-case", "NH-1,2025-10,20,2"),
                       ("missing-student", "S-404,2025-10,20,2"), ("sql-student", "' OR 1=1 --,2025-10,20,2")]


@pytest.mark.parametrize("row", [pytest.param(r, id=i) for i, r in BAD_ATTENDANCE_ROWS])
def test_a_bad_attendance_row_is_reported_and_not_imported(w, unchanged, row):
    client = w.client("carla")
    with unchanged(expect={"coordinators_auditentry": 1}):
        response = client.post(reverse("coordinators:attendance_import"),
                               {"file": _upload((ATTENDANCE_HEADER + row + "\n").encode())})
    assert response.status_code == 200
    assert "0 added" in response.content.decode() and "1 with problems" in response.content.decode()


def test_importing_into_another_district_is_refused_and_audited(w, unchanged):
    client = w.client("carla")
    with unchanged(expect={"coordinators_auditentry": 1}):
        response = client.post(reverse("coordinators:case_import") + f"?district={w.new_haven.pk}",
                               {"file": _upload((CASE_HEADER + GOOD_CASE).encode())})
    assert response.status_code == 404


def test_a_visitor_cannot_import(w, unchanged):
    with unchanged():
        response = w.client("marcus").post(reverse("coordinators:case_import"),
                                           {"file": _upload((CASE_HEADER + GOOD_CASE).encode())})
    assert response.status_code == 403


@pytest.mark.parametrize(("formula",), [pytest.param(v, id=i) for i, v in cat.FORMULAS])
def test_formula_cells_are_kept_as_text_and_exported_neutralised(w, formula):
    """The one case where a hostile cell is stored: as text. Every export then neutralises it."""
    from coordinators.models import StudentCase

    client = w.client("carla")
    row = _case_row("first_name", formula[:60]).replace("S-52", "S-60")
    client.post(reverse("coordinators:case_import"), {"file": _upload((CASE_HEADER + row).encode())})
    assert StudentCase.objects.get(student_ref="S-60").first_name == formula[:60]
    exported = b"".join(client.get(reverse("coordinators:case_export")).streaming_content).decode("utf-8-sig")
    cells = [r for r in csv.reader(io.StringIO(exported)) if r and r[0] == "S-60"][0]
    assert cells[1] == "'" + formula[:60]


@pytest.mark.parametrize(("formula",), [pytest.param(v, id=i) for i, v in cat.FORMULAS])
def test_a_familys_formula_is_neutralised_in_the_roundtable_csv(w, formula):
    from roundtable import services

    services.signup_create(roundtable=w.roundtable, name="Family Formula", email="formula@example.org",
                           accessibility_needs=formula, consent=True)
    response = w.client("tomas").get(reverse("roundtable:export_csv", args=[w.roundtable.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = [r for r in rows if "Family Formula" in r][0]
    assert "'" + formula in row and formula not in row


BAD_RECORDINGS = [
    ("html-as-video", "talk.mp4", b"<html><script>alert(1)</script></html>", "video/mp4"),
    ("exe", "talk.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/octet-stream"),
    ("empty", "talk.mp4", b"", "video/mp4"),
    ("svg", "talk.svg", b"<svg onload=alert(1)></svg>", "image/svg+xml"),
    ("double-extension", "talk.mp4.html", b"<p>hi</p>", "text/html"),
]


@pytest.mark.parametrize(("name", "content", "kind"), [pytest.param(n, c, k, id=i) for i, n, c, k in BAD_RECORDINGS])
def test_a_bad_recording_upload_is_refused(w, unchanged, name, content, kind):
    with unchanged():
        response = w.client("tomas").post(reverse("training_sessions:recording_upload"),
                                          {"file": _upload(content, name, kind), "title": "Talk"})
        assert_refused(response, "form", posted=None)


def test_a_recording_title_over_the_limit_is_refused(w, unchanged):
    with unchanged():
        response = w.client("tomas").post(reverse("training_sessions:recording_upload"),
                                          {"file": _upload(b"\x00\x00\x00\x18ftypmp42", "t.mp4", "video/mp4"),
                                           "title": "t" * 201})
        assert_refused(response, "form", posted=None)


def test_an_anonymous_upload_is_sent_to_sign_in(w, unchanged):
    with unchanged():
        response = Client().post(reverse("coordinators:case_import"), {"file": _upload(b"x")})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
