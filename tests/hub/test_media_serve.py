"""/media/ as `make run` serves it (hub.media_serve): the folders nginx serves, as the types nginx gives,
with range requests a video player's seek (and Safari's playback) needs."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from hub.media_serve import PUBLIC_FOLDERS, content_type_for, media_serve
from tests.hub.test_uploads import _nginx_media_locations, _types

VIDEO = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def media(settings, tmp_path):
    settings.SERVE_MEDIA = True
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, content in {"filer_public/2026/10/talk.mp4": VIDEO, "filer_public/2026/10/page.html": b"<script>1</script>",
                          "documents/private-notes.pdf": b"%PDF-1.7 private", "images/photo.width-400.avif": b"x"}.items():
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return settings.MEDIA_ROOT


def get(path, **headers):
    request = RequestFactory().get(f"/media/{path}", headers=headers)
    response = media_serve(request, path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_a_whole_video_says_it_takes_ranges(media):
    response, body = get("filer_public/2026/10/talk.mp4")
    assert response.status_code == 200 and body == VIDEO
    assert response["Content-Type"] == "video/mp4" and response["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=0-1023", 0, 1023),
    ("bytes=5000-", 5000, 10239),  # from a point to the end: a seek
    ("bytes=-100", 10140, 10239),  # the last 100 bytes: where MP4 players look for the index
    ("bytes=10000-99999", 10000, 10239),  # past the end: cut at the end
    ("bytes=10239-10239", 10239, 10239),
])
def test_a_range_is_answered_with_exactly_those_bytes(media, header, first, last):
    response, body = get("filer_public/2026/10/talk.mp4", Range=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(VIDEO)}"
    assert body == VIDEO[first:last + 1] and response["Content-Length"] == str(last - first + 1)


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=99999-100000", "bytes=-0"])
def test_a_range_wholly_past_the_end_is_a_416_naming_the_size(media, header):
    response, body = get("filer_public/2026/10/talk.mp4", Range=header)
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{len(VIDEO)}" and body == b""


@pytest.mark.parametrize("header", ["bytes=0-10,20-30", "bytes=abc", "items=0-10", "bytes=-", "bytes=50-10",
                                    "bytes=" + "9" * 400])
def test_a_range_it_does_not_take_gets_the_whole_file(media, header):
    response, body = get("filer_public/2026/10/talk.mp4", Range=header)
    assert (response.status_code, body) in {(200, VIDEO), (416, b"")}
    if header != "bytes=" + "9" * 400:
        assert response.status_code == 200


@pytest.mark.parametrize("path", ["documents/private-notes.pdf", "filer_public/../documents/private-notes.pdf",
                                  "../media/documents/private-notes.pdf", "filer_public/2026/10/", "filer_public",
                                  "filer_public/2026/10/missing.mp4", "smedia/x", ""])
def test_only_the_public_folders_are_served_as_behind_nginx(media, path):
    """A Wagtail document goes through /documents/ (its collection's privacy), never /media/."""
    with pytest.raises(Http404):
        get(path)


def test_without_serve_media_nothing_is_served_the_proxy_does_it(media, settings):
    settings.SERVE_MEDIA = False
    with pytest.raises(Http404):
        get("filer_public/2026/10/talk.mp4")


def test_a_file_of_a_type_the_folder_does_not_take_is_sent_to_be_downloaded_never_rendered(media):
    response, _ = get("filer_public/2026/10/page.html")
    assert response["Content-Type"] == "application/octet-stream" and response["X-Content-Type-Options"] == "nosniff"
    assert get("images/photo.width-400.avif")[0]["Content-Type"] == "image/avif"


def test_the_folders_and_types_are_nginxs():
    """The same folders, each with the same extensions and types as deploy/nginx.conf."""
    locations = {path.strip("/").removeprefix("media/"): block for path, block in _nginx_media_locations().items()
                 if path != "/media/"}
    assert set(locations) == set(PUBLIC_FOLDERS)
    for folder, block in locations.items():
        assert {ext: content_type_for(ext) for ext in PUBLIC_FOLDERS[folder]} == _types(block), folder
