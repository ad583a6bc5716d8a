"""The recordings archive: uploads only audio/video by content and within the size limit; Wagtail pages
searchable and filterable by topic, linked from the past session."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from filer.models import File

from sessions import errors, services
from sessions.media import sniff_media_type
from sessions.models import RecordingIndexPage, RecordingPage
from sessions.selectors import occurrence_key

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 200
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 200


@pytest.mark.parametrize("head, kind", [
    (MP4, "video/mp4"), (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm", "video/webm"), (b"ID3\x04\x00", "audio/mpeg"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"), (b"OggS\x00\x02", "audio/ogg"), (PDF, None),
    (b"<html><body>", None), (b"MZ\x90\x00", None), (b"", None),
])
def test_media_types_are_recognised_by_their_first_bytes(head, kind):
    assert sniff_media_type(head[:64]) == kind


def test_a_video_upload_is_stored_in_filer(trainer):
    stored = services.recording_upload(uploaded=SimpleUploadedFile("talk.mp4", MP4, "video/mp4"), by=trainer.user)
    assert stored.mime_type == "video/mp4" and stored.folder.name == "Session recordings"


def test_a_pdf_named_like_a_video_is_refused_and_nothing_is_stored(trainer):
    with pytest.raises(errors.RecordingRejected, match="not an audio or video file"):
        services.recording_upload(uploaded=SimpleUploadedFile("talk.mp4", PDF, "video/mp4"), by=trainer.user)
    assert File.objects.count() == 0


@pytest.mark.parametrize("name", ["talk.html", "talk.htm", "talk.xhtml", "talk.svg", "talk.js"])
def test_a_video_named_like_a_web_page_is_refused_and_nothing_is_stored(trainer, name):
    """nginx serves public files by their extension: an MP4 called talk.html would be a web page."""
    with pytest.raises(errors.RecordingRejected, match=r"contains a MP4/MOV video, but its name ends in "
                                                       rf"“\.{name[5:]}”\. Rename it to end in \.mp4"):
        services.recording_upload(uploaded=SimpleUploadedFile(name, MP4, "video/mp4"), by=trainer.user)
    assert File.objects.count() == 0


def test_a_recording_is_stored_under_a_safe_name_and_shown_under_a_clean_one(trainer):
    stored = services.recording_upload(uploaded=SimpleUploadedFile("CON\u202e4pm.mp4", MP4, "video/mp4"),
                                       by=trainer.user, title="Talk\u202e Tuesday")
    assert stored.file.name.rsplit("/", 1)[-1] == "CON4pm.mp4"
    assert (stored.original_filename, stored.name) == ("CON4pm.mp4", "Talk Tuesday")
    stored = services.recording_upload(uploaded=SimpleUploadedFile("nul.mp4", MP4, "video/mp4"), by=trainer.user)
    assert stored.file.name.rsplit("/", 1)[-1] == "nul_.mp4"


def test_a_recording_over_the_size_limit_is_refused(trainer, settings):
    settings.SESSIONS_RECORDING_MAX_BYTES = 100
    with pytest.raises(errors.RecordingRejected, match="at most 100 bytes"):
        services.recording_upload(uploaded=SimpleUploadedFile("talk.mp4", MP4, "video/mp4"), by=trainer.user)
    assert File.objects.count() == 0


def test_the_upload_page_says_why_a_file_is_refused(client, trainer, visitor):
    client.force_login(trainer.user)
    response = client.post("/sessions/recordings/upload/", {"file": SimpleUploadedFile("notes.mp4", PDF)})
    assert response.status_code == 400
    assert "not an audio or video file" in response.content.decode()
    client.force_login(visitor.user)
    assert client.get("/sessions/recordings/upload/").status_code == 403


@pytest.fixture
def archive(home_page, make_series):
    index = RecordingIndexPage(title="Talk Tuesday recordings", slug="recordings")
    home_page.add_child(instance=index)
    series = make_series(kind="talk_tuesday", title="Talk Tuesday")
    occurrence = services.occurrence_ensure(series=series, start=series.event.start)
    pages = []
    for title, topics, transcript in [
        ("Listening first", ["first visits"], "We talked about the kitchen table and open questions."),
        ("Transportation barriers", ["barriers", "transportation"], "Bus passes and walking groups."),
    ]:
        page = RecordingPage(title=title, recorded_on=date(2026, 10, 6), presenters="Tomás Rivera",
                             transcript=transcript, occurrence=occurrence if not pages else None)
        page.topics.add(*topics)
        index.add_child(instance=page)
        page.save_revision().publish()
        pages.append(page)
    return index, series, pages


def test_recordings_are_searchable_and_filterable_by_topic(search_index, client, archive, visitor):
    index, series, pages = archive
    client.force_login(visitor.user)
    html = client.get("/recordings/", {"q": "walking groups"}).content.decode()
    assert "Transportation barriers" in html and "Listening first" not in html
    html = client.get("/recordings/", {"topic": "first-visits"}).content.decode()
    assert "Listening first" in html and "Transportation barriers" not in html
    assert "1 recording" in html


def test_the_past_session_links_its_recording(client, archive, visitor):
    index, series, pages = archive
    client.force_login(visitor.user)
    html = client.get(f"/sessions/{series.pk}/{occurrence_key(series.event.start)}/").content.decode()
    assert pages[0].url in html and "Listening first" in html


def test_a_recording_page_refuses_a_filer_file_that_is_not_video(archive, trainer):
    index, series, pages = archive
    pdf = File.objects.create(file=ContentFile(PDF, "slides.mp4"), original_filename="slides.mp4", owner=trainer.user)
    page = pages[1]
    page.video = pdf
    with pytest.raises(ValidationError, match="not an audio or video file"):
        page.full_clean()
    as_page = File.objects.create(file=ContentFile(MP4, "talk.html"), original_filename="talk.mp4", owner=trainer.user)
    page.video = as_page  # stored (before the name rule) under a name nginx serves as a web page
    with pytest.raises(ValidationError, match="its name ends in “.html”"):
        page.full_clean()
    video = File.objects.create(file=ContentFile(MP4, "talk.mp4"), original_filename="talk.mp4", owner=trainer.user)
    page.video = video
    page.full_clean()
    assert series.event.start - timedelta(days=1) < series.event.start  # the series exists
