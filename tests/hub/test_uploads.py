"""Uploads are accepted by their contents, not their names: the filer admin upload and change form,
Wagtail documents and images refuse anything else with a reason, and store nothing."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from filer.models import File

from hub import uploads
from hub.roles import TRAINER, VISITOR

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 200
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 200
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + b"\x00" * 200
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 200
MKV = b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska" + b"\x00" * 200
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 50
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 200
OGG = b"OggS\x00\x02" + b"\x00" * 200
FLAC = b"fLaC\x00\x00\x00\x22" + b"\x00" * 200
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 200
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 50
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 50
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
ZIP = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200  # what a .docx starts with
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
SCRIPT = b"#!/bin/sh\nrm -rf /\n"


@pytest.mark.parametrize("head, mime_type", [
    (MP4, "video/mp4"), (MOV, "video/quicktime"), (M4A, "audio/mp4"), (WEBM, "video/webm"),
    (MKV, "video/x-matroska"), (MP3, "audio/mpeg"), (WAV, "audio/wav"), (OGG, "audio/ogg"),
    (FLAC, "audio/flac"), (PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"),
    (GIF, "image/gif"), (WEBP, "image/webp"),
    (HTML, None), (SVG, None), (ZIP, None), (EXE, None), (SCRIPT, None), (HEIC, None), (b"", None),
    (b"just some text", None),
])
def test_formats_are_recognised_by_their_first_bytes(head, mime_type):
    found = uploads.sniff(head[:uploads.HEAD_BYTES])
    assert (found.mime_type if found else None) == mime_type


@pytest.mark.parametrize("name, content, reason", [
    ("talk.pdf", HTML, "is a web page (HTML), which the Hub does not accept"),
    ("drawing.svg", SVG, "is an SVG drawing"),
    ("handout.docx", ZIP, "save it as PDF first"),
    ("setup.exe", EXE, "is a program"),
    ("photo.mp4", PNG, "contains a PNG image, but its name ends in “.mp4”. Rename it to end in .png"),
    ("talk.pdf", MP4, "contains a MP4/MOV video, but its name ends in “.pdf”"),
    ("README", PDF, "its name ends in “no extension”"),
    ("empty.pdf", b"", "is empty"),
])
def test_a_refusal_says_what_the_file_is_and_what_to_do(name, content, reason):
    with pytest.raises(uploads.UploadRejected, match=reason.replace(".", r"\.").replace("(", r"\(")
                       .replace(")", r"\)")):
        uploads.upload_check(name=name, size=len(content), head=content[:64])


def _refusal(**kwargs) -> str:
    with pytest.raises(uploads.UploadRejected) as refused:
        uploads.upload_check(**kwargs)
    return refused.value.message.replace("\xa0", " ")  # filesizeformat joins with a no-break space


def test_each_kind_has_its_own_size_limit(settings):
    settings.UPLOAD_MAX_BYTES_IMAGE = 100
    settings.UPLOAD_MAX_BYTES_DOCUMENT = 1000
    assert "a PNG image may be at most 100 bytes" in _refusal(name="logo.png", size=101, head=PNG)
    assert uploads.upload_check(name="notes.pdf", size=999, head=PDF) is uploads.PDF
    assert "a PDF document may be at most 1000 bytes" in _refusal(name="notes.pdf", size=1001, head=PDF)
    settings.UPLOAD_MAX_BYTES_MEDIA = 2000
    assert "uploads may be at most 2.0 KB" in _refusal(name="talk.mp4", size=5000, head=MP4)


# -- the real django-filer admin upload endpoint ----------------------------------------------------

AJAX_UPLOAD = "/django-admin/filer/clipboard/operations/upload/no_folder/"


@pytest.fixture
def editor(orgs, home_page, make_person, client):
    person = make_person("tomas", roles=[TRAINER])
    assert person.user.is_staff
    client.force_login(person.user)
    return person


def _files_on_disk() -> list[Path]:
    roots = [Path(django_settings.MEDIA_ROOT), Path(django_settings.PRIVATE_MEDIA_ROOT)]
    return sorted(p for root in roots if root.exists() for p in root.rglob("*") if p.is_file())


def _upload(client, name: str, content: bytes):
    return client.post(AJAX_UPLOAD, {"file": SimpleUploadedFile(name, content, "application/pdf")})


@pytest.mark.parametrize("name, content", [
    ("talk.mp4", MP4), ("interview.mov", MOV), ("clip.webm", WEBM), ("voice.m4a", M4A), ("handout.pdf", PDF),
    ("logo.png", PNG),
])
def test_the_filer_admin_upload_accepts_allowed_files(client, editor, name, content):
    response = _upload(client, name, content)
    assert response.status_code == 200, response.content
    stored = File.objects.get(pk=response.json()["file_id"])
    assert stored.original_filename == name
    with stored.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize("name, content, reason", [
    ("talk.pdf", HTML, "is a web page (HTML)"),
    ("page.html", HTML, "is a web page (HTML)"),
    ("drawing.svg", SVG, "is an SVG drawing"),
    ("photo.mp4", PNG, "Rename it to end in .png"),
    ("handout.docx", ZIP, "save it as PDF first"),
    ("setup.exe", EXE, "is a program"),
    ("mystery", MP4, "no extension"),
    ("notes.txt", b"plain notes", "not a file type the Hub accepts"),
])
def test_the_filer_admin_upload_refuses_and_stores_nothing(client, editor, name, content, reason):
    before = _files_on_disk()
    response = _upload(client, name, content)
    assert response.status_code == 400
    assert reason in json.loads(response.content)["error"]
    assert File.objects.count() == 0
    assert _files_on_disk() == before


def test_the_filer_admin_upload_refuses_an_image_over_the_image_limit(client, editor, settings):
    settings.UPLOAD_MAX_BYTES_IMAGE = 40
    response = _upload(client, "logo.png", PNG)
    assert response.status_code == 400
    assert "a PNG image may be at most 40\xa0bytes" in response.json()["error"]
    assert File.objects.count() == 0


def test_the_filer_change_form_refuses_a_mislabelled_replacement(client, editor):
    stored = File.objects.create(owner=editor.user, file=ContentFile(PDF, "handout.pdf"),
                                 original_filename="handout.pdf", name="Handout")
    path_before, before = stored.file.name, _files_on_disk()
    response = client.post(f"/django-admin/filer/file/{stored.pk}/change/", {
        "name": "Handout", "owner": editor.user.pk, "description": "", "is_public": "on",
        "file": SimpleUploadedFile("handout.pdf", HTML, "application/pdf"), "_continue": "Save",
    })
    assert response.status_code == 200  # the form again, with the reason
    assert "is a web page (HTML)" in response.content.decode()
    stored.refresh_from_db()
    assert stored.file.name == path_before
    with stored.file.open("rb") as handle:
        assert handle.read() == PDF
    assert _files_on_disk() == before


def test_a_visitor_cannot_reach_the_filer_upload(client, orgs, make_person):
    client.force_login(make_person("ana", roles=[VISITOR]).user)
    response = _upload(client, "talk.mp4", MP4)
    assert response.status_code in (302, 403)
    assert File.objects.count() == 0


# -- Wagtail documents and images --------------------------------------------------------------------
# Trainers get model permissions only, not Wagtail collection permissions, so a site administrator (or
# an editor given collection permissions) is who uploads these.

@pytest.fixture
def admin_editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("samira", "samira@example.org", "a-long-test-password")
    client.force_login(user)
    return user


def test_a_wagtail_document_must_be_a_real_pdf_and_is_downloaded_not_shown(client, admin_editor):
    from wagtail.documents.models import Document

    before = _files_on_disk()
    for name, content, reason in [("talk.pdf", HTML, "is a web page (HTML)"),
                                  ("handout.docx", ZIP, "not allowed"),
                                  ("drawing.svg", SVG, "not allowed")]:
        response = client.post("/admin/documents/add/", {
            "title": name, "file": SimpleUploadedFile(name, content), "collection": _root_collection_id(),
        })
        assert response.status_code == 200, name  # the form again
        assert reason in response.content.decode(), name
    assert Document.objects.count() == 0
    assert _files_on_disk() == before

    response = client.post("/admin/documents/add/", {
        "title": "Handout", "file": SimpleUploadedFile("handout.pdf", PDF), "collection": _root_collection_id(),
    })
    assert response.status_code == 302
    document = Document.objects.get()
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert b"".join(served.streaming_content) == PDF


def test_wagtail_images_refuse_svg_and_oversized_images(client, admin_editor, settings):
    from wagtail.images import get_image_model

    response = client.post("/admin/images/add/", {
        "title": "Drawing", "file": SimpleUploadedFile("drawing.svg", SVG), "collection": _root_collection_id(),
    })
    assert response.status_code == 200
    assert "Not a supported image format" in response.content.decode()
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 40
    response = client.post("/admin/images/add/", {
        "title": "Logo", "file": SimpleUploadedFile("logo.png", PNG), "collection": _root_collection_id(),
    })
    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert get_image_model().objects.count() == 0


def test_upload_limits_come_from_the_environment():
    import subprocess
    import sys

    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.UPLOAD_MAX_BYTES_MEDIA, s.UPLOAD_MAX_BYTES_DOCUMENT, s.UPLOAD_MAX_BYTES_IMAGE, "
            "s.WAGTAILIMAGES_MAX_UPLOAD_SIZE, s.WAGTAILDOCS_MAX_UPLOAD_SIZE, s.SESSIONS_RECORDING_MAX_BYTES)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings.test", "UPLOAD_MAX_BYTES_MEDIA": "3000",
           "UPLOAD_MAX_BYTES_DOCUMENT": "2000", "UPLOAD_MAX_BYTES_IMAGE": "1000"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3000", "2000", "1000", "1000", "2000", "3000"]
    env["UPLOAD_MAX_BYTES_IMAGE"] = "lots"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "UPLOAD_MAX_BYTES_IMAGE must be a whole number" in bad.stderr


def _root_collection_id() -> int:
    from wagtail.models import Collection

    # Wagtail's migration makes the root collection; a flush by an earlier transactional test removes it.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root.pk


# -- one rule for stored names, and the extension judged on the stored name ---------------------------

@pytest.mark.parametrize("original, stored", [
    ("a\u202efdp.pdf", "afdp.pdf"), ("CON.pdf", "CON_.pdf"), ("com1.txt", "com1_.txt"), ("nul", "nul_"),
    ("Lpt3.tar.gz", "Lpt3_.tar.gz"), ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\ana\\handout.pdf", "handout.pdf"), (" .bashrc.pdf", "bashrc.pdf"), ("talk.mp4. . .", "talk.mp4"),
    (".pdf", "upload.pdf"), ("", "upload"), ("Jose\u0301.pdf", "Jos\u00e9.pdf"),
    ("my handout (final).PDF", "my_handout_final.pdf"), ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
    ("\u8b1b\u7fa9.pdf", "\u8b1b\u7fa9.pdf"), ("\U0001f3a5.mp4", "upload.mp4"), ("__.png", "upload.png"),
])
def test_a_stored_name_is_made_safe_by_one_rule(original, stored):
    assert uploads.safe_name(original) == stored
    assert uploads.safe_name(stored) == stored


def test_the_extension_judged_is_the_one_the_file_is_stored_under():
    assert uploads.upload_check(name="talk.mp4. . .", size=len(MP4), head=MP4[:64]) is uploads.MP4_VIDEO
    for name in ("talk.html", "talk.mp4.html", "talk.mp4\u200b.svg", "talk\u202e4pm.js", "talk.x\u200bhtml"):
        message = _refusal(name=name, size=len(MP4), head=MP4[:64])
        assert "contains a MP4/MOV video, but its name ends in" in message and "Rename it to end in .mp4" in message
    message = _refusal(name="report\u202efdp.exe", size=len(PDF), head=PDF[:64])
    assert message.startswith("reportfdp.exe contains a PDF document") and "“.exe”" in message


def test_every_file_field_checks_what_is_uploaded_and_stores_it_under_a_safe_name():
    from django.apps import apps
    from django.db.models import FileField
    from filer import settings as filer_settings

    from hub.storage import PrivateSafeNameStorage, SafeNameStorage, filer_upload_to
    from hub.upload_validation import FIELD_KINDS, NOT_UPLOADS

    seen = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, FileField) or field.model is not model:
                continue
            label = f"{model._meta.label}.{field.name}"
            seen.add(label)
            assert isinstance(field.storage, SafeNameStorage), label
            if label in NOT_UPLOADS:
                continue
            assert label in FIELD_KINDS, f"{label} takes uploads unchecked: add it to hub.upload_validation"
            assert uploads.FileContentValidator(FIELD_KINDS[label]) in field.validators, label
            assert not field._validators, f"{label}: the check must stay out of the migration state"
    assert seen >= set(FIELD_KINDS) | set(NOT_UPLOADS)
    assert isinstance(filer_settings.FILER_PUBLICMEDIA_STORAGE, SafeNameStorage)
    assert isinstance(filer_settings.FILER_PRIVATEMEDIA_STORAGE, PrivateSafeNameStorage)
    assert filer_settings.FILER_PUBLICMEDIA_UPLOAD_TO.upload_to is filer_upload_to
    assert filer_settings.FILER_PRIVATEMEDIA_UPLOAD_TO.upload_to is filer_upload_to


# -- the Django admin's forms for Wagtail documents and images ----------------------------------------

DJANGO_ADMIN_DOCUMENT = "/django-admin/wagtaildocs/document/add/"
DJANGO_ADMIN_IMAGE = "/django-admin/wagtailimages/image/add/"


def _picture(fmt: str = "PNG") -> bytes:
    from tests.hostile.upload_inputs import image

    return image(fmt)


def test_the_django_admin_document_form_refuses_a_non_pdf_and_stores_nothing(client, admin_editor):
    from wagtail.documents.models import Document

    before = _files_on_disk()
    for name, content, reason in [("talk.pdf", HTML, "is a web page (HTML)"), ("drawing.pdf", SVG, "is an SVG drawing"),
                                  ("talk.pdf", MP4, "contains a MP4/MOV video"), ("logo.pdf", PNG, "contains a PNG image; only PDF documents can be uploaded here"),
                                  ("setup.pdf", EXE, "is a program"), ("handout.docx", ZIP, "is a ZIP archive")]:
        response = client.post(DJANGO_ADMIN_DOCUMENT, {"title": name, "file": SimpleUploadedFile(name, content),
                                                       "collection": _root_collection_id()})
        assert response.status_code == 200, name  # the form again
        assert reason in response.content.decode(), name
    assert Document.objects.count() == 0
    assert _files_on_disk() == before

    response = client.post(DJANGO_ADMIN_DOCUMENT, {"title": "Handout", "file": SimpleUploadedFile("handout.pdf", PDF),
                                                   "collection": _root_collection_id()})
    assert response.status_code == 302
    document = Document.objects.get()
    response = client.post(f"/django-admin/wagtaildocs/document/{document.pk}/change/", {
        "title": "Handout", "file": SimpleUploadedFile("handout.pdf", HTML), "collection": _root_collection_id()})
    assert response.status_code == 200 and "is a web page (HTML)" in response.content.decode()
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        assert handle.read() == PDF


def test_the_django_admin_image_form_takes_only_the_accepted_image_types(client, admin_editor):
    from wagtail.images import get_image_model

    before = _files_on_disk()
    for name, content, reason in [("photo.bmp", _picture("BMP"), "not a file type the Hub accepts"),
                                  ("scan.tif", _picture("TIFF"), "not a file type the Hub accepts"),
                                  ("frame.ppm", _picture("PPM"), "not a file type the Hub accepts"),
                                  ("logo.gif", _picture("PNG"), "Rename it to end in .png"),
                                  ("handout.png", PDF, "Upload a valid image")]:
        response = client.post(DJANGO_ADMIN_IMAGE, {"title": name, "file": SimpleUploadedFile(name, content),
                                                    "collection": _root_collection_id()})
        assert response.status_code == 200, name
        assert reason in response.content.decode(), name
    assert get_image_model().objects.count() == 0
    assert _files_on_disk() == before

    response = client.post(DJANGO_ADMIN_IMAGE, {"title": "Logo", "file": SimpleUploadedFile("logo.png", _picture()),
                                                "collection": _root_collection_id()})
    assert response.status_code == 302
    assert get_image_model().objects.get().file.name.endswith(".png")


def test_a_wagtail_avatar_must_be_an_accepted_image():
    from wagtail.admin.forms.account import AvatarPreferencesForm
    from wagtail.users.models import UserProfile

    profile = UserProfile()
    for name, content in [("me.bmp", _picture("BMP")), ("me.gif", _picture("PNG"))]:
        form = AvatarPreferencesForm({}, {"avatar": SimpleUploadedFile(name, content)}, instance=profile)
        assert not form.is_valid(), name
        assert "avatar" in form.errors, name
    form = AvatarPreferencesForm({}, {"avatar": SimpleUploadedFile("me.png", _picture())}, instance=profile)
    form.is_valid()
    assert "avatar" not in form.errors


# -- names people read -----------------------------------------------------------------------------------

def test_names_people_read_are_kept_without_control_characters(client, editor, admin_editor):
    from wagtail.documents.models import Document

    response = client.generic("POST", AJAX_UPLOAD, PDF, content_type="application/octet-stream",
                              QUERY_STRING="qqfile=" + "hand%E2%80%AEout%0A.pdf",
                              HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200, response.content
    stored = File.objects.get(pk=response.json()["file_id"])
    assert stored.original_filename == "handout .pdf"
    assert stored.file.name.rsplit("/", 1)[-1] == "handout.pdf"

    response = client.post("/admin/documents/add/", {"title": "Hand\u202eout\u2066 notes\u2069",
                                                     "file": SimpleUploadedFile("handout.pdf", PDF),
                                                     "collection": _root_collection_id()})
    assert response.status_code == 302
    assert Document.objects.get().title == "Handout notes"


# -- what nginx serves from MEDIA_ROOT -----------------------------------------------------------------

def _nginx_media_locations() -> dict[str, str]:
    import re

    conf = (Path(django_settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    return {m.group(1): m.group(2) for m in re.finditer(r"location (/media/[^ ]*) \{(.*?)\n    \}", conf, re.S)}


def _types(block: str) -> dict[str, str]:
    import re

    found = re.search(r"types \{(.*?)\}", block, re.S)
    assert found, "no types block"
    mapping = {}
    for entry in found.group(1).split(";"):
        words = entry.split()
        for ext in words[1:]:
            mapping[ext] = words[0]
    return mapping


def test_nginx_serves_public_media_only_as_the_accepted_types():
    locations = _nginx_media_locations()
    assert set(locations) == {"/media/filer_public/", "/media/filer_public_thumbnails/", "/media/images/",
                              "/media/original_images/", "/media/"}
    assert "return 404;" in locations.pop("/media/")
    image_extensions = {ext for fmt in uploads.FORMATS if fmt.kind == uploads.IMAGE for ext in fmt.extensions}
    expected = {"/media/filer_public/": set(uploads.ALLOWED_EXTENSIONS),
                "/media/original_images/": image_extensions,
                "/media/images/": image_extensions | {"avif"},  # renditions the Hub makes may be AVIF
                "/media/filer_public_thumbnails/": image_extensions | {"avif"}}
    for location, block in locations.items():
        mapping = _types(block)
        assert set(mapping) == expected[location], location
        for ext, mime_type in mapping.items():
            if ext != "avif":
                assert mime_type in {f.mime_type for f in uploads.FORMATS if ext in f.extensions}, (location, ext)
        assert not {"html", "htm", "svg", "js", "xml", "xhtml"} & set(mapping), location
        assert "default_type application/octet-stream;" in block, location
        assert "add_header X-Content-Type-Options nosniff always;" in block, location
