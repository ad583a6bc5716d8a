"""Two daphne processes sharing one database and one Redis: a case a coordinator assigns through one
process's case board leaves the board on a visitor's socket connected to the other process."""

import asyncio
import json

import pytest

from tests.support import Daphne, two_daphnes_over_redis

pytestmark = pytest.mark.services

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from courses.models import Scenario
from coordinators import services
from hub.demo import seed_organisations
from hub.models import District, School
from hub.roles import COORDINATOR, VISITOR
from hub.services import person_create, site_ensure
from tests.conftest import verify_test_session
from tests.coordinators.conftest import certify, make_case
from tests.courses.conftest import build_course

seed_organisations()
hartford = District.objects.get(name="Hartford")
school = School.objects.get(district=hartford, name="Parkville Community School")
scenario = Scenario.objects.create(
    slug="kitchen-table", title="A first visit", stage="first_visit", setting="Kitchen.",
    family_situation="A grandmother.", role_visitor_a="Lead.", role_visitor_b="Listen.", role_parent="Wary.",
    role_student="Not present.", opening="Thank her.", coach_prompts="Pause.", debrief_questions="Trust?")
course = build_course(site_ensure(), scenario, modules=2)
people = {"carla": person_create(username="carla", email="carla@example.org", first_name="Carla",
                                 last_name="Mendes", password=None, roles=(COORDINATOR,), home_district=hartford)}
for name in ("marcus", "luis"):
    people[name] = person_create(username=name, email=f"{name}@example.org", first_name=name.title(),
                                 last_name="Test", password=None, roles=(VISITOR,), school=school)
    certify(people[name], course)
case = make_case(hartford, school, people["carla"])
services.case_open_for_volunteers(case=case, by=people["carla"].user, note="Afternoons")
keys = {}
for name in people:
    client = Client()
    client.force_login(get_user_model().objects.get(username=name))
    verify_test_session(client.session, get_user_model().objects.get(username=name))  # carla: two-step passed
    keys[name] = client.cookies["sessionid"].value
print("BOARD " + json.dumps({"keys": keys, "case": case.pk, "district": hartford.pk,
                             "visitors": [people["marcus"].pk, people["luis"].pk]}))
"""


@pytest.fixture(scope="module")
def two_daphnes(database_templates):
    yield from two_daphnes_over_redis(database_templates, SETUP, "BOARD")


async def _socket(daphne: Daphne, district: int, session_key: str):
    from websockets.asyncio.client import connect

    return await connect(f"ws://127.0.0.1:{daphne.port}/ws/board/{district}/", origin=f"http://127.0.0.1:{daphne.port}",
                         additional_headers={"Cookie": f"sessionid={session_key}"}, proxy=None)


async def _next(ws, kind: str, timeout: float = 5) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if frame["type"] == kind:
            return frame


async def _assign_across(first: Daphne, second: Daphne, data: dict) -> None:
    watcher = await _socket(second, data["district"], data["keys"]["luis"])
    boss = await _socket(first, data["district"], data["keys"]["carla"])
    try:
        snapshot = await _next(watcher, "snapshot")
        assert [c["case"] for c in snapshot["cases"]] == [data["case"]]
        await _next(boss, "snapshot")
        await boss.send(json.dumps({"type": "assign", "case": data["case"], "visitors": data["visitors"]}))
        ack = await _next(boss, "ack")
        assert ack["case"] == data["case"]
        assert (await _next(watcher, "case.assigned"))["case"] == data["case"]
        # A socket opened afterwards, on either process, no longer sees it.
        late = await _socket(second, data["district"], data["keys"]["marcus"])
        assert (await _next(late, "snapshot"))["cases"] == []
        await late.close()
    finally:
        await watcher.close()
        await boss.close()


def test_a_case_assigned_through_one_daphne_leaves_the_board_on_the_other(two_daphnes):
    first, second, data = two_daphnes
    asyncio.run(_assign_across(first, second, data))
