"""Rooms follow training (issue 17): the certified visitors' room is for the people holding a current
LEAP 101 certificate, by the rule the assignment gate asks, and membership changes the moment the
certificate does: issued, revoked, reinstated, or run out by the clock (the lapse job tells open sockets)."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.utils import timezone

from coordinators.selectors.eligibility import visit_eligibility
from courses import services
from courses.models import Certificate
from courses.selectors import State, certification_status
from hub.discussion import services as discussion
from hub.discussion.errors import NoAccess
from hub.discussion.selectors import room_can_read, rooms_readable
from hub.discussion.services import PRACTITIONERS_SLUG, message_post, room_for_reader
from hub.roles import COORDINATOR, TRAINER, VISITOR
from tests.courses.conftest import build_course, finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def leap(home_page, scenario):
    return build_course(home_page, scenario, modules=2, practice=False)


@pytest.fixture
def room(db):
    discussion.rooms_ensure()
    return discussion.room_get(slug=PRACTITIONERS_SLUG)


@pytest.fixture
def people(orgs, make_person):
    return {
        "ana": make_person("ana", roles=[VISITOR], home_district=orgs["Hartford"]),
        "ben": make_person("ben", roles=[VISITOR], home_district=orgs["Hartford"]),
        "tomas": make_person("tomas", roles=[TRAINER]),
        "carla": make_person("carla", roles=[COORDINATOR], home_district=orgs["Hartford"]),
    }


def certify(person, course):
    from courses.models import ModulePage

    finish(person, course, list(ModulePage.objects.child_of(course).live().order_by("path")))
    assert certification_status(person=person, course_code="LEAP-101").state == State.CERTIFIED


def reads(person, room) -> bool:
    return room_can_read(user=person.user, room=room)


def test_only_people_holding_a_current_certificate_and_the_trainers_read_the_practitioners_room(leap, room, people):
    certify(people["ana"], leap)
    services.enrollment_start(person=people["ben"], course=leap)  # enrolled, not certified
    assert reads(people["ana"], room) and reads(people["tomas"], room)
    assert not reads(people["ben"], room) and not reads(people["carla"], room)
    assert room in rooms_readable(user=people["ana"].user)
    assert room not in rooms_readable(user=people["ben"].user)
    message, _ = message_post(room=room, author=people["ana"].user, body="First visit went well", client_id="p1")
    assert message.pk
    with pytest.raises(NoAccess):
        message_post(room=room, author=people["ben"].user, body="Let me in", client_id="p2")
    # the same rule the gate asks: whoever the gate clears on certification reads the room
    assert visit_eligibility(people=[people["ana"]], district=people["ana"].home_district)[people["ana"].pk].certified
    assert not visit_eligibility(people=[people["ben"]], district=people["ben"].home_district)[people["ben"].pk].certified


def test_a_revoked_certificate_closes_the_room_and_reinstating_it_opens_it_again(leap, room, people):
    certify(people["ana"], leap)
    certificate = Certificate.objects.get(person=people["ana"])
    services.certificate_revoke(certificate=certificate, by=people["tomas"].user, reason="Left the visiting team")
    assert not reads(people["ana"], room)
    with pytest.raises(NoAccess):
        room_for_reader(slug=PRACTITIONERS_SLUG, user=people["ana"].user)
    services.certificate_reinstate(certificate=certificate, by=people["tomas"].user, reason="Came back")
    assert reads(people["ana"], room)


def test_a_certificate_that_ran_out_closes_the_room_and_the_lapse_job_tells_open_pages(
        leap, room, people, monkeypatch, django_capture_on_commit_callbacks):
    certify(people["ana"], leap)
    certify(people["ben"], leap)
    now = timezone.now()
    issued = now - timedelta(days=800)
    Certificate.objects.filter(person=people["ana"]).update(issued_at=issued, valid_until=now - timedelta(minutes=5))
    Certificate.objects.filter(person=people["ben"]).update(issued_at=issued, valid_until=now - timedelta(days=3))
    assert not reads(people["ana"], room)
    told = []
    monkeypatch.setattr("hub.sockets.access_changed", lambda user_ids: told.extend(user_ids))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificate_lapses_announce(now=now) == 1
    assert told == [people["ana"].user_id]  # only the one that just ran out; the job's lookback is 30 minutes


def test_the_page_of_the_room_follows_the_certificate(leap, room, people):
    certify(people["ana"], leap)
    client = Client()
    client.force_login(people["ana"].user)
    url = f"/discussion/{PRACTITIONERS_SLUG}/"
    assert client.get(url).status_code == 200
    services.certificate_revoke(certificate=Certificate.objects.get(person=people["ana"]), by=people["tomas"].user,
                                reason="Left the visiting team")
    assert client.get(url).status_code in (403, 404)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_open_socket_leaves_the_room_the_moment_the_certificate_is_revoked(
        home_page, orgs, make_person, fresh_layer):
    from tests.discussion.test_consumer import connect, join, session_key
    from tests.sockets import expect

    def setup():
        from courses.models import Scenario

        scenario = Scenario.objects.create(
            slug="s", title="A first visit", stage="first_visit", setting="Kitchen", family_situation="Two children",
            role_visitor_a="Lead", role_visitor_b="Listen", role_parent="Wary", role_student="Absent", opening="Hi",
            coach_prompts="Pause", debrief_questions="What worked?")
        course = build_course(home_page, scenario, modules=1, practice=False)
        ana = make_person("ana", roles=[VISITOR], home_district=orgs["Hartford"])
        tomas = make_person("tomas", roles=[TRAINER])
        certify(ana, course)
        discussion.rooms_ensure()
        return ana, tomas, session_key(ana.user)

    ana, tomas, key = await database_sync_to_async(setup)()
    comm = await connect(key)
    await join(comm, room=PRACTITIONERS_SLUG)

    def revoke():
        services.certificate_revoke(certificate=Certificate.objects.get(person=ana), by=tomas.user,
                                    reason="Left the visiting team")

    await database_sync_to_async(revoke)()
    left = await expect(comm, "left")
    assert left["room"] == PRACTITIONERS_SLUG and left["reason"] == "access"
    await comm.send_json_to({"type": "message", "room": PRACTITIONERS_SLUG, "client_id": "late", "body": "still?"})
    assert (await expect(comm, "error"))["code"] == "forbidden"
    await comm.disconnect()
