"""The module body's video block: a library file or an address, always with captions or a transcript."""

import pytest
from django.core.files.base import ContentFile
from wagtail.blocks import StructBlockValidationError

from courses.blocks import VideoBlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def clip():
    from filer.models import File

    return File.objects.create(file=ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "first-call.mp4"),
                               original_filename="first-call.mp4")


def test_a_video_needs_a_source_and_captions_or_a_transcript():
    block = VideoBlock()
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python({"title": "The first call"}))
    assert set(refused.value.block_errors) == {"embed_url", "transcript"}


def test_a_library_video_renders_as_a_player_with_its_transcript(clip):
    block = VideoBlock()
    value = block.clean(block.to_python({"title": "The first call", "file": clip.pk,
                                         "transcript": "<p>Hello, this is Ms. Ruiz from Burns.</p>"}))
    html = block.render(value)
    assert f'src="{clip.url}"' in html and "<video" in html
    assert "Hello, this is Ms. Ruiz from Burns." in html


def test_an_external_video_is_a_plain_link_not_an_embed_fetched_from_elsewhere():
    block = VideoBlock()
    value = block.clean(block.to_python({"title": "Listening first", "embed_url": "https://video.example.org/v/1",
                                         "captions": "https://video.example.org/v/1.vtt"}))
    html = block.render(value)
    assert 'href="https://video.example.org/v/1"' in html and "<iframe" not in html
