"""The coordinators' exports: the CSV of a filtered list holds exactly what the list shows (every page), and
every export, and every refused attempt, is in the audit trail of each district whose people it concerns
and in the trail of the person who made it."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators import selectors
from coordinators.models import CaseStatus
from hub.audit.models import AuditEntry
from hub.models import School
from hub.roles import COORDINATOR, STATE_STAFF, VISITOR
from tests.coordinators.conftest import make_case

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))[1:]


def listed_refs(client, query: dict) -> list[str]:
    """The student ids the case list shows, over all its pages, following its own pager links."""
    refs, url = [], reverse("coordinators:case_list") + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = response.context["page"]
        refs += [case.student_ref for case in page]
        url = None
        if page.has_next():
            pager = response.content.decode().split('aria-label="Pages"')[1]
            url = reverse("coordinators:case_list") + pager.split('href="')[-1].split('"')[0].replace("&amp;", "&")
    return refs


@pytest.fixture
def many_cases(hartford, school, coordinator):
    """31 open cases at Parkville (more than a page), 5 at Bulkeley, 3 closed at Parkville."""
    bulkeley = School.objects.get(district=hartford, name="Bulkeley High School")
    for n in range(31):
        make_case(hartford, school, coordinator, ref=f"P-{n:02}", first="Jaylen" if n % 2 else "Maya")
    for n in range(5):
        make_case(hartford, bulkeley, coordinator, ref=f"B-{n}", first="Maya")
    from coordinators.models import StudentCase

    for n in range(3):
        case = make_case(hartford, school, coordinator, ref=f"C-{n}", first="Maya")
        StudentCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    return school, bulkeley


@pytest.mark.parametrize("query", [
    {"school": "parkville"},
    {"school": "parkville", "q": "Maya"},
    {"q": "Jaylen"},
    {"status": "closed"},
    {"school": "bulkeley", "status": "accepted"},
    {},
], ids=["school", "school-and-name", "name", "status", "school-and-status", "no-filter"])
def test_the_case_export_of_a_filtered_list_holds_exactly_the_rows_the_list_shows_on_every_page(
        client, coordinator, many_cases, query):
    parkville, bulkeley = many_cases
    query = {k: {"parkville": parkville.pk, "bulkeley": bulkeley.pk}.get(v, v) for k, v in query.items()}
    client.force_login(coordinator.user)
    shown = listed_refs(client, query)
    exported = [row[0] for row in csv_rows(client.get(reverse("coordinators:case_export"), query))]
    assert exported == shown and shown
    assert AuditEntry.objects.filter(action="cases.export").latest("pk").rows == len(shown)


def test_the_case_list_pager_and_its_export_link_keep_the_filters(client, coordinator, many_cases):
    parkville, _ = many_cases
    client.force_login(coordinator.user)
    html = client.get(reverse("coordinators:case_list"), {"school": parkville.pk, "q": "Maya"}).content.decode()
    assert f'{reverse("coordinators:case_export")}?school={parkville.pk}&amp;q=Maya' in html


@pytest.mark.parametrize("query", [{"sort": "status"}, {"status": "not_started"}, {"q": "Bell"},
                                   {"school": "parkville", "sort": "-name"}, {}],
                         ids=["status-sort", "status", "name", "school-reverse", "no-filter"])
def test_the_roster_export_holds_exactly_the_rows_the_roster_shows_in_its_order(
        client, coordinator, school, make_person, marcus, ana, query):
    for n in range(30):
        make_person(f"more{n}", roles=[VISITOR], school=school, first_name=f"V{n:02}", last_name="Bell")
    query = {k: (school.pk if v == "parkville" else v) for k, v in query.items()}
    client.force_login(coordinator.user)
    shown, page = [], 1
    while True:
        roster = client.get(reverse("coordinators:roster"), {**query, "page": page}).context["roster"]
        shown += [(r.person.user.last_name, r.person.user.first_name) for r in roster.rows]
        if not roster.page.has_next():
            break
        page += 1
    exported = [(row[0], row[1]) for row in csv_rows(client.get(reverse("coordinators:roster_export"), query))]
    assert exported == shown and shown


# -- the audit trail ------------------------------------------------------------------------------------

@pytest.fixture
def state_staff(orgs, make_person):
    return make_person("samira", roles=[STATE_STAFF], first_name="Samira", last_name="Haddad")


def trail(client, user) -> list[AuditEntry]:
    client.force_login(user)
    response = client.get(reverse("coordinators:audit"))
    assert response.status_code == 200
    return list(response.context["page"])


def test_an_export_of_one_district_is_filed_under_that_district_with_its_filters_and_row_count(
        client, coordinator, hartford, school):
    make_case(hartford, school, coordinator, ref="S-1")
    make_case(hartford, school, coordinator, ref="S-2")
    client.force_login(coordinator.user)
    csv_rows(client.get(reverse("coordinators:case_export"), {"district": hartford.pk, "status": "accepted"}))
    entry = AuditEntry.objects.get(action="cases.export")
    assert entry.district_id == hartford.pk and entry.rows == 2 and entry.actor == coordinator.user
    assert f"district={hartford.pk}" in entry.detail and "status=accepted" in entry.detail


def test_a_state_export_of_every_district_is_in_the_trail_of_each_district_it_holds_people_of(
        client, state_staff, coordinator, coordinator_nh, hartford, school, orgs, make_person):
    new_haven = orgs["New Haven"]
    make_case(hartford, school, coordinator, ref="H-1")
    make_case(new_haven, School.objects.filter(district=new_haven).first(), coordinator_nh, ref="NH-1")
    bridgeport_coordinator = make_person("bea", roles=[COORDINATOR], home_district=orgs["Bridgeport"])
    client.force_login(state_staff.user)
    assert len(csv_rows(client.get(reverse("coordinators:case_export")))) == 2
    export = AuditEntry.objects.get(action="cases.export")
    assert export.district is None and export.rows == 2
    assert export in trail(client, coordinator.user)
    assert export in trail(client, coordinator_nh.user)
    assert export not in trail(client, bridgeport_coordinator.user)  # no Bridgeport student in it
    assert export in trail(client, state_staff.user)
    page = client.get(reverse("coordinators:audit")).content.decode()
    assert "Hartford, New Haven" in page


def test_a_roster_export_is_in_the_trail_of_the_districts_of_the_visitors_in_it(
        client, state_staff, coordinator, coordinator_nh, dana, marcus, orgs, make_person):
    """Dana works for a partner serving Hartford, East Hartford and Manchester; Marcus at a Hartford school."""
    manchester = make_person("mo", roles=[COORDINATOR], home_district=orgs["Manchester"])
    client.force_login(state_staff.user)
    assert len(csv_rows(client.get(reverse("coordinators:roster_export")))) == 2
    export = AuditEntry.objects.get(action="roster.export")
    assert export.rows == 2
    assert export in trail(client, coordinator.user) and export in trail(client, manchester.user)
    assert export not in trail(client, coordinator_nh.user)


def test_a_refused_read_of_another_districts_case_is_in_both_districts_trails(
        client, coordinator, coordinator_nh, case):
    client.force_login(coordinator_nh.user)
    assert client.get(reverse("coordinators:case_detail", args=[case.pk])).status_code == 404
    denied = AuditEntry.objects.get(action="case.denied")
    assert denied.district_id == case.district_id
    assert denied in trail(client, coordinator.user)  # the case's district
    assert denied in trail(client, coordinator_nh.user)  # the person who tried


@pytest.mark.parametrize("view", ["coordinators:case_export", "coordinators:roster_export",
                                  "coordinators:case_list", "coordinators:roster"])
def test_asking_for_another_districts_data_is_refused_and_in_both_trails(
        client, coordinator, coordinator_nh, hartford, view):
    client.force_login(coordinator_nh.user)
    assert client.get(reverse(view), {"district": hartford.pk}).status_code == 404
    denied = AuditEntry.objects.get(actor=coordinator_nh.user)
    assert denied.action.endswith(".denied") and denied.district_id == hartford.pk
    assert denied in trail(client, coordinator.user) and denied in trail(client, coordinator_nh.user)


def test_a_school_of_another_district_in_the_case_filters_is_refused_and_audited(
        client, coordinator, coordinator_nh, school):
    client.force_login(coordinator_nh.user)
    assert client.get(reverse("coordinators:case_export"), {"school": school.pk}).status_code == 404
    denied = AuditEntry.objects.get(actor=coordinator_nh.user, action="export.denied")
    assert denied.object_type == "school" and denied in trail(client, coordinator.user)


def test_a_trainer_sees_their_own_actions_and_nothing_else_in_the_trail(client, make_person, coordinator, case):
    from hub.audit.services import audit_record
    from hub.roles import TRAINER

    trainer = make_person("tomas", roles=[TRAINER])
    mine = audit_record(actor=trainer.user, action="roundtable.export", object_type="roundtable", object_id=1)
    assert trail(client, trainer.user) == [mine]
    assert 'aria-label="Coordinator pages"' not in client.get(reverse("coordinators:audit")).content.decode()


def test_the_audit_trail_reads_a_fixed_number_of_queries_whatever_the_number_of_entries(
        client, coordinator, coordinator_nh, hartford, orgs):
    from hub.audit.services import audit_record

    client.force_login(coordinator.user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("coordinators:audit")).status_code == 200
        return len(queries)

    already = selectors.audit_trail(user=coordinator.user).paginator.count  # the people's districts, set
    audit_record(actor=coordinator.user, action="cases.export", object_type="studentcase",
                 districts=[hartford.pk, orgs["New Haven"].pk], rows=3)
    few = count()
    for n in range(30):
        audit_record(actor=coordinator_nh.user, action="cases.export", object_type="studentcase",
                     districts=[hartford.pk, orgs["New Haven"].pk, orgs["Bridgeport"].pk], rows=n)
        audit_record(actor=coordinator_nh.user, action="case.denied", object_type="studentcase", district=hartford)
    assert count() == few
    assert selectors.audit_trail(user=coordinator.user).paginator.count == already + 61
