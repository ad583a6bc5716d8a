"""Figures read with an aggregate stay right when rows of another relation are added (a join over two
relations multiplies rows: each family counted once per insight). The roundtable organisers' list, which
had that fault, is tested in tests/roundtable/test_insights.py; these are the other aggregates of the
project, held to the same rule."""

import pytest

from hub.discussion import services as discussion
from hub.discussion.models import Room
from hub.discussion.selectors import rooms_readable
from hub.models import Partner, School
from hub.roles import COORDINATOR, STATE_STAFF, VISITOR
from hub.selectors import districts_overview

pytestmark = pytest.mark.django_db


def test_a_districts_people_count_does_not_grow_with_its_schools_or_partners(orgs, make_person):
    hartford = orgs["Hartford"]
    staff = make_person("samira", roles=[STATE_STAFF])
    for n in range(3):
        make_person(f"v{n}", roles=[VISITOR], home_district=hartford)

    def people_count():
        return next(d.people_count for d in districts_overview(user=staff.user) if d.pk == hartford.pk)

    before = people_count()
    for n in range(4):
        School.objects.create(district=hartford, name=f"School {n}", grades="K-5")
        Partner.objects.create(name=f"Partner {n}", kind=Partner.Kind.COMMUNITY_AGENCY).districts.add(hartford)
    assert people_count() == before == 3


def test_a_rooms_unread_count_does_not_grow_with_its_members(orgs, make_person):
    hartford = orgs["Hartford"]
    reader = make_person("carla", roles=[COORDINATOR], home_district=hartford)
    writer = make_person("ana", roles=[VISITOR], home_district=hartford)
    discussion.rooms_ensure()
    room = Room.objects.get(slug="district-hartford")
    for n in range(3):
        discussion.message_post(room=room, author=writer.user, body=f"m{n}", client_id=f"m{n}")

    def unread():
        return next(r.unread for r in rooms_readable(user=reader.user) if r.pk == room.pk)

    before = unread()
    for n in range(4):
        member = make_person(f"m{n}", roles=[VISITOR], home_district=hartford)
        discussion.room_mark_read(room=room, user=member.user, up_to=0)
    assert unread() == before == 3
