"""Account life (issue 14): a coordinator's visitors with "left / moved / deactivate", the receiving
coordinator's "people moving to your district" with accept / decline, the cases that need a new visitor
on the board, what ends (sessions) and what stays (training), and every refusal."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from coordinators.models import Assignment
from courses.models import Certificate
from hub.audit.models import AuditEntry
from hub.audit.selectors import entries_concerning
from hub.membership import errors, services
from hub.membership.models import Departure
from hub.models import District, Person, UserSession
from hub.roles import COORDINATOR, TRAINER, VISITOR

pytestmark = pytest.mark.django_db


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def fresh(person) -> Person:
    return Person.objects.select_related("user").get(pk=person.pk)


# --- the coordinator's list ---------------------------------------------------------------------------

def test_the_coordinator_sees_their_visitors_with_left_moved_and_deactivate(coordinator, marcus, luis, new_haven,
                                                                             make_person, orgs):
    make_person("jordan", roles=[VISITOR], first_name="Jordan", home_district=new_haven)
    make_person("tomas", roles=[TRAINER, VISITOR], first_name="Tomás", home_district=marcus.home_district)
    page = client_for(coordinator).get(reverse("membership:people"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Marcus Bell" in html and "Luis Ortega" in html
    assert "Jordan" not in html  # another district's visitor
    assert "Tomás" not in html  # a trainer is not the coordinator's to manage
    assert "Carla" not in html.split('id="visitors"')[1]  # nor the coordinator herself
    row = html.split(f'id="visitor-{marcus.pk}"')[1].split("</tr>")[0]
    for action in ("leave", "move", "deactivate"):
        assert reverse(f"membership:{action}", args=[marcus.pk]) in row
    assert "Left the district" in row and "Deactivate" in row and "New Haven" in row


def test_a_visitor_or_a_trainer_cannot_open_the_page(marcus, make_person):
    assert client_for(marcus).get(reverse("membership:people")).status_code == 403
    tomas = make_person("tomas", roles=[TRAINER])
    assert client_for(tomas).get(reverse("membership:people")).status_code == 403


# --- left ------------------------------------------------------------------------------------------------

def test_marking_a_visitor_as_left_flags_their_cases_for_a_new_visitor_on_the_board(
        coordinator, marcus, assigned_case, hartford):
    client = client_for(coordinator)
    response = client.post(reverse("membership:leave", args=[marcus.pk]), {"form_token": str(uuid.uuid4())},
                           follow=True)
    assert response.status_code == 200
    assert "Marcus Bell is marked as having left the district" in response.content.decode()
    assert f'id="visitor-{marcus.pk}"' not in response.content.decode()
    marcus = fresh(marcus)
    assert marcus.home_district_id is None and marcus.school_id is None
    assert marcus.user.is_active  # still signs in, to their training
    assignment = Assignment.objects.get(case=assigned_case, ended_at__isnull=True)
    assert assignment.needs_new_visitor_at is not None
    board = client.get(reverse("coordinators:board", args=[hartford.pk])).content.decode()
    section = board.split('id="needs-new-visitor"')[1].split("</section>")[0]
    assert "Needs a new visitor" in section and "Marcus Bell left Hartford." in section
    assert f"Case {assigned_case.pk}" in section


def test_reassigning_the_case_clears_needs_a_new_visitor(coordinator, marcus, luis, ana, assigned_case, hartford,
                                                           certify_person):
    from coordinators import services as coordinator_services

    services.visitor_leave(person_id=marcus.pk, by=coordinator.user)
    certify_person(ana)
    coordinator_services.case_assign(case=assigned_case, visitors=[luis, ana], by=coordinator.user, reassign=True)
    board = client_for(coordinator).get(reverse("coordinators:board", args=[hartford.pk])).content.decode()
    assert 'id="needs-new-visitor"' not in board


def test_a_visitor_on_the_board_does_not_see_the_needs_a_new_visitor_list(coordinator, marcus, luis, assigned_case,
                                                                            hartford):
    services.visitor_leave(person_id=marcus.pk, by=coordinator.user)
    board = client_for(luis).get(reverse("coordinators:board", args=[hartford.pk])).content.decode()
    assert "Needs a new visitor" not in board


# --- moved -----------------------------------------------------------------------------------------------

def test_a_move_waits_for_the_other_district_and_the_person_stays_until_then(
        coordinator, coordinator_nh, marcus, assigned_case, hartford, new_haven):
    client = client_for(coordinator)
    response = client.post(reverse("membership:move", args=[marcus.pk]),
                           {"district": new_haven.pk, "form_token": str(uuid.uuid4())}, follow=True)
    html = response.content.decode()
    assert "Marcus Bell is moving to New Haven" in html
    row = html.split(f'id="visitor-{marcus.pk}"')[1].split("</tr>")[0]
    assert "Moving to New Haven" in row and "Withdraw the move" in row
    assert fresh(marcus).home_district_id == hartford.pk  # still Hartford's, with the case
    assert not Assignment.objects.filter(needs_new_visitor_at__isnull=False).exists()

    incoming = client_for(coordinator_nh).get(reverse("membership:moves_incoming")).content.decode()
    move = Departure.objects.get(person=marcus)
    assert f'id="move-{move.pk}"' in incoming and "Marcus Bell" in incoming and "Hartford" in incoming
    assert "Marcus" not in client.get(reverse("membership:moves_incoming")).content.decode().split("<h1>")[1]

    accepted = client_for(coordinator_nh).post(reverse("membership:move_decide", args=[move.pk]),
                                               {"action": "accept"}, follow=True)
    assert "Marcus Bell now belongs to New Haven." in accepted.content.decode()
    marcus = fresh(marcus)
    assert marcus.home_district_id == new_haven.pk and marcus.school_id is None
    roster = client_for(coordinator_nh).get(reverse("coordinators:roster")).content.decode()
    assert "Marcus" in roster
    assert "Marcus" not in client.get(reverse("coordinators:roster")).content.decode()
    assert Assignment.objects.get(case=assigned_case, ended_at__isnull=True).needs_new_visitor_reason == \
        "Marcus Bell moved to New Haven."
    move.refresh_from_db()
    assert move.state == Departure.State.DONE and move.decided_by == coordinator_nh.user


def test_a_declined_move_leaves_the_person_where_they_were(coordinator, coordinator_nh, marcus, hartford, new_haven):
    move, _ = services.visitor_move(person_id=marcus.pk, to_district_id=new_haven.pk, by=coordinator.user)
    response = client_for(coordinator_nh).post(reverse("membership:move_decide", args=[move.pk]),
                                               {"action": "decline"}, follow=True)
    assert "You declined the move of Marcus Bell to New Haven" in response.content.decode()
    assert fresh(marcus).home_district_id == hartford.pk
    assert Departure.objects.get(pk=move.pk).state == Departure.State.DECLINED
    # Now free to be moved or marked again.
    services.visitor_leave(person_id=marcus.pk, by=coordinator.user)


def test_the_sending_coordinator_can_withdraw_a_waiting_move(coordinator, coordinator_nh, marcus, new_haven):
    move, _ = services.visitor_move(person_id=marcus.pk, to_district_id=new_haven.pk, by=coordinator.user)
    response = client_for(coordinator).post(reverse("membership:move_withdraw", args=[move.pk]), follow=True)
    assert "The move of Marcus Bell to New Haven is withdrawn." in response.content.decode()
    refused = client_for(coordinator_nh).post(reverse("membership:move_decide", args=[move.pk]), {"action": "accept"})
    assert refused.status_code == 409 and "This move was withdrawn already." in refused.content.decode()


# --- deactivate ------------------------------------------------------------------------------------------

def test_deactivating_ends_the_sessions_keeps_the_certificate_and_flags_the_cases(
        coordinator, marcus, assigned_case):
    phone, laptop = client_for(marcus), client_for(marcus)
    assert UserSession.objects.filter(user_id=marcus.user.pk).count() == 2
    certificates = list(Certificate.objects.filter(person=marcus).values_list("pk", flat=True))
    assert certificates
    response = client_for(coordinator).post(reverse("membership:deactivate", args=[marcus.pk]),
                                            {"form_token": str(uuid.uuid4())}, follow=True)
    assert "account is deactivated" in response.content.decode()
    assert not UserSession.objects.filter(user_id=marcus.user.pk).exists()
    assert not fresh(marcus).user.is_active
    assert phone.get(reverse("hub:profile")).status_code == 302  # signed out
    assert not laptop.get(reverse("hub:profile")).wsgi_request.user.is_authenticated
    assert list(Certificate.objects.filter(person=marcus).values_list("pk", flat=True)) == certificates
    assert Assignment.objects.get(case=assigned_case, ended_at__isnull=True).needs_new_visitor_at is not None


# --- every change is audited: who, when, from, to -----------------------------------------------------------

def test_each_change_writes_who_from_and_to_in_the_trail_of_both_districts(coordinator, coordinator_nh, marcus,
                                                                          new_haven, hartford):
    move, _ = services.visitor_move(person_id=marcus.pk, to_district_id=new_haven.pk, by=coordinator.user)
    services.move_decide(move_id=move.pk, by=coordinator_nh.user, accept=True)
    entry = AuditEntry.objects.get(action="person.district", object_id=str(marcus.user.pk), actor__isnull=False)
    assert entry.actor == coordinator_nh.user
    assert entry.detail == "Hartford → New Haven · via account life"
    for district in (hartford, new_haven):  # each district's coordinators find it in their trail
        trail = entries_concerning(districts=District.objects.filter(pk=district.pk), actor=None)
        assert trail.filter(pk=entry.pk).exists()

    services.visitor_deactivate(person_id=marcus.pk, by=coordinator_nh.user)
    active = AuditEntry.objects.get(action="person.active", object_id=str(marcus.user.pk))
    assert active.actor == coordinator_nh.user and active.detail == "active → inactive · via account life"


# --- refusals ----------------------------------------------------------------------------------------------

def test_a_person_of_another_district_is_a_404_and_the_attempt_is_audited(coordinator_nh, marcus, hartford):
    client = client_for(coordinator_nh)
    for name in ("leave", "move", "deactivate"):
        assert client.post(reverse(f"membership:{name}", args=[marcus.pk]), {"district": "1"}).status_code == 404
    assert client.post(reverse("membership:leave", args=[987654])).status_code == 404
    denied = AuditEntry.objects.filter(action="membership.denied", actor=coordinator_nh.user)
    assert denied.count() == 4
    assert denied.filter(district=hartford).count() == 3  # filed in Hartford's trail: Carla sees the attempts
    assert fresh(marcus).home_district_id == hartford.pk and fresh(marcus).user.is_active


def test_moving_to_the_same_or_a_missing_district_is_refused(coordinator, marcus, hartford):
    client = client_for(coordinator)
    for district, message in ((hartford.pk, "is in Hartford already"), (987654, "Choose the district"),
                              ("", "Choose the district"), ("x" * 500, "Choose the district"),
                              ("1\x00", "Choose the district"), ("-1", "Choose the district")):
        response = client.post(reverse("membership:move", args=[marcus.pk]), {"district": district})
        assert response.status_code == 409, district
        assert message in response.content.decode()
    assert not Departure.objects.exists()


def test_a_coordinator_cannot_deactivate_themselves_nor_a_trainer_or_state_staff(coordinator, make_person,
                                                                                  hartford):
    client = client_for(coordinator)
    response = client.post(reverse("membership:deactivate", args=[coordinator.pk]))
    assert response.status_code == 409 and "You cannot change your own account here" in response.content.decode()
    trainer = make_person("tomas", roles=[TRAINER, VISITOR], first_name="Tomás", home_district=hartford)
    other = make_person("elena", roles=[COORDINATOR, VISITOR], first_name="Elena", home_district=hartford)
    for person in (trainer, other):
        response = client.post(reverse("membership:deactivate", args=[person.pk]))
        assert response.status_code == 403 and "A coordinator manages visitors only" in response.content.decode()
        assert fresh(person).user.is_active
    assert get_user_model().objects.get(pk=coordinator.user.pk).is_active
    assert not Departure.objects.exists()


def test_a_visitor_cannot_post_the_actions(marcus, luis, new_haven):
    client = client_for(luis)
    assert client.post(reverse("membership:deactivate", args=[marcus.pk])).status_code == 403
    assert client.post(reverse("membership:move", args=[marcus.pk]), {"district": new_haven.pk}).status_code == 403
    assert fresh(marcus).user.is_active


def test_the_same_form_sent_twice_changes_once_and_says_so(coordinator, marcus, new_haven):
    client, token = client_for(coordinator), str(uuid.uuid4())
    first = client.post(reverse("membership:move", args=[marcus.pk]), {"district": new_haven.pk, "form_token": token})
    second = client.post(reverse("membership:move", args=[marcus.pk]), {"district": new_haven.pk,
                                                                       "form_token": token}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "was already asked for" in second.content.decode()
    assert Departure.objects.count() == 1
    token = str(uuid.uuid4())
    Departure.objects.all().delete()
    for _ in range(2):
        assert client.post(reverse("membership:leave", args=[marcus.pk]), {"form_token": token}).status_code == 302
    assert Departure.objects.count() == 1
    assert AuditEntry.objects.filter(action="person.district", object_id=str(marcus.user.pk),
                                     actor=coordinator.user).count() == 1


def test_a_second_different_action_on_a_person_already_moving_is_refused(coordinator, marcus, new_haven):
    services.visitor_move(person_id=marcus.pk, to_district_id=new_haven.pk, by=coordinator.user)
    with pytest.raises(errors.Refused, match="already moving to New Haven"):
        services.visitor_deactivate(person_id=marcus.pk, by=coordinator.user)
    response = client_for(coordinator).post(reverse("membership:leave", args=[marcus.pk]))
    assert response.status_code == 409 and "already moving to New Haven" in response.content.decode()


def test_deciding_a_move_needs_accept_or_decline_and_the_right_district(coordinator, coordinator_nh, marcus,
                                                                        new_haven):
    move, _ = services.visitor_move(person_id=marcus.pk, to_district_id=new_haven.pk, by=coordinator.user)
    receiving = client_for(coordinator_nh)
    assert receiving.post(reverse("membership:move_decide", args=[move.pk]), {"action": "steal"}).status_code == 400
    assert receiving.post(reverse("membership:move_decide", args=[move.pk])).status_code == 400
    # The sending coordinator may not accept their own request; nor may the receiving one withdraw it.
    assert client_for(coordinator).post(reverse("membership:move_decide", args=[move.pk]),
                                        {"action": "accept"}).status_code == 404
    assert receiving.post(reverse("membership:move_withdraw", args=[move.pk])).status_code == 404
    assert Departure.objects.get(pk=move.pk).state == Departure.State.PENDING
    # A double tap on "Accept" accepts once and answers the same.
    for _ in range(2):
        assert receiving.post(reverse("membership:move_decide", args=[move.pk]),
                              {"action": "accept"}).status_code == 302
    assert AuditEntry.objects.filter(action="person.district", object_id=str(marcus.user.pk),
                                     actor=coordinator_nh.user).count() == 1
