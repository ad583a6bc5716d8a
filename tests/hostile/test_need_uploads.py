"""The district data file (state staff) with hostile contents: bytes that are not UTF-8, binary files, wrong
columns, formulas, SQL and huge numbers in its cells. Each is refused with its reason (the whole file, or
the row with its line and column), and nothing is written: the figures stay as they were."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.hostile import catalogue as cat

pytestmark = pytest.mark.hostile_input

HEADER = b"district,enrollment,attendance_rate,frl_share,english_learner_share,remote_share\n"
GOOD = b"hartford,17300,84.6,83.2,19.7,5\n"

BAD_FILES = [(f"bytes-{i}", HEADER + GOOD + b"new-haven," + v + b",85,77,18,4\n") for i, v in cat.BAD_BYTES]
BAD_FILES += [
    ("wrong-columns", b"name,age\nRosa,9\n"),
    ("header-only-script", b"<script>alert(1)</script>\n"),
    ("column-twice", HEADER.strip() + b",enrollment\n"),
    ("binary-png", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
    ("utf16", HEADER.decode().encode("utf-16")),
    ("header-only", HEADER),
]
BAD_CELLS = [(f"{column}-{i}", column, v) for column in ("district", "enrollment", "attendance_rate")
             for i, v in cat.FORMULAS + cat.SQL + [("huge", "9" * 30), ("negative", "-4"), ("nan", "NaN"),
                                                   ("infinity", "inf"), ("exponent", "1e2"), ("script", "<b>x</b>")]]


def _cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _row(column, value) -> bytes:
    row = {"district": "new-haven", "enrollment": "19000", "attendance_rate": "85.9", "frl_share": "77.4",
           "english_learner_share": "18.6", "remote_share": "4"}
    row[column] = value
    return (",".join(_cell(row[c]) for c in HEADER.decode().strip().split(",")) + "\n").encode()


def _post(w, content: bytes):
    upload = SimpleUploadedFile("districts.csv", content, content_type="text/csv")
    return w.client("samira").post(reverse("coordinators:need_upload"), {"school_year": "2025", "file": upload})


@pytest.mark.parametrize(("content",), [pytest.param(c, id=i) for i, c in BAD_FILES])
def test_a_bad_district_file_is_refused_and_writes_nothing(w, unchanged, content):
    with unchanged():
        response = _post(w, content)
    page = response.content.decode()
    assert response.status_code == 400 and "nothing was imported" in page.lower()
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize(("column", "value"), [pytest.param(c, v, id=i) for i, c, v in BAD_CELLS])
def test_a_bad_cell_is_reported_by_line_and_column_and_writes_nothing(w, unchanged, column, value):
    with unchanged():
        response = _post(w, HEADER + GOOD + _row(column, value))
    page = response.content.decode()
    assert response.status_code == 400 and "<td data-line>3</td>" in page and f"<td>{column}</td>" in page
    assert "<b>x</b>" not in page
