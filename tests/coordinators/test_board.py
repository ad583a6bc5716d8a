"""The live case board (issue 7): coordinators open cases for volunteers, certified visitors volunteer, the
coordinator confirms a pair through the same `case_assign` gate; the board never shows a student's name.

Service and page tests run in a rolled-back transaction; the websocket tests go through the real ASGI
stack (origin check, session auth, routing) and need `transaction=True` (DEPENDENCIES §6).
"""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from coordinators import selectors, services
from coordinators.errors import AssignmentRefused, NotCertified
from coordinators.models import Assignment, BoardOpening, Volunteer
from tests.sockets import expect, socket_open


def open_case(case, coordinator, **kwargs):
    kwargs.setdefault("note", "Grandmother at home; afternoons are best.")
    return services.case_open_for_volunteers(case=case, by=coordinator.user, **kwargs)


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


# --- services ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_uncertified_visitor_is_refused_with_the_training_that_remains(case, coordinator, ana):
    open_case(case, coordinator)
    with pytest.raises(NotCertified) as caught:
        services.case_volunteer(case=case, visitor=ana)
    text = str(caught.value)
    assert "You still have 1 LEAP 101 module to finish: Module 2." in text
    assert "You still need to attend a LEAP 101 live practice session." in text
    assert not Volunteer.objects.exists()
    viewer = selectors.viewer_for(user=ana.user, district=case.district)
    assert not viewer.can_volunteer and " ".join(viewer.reasons) == text


@pytest.mark.django_db
def test_a_certified_visitor_volunteers_with_a_named_pair(case, coordinator, marcus, luis):
    open_case(case, coordinator)
    assert selectors.viewer_for(user=marcus.user, district=case.district).can_volunteer
    volunteer = services.case_volunteer(case=case, visitor=marcus, partner=luis)
    assert (volunteer.visitor, volunteer.partner) == (marcus, luis)
    again = services.case_volunteer(case=case, visitor=marcus)  # volunteering again updates, never duplicates
    assert again.pk == volunteer.pk and again.partner is None
    [row] = selectors.board_cases(user=marcus.user, district_id=case.district_id)
    assert row["volunteers"] == [{"visitor": {"id": marcus.pk, "name": "Marcus Bell"}, "partner": None}]
    services.volunteer_withdraw(case=case, visitor=marcus)
    assert selectors.board_cases(user=marcus.user, district_id=case.district_id)[0]["volunteers"] == []


@pytest.mark.django_db
def test_the_coordinator_assigns_through_the_gate_and_the_case_leaves_the_board(case, coordinator, marcus, luis):
    open_case(case, coordinator)
    services.case_volunteer(case=case, visitor=marcus, partner=luis)
    assignment = services.board_case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    assert set(assignment.visitors.all()) == {marcus, luis}
    assert selectors.board_cases(user=coordinator.user, district_id=case.district_id) == []
    assert BoardOpening.objects.get().close_reason == "assigned"
    assert [c.pk for c in selectors.my_cases(user=marcus.user)] == [case.pk]  # the same Assignment


@pytest.mark.django_db
def test_a_bad_pair_gets_the_same_refusal_on_the_board_as_on_the_case_page(case, coordinator, ana, marcus):
    open_case(case, coordinator)
    with pytest.raises(AssignmentRefused) as direct:
        services.case_assign(case=case, visitors=[ana, marcus], by=coordinator.user)
    with pytest.raises(AssignmentRefused) as board:
        services.board_case_assign(case=case, visitors=[ana, marcus], by=coordinator.user)
    assert str(board.value) == str(direct.value)
    assert board.value.reasons == ["Ana Ruiz still has 1 LEAP 101 module to finish: Module 2.", "Ana Ruiz has not attended a LEAP 101 live practice session yet."]
    client = client_for(coordinator)
    html_path = client.post(reverse("coordinators:case_assign", args=[case.pk]),
                            {"visitor_1": ana.pk, "visitor_2": marcus.pk})
    board_path = client.post(reverse("coordinators:board", args=[case.district_id]),
                             {"action": "assign", "case": case.pk, "visitor_1": ana.pk, "visitor_2": marcus.pk})
    assert html_path.status_code == board_path.status_code == 409
    for response in (html_path, board_path):
        assert "Ana Ruiz still has 1 LEAP 101 module to finish: Module 2." in response.content.decode()
    assert not Assignment.objects.exists()
    assert BoardOpening.objects.get().is_open


@pytest.mark.django_db
def test_the_board_shows_no_student_name_or_id_and_only_what_was_shared(case, coordinator, marcus):
    open_case(case, coordinator, note="Two siblings at the same school.", share_school=False)
    [row] = selectors.board_cases(user=marcus.user, district_id=case.district_id)
    assert row["grade_band"] == "Elementary (K–5)" and row["school"] is None
    page = client_for(marcus).get(reverse("coordinators:board", args=[case.district_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Two siblings at the same school." in html and "Elementary (K–5)" in html
    for secret in (case.first_name, case.student_ref, case.school.name, "Chronic absence since October"):
        assert secret not in html and secret not in str(row)


@pytest.mark.django_db
def test_the_page_works_without_javascript(case, coordinator, coordinator_nh, marcus, luis):
    board_url = reverse("coordinators:board", args=[case.district_id])
    boss = client_for(coordinator)
    assert boss.get(reverse("coordinators:board_home")).url == board_url
    assert boss.post(board_url, {"action": "open", "case": case.pk, "note": "Mornings",
                                 "share_grade": "1", "share_school": "1"}).status_code == 302
    visitor = client_for(marcus)
    assert visitor.post(board_url, {"action": "volunteer", "case": case.pk, "partner": luis.pk}).status_code == 302
    assert Volunteer.objects.get().partner == luis
    assert boss.post(board_url, {"action": "assign", "case": case.pk, "visitor_1": marcus.pk,
                                 "visitor_2": luis.pk}).status_code == 302
    assert "Case board" in visitor.get(reverse("coordinators:my_cases")).content.decode()
    assert client_for(coordinator_nh).get(board_url).status_code == 404  # another district's board


# --- the websocket ----------------------------------------------------------------------------------------

ws = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def keys(fresh_layer, coordinator, marcus, luis, ana, coordinator_nh):
    people = {"carla": coordinator, "marcus": marcus, "luis": luis, "ana": ana, "dwayne": coordinator_nh}
    return {name: client_for(person).cookies["sessionid"].value for name, person in people.items()}


async def connect(district_id, key=None, expect_ok=True) -> WebsocketCommunicator:
    comm, connected, _ = await socket_open(f"/ws/board/{district_id}/", key)
    assert connected is expect_ok
    return comm


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_connect_sends_a_snapshot_and_other_boards_refuse(keys, case, coordinator, orgs):
    await database_sync_to_async(open_case)(case, coordinator)
    comm = await connect(case.district_id, keys["ana"])
    snapshot = await expect(comm, "snapshot")
    assert [c["case"] for c in snapshot["cases"]] == [case.pk]
    assert snapshot["me"]["can_volunteer"] is False
    assert "1 LEAP 101 module to finish: Module 2" in snapshot["me"]["why_not"]
    assert case.first_name not in str(snapshot) and case.student_ref not in str(snapshot)
    await comm.disconnect()
    refused = await connect(orgs["New Haven"].pk, keys["marcus"], expect_ok=False)
    assert refused.refused_with == 4403
    assert (await connect(case.district_id, keys["dwayne"], expect_ok=False)).refused_with == 4403
    assert (await connect(case.district_id, None, expect_ok=False)).refused_with == 4401


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_opened_case_appears_and_volunteers_are_pushed(keys, case, coordinator):
    comm = await connect(case.district_id, keys["marcus"])
    assert (await expect(comm, "snapshot"))["cases"] == []
    await database_sync_to_async(open_case)(case, coordinator, share_school=False)
    opened = await expect(comm, "case.opened")
    assert (opened["case"]["case"], opened["case"]["school"]) == (case.pk, None)
    await comm.send_json_to({"type": "volunteer", "case": case.pk, "ref": "v1"})
    ack = await expect(comm, "ack")  # the ack comes first: the broadcast waits for the frame to finish
    pushed = await expect(comm, "case.volunteered")
    assert pushed["case"]["volunteers"][0]["visitor"]["name"] == "Marcus Bell"
    assert (ack["ref"], ack["action"], ack["case"]) == ("v1", "volunteer", case.pk)
    await comm.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_assignment_through_the_socket_leaves_the_board_on_other_sockets(keys, case, coordinator,
                                                                                   marcus, luis):
    await database_sync_to_async(open_case)(case, coordinator)
    await database_sync_to_async(services.case_volunteer)(case=case, visitor=marcus, partner=luis)
    boss, watcher = await connect(case.district_id, keys["carla"]), await connect(case.district_id, keys["luis"])
    await expect(boss, "snapshot")
    await expect(watcher, "snapshot")
    await boss.send_json_to({"type": "assign", "case": case.pk, "visitors": [marcus.pk, luis.pk], "ref": "a"})
    assert (await expect(watcher, "case.assigned"))["case"] == case.pk
    frames = [await boss.receive_json_from(timeout=2), await boss.receive_json_from(timeout=2)]
    assert {f["type"] for f in frames} == {"ack", "case.assigned"}
    assert await database_sync_to_async(selectors.board_cases)(user=luis.user,
                                                                     district_id=case.district_id) == []
    await boss.disconnect()
    await watcher.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_bad_frames_and_refusals_answer_with_error_frames_and_keep_the_socket(keys, case, coordinator,
                                                                                     ana, marcus):
    await database_sync_to_async(open_case)(case, coordinator)
    visitor = await connect(case.district_id, keys["ana"])
    await expect(visitor, "snapshot")
    await visitor.send_to(text_data="{not json")
    assert (await expect(visitor, "error"))["code"] == "bad_json"
    await visitor.send_json_to({"type": "dance", "ref": "x"})
    assert ((await expect(visitor, "error"))["code"], "x") == ("unknown_type", "x")
    await visitor.send_json_to({"type": "assign", "case": case.pk, "visitors": [marcus.pk, ana.pk]})
    forbidden = await expect(visitor, "error")
    assert forbidden["code"] == "not_allowed" and "coordinators" in forbidden["message"]
    await visitor.send_json_to({"type": "volunteer", "case": case.pk})
    refused = await expect(visitor, "error")
    assert refused["code"] == "not_certified" and "1 LEAP 101 module to finish: Module 2" in refused["message"]
    await visitor.send_json_to({"type": "volunteer", "case": 999999})
    assert (await expect(visitor, "error"))["code"] == "not_found"
    # The gate's refusal reaches the coordinator's socket in the case page's words.
    boss = await connect(case.district_id, keys["carla"])
    await expect(boss, "snapshot")
    await boss.send_json_to({"type": "assign", "case": case.pk, "visitors": [ana.pk, marcus.pk]})
    gate = await expect(boss, "error")
    assert gate["code"] == "refused"
    assert gate["message"] == str(AssignmentRefused(["Ana Ruiz still has 1 LEAP 101 module to finish: Module 2.", "Ana Ruiz has not attended a LEAP 101 live practice session yet."]))
    assert await database_sync_to_async(Assignment.objects.count)() == 0
    await visitor.disconnect()
    await boss.disconnect()


@pytest.mark.parametrize(("bad", "expected"), [
    ({"visitor_2": "999999"}, "One of the chosen visitors does not exist."),
    ({"visitor_2": "abc"}, "One of the chosen visitors does not exist."),
    ({"case": "999999"}, "There is no such case on this board."),
    ({"action": "dance"}, "Choose a case on this board and an action."),
])
@pytest.mark.django_db
def test_the_page_refuses_unknown_ids_as_the_socket_does_and_assigns_nobody(case, coordinator, marcus, luis,
                                                                           bad, expected):
    open_case(case, coordinator)
    posted = {"action": "assign", "case": case.pk, "visitor_1": marcus.pk, "visitor_2": luis.pk, **bad}
    response = client_for(coordinator).post(reverse("coordinators:board", args=[case.district_id]), posted)
    assert response.status_code == 400 and expected in response.content.decode()
    assert not Assignment.objects.exists() and BoardOpening.objects.get().is_open


@pytest.mark.parametrize(("frame", "expected"), [
    ({"visitors": [999999, "marcus"]}, None),
    ({"visitors": ["marcus", 999999]}, "One of the chosen visitors does not exist."),
    ({"case": 999999}, "There is no such case on this board."),
])
@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_socket_refuses_the_same_ids_with_the_same_words(keys, case, coordinator, marcus, frame, expected):
    await database_sync_to_async(open_case)(case, coordinator)
    boss = await connect(case.district_id, keys["carla"])
    await expect(boss, "snapshot")
    sent = {"type": "assign", "case": case.pk, "visitors": [marcus.pk, marcus.pk]}
    sent.update({k: [marcus.pk if v == "marcus" else v for v in value] if isinstance(value, list) else value
                 for k, value in frame.items()})
    await boss.send_json_to(sent)
    refused = await expect(boss, "error")
    assert refused["code"] == "not_found"
    assert expected is None or refused["message"] == expected
    assert await database_sync_to_async(Assignment.objects.count)() == 0
    await boss.disconnect()


async def _closes_with(comm, code: int) -> dict:
    """The error frame the socket sends before it closes with `code` (within 5 seconds)."""
    frame = await comm.receive_json_from(timeout=5)
    assert frame["type"] == "error", frame
    assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": code}
    return frame


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_listening_board_socket_closes_when_its_session_signs_out(keys, case, coordinator, marcus):
    await database_sync_to_async(open_case)(case, coordinator)
    comm = await connect(case.district_id, keys["marcus"])
    await expect(comm, "snapshot")

    def sign_out():
        from django.contrib.auth import logout
        from django.http import HttpRequest

        from hub.session_store import SessionStore

        request = HttpRequest()
        request.session = SessionStore(keys["marcus"])
        request.user = marcus.user
        logout(request)

    await database_sync_to_async(sign_out)()
    assert (await _closes_with(comm, 4401))["code"] == "signed_out"


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_new_password_or_a_switched_off_account_closes_the_board_socket(keys, case, coordinator, marcus,
                                                                                luis):
    await database_sync_to_async(open_case)(case, coordinator)
    first, second = await connect(case.district_id, keys["marcus"]), await connect(case.district_id, keys["luis"])
    await expect(first, "snapshot")
    await expect(second, "snapshot")

    def change():
        marcus.user.set_password("a-brand-new-long-password")
        marcus.user.save()
        luis.user.is_active = False
        luis.user.save()

    await database_sync_to_async(change)()
    assert (await _closes_with(first, 4401))["code"] == "signed_out"
    assert (await _closes_with(second, 4401))["code"] == "signed_out"


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_move_to_another_district_closes_the_board_and_a_revocation_tells_me(keys, case, coordinator,
                                                                                     marcus, luis, orgs):
    await database_sync_to_async(open_case)(case, coordinator)
    moving, revoked = await connect(case.district_id, keys["marcus"]), await connect(case.district_id, keys["luis"])
    assert (await expect(moving, "snapshot"))["me"]["can_volunteer"] is True
    assert (await expect(revoked, "snapshot"))["me"]["can_volunteer"] is True

    def move_and_revoke():
        from courses.models import Certificate
        from courses.services import certificate_revoke
        from hub.models import School

        marcus.school = School.objects.get(name="Fair Haven School")
        marcus.home_district = orgs["New Haven"]
        marcus.save()
        certificate_revoke(certificate=Certificate.objects.get(person=luis), by=None, reason="Left the team")

    await database_sync_to_async(move_and_revoke)()
    assert (await _closes_with(moving, 4403))["code"] == "not_allowed"
    me = await expect(revoked, "me", timeout=5)
    assert me["me"]["can_volunteer"] is False and "revoked" in me["me"]["why_not"]
    await revoked.send_json_to({"type": "volunteer", "case": case.pk})
    assert (await expect(revoked, "error"))["code"] == "not_certified"
    await revoked.disconnect()
