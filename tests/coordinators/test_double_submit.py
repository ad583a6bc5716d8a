"""A form sent twice (a double tap, a resend after a timeout, the back button) makes one row: visit logs
and their referrals, cases, the family's answer, visit edits. A freshly drawn form makes a new one.
The same token at once from many threads: one row (PostgreSQL)."""

import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from coordinators import services
from coordinators.errors import InvalidCase
from coordinators.models import CaseEvent, Referral, StudentCase, Visit, VisitRevision
from hub.audit.models import AuditEntry
from tests.double_submit import at_once, form_token
from tests.support import require_postgres

pytestmark = pytest.mark.django_db

SENDS = 5


@pytest.fixture
def food(hartford):
    return services.resource_create(district=hartford, name="Foodshare", kind="food")


def visit_post(visitor, food, **extra):
    return {"visited_on": timezone.localdate().isoformat(), "kind": "visit", "place": "home",
            "attendees": [str(visitor.pk)], "wants_more": "yes", "resources": [str(food.pk)],
            "notes": "Grandmother at home", **extra}


def case_post(school, **extra):
    return {"student_ref": "H-100", "first_name": "Maya", "last_initial": "L", "grade": "4", "school": school.pk,
            "home_language": "English", "days_enrolled": 50, "days_absent": 8, "referral_reason": "Mornings",
            **extra}


# -- visit logs ------------------------------------------------------------------------------------------------

def test_a_visit_form_sent_five_times_logs_one_visit_with_one_referral(client, assigned, marcus, food):
    client.force_login(marcus.user)
    url = reverse("coordinators:visit_new", args=[assigned.pk])
    token = form_token(client.get(url))
    responses = [client.post(url, visit_post(marcus, food, form_token=token)) for _ in range(SENDS)]
    case_page = reverse("coordinators:case_detail", args=[assigned.pk])
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, case_page)] * SENDS
    visit = Visit.objects.get(case=assigned)
    assert visit.number == 1 and Referral.objects.filter(visit=visit).count() == 1
    assert AuditEntry.objects.filter(action="visit.log").count() == 1
    assert "Visit #1" in client.get(case_page).content.decode()


def test_a_freshly_drawn_visit_form_logs_the_next_visit(client, assigned, marcus, food):
    client.force_login(marcus.user)
    url = reverse("coordinators:visit_new", args=[assigned.pk])
    for _ in range(2):
        token = form_token(client.get(url))
        client.post(url, visit_post(marcus, food, form_token=token))
        client.post(url, visit_post(marcus, food, form_token=token))
    assert list(Visit.objects.filter(case=assigned).values_list("number", flat=True)) == [1, 2]


def test_another_visitor_sending_the_same_token_logs_their_own_visit(assigned, marcus, luis):
    token = uuid.uuid4()
    data = services.VisitData(visited_on=timezone.localdate(), kind="visit", place="home", wants_more="yes",
                              attendees=[], barriers=[], resources=[], notes="Marcus's note")
    first = services.visit_log(case=assigned, by=marcus.user, data=data, form_token=token)
    theirs = services.visit_log(case=assigned, by=luis.user, data=data, form_token=token)
    assert theirs.pk != first.pk and theirs.logged_by == luis.user and theirs.number == 2


def test_a_visit_token_replayed_on_another_case_logs_a_visit_there(assigned, marcus, luis, coordinator, hartford,
                                                                  school):
    from tests.coordinators.conftest import make_case

    other = make_case(hartford, school, coordinator, ref="S-2", first="Maya")
    services.case_assign(case=other, visitors=[marcus, luis], by=coordinator.user)
    token = uuid.uuid4()
    data = services.VisitData(visited_on=timezone.localdate(), kind="visit", place="home", wants_more="yes",
                              attendees=[], barriers=[], resources=[])
    here = services.visit_log(case=assigned, by=marcus.user, data=data, form_token=token)
    there = services.visit_log(case=other, by=marcus.user, data=data, form_token=token)
    assert here.case_id == assigned.pk and there.case_id == other.pk


def test_a_visit_form_from_an_old_page_without_a_token_still_logs(client, assigned, marcus, food):
    client.force_login(marcus.user)
    response = client.post(reverse("coordinators:visit_new", args=[assigned.pk]), visit_post(marcus, food))
    assert response.status_code == 302 and Visit.objects.filter(case=assigned).count() == 1


@pytest.mark.parametrize("token", ["not-a-uuid", "x" * 10_000, "1234\x00", "' OR 1=1 --", ""])
def test_a_malformed_visit_token_is_treated_as_none(client, assigned, marcus, food, token):
    client.force_login(marcus.user)
    response = client.post(reverse("coordinators:visit_new", args=[assigned.pk]),
                           visit_post(marcus, food, form_token=token))
    assert response.status_code == 302
    assert Visit.objects.get(case=assigned).form_token is None


def test_a_visit_edit_sent_twice_keeps_one_earlier_version(client, assigned, marcus, food):
    client.force_login(marcus.user)
    visit = services.visit_log(case=assigned, by=marcus.user, data=services.VisitData(
        visited_on=timezone.localdate(), kind="visit", place="home", wants_more="yes", attendees=[marcus],
        barriers=[], resources=[food], notes="First"))
    url = reverse("coordinators:visit_edit", args=[visit.pk])
    for _ in range(SENDS):
        assert client.post(url, visit_post(marcus, food, notes="Corrected")).status_code == 302
    assert VisitRevision.objects.filter(visit=visit).count() == 1
    assert AuditEntry.objects.filter(action="visit.edit").count() == 1
    visit.refresh_from_db()
    assert visit.notes == "Corrected"


# -- cases and the family's answer -------------------------------------------------------------------------------

def test_a_case_form_sent_twice_adds_one_case_and_both_land_on_it(client, coordinator, school):
    client.force_login(coordinator.user)
    url = reverse("coordinators:case_new")
    token = form_token(client.get(url))
    responses = [client.post(url, case_post(school, form_token=token)) for _ in range(SENDS)]
    case = StudentCase.objects.get()
    assert [(r.status_code, r["Location"]) for r in responses] == \
        [(302, reverse("coordinators:case_detail", args=[case.pk]))] * SENDS


def test_a_fresh_case_form_for_the_same_student_is_still_refused(client, coordinator, school):
    client.force_login(coordinator.user)
    url = reverse("coordinators:case_new")
    client.post(url, case_post(school, form_token=form_token(client.get(url))))
    again = client.post(url, case_post(school, form_token=form_token(client.get(url))))
    assert again.status_code == 400 and "already has a case for student id H-100" in again.content.decode()
    assert StudentCase.objects.count() == 1


def test_the_familys_answer_sent_twice_is_recorded_once(client, case, coordinator):
    client.force_login(coordinator.user)
    page = reverse("coordinators:case_detail", args=[case.pk])
    action = reverse("coordinators:case_choice", args=[case.pk])
    before = case.events.count()
    token = form_token(client.get(page), action=action)
    for _ in range(SENDS):
        response = client.post(action, {"kind": "offered", "note": "Called mum", "form_token": token})
        assert response.status_code == 302 and response["Location"] == page
    assert case.events.count() == before + 1
    token = form_token(client.get(page), action=action)
    client.post(action, {"kind": "offered", "note": "Called again", "form_token": token})
    assert case.events.count() == before + 2


# -- at once (PostgreSQL) --------------------------------------------------------------------------------------

@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_one_visit_token_sent_by_many_threads_at_once_logs_one_visit(assigned, marcus, food):
    require_postgres(connection)
    token = uuid.uuid4()

    def log(_):
        return services.visit_log(case=assigned, by=marcus.user, form_token=token, data=services.VisitData(
            visited_on=timezone.localdate(), kind="visit", place="home", wants_more="yes", attendees=[marcus],
            barriers=[], resources=[food])).pk

    results, failures = at_once(6, log)
    assert failures == []
    assert len(results) == 6 and len(set(results)) == 1
    assert Visit.objects.count() == 1 and Referral.objects.count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_one_case_token_sent_by_many_threads_at_once_adds_one_case(coordinator, hartford, school):
    require_postgres(connection)
    token = uuid.uuid4()
    data = services.CaseData(student_ref="H-7", first_name="Maya", last_initial="L", grade="4", school=school,
                             home_language="", days_enrolled=50, days_absent=8)

    def create(_):
        return services.case_create(district=hartford, data=data, by=coordinator.user, form_token=token).pk

    results, failures = at_once(6, create)
    assert failures == []
    assert len(results) == 6 and len(set(results)) == 1 and StudentCase.objects.count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_forms_adding_the_same_student_at_once_add_one_case_and_refuse_the_other(coordinator, hartford, school):
    require_postgres(connection)
    data = services.CaseData(student_ref="H-8", first_name="Maya", last_initial="L", grade="4", school=school,
                             home_language="", days_enrolled=50, days_absent=8)

    def create(_):
        try:
            return services.case_create(district=hartford, data=data, by=coordinator.user, form_token=uuid.uuid4()).pk
        except InvalidCase as error:
            return str(error)

    results, failures = at_once(4, create)
    assert failures == []
    assert sum(isinstance(r, int) for r in results) == 1
    assert all("already has a case" in r for r in results if isinstance(r, str))
    assert StudentCase.objects.count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_one_answer_token_sent_by_many_threads_at_once_records_one_event(case, coordinator):
    require_postgres(connection)
    token, before = uuid.uuid4(), CaseEvent.objects.count()

    def answer(_):
        return services.case_family_choice(case=case, kind="offered", by=coordinator.user, form_token=token).pk

    results, failures = at_once(6, answer)
    assert failures == [] and len(set(results)) == 1
    assert CaseEvent.objects.count() == before + 1
