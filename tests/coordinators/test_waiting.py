"""The waiting list (issue 16, prioritisation): a coordinator's students waiting for a first or next visit,
severe absence first and then the longest wait, beside the certified visitors free to take them."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordinators import selectors, services
from coordinators.models import (
    Assignment,
    AssignmentMember,
    CaseEvent,
    StudentCase,
    absence_level,
    absence_priority,
)
from coordinators.selectors import WaitingFilters
from coordinators.selectors.board import needs_new_visitor
from courses.models import Certificate
from hub.audit.models import AuditEntry
from hub.models import Language, School
from tests.coordinators.conftest import make_case

pytestmark = pytest.mark.django_db

URL = reverse("coordinators:waiting")


def add_case(district, school, by, ref, first, *, absent, language="Spanish", months_ago=0, accepted=True):
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1) if months_ago else None
    for _ in range(months_ago - 1):
        month = (month - timedelta(days=1)).replace(day=1)
    case = services.case_create(district=district, by=by.user, data=services.CaseData(
        student_ref=ref, first_name=first, last_initial="Q", grade="4", school=school, home_language=language,
        days_enrolled=60, days_absent=absent, referral_month=month))
    if accepted:
        services.case_family_choice(case=case, kind=CaseEvent.Kind.OFFERED, by=by.user)
        services.case_family_choice(case=case, kind=CaseEvent.Kind.ACCEPTED, by=by.user)
    return StudentCase.objects.get(pk=case.pk)


def names(page) -> list[str]:
    return [row.case.first_name for row in page.rows]


def page_of(user, **filters):
    return selectors.waiting_page(user=user, district=user.person.home_district, filters=WaitingFilters(**filters))


def test_the_bands_in_sql_are_the_bands_in_python(orgs, hartford, school, coordinator):
    """absence_priority (the list's order) and absence_level (the label) cannot disagree at any edge."""
    from coordinators.models import ABSENCE_PRIORITY

    for absent in range(0, 61):
        add_case(hartford, school, coordinator, f"E-{absent}", "Edge", absent=absent, accepted=False)
    got = dict(StudentCase.objects.annotate(p=absence_priority()).values_list("days_absent", "p"))
    assert {a: ABSENCE_PRIORITY[p] for a, p in got.items()} == {a: absence_level(60, a) for a in range(61)}
    assert (absence_level(60, 12), absence_level(60, 11), absence_level(60, 6), absence_level(60, 3)) == (
        "severe", "chronic", "chronic", "at_risk")


def test_the_list_is_ordered_by_band_then_by_the_longest_wait(hartford, school, coordinator, marcus, luis):
    add_case(hartford, school, coordinator, "W-1", "Chronic", absent=8, months_ago=5)
    add_case(hartford, school, coordinator, "W-2", "SevereNew", absent=15)
    add_case(hartford, school, coordinator, "W-3", "SevereOld", absent=13, months_ago=2)
    add_case(hartford, school, coordinator, "W-4", "AtRisk", absent=4, months_ago=9)
    assigned = add_case(hartford, school, coordinator, "W-5", "Assigned", absent=30, months_ago=9)
    services.case_assign(case=assigned, visitors=[marcus, luis], by=coordinator.user)
    page = page_of(coordinator.user)
    assert names(page) == ["SevereOld", "SevereNew", "Chronic", "AtRisk"]
    first = page.rows[0]
    assert first.level == "severe" and first.level_label == "Severely chronically absent"
    assert first.days > 31 and not first.next_visit
    assert page.counts[0] == ("severe", "Severely chronically absent", 2)


def test_a_case_whose_visitor_left_waits_for_its_next_visit_since_the_flag(hartford, school, coordinator, marcus,
                                                                          luis):
    case = add_case(hartford, school, coordinator, "W-6", "Kevin", absent=13)
    services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    services.visit_log(case=case, by=marcus.user, data=services.VisitData(
        visited_on=timezone.localdate() - timedelta(days=20), kind="visit", place="home", wants_more="yes",
        attendees=[marcus, luis], barriers=[], resources=[]))
    assert names(page_of(coordinator.user)) == []
    services.assignments_flag_departed(person=luis, district_id=hartford.pk, reason="Luis left Hartford",
                                       by=coordinator.user, now=timezone.now() - timedelta(days=3))
    [row] = page_of(coordinator.user).rows
    assert row.flagged and row.next_visit and row.visits_made == 1 and row.days == 3
    # The board's two lists are the same cases: none unassigned, this one needing a new visitor.
    assert [a.case_id for a in needs_new_visitor(district=hartford)] == [case.pk]
    assert not selectors.cases_unassigned(StudentCase.objects.filter(pk=case.pk)).exists()


def test_by_default_only_families_who_said_yes_and_the_others_on_asking(hartford, school, coordinator):
    add_case(hartford, school, coordinator, "W-7", "Yes", absent=13)
    add_case(hartford, school, coordinator, "W-8", "NotAsked", absent=20, accepted=False)
    declined = add_case(hartford, school, coordinator, "W-9", "Declined", absent=20, accepted=False)
    services.case_family_choice(case=declined, kind=CaseEvent.Kind.DECLINED, by=coordinator.user)
    assert names(page_of(coordinator.user)) == ["Yes"]
    assert names(page_of(coordinator.user, family="other")) == ["NotAsked"]
    assert names(page_of(coordinator.user, family="all")) == ["Yes", "NotAsked"]  # both severe, Yes referred first


def test_a_coordinator_sees_only_their_district(client, hartford, school, coordinator, coordinator_nh, orgs):
    add_case(hartford, school, coordinator, "W-10", "Hartford", absent=13)
    nh_school = School.objects.get(name="Fair Haven School")
    add_case(orgs["New Haven"], nh_school, coordinator_nh, "N-1", "NewHaven", absent=20)
    client.force_login(coordinator.user)
    body = client.get(URL).content.decode()
    assert "Hartford Q." in body and "NewHaven" not in body
    client.force_login(coordinator_nh.user)
    body = client.get(URL).content.decode()
    assert "NewHaven Q." in body and "Hartford Q." not in body


def test_another_districts_id_or_school_is_a_404_and_audited(client, coordinator, orgs):
    client.force_login(coordinator.user)
    new_haven = orgs["New Haven"]
    assert client.get(URL, {"district": new_haven.pk}).status_code == 404
    entry = AuditEntry.objects.get(action="district.denied", object_type="district")
    assert entry.actor == coordinator.user and entry.district_id == new_haven.pk
    nh_school = School.objects.get(name="Fair Haven School")
    assert client.get(URL, {"school": nh_school.pk}).status_code == 404
    assert AuditEntry.objects.filter(action="waiting.denied", object_type="school", district=new_haven).exists()
    assert client.get(URL, {"band": "terrible"}).status_code == 400
    assert client.get(URL, {"district": "12abc"}).status_code == 400


def test_visitors_may_not_open_the_list_and_state_staff_read_it_without_assigning(
        client, hartford, school, coordinator, marcus, luis, make_person):
    from hub.roles import STATE_STAFF

    case = add_case(hartford, school, coordinator, "W-21", "Sofia", absent=13)
    client.force_login(marcus.user)
    assert client.get(URL).status_code == 403
    client.force_login(make_person("samira", roles=[STATE_STAFF]).user)
    body = client.get(URL, {"district": hartford.pk}).content.decode()
    assert "Sofia Q." in body and "Marcus Bell" in body
    assert reverse("coordinators:waiting_assign", args=[case.pk]) not in body
    before = snapshot()
    assert post_assign(client, case, marcus, luis).status_code == 403
    assert snapshot() == before


def test_a_visitor_whose_certificate_lapsed_is_not_offered(hartford, school, coordinator, marcus, luis, ana):
    add_case(hartford, school, coordinator, "W-11", "Sofia", absent=13)
    assert [f.person for f in page_of(coordinator.user).free] == [marcus, luis]  # ana: not certified
    now = timezone.now()
    Certificate.objects.filter(person=luis).update(issued_at=now - timedelta(days=800),
                                                   valid_until=now - timedelta(minutes=1))
    page = page_of(coordinator.user)
    assert [f.person for f in page.free] == [marcus]
    assert [row.case.first_name for row in page.rows] == ["Sofia"]
    assert [f.person for f in page.rows[0].visitors] == [marcus]


def test_the_language_match_is_shown_and_speakers_come_first(client, hartford, school, coordinator, marcus, luis,
                                                             visitor_factory):
    zoe = visitor_factory("zoe", "Zoe", "Adams")
    spanish, _ = Language.objects.get_or_create(code="es", defaults={"name": "Spanish"})
    luis.languages.add(spanish)
    add_case(hartford, school, coordinator, "W-12", "Sofia", absent=13, language="spanish")
    add_case(hartford, school, coordinator, "W-13", "Tomasz", absent=12, language="Polish")
    services.case_assign(case=make_case(hartford, school, coordinator, ref="B-1", first="Busy", absent=1),
                         visitors=[zoe, marcus], by=coordinator.user)
    page = page_of(coordinator.user)
    sofia, tomasz = page.rows
    assert [f.person for f in sofia.speakers] == [luis]
    assert sofia.visitors[0].person == luis
    assert tomasz.speakers == []
    assert {f.person.user.username: f.open_cases for f in page.free} == {"luis": 0, "zoe": 1, "marcus": 1}
    client.force_login(coordinator.user)
    body = client.get(URL).content.decode()
    assert "Speaks spanish:" in body and "No free visitor speaks Polish." in body
    assert "Luis Ortega — " in body and "· speaks spanish" in body


def post_assign(client, case, *visitors, query=""):
    data = {"visitor_1": str(visitors[0].pk)}
    if len(visitors) > 1:
        data["visitor_2"] = str(visitors[1].pk)
    return client.post(reverse("coordinators:waiting_assign", args=[case.pk]) + query, data)


def snapshot():
    return (list(Assignment.objects.values_list("pk", "ended_at")), AssignmentMember.objects.count(),
            list(StudentCase.objects.values_list("pk", "status")))


def test_assigning_from_the_list_assigns_and_returns_to_it(client, hartford, school, coordinator, marcus, luis):
    case = add_case(hartford, school, coordinator, "W-14", "Sofia", absent=13)
    client.force_login(coordinator.user)
    response = post_assign(client, case, marcus, luis, query=f"?school={school.pk}&band=severe")
    assert response.status_code == 302 and response["Location"] == f"{URL}?school={school.pk}&band=severe"
    assignment = Assignment.objects.get(case=case, ended_at__isnull=True)
    assert set(assignment.visitors.all()) == {marcus, luis}
    assert AuditEntry.objects.filter(action="case.assign", object_id=str(case.pk)).exists()
    page = client.get(response["Location"])
    assert "Visitors assigned: Marcus Bell and Luis Ortega." in page.content.decode()
    assert "Sofia Q." not in page.content.decode()


def test_the_same_form_sent_twice_assigns_once(client, hartford, school, coordinator, marcus, luis):
    import re

    case = add_case(hartford, school, coordinator, "W-19", "Sofia", absent=13)
    client.force_login(coordinator.user)
    page = client.get(URL).content.decode()
    form = page[page.index(f'action="{reverse("coordinators:waiting_assign", args=[case.pk])}"'):]
    token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
    data = {"visitor_1": str(marcus.pk), "visitor_2": str(luis.pk), "form_token": token}
    url = reverse("coordinators:waiting_assign", args=[case.pk])
    answers = [client.post(url, data) for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 302]
    assert Assignment.objects.filter(case=case).count() == 1


def test_a_refused_assignment_changes_nothing_and_shows_the_reasons_on_the_list(client, hartford, school,
                                                                               coordinator, marcus, ana):
    case = add_case(hartford, school, coordinator, "W-15", "Sofia", absent=13)
    client.force_login(coordinator.user)
    before = snapshot()
    response = post_assign(client, case, ana, marcus)
    assert response.status_code == 409
    assert snapshot() == before
    body = response.content.decode()
    assert "No visitors were assigned to Sofia Q.:" in body and "Ana Ruiz still has 1 LEAP 101 module" in body
    assert "Sofia Q." in body  # still on the list
    assert AuditEntry.objects.filter(action="case.assign_refused", object_id=str(case.pk)).exists()
    # One visitor where the district visits in pairs: a form error (400), nothing assigned.
    response = post_assign(client, case, marcus)
    assert response.status_code == 400 and snapshot() == before


def test_another_districts_case_cannot_be_assigned_from_the_list(client, coordinator, coordinator_nh, orgs, marcus,
                                                                  luis):
    nh_case = add_case(orgs["New Haven"], School.objects.get(name="Fair Haven School"), coordinator_nh, "N-2",
                       "Omar", absent=20)
    client.force_login(coordinator.user)
    before = snapshot()
    assert post_assign(client, nh_case, marcus, luis).status_code == 404
    assert snapshot() == before
    assert AuditEntry.objects.filter(action="case.denied", object_id=str(nh_case.pk)).exists()


def test_the_page_costs_the_same_queries_whatever_the_number_of_cases_and_visitors(
        client, hartford, school, coordinator, marcus, luis, visitor_factory):
    spanish, _ = Language.objects.get_or_create(code="es", defaults={"name": "Spanish"})
    client.force_login(coordinator.user)
    client.get(URL)  # the first page a person opens makes their Wagtail profile

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        return len(queries), response

    add_case(hartford, school, coordinator, "Q-0", "First", absent=13)
    small, _ = count()
    for n in range(30):
        add_case(hartford, school, coordinator, f"Q-{n + 1}", f"More{n}", absent=n % 20, months_ago=n % 4)
    for n in range(6):
        visitor_factory(f"extra{n}", "Extra", f"Visitor{n}").languages.add(spanish)
    large, response = count()
    # Sign-in, session and two-step checks; the district and its schools; the band counts and the page's
    # 25 cases (their facts in SQL); the free visitors (the roster's people, certification, the gate's
    # rule, with the district's own required modules: the course and its limited modules, 2), their open
    # cases and languages; the district's settings.
    assert small == large == 35, (small, large)
    body = response.content.decode()
    assert body.count('<li class="case-card') == selectors.WAITING_PAGE_SIZE
    assert "31 students waiting" in body and "Next page" in body


def test_the_board_still_offers_the_unassigned_cases(hartford, school, coordinator, marcus, luis):
    waiting = add_case(hartford, school, coordinator, "W-16", "Waiting", absent=13)
    assigned = add_case(hartford, school, coordinator, "W-17", "Assigned", absent=13)
    services.case_assign(case=assigned, visitors=[marcus, luis], by=coordinator.user)
    page = selectors.board_page(user=coordinator.user, district=hartford)
    assert [c.pk for c in page.openable] == [waiting.pk]


def test_the_waiting_since_uses_the_month_of_referral_when_it_is_earlier(hartford, school, coordinator):
    add_case(hartford, school, coordinator, "W-18", "Imported", absent=13, months_ago=3)
    [row] = page_of(coordinator.user).rows
    assert row.since.day == 1 and row.since < date.today().replace(day=1)


def test_the_list_is_in_spanish_for_a_spanish_reader(client, hartford, school, coordinator, marcus, luis):
    add_case(hartford, school, coordinator, "W-20", "Sofia", absent=13, months_ago=2)
    client.force_login(coordinator.user)
    client.cookies["django_language"] = "es"
    body = client.get(URL).content.decode()
    assert "Esperando una visita en Hartford" in body
    assert "Ausentismo crónico grave" in body and "1 estudiante en espera" in body
    assert "Visitadores libres para tomar casos" in body
