"""Uploads and CSV: bad files for the case and attendance imports and the recording upload (refused with
a message, nothing imported), formula cells, and CSV exports that neutralise formulas; and every upload
path (filer's admin upload, multipart and raw; the recording page; Wagtail documents and images through
Wagtail's admin and the Django admin) over classes of hostile file names, disguised extensions and
contents that are not what their names say (tests/hostile/upload_inputs.py).

Formula cells in an import are data, not code: in a text column (first name) the import keeps them as
the text they are (the design: "stored as the text they are; exports neutralise them"), and every export
writes them with a leading quote. In a number or grade column they are refused like any other bad value.
"""

import csv
import io
import posixpath
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.hostile import catalogue as cat
from tests.hostile import upload_inputs as up
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
    # the import itself is audited; it ran as a job (whose page lists the row)
    with unchanged(expect={"coordinators_auditentry": 1, "jobs_job": 1}):
        response = client.post(reverse("coordinators:case_import"), {"file": _upload(content)}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain[0][0].startswith("/jobs/")
    assert "0 added" in page and "1 with problems" in page
    assert "<script>" not in page and "<b>x</b>" not in page


BAD_ATTENDANCE_ROWS = [("month-text", "S-1,October,20,2"), ("month-13", "S-1,2025-13,20,2"),
                       ("enrolled-32", "S-1,2025-10,32,2"), ("absent-over-enrolled", "S-1,2025-10,10,11"),
                       ("formula-days", "S-1,2025-10,=1+1,2"), ("other-districts-case", "NH-1,2025-10,20,2"),
                       ("missing-student", "S-404,2025-10,20,2"), ("sql-student", "' OR 1=1 --,2025-10,20,2")]


@pytest.mark.parametrize("row", [pytest.param(r, id=i) for i, r in BAD_ATTENDANCE_ROWS])
def test_a_bad_attendance_row_is_reported_and_not_imported(w, unchanged, row):
    client = w.client("carla")
    with unchanged(expect={"coordinators_auditentry": 1, "jobs_job": 1}):
        response = client.post(reverse("coordinators:attendance_import"),
                               {"file": _upload((ATTENDANCE_HEADER + row + "\n").encode())}, follow=True)
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


# -- every upload path: hostile names, disguised extensions, contents that are not what they say -------
# Each path is (what is posted, how to find what was stored). A hostile name is either stored under a
# safe name (hub.uploads.safe_name) with its display names cleaned, or refused with a message; a name
# whose extension disagrees with the content, once cleaned, is refused and nothing is stored. File names
# are sent byte for byte (upload_inputs.multipart): the test client would clean them first.

AJAX_UPLOAD = "/django-admin/filer/clipboard/operations/upload/no_folder/"


@pytest.fixture
def media_root(settings, tmp_path):
    """Public files of this test in a folder of its own (private ones stay in PRIVATE_MEDIA_ROOT)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def _files_on_disk() -> list[Path]:
    roots = [Path(django_settings.MEDIA_ROOT), Path(django_settings.PRIVATE_MEDIA_ROOT)]
    return sorted(p for root in roots if root.exists() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def admin(w):
    """A signed-in site administrator (Wagtail's collection permissions: what uploads documents)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("uploads-admin", "uploads-admin@example.org",
                                                     "a-long-test-password")
    client = Client()
    client.force_login(user)
    return client


def _root_collection_id() -> int:
    from wagtail.models import Collection

    return (Collection.get_first_root_node() or Collection.add_root(name="Root")).pk


def _post(client, url, fields, name, content, field="file", **extra):
    body, content_type = up.multipart(fields, {field: (name, content)})
    return client.generic("POST", url, body, content_type=content_type, **extra)


@dataclass(frozen=True)
class UploadPath:
    """One way a file reaches storage."""
    ident: str
    ext: str  # the extension its content is recognised as
    who: str  # "trainer" or "admin"

    @property
    def content(self) -> bytes:
        return {"mp4": up.MP4, "pdf": up.PDF, "png": up.image("PNG")}[self.ext]

    def post(self, client, name: str, content: bytes, *, title: str = "Hostile name"):
        collection = {"collection": _root_collection_id()}
        if self.ident == "filer-ajax":
            return _post(client, AJAX_UPLOAD, {}, name, content)
        if self.ident == "filer-ajax-raw":  # filer's uploader can send the body raw, the name in the query
            return client.generic("POST", AJAX_UPLOAD, content, content_type="application/octet-stream",
                                  QUERY_STRING=f"qqfile={_quote(name)}",
                                  HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        if self.ident == "recording-page":
            return _post(client, reverse("training_sessions:recording_upload"), {"title": ""}, name, content)
        if self.ident == "wagtail-document":
            return _post(client, "/admin/documents/add/", {"title": title, **collection}, name, content)
        if self.ident == "wagtail-document-multiple":
            return _post(client, "/admin/documents/multiple/add/", collection, name, content, field="files[]",
                         HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        if self.ident in ("wagtail-document-chooser", "wagtail-image-chooser"):  # the page editor's modal
            kind = "document" if "document" in self.ident else "image"
            prefix = f"{kind}-chooser-upload-"
            fields = {f"{prefix}title": title, f"{prefix}collection": collection["collection"]}
            return _post(client, f"/admin/{kind}s/chooser/create/", fields, name, content,
                         field=f"{prefix}file", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        if self.ident == "django-admin-document":
            return _post(client, "/django-admin/wagtaildocs/document/add/", {"title": title, **collection},
                         name, content)
        if self.ident == "wagtail-image":
            return _post(client, "/admin/images/add/", {"title": title, **collection}, name, content)
        if self.ident == "django-admin-image":
            return _post(client, "/django-admin/wagtailimages/image/add/", {"title": title, **collection},
                         name, content)
        raise AssertionError(self.ident)

    def model(self):
        from filer.models import File
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        if self.ident.startswith(("filer", "recording")):
            return File
        return get_document_model() if "document" in self.ident else get_image_model()

    def stored(self, before: int):
        """The one object the post stored, or None."""
        objects = list(self.model().objects.filter(pk__gt=before).order_by("pk"))
        assert len(objects) <= 1, objects
        return objects[0] if objects else None

    def display_texts(self, obj) -> list[str]:
        if self.model()._meta.label == "filer.File":
            return [obj.original_filename, obj.name]
        return [obj.title]


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name.encode("utf-8", "surrogatepass"), safe="")


PATHS = [UploadPath("filer-ajax", "pdf", "trainer"), UploadPath("filer-ajax-raw", "mp4", "trainer"),
         UploadPath("recording-page", "mp4", "trainer"), UploadPath("wagtail-document", "pdf", "admin"),
         UploadPath("wagtail-document-multiple", "pdf", "admin"), UploadPath("django-admin-document", "pdf", "admin"),
         UploadPath("wagtail-document-chooser", "pdf", "admin"), UploadPath("wagtail-image", "png", "admin"),
         UploadPath("wagtail-image-chooser", "png", "admin"), UploadPath("django-admin-image", "png", "admin")]


def _client(w, request, path: UploadPath):
    # Wagtail's root collection comes with its migration; a transactional test run earlier (a flush)
    # removes it. Made here, before any test's snapshot, so that no refused upload seems to create it.
    _root_collection_id()
    return w.client("tomas") if path.who == "trainer" else request.getfixturevalue("admin")


def _last_pk(path: UploadPath) -> int:
    last = path.model().objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def _refused(response) -> str:
    """The reason a refused upload gives (it must give one, and not be a server error)."""
    assert response.status_code < 500, f"server error {response.status_code}"
    if response.get("Content-Type", "").startswith("application/json"):
        data = response.json()
        if data.get("step") == "reshow_creation_form":  # Wagtail's chooser modal: its form, with the error
            assert "error" in data["htmlFragment"], "refused without a message"
            return data["htmlFragment"]
        message = data.get("error") or data.get("error_message") or ""
        assert message and data.get("success") is not True, data
        return message
    page = response.content.decode("utf-8", "replace")
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400 and "errorlist" not in page:
        # No file reached the view: Django refused the name itself ("." is no file name; filer's raw
        # upload answers with Django's 400 page, Wagtail's multiple upload with "Must upload a file").
        assert page.strip(), "refused without a message"
        return page
    assert "error" in page.lower(), "refused without a message"
    return page


# Names a path refuses by its own rule before the Hub's (with its own message), instead of storing them
# safely: Wagtail's extension check finds none in "talk.pdf. . ." or ".pdf" (the Django admin's document
# form runs it too, as the model's clean); Django's admin form allows 100 characters; filer's raw upload
# form refuses a NUL byte and more than 255 characters.
WAGTAIL_EXTENSION_CHECK = {"trailing-dots-spaces", "only-controls", "only-an-extension"}
REFUSED_BY_THE_PATH = {
    "filer-ajax-raw": {"nul-byte", "long-300"},
    "wagtail-document": WAGTAIL_EXTENSION_CHECK, "wagtail-document-multiple": WAGTAIL_EXTENSION_CHECK,
    "wagtail-document-chooser": WAGTAIL_EXTENSION_CHECK,
    "wagtail-image": WAGTAIL_EXTENSION_CHECK, "wagtail-image-chooser": WAGTAIL_EXTENSION_CHECK,
    "django-admin-document": WAGTAIL_EXTENSION_CHECK | {"long-300", "long-unicode"},
    "django-admin-image": {"long-300", "long-unicode"},  # the Hub's check, not Django's, judges extensions
}
NAME_CASES = [pytest.param(path, ident, name, id=f"{path.ident}-{ident}")
              for path in PATHS for ident, name in up.names(up.HOSTILE_NAMES, path.ext)]


@pytest.mark.parametrize(("path", "ident", "name"), NAME_CASES)
def test_a_hostile_file_name_is_stored_safely_on_every_path(w, request, media_root, path, ident, name):
    client = _client(w, request, path)
    before = _last_pk(path)
    response = path.post(client, name, path.content)
    assert response.status_code < 500, f"server error {response.status_code}"
    stored = path.stored(before)
    if ident in REFUSED_BY_THE_PATH.get(path.ident, ()):
        assert stored is None
        _refused(response)
        assert not list(media_root.rglob("*.*")), "a refused upload left a file"
        return
    assert stored is not None, f"refused: {response.content.decode('utf-8', 'replace')[:3000]}"
    up.assert_safe_stored_name(posixpath.basename(stored.file.name), ext=path.ext)
    with stored.file.open("rb") as handle:
        assert handle.read() == path.content
    for text in path.display_texts(stored):
        up.assert_clean_text(text)


DISGUISED_CASES = [pytest.param(path, name, id=f"{path.ident}-{ident}")
                   for path in PATHS for ident, name in up.names(up.DISGUISED_NAMES, path.ext)]


@pytest.mark.parametrize(("path", "name"), DISGUISED_CASES)
def test_a_name_whose_extension_disagrees_with_the_content_is_refused_on_every_path(w, request, unchanged,
                                                                                    media_root, path, name):
    client = _client(w, request, path)
    on_disk = _files_on_disk()
    with unchanged(fresh=True, ignore={"django_session"}):
        response = path.post(client, name, path.content)
        _refused(response)
    assert _files_on_disk() == on_disk


MISLABELLED_MEDIA = [pytest.param(content, f"talk.{ext}", id=f"{label}-as-{ext}")
                     for label, content in (("mp4", up.MP4), ("webm", up.WEBM), ("mp3", up.MP3))
                     for ext in up.ACTIVE_EXTENSIONS]


@pytest.mark.parametrize(("content", "name"), MISLABELLED_MEDIA)
def test_a_recording_named_like_a_page_or_script_is_refused_and_nothing_is_stored(w, unchanged, media_root,
                                                                                  content, name):
    on_disk = _files_on_disk()
    with unchanged():
        response = _post(w.client("tomas"), reverse("training_sessions:recording_upload"), {"title": "Talk"},
                         name, content)
        assert_refused(response, "form", posted=None)
    page = response.content.decode()
    assert f"its name ends in “.{name.rsplit('.', 1)[1]}”" in page and "Rename it to end in ." in page
    assert _files_on_disk() == on_disk


@pytest.mark.parametrize(("content", "name"), MISLABELLED_MEDIA[:len(up.ACTIVE_EXTENSIONS)])
def test_a_filer_upload_named_like_a_page_or_script_is_refused(w, unchanged, media_root, content, name):
    on_disk = _files_on_disk()
    with unchanged(ignore={"django_session"}):
        response = _post(w.client("tomas"), AJAX_UPLOAD, {}, name, content)
    assert response.status_code == 400 and "Rename it to end in .mp4" in response.json()["error"]
    assert _files_on_disk() == on_disk


NOT_PDFS = [("html", up.HTML), ("svg", up.SVG), ("zip-docx", up.ZIP), ("exe", up.EXE), ("script", up.SCRIPT),
            ("js", up.JS), ("mp4", up.MP4), ("png", None), ("empty", b""), ("text", b"just some notes")]
DOCUMENT_PATHS = [p for p in PATHS if "document" in p.ident]


@pytest.mark.parametrize(("path", "content"), [pytest.param(p, c, id=f"{p.ident}-{i}") for p in DOCUMENT_PATHS
                                               for i, c in NOT_PDFS])
def test_a_document_that_is_not_a_pdf_is_refused_through_either_admin(w, request, unchanged, media_root, path,
                                                                       content):
    client = _client(w, request, path)
    content = up.image("PNG") if content is None else content
    on_disk = _files_on_disk()
    with unchanged(fresh=True, ignore={"django_session"}):
        response = path.post(client, "handout.pdf", content)
        _refused(response)
    assert _files_on_disk() == on_disk


NOT_ACCEPTED_IMAGES = [("bmp", "BMP", "bmp"), ("tiff", "TIFF", "tif"), ("ico", "ICO", "ico"), ("ppm", "PPM", "ppm"),
                       ("png-as-gif", "PNG", "gif"), ("gif-as-jpg", "GIF", "jpg"), ("jpeg-as-png", "JPEG", "png"),
                       ("webp-as-png", "WEBP", "png"), ("svg", None, "svg"), ("html-as-png", None, "png")]
IMAGE_PATHS = [p for p in PATHS if "image" in p.ident]


@pytest.mark.parametrize(("path", "fmt", "ext"), [pytest.param(p, f, e, id=f"{p.ident}-{i}") for p in IMAGE_PATHS
                                                  for i, f, e in NOT_ACCEPTED_IMAGES])
def test_an_image_that_is_not_an_accepted_type_is_refused_through_either_admin(w, request, unchanged, media_root,
                                                                               path, fmt, ext):
    client = _client(w, request, path)
    content = up.image(fmt) if fmt else (up.SVG if ext == "svg" else up.HTML)
    on_disk = _files_on_disk()
    with unchanged(fresh=True, ignore={"django_session"}):
        response = path.post(client, f"picture.{ext}", content)
        _refused(response)
    assert _files_on_disk() == on_disk


HOSTILE_TITLES = [("bidi", "Hand\u202eout\u202c"), ("isolates", "\u2066Hand\u2069out"), ("zero-width", "Hand\u200bout"),
                  ("controls", "Hand\x07out\x1b"), ("line-separator", "Hand\u2028out"), ("nfd", "Jose\u0301")]
TITLE_PATHS = [p for p in PATHS if p.ident in ("wagtail-document", "django-admin-document", "wagtail-image",
                                                "django-admin-image")]


@pytest.mark.parametrize(("path", "title"), [pytest.param(p, t, id=f"{p.ident}-{i}") for p in TITLE_PATHS
                                             for i, t in HOSTILE_TITLES])
def test_a_title_is_stored_without_control_characters_through_either_admin(w, request, media_root, path, title):
    client = _client(w, request, path)
    before = _last_pk(path)
    response = path.post(client, f"handout.{path.ext}", path.content, title=title)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = path.stored(before)
    up.assert_clean_text(stored.title)
    assert stored.title.replace("\u00e9", "e") in ("Handout", "Hand out", "Jose")


# -- staff lists (joining:import) -----------------------------------------------------------------------
STAFF_HEADER = "name,email,school_or_partner,role,language\n"
BAD_STAFF_FILES = [(f"bytes-{i}", STAFF_HEADER.encode() + b"Rosa " + v + b",rosa@example.org,,Visitor,en\n")
                   for i, v in cat.BAD_BYTES if i != "nul"]
BAD_STAFF_FILES += [
    ("empty-file", b""), ("wrong-columns", b"name,age\nRosa,9\n"), ("header-only-script", b"<script>alert(1)</script>\n"),
    ("column-twice", (STAFF_HEADER.strip() + ",email\n").encode()), ("binary-png", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
    ("utf16", STAFF_HEADER.encode("utf-16")),
]
BAD_STAFF_ROWS = [
    ("formula-email", "Rosa,=HYPERLINK(\"http://x\"),,Visitor,en"), ("sql-email", "Rosa,' OR 1=1 --,,Visitor,en"),
    ("script-name-bad-language", "<script>alert(1)</script>,r@example.org,,Visitor,<b>x</b>"),
    ("role-trainer", "Rosa,r@example.org,,Trainer,en"), ("role-coordinator", "Rosa,r@example.org,,Coordinator,en"),
    ("role-superuser", "Rosa,r@example.org,,superuser,en"), ("other-districts-school", "Rosa,r@example.org,Fair Haven School,Visitor,en"),
    ("name-1mb", f"{'z' * cat.MB},r@example.org,,Visitor,en"), ("name-nul", "Ro\x00sa,r@example.org,,Visitor,en"),
    ("has-an-account-and-bad", "Ana,ana@example.org,,Visitor,fr"), ("too-few-cells", "Rosa,r@example.org"),
]


@pytest.mark.parametrize(("content",), [pytest.param(c, id=i) for i, c in BAD_STAFF_FILES])
def test_a_bad_staff_list_is_refused_and_invites_nobody(w, unchanged, content):
    client = w.client("carla")
    with unchanged():
        response = client.post(reverse("joining:import"), {"file": _upload(content), "district": w.hartford.pk})
        assert response.status_code == 400
        assert "nothing was imported" in response.content.decode().lower() or form_has_errors(response)


@pytest.mark.parametrize("row", [pytest.param(r, id=i) for i, r in BAD_STAFF_ROWS])
def test_a_bad_staff_row_is_reported_and_nobody_is_invited(w, unchanged, row):
    client = w.client("carla")
    with unchanged(expect={"coordinators_auditentry": 1, "jobs_job": 1}):  # the import (a job) is audited
        response = client.post(reverse("joining:import"), {
            "file": _upload((STAFF_HEADER + row + "\n").encode("utf-8", "surrogatepass")), "district": w.hartford.pk},
            follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "0 invited" in page and "1 with problems" in page
    assert "<script>alert" not in page and "<b>x</b>" not in page


def test_a_staff_list_for_another_district_is_refused(w, unchanged):
    with unchanged():
        response = w.client("carla").post(reverse("joining:import"), {
            "file": _upload((STAFF_HEADER + "Rosa,r@example.org,,Visitor,en\n").encode()), "district": w.new_haven.pk})
    assert response.status_code == 400 and "own district" in response.content.decode()


def test_a_staff_list_over_the_row_limit_is_refused_whole(w, unchanged, settings):
    settings.INVITATION_IMPORT_MAX_ROWS = 100
    rows = "".join(f"P{n},p{n}@example.org,,Visitor,en\n" for n in range(101))
    with unchanged():
        response = w.client("carla").post(reverse("joining:import"), {
            "file": _upload((STAFF_HEADER + rows).encode()), "district": w.hartford.pk})
    assert response.status_code == 400 and "more than 100 rows" in response.content.decode()


# Every CSV import, with a file over IMPORT_MAX_BYTES: valid rows, just too many bytes of them.
IMPORTS = [
    ("cases", "carla", "coordinators:case_import", {}, CASE_HEADER, GOOD_CASE),
    ("attendance", "carla", "coordinators:attendance_import", {}, ATTENDANCE_HEADER, "S-1,2025-10,20,2\n"),
    ("staff-list", "carla", "joining:import", {"district": "HARTFORD"}, "name,email,school_or_partner,role,language\n",
     "Lena Ortiz,lena@example.org,,Visitor,en\n"),
    ("district-data", "samira", "coordinators:need_upload", {"school_year": "2025"},
     "district,enrollment,attendance_rate,frl_share,english_learner_share,remote_share\n",
     "hartford,17300,84.6,83.2,19.7,5\n"),
]


@pytest.mark.parametrize(("user", "url", "fields", "header", "row"),
                         [pytest.param(*rest, id=ident) for ident, *rest in IMPORTS])
@pytest.mark.parametrize("over", [1, 10 * cat.MB], ids=["just-over", "ten-mb-over"])
def test_a_file_over_the_import_size_limit_is_refused_whole_saying_so_and_imports_nothing(
        w, unchanged, settings, user, url, fields, header, row, over):
    settings.IMPORT_MAX_BYTES = 64 * 1024
    content = (header + row * ((settings.IMPORT_MAX_BYTES + over) // len(row) + 1)).encode()
    assert settings.IMPORT_MAX_BYTES + over < len(content) <= settings.IMPORT_MAX_BYTES + over + len(row) + len(header)
    with unchanged():
        fields = {k: (w.hartford.pk if v == "HARTFORD" else v) for k, v in fields.items()}
        response = w.client(user).post(reverse(url), {**fields, "file": _upload(content)})
    page = response.content.decode()
    assert response.status_code == 400, response.status_code
    assert "more than the 64.0\xa0KB an import takes" in page and "nothing was imported" in page, page[:3000]
