"""The discussion services and the access rule, and the pages that work without JavaScript."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hub.discussion import errors as discussion_errors
from hub.discussion import formatting as discussion_formatting
from hub.discussion import selectors as discussion_selectors
from hub.discussion import services as discussion
from hub.discussion.models import Mention, Message, Room
from hub.discussion.selectors import room_can_read, room_messages, room_unread, rooms_readable
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, VISITOR


@pytest.fixture
def people(orgs, make_person):
    from hub.models import Region, School

    hartford, new_haven = orgs["Hartford"], orgs["New Haven"]
    burns = School.objects.get(name="Burns Latino Studies Academy")
    return {
        "ana": make_person("ana", roles=(VISITOR,), school=burns, first_name="Ana", last_name="Ruiz"),
        "marcus": make_person("marcus", roles=(VISITOR,), home_district=hartford),
        "jordan": make_person("jordan", roles=(VISITOR,), home_district=new_haven),
        "carla": make_person("carla", roles=(COORDINATOR,), home_district=hartford),
        "rita": make_person("rita", roles=(REGIONAL_STAFF,), region=Region.objects.get(code="crec")),
        "tomas": make_person("tomas", roles=(TRAINER,)),
        "samira": make_person("samira", roles=(STATE_STAFF,)),
    }


@pytest.fixture
def rooms(people):
    discussion.rooms_ensure()
    return {room.slug: room for room in Room.objects.all()}


@pytest.fixture
def community_members(monkeypatch):
    """Replace the registered community predicates with a set of usernames (courses' needs a course)."""
    members: set[str] = set()
    monkeypatch.setattr(discussion_selectors, "_community_predicates",
                        {"test": lambda *, user: user.username in members})
    return members


def post(room, person, body, client_id=None):
    return discussion.message_post(room=room, author=person.user, body=body,
                                   client_id=client_id or f"c-{Message.objects.count() + 1}-{person.pk}")[0]


def readable(person):
    return {room.slug for room in rooms_readable(user=person.user)}


def test_rooms_ensure_makes_the_standing_rooms_once(rooms):
    assert {"community", "trainers", "coordinators", "practitioners", "region-crec", "district-hartford"} <= set(rooms)
    assert len(rooms) == 4 + 6 + 15
    assert discussion.rooms_ensure() == 0
    assert Room.objects.count() == len(rooms)


def test_each_person_reads_the_rooms_their_role_and_scope_allow(people, rooms, community_members):
    community_members.add("ana")
    assert readable(people["ana"]) == {"community", "region-crec", "district-hartford"}
    assert readable(people["marcus"]) == {"region-crec", "district-hartford"}  # not enrolled in LEAP 101
    assert readable(people["jordan"]) == {"region-aces", "district-new-haven"}
    assert readable(people["carla"]) == {"region-crec", "district-hartford", "coordinators"}
    crec = {"district-hartford", "district-east-hartford", "district-new-britain", "district-crec",
            "district-manchester"}
    assert readable(people["rita"]) == {"community", "region-crec", "coordinators"} | crec
    tomas = readable(people["tomas"])
    assert {"community", "trainers", "region-ces", "district-windham"} <= tomas and "coordinators" not in tomas
    assert readable(people["samira"]) == set(rooms)


def test_people_enrolled_in_leap_101_read_the_community_room(people, rooms, home_page):
    """The rule courses registers in CoursesConfig.ready() (hub never imports courses)."""
    from courses.demo import _publish
    from courses.models import CourseIndexPage, CoursePage
    from courses.services import enrollment_start

    assert any(key.startswith("courses.") for key in discussion_selectors._community_predicates)
    index = _publish(home_page, CourseIndexPage(title="Courses", slug="courses"))
    course = _publish(index, CoursePage(title="LEAP 101", slug="leap-101", code="LEAP-101", summary="Before your "
                                        "first visit.", audience="New home visitors", estimated_minutes=90,
                                        certificate_valid_months=24))
    assert "community" not in readable(people["marcus"])
    enrollment_start(person=people["marcus"], course=course)
    assert "community" in readable(people["marcus"])


def test_a_session_room_is_open_from_an_hour_before_to_a_day_after_for_registered_people_and_trainers(
        people, monkeypatch):
    start = timezone.now() + timedelta(minutes=30)
    room = discussion.room_for_session(external_ref="occurrence:7", title="Connection Session",
                                       starts_at=start, ends_at=start + timedelta(hours=1))
    assert discussion.room_for_session(external_ref="occurrence:7", title="Connection Session",
                                       starts_at=start, ends_at=start + timedelta(hours=1)) == room
    assert (room.opens_at, room.closes_at) == (start - timedelta(hours=1), start + timedelta(hours=1, days=1))
    monkeypatch.setattr(discussion_selectors, "_session_predicates", {
        "test": lambda *, user, external_refs: [r for r in external_refs if user.username == "ana"]})
    assert room_can_read(user=people["ana"].user, room=room)
    assert room_can_read(user=people["tomas"].user, room=room)
    assert not room_can_read(user=people["marcus"].user, room=room)
    assert not room_can_read(user=people["ana"].user, room=room, now=start - timedelta(hours=2))
    assert not room_can_read(user=people["tomas"].user, room=room, now=start + timedelta(days=2))
    assert room.slug in readable(people["ana"])


def test_a_message_is_stored_once_per_client_id_and_its_author_is_the_poster(people, rooms):
    room = rooms["district-hartford"]
    first, created = discussion.message_post(room=room, author=people["ana"].user, body=" Hello ", client_id="a1")
    again, created_again = discussion.message_post(room=room, author=people["ana"].user, body="Hello",
                                                   client_id="a1")
    assert (created, created_again, again.pk, first.body) == (True, False, first.pk, "Hello")
    # Another person may use the same client id: the constraint is per author.
    assert discussion.message_post(room=room, author=people["marcus"].user, body="Hi", client_id="a1")[1]
    with pytest.raises(discussion_errors.ClientIdReused):
        discussion.message_post(room=rooms["region-crec"], author=people["ana"].user, body="x", client_id="a1")
    assert Message.objects.count() == 2


@pytest.mark.parametrize("body, error", [
    ("", "Write something first."), ("   ", "Write something first."),
    ("x" * 2001, "at most 2,000 characters"), (42, "A message is text."),
])
def test_an_empty_too_long_or_non_text_message_is_refused_and_nothing_is_stored(people, rooms, body, error):
    with pytest.raises(discussion_errors.InvalidMessage, match=error):
        discussion.message_post(room=rooms["district-hartford"], author=people["ana"].user, body=body,
                                client_id="c1")
    assert not Message.objects.exists()


def test_a_message_to_a_room_one_may_not_read_is_refused(people, rooms):
    with pytest.raises(discussion_errors.NoAccess):
        post(rooms["district-hartford"], people["jordan"], "Hello Hartford")
    with pytest.raises(discussion_errors.NoAccess):
        post(rooms["trainers"], people["carla"], "Hello trainers")
    assert not Message.objects.exists()


def test_text_is_escaped_first_and_only_http_links_become_links():
    html = discussion_formatting.message_html('<script>alert(1)</script> see https://example.org/a?b=1&c="2". '
                                   'javascript:alert(1) www.example.org ftp://x.org')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert ('<a href="https://example.org/a?b=1&amp;c=" rel="noopener nofollow ugc">'
            'https://example.org/a?b=1&amp;c=</a>&quot;2&quot;.') in html
    assert html.count("<a ") == 1


def test_editing_is_for_the_author_within_fifteen_minutes(people, rooms):
    message = post(rooms["district-hartford"], people["ana"], "Frist")
    edited = discussion.message_edit(message=message, by=people["ana"].user, body="First")
    assert (edited.body, edited.edited_at is not None) == ("First", True)
    with pytest.raises(discussion_errors.NotYourMessage):
        discussion.message_edit(message=message, by=people["marcus"].user, body="Mine now")
    with pytest.raises(discussion_errors.EditWindowClosed):
        discussion.message_edit(message=message, by=people["ana"].user, body="Later",
                                now=message.created_at + timedelta(minutes=16))
    assert Message.objects.get().body == "First"


def test_deleting_keeps_a_tombstone_and_only_the_author_may(people, rooms):
    message = post(rooms["district-hartford"], people["ana"], "Oops")
    with pytest.raises(discussion_errors.NotYourMessage):
        discussion.message_delete(message=message, by=people["carla"].user)
    discussion.message_delete(message=message, by=people["ana"].user)
    message.refresh_from_db()
    assert (message.body, message.deleted_at is not None) == ("", True)
    assert discussion_formatting.message_data(message)["deleted"] is True
    with pytest.raises(discussion_errors.MessageGone):
        discussion.message_edit(message=message, by=people["ana"].user, body="back")


def test_trainers_and_coordinators_hide_with_a_reason_kept_in_the_history(people, rooms):
    message = post(rooms["district-hartford"], people["ana"], "The family at 12 Elm St…")
    with pytest.raises(discussion_errors.NotModerator):
        discussion.message_hide(message=message, by=people["marcus"].user, reason="privacy")
    with pytest.raises(discussion_errors.InvalidMessage):
        discussion.message_hide(message=message, by=people["carla"].user, reason=" ")
    discussion.message_hide(message=message, by=people["carla"].user, reason="A family's address")
    message.refresh_from_db()
    assert (message.hidden_by, message.hidden_reason) == (people["carla"].user, "A family's address")
    assert message.body == "The family at 12 Elm St…"  # kept for the record
    data = discussion_formatting.message_data(message)
    assert (data["hidden"], data["body"], data["hidden_reason"]) == (True, "", "A family's address")
    # A New Haven visitor neither moderates nor reads Hartford's room.
    with pytest.raises(discussion_errors.NotModerator):
        discussion.message_hide(message=message, by=people["jordan"].user, reason="x")


def test_history_pages_by_id_and_since_catches_up(people, rooms):
    room = rooms["district-hartford"]
    ids = [post(room, people["ana"], f"m{n}").pk for n in range(7)]
    page, more = room_messages(room=room, limit=3)
    assert ([m.pk for m in page], more) == (ids[-3:], True)
    page, more = room_messages(room=room, before=ids[-3], limit=3)
    assert ([m.pk for m in page], more) == (ids[1:4], True)
    page, more = room_messages(room=room, before=ids[1], limit=3)
    assert ([m.pk for m in page], more) == (ids[:1], False)
    page, more = room_messages(room=room, since=ids[4], limit=3)
    assert ([m.pk for m in page], more) == (ids[5:], False)


def test_unread_counts_others_messages_after_the_last_read_one(people, rooms):
    room = rooms["district-hartford"]
    post(room, people["ana"], "one")
    second = post(room, people["ana"], "two")
    post(room, people["marcus"], "mine")
    assert room_unread(room=room, user=people["marcus"].user) == 2
    assert discussion.room_mark_read(room=room, user=people["marcus"].user, up_to=second.pk) == 0
    assert discussion.room_mark_read(room=room, user=people["marcus"].user, up_to=1) == 0  # never moves back
    post(room, people["ana"], "three")
    counts = {r.slug: r.unread for r in rooms_readable(user=people["marcus"].user)}
    assert counts["district-hartford"] == 1 and counts["region-crec"] == 0


def test_the_room_list_takes_a_constant_number_of_queries(people, rooms, django_assert_max_num_queries):
    for n in range(5):
        post(rooms["district-hartford"], people["ana"], f"m{n}")
    with CaptureQueriesContext(connection) as few:
        rooms_readable(user=people["samira"].user)
    for n in range(20):
        post(rooms[f"district-{['new-haven', 'hartford'][n % 2]}"], people["tomas"], f"n{n}")
    with CaptureQueriesContext(connection) as many:
        rooms_readable(user=people["samira"].user)
    assert len(many) == len(few) <= 6


def test_a_mention_emails_only_readers_of_the_room_with_no_socket_open(
        people, rooms, django_capture_on_commit_callbacks):
    room = rooms["district-hartford"]
    discussion.presence_connect(user_id=people["marcus"].user.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = post(room, people["ana"], "Ask @marcus and @carla. @jordan can't read this; @nobody exists.")
    assert set(Mention.objects.values_list("user__username", flat=True)) == {"marcus", "carla"}
    assert [m.to for m in mail.outbox] == [["carla@example.org"]]
    assert mail.outbox[0].subject == "Ana Ruiz mentioned you in Hartford"
    assert f"/discussion/district-hartford/#m{message.pk}" in mail.outbox[0].body
    assert Mention.objects.get(emailed=True).user.username == "carla"
    discussion.presence_disconnect(user_id=people["marcus"].user.pk)
    assert not discussion.is_online(people["marcus"].user.pk)


# --- The pages without JavaScript -------------------------------------------------------------------


def test_the_room_list_shows_readable_rooms_with_unread_counts(client, people, rooms):
    post(rooms["district-hartford"], people["ana"], "Hello")
    client.force_login(people["marcus"].user)
    response = client.get("/discussion/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hartford" in body and "1 unread" in body and "New Haven" not in body


def test_the_room_page_posts_through_the_form_once_per_client_id(client, people, rooms):
    client.force_login(people["ana"].user)
    page = client.get("/discussion/district-hartford/")
    assert page.status_code == 200
    client_id = page.context["client_id"]
    for _ in range(2):  # a double submit
        response = client.post("/discussion/district-hartford/",
                               {"body": "<script>alert(1)</script> https://leap.example.org", "client_id": client_id})
        assert response.status_code == 302
    assert Message.objects.count() == 1
    body = client.get("/discussion/district-hartford/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert '<a href="https://leap.example.org" rel="noopener nofollow ugc">' in body
    assert 'data-room="district-hartford"' in body and "discussion/discussion.js" in body


def test_the_room_form_sent_five_times_posts_once_and_a_freshly_drawn_form_posts_again(client, people, rooms):
    """The no-JS form's client id is drawn with the page (a hidden field), not made per POST: a resend of
    the same page lands on the stored message; the next page has a new id."""
    from tests.double_submit import hidden_fields

    client.force_login(people["ana"].user)
    url = "/discussion/district-hartford/"
    for n in (1, 2):
        hidden = hidden_fields(client.get(url))
        responses = [client.post(url, {"body": f"Hello {n}", **hidden}) for _ in range(5)]
        message = Message.objects.get(body=f"Hello {n}")
        assert [(r.status_code, r["Location"]) for r in responses] == [(302, f"{url}#m{message.pk}")] * 5
    assert Message.objects.count() == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_one_client_id_sent_by_many_threads_at_once_stores_one_message(people, rooms):
    from tests.double_submit import at_once
    from tests.support import require_postgres

    require_postgres(connection)
    room = rooms["district-hartford"]
    results, failures = at_once(6, lambda _: discussion.message_post(
        room=room, author=people["ana"].user, body="Hello", client_id="tap-tap")[0].pk)
    assert failures == [] and len(results) == 6 and len(set(results)) == 1
    assert Message.objects.filter(author=people["ana"].user).count() == 1


def test_the_room_page_refuses_outsiders_and_too_long_posts(client, people, rooms):
    client.force_login(people["jordan"].user)
    assert client.get("/discussion/district-hartford/").status_code == 403
    assert client.post("/discussion/district-hartford/", {"body": "hi", "client_id": "x1"}).status_code == 403
    assert client.get("/discussion/no-such-room/").status_code == 404
    client.force_login(people["ana"].user)
    response = client.post("/discussion/district-hartford/", {"body": "x" * 2001, "client_id": "x2"})
    assert response.status_code == 400 and "at most 2,000 characters" in response.content.decode()
    assert not Message.objects.exists()
    client.logout()
    assert client.get("/discussion/").status_code == 302


def test_older_messages_load_on_demand(client, people, rooms):
    ids = [post(rooms["district-hartford"], people["ana"], f"message {n}").pk for n in range(35)]
    client.force_login(people["marcus"].user)
    body = client.get("/discussion/district-hartford/").content.decode()
    assert "message 34" in body and "message 4<" not in body
    assert f'href="?before={ids[5]}"' in body
    older = client.get(f"/discussion/district-hartford/?before={ids[5]}").content.decode()
    assert "message 4<" in older and "message 5<" not in older


def test_edit_delete_and_hide_work_from_plain_forms(client, people, rooms):
    room = rooms["district-hartford"]
    message = post(room, people["ana"], "Frist")
    other = post(room, people["marcus"], "Call the family at 555-0100")
    client.force_login(people["ana"].user)
    assert client.post(f"/discussion/district-hartford/{message.pk}/edit/", {"body": "First"}).status_code == 302
    assert client.post(f"/discussion/district-hartford/{other.pk}/edit/", {"body": "x"}).status_code == 400
    assert client.post(f"/discussion/district-hartford/{message.pk}/delete/").status_code == 302
    client.force_login(people["carla"].user)
    assert client.post(f"/discussion/district-hartford/{other.pk}/hide/",
                       {"reason": "A family's phone number"}).status_code == 302
    message.refresh_from_db()
    other.refresh_from_db()
    assert message.deleted_at and other.hidden_reason == "A family's phone number"
    page = client.get("/discussion/district-hartford/").content.decode()
    assert "This message was deleted." in page and "Hidden by a moderator: A family&#x27;s phone number" in page


def test_the_protocol_is_documented_for_every_frame_type():
    from pathlib import Path

    from hub.discussion import consumers

    text = (Path(consumers.__file__).parent / "protocol.md").read_text()
    for kind in [*consumers.DiscussionConsumer.handlers, "joined", "left", "ack", "error", "mention"]:
        assert f'{{"type": "{kind}"' in text, kind


def test_the_demo_step_builds_rooms_and_conversations_once(orgs):
    from hub.demo import seed_site_and_people
    from hub.discussion.demo import seed_discussion

    seed_site_and_people()
    assert seed_discussion().startswith("25 rooms and 8 messages created")
    assert seed_discussion().startswith("0 rooms and 0 messages created")
    assert Message.objects.filter(room__slug="district-hartford").count() == 3
