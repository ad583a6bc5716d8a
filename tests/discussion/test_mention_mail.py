"""A mention's email is written for the person mentioned: their language, a text and an HTML part, the
link to the message on the Hub's address, the author's name and words as text; one still queued when
the message was deleted is skipped with the reason."""

import pytest
from django.core import mail
from django.utils import translation

from hub.discussion import services as discussion
from hub.discussion.models import Message as Post
from hub.discussion.models import Room
from hub.models import Language
from hub.outbox import services as outbox
from hub.outbox.models import Message
from hub.roles import COORDINATOR, VISITOR
from tests.outbox.written import BASE_URL, assert_escaped, assert_written_for

pytestmark = pytest.mark.django_db
MARKUP = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


@pytest.fixture
def room(orgs, make_person):
    make_person("ana", roles=(VISITOR,), home_district=orgs["Hartford"], first_name="Ana", last_name=MARKUP)
    make_person("carla", roles=(COORDINATOR,), home_district=orgs["Hartford"],
                languages=tuple(Language.objects.filter(code="es")))
    discussion.rooms_ensure()
    return Room.objects.get(slug="district-hartford")


def _post(room, body):
    from django.contrib.auth import get_user_model

    author = get_user_model().objects.get(username="ana")
    return discussion.message_post(room=room, author=author, body=body, client_id=f"c-{Post.objects.count()}")[0]


def test_a_mention_written_in_english_reaches_a_spanish_reader_in_spanish(room, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        post = _post(room, f"@carla can you look at this? {MARKUP}")
    (message,) = Message.objects.filter(recipient="carla@example.org")
    assert_written_for(message, language="es", subject="Ana", says="escribió en Hartford")
    assert message.subject.endswith("le mencionó en Hartford")
    assert f"{BASE_URL}/discussion/district-hartford/#m{post.pk}" in message.body_text
    assert_escaped(message, MARKUP)  # the author's name and the words, as text


def test_a_mention_email_still_queued_when_the_message_was_deleted_is_skipped(
        room, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(outbox, "_enqueue", lambda message_id, run_after=None: None)  # the worker is away
    with django_capture_on_commit_callbacks(execute=True):
        post = _post(room, "@carla see you at six")
    (message,) = Message.objects.filter(recipient="carla@example.org")
    discussion.message_delete(message=post, by=post.author)
    assert outbox.message_deliver(message_id=message.pk) == "skipped"
    message.refresh_from_db()
    assert message.last_error == "The message was deleted." and mail.outbox == []
