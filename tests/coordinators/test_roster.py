"""Who is trained: statuses from courses, filters, counts, a fixed query count, a safe CSV export."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators import selectors, services
from coordinators.selectors import RosterFilters
from courses.selectors import State
from hub.audit.models import AuditEntry
from hub.exports import safe_cell
from hub.roles import VISITOR

pytestmark = pytest.mark.django_db


def roster_of(user, **filters):
    return selectors.roster(user=user, filters=RosterFilters(**filters))


def test_the_roster_shows_each_visitor_with_their_status_and_whether_they_can_take_cases(
        coordinator, marcus, ana, dana, hartford):
    page = roster_of(coordinator.user)
    rows = {r.person.user.username: r for r in page.rows}
    assert set(rows) == {"marcus", "ana", "dana"}
    assert rows["ana"].status.describe() == "LEAP 101 in progress, 1 of 2 modules"
    assert rows["marcus"].can_take_cases and not rows["ana"].can_take_cases
    assert not rows["dana"].can_take_cases  # no data-sharing agreement yet
    assert rows["marcus"].practice_sessions == 1
    assert page.counts == {State.CERTIFIED: 2, State.IN_PROGRESS: 1}
    services.data_sharing_agreement_record(partner=dana.partner, district=hartford, signed_on=date(2024, 1, 1))
    assert {r.person.user.username: r for r in roster_of(coordinator.user).rows}["dana"].can_take_cases


def test_filters_by_status_search_and_partner_and_sorting(coordinator, marcus, ana, dana, luis):
    assert [r.person.user.username for r in roster_of(coordinator.user, status=State.IN_PROGRESS).rows] == ["ana"]
    assert [r.person.user.username for r in roster_of(coordinator.user, q="ort").rows] == ["luis"]
    assert [r.person.user.username for r in roster_of(coordinator.user, partner=dana.partner_id).rows] == ["dana"]
    by_name = [r.person.user.last_name for r in roster_of(coordinator.user).rows]
    assert by_name == sorted(by_name)
    assert [r.person.user.last_name for r in roster_of(coordinator.user, sort="-name").rows] == by_name[::-1]
    assert roster_of(coordinator.user, sort="status").rows[0].person == ana


def test_a_coordinator_sees_only_visitors_serving_their_district(coordinator, coordinator_nh, marcus, visitor_factory):
    from hub.models import School

    jordan = visitor_factory("jordan", "Jordan", "Price", school=School.objects.get(name="Fair Haven School"))
    assert [r.person for r in roster_of(coordinator.user).rows] == [marcus]
    assert [r.person for r in roster_of(coordinator_nh.user).rows] == [jordan]


def test_the_roster_query_count_does_not_grow_with_the_number_of_visitors(
        coordinator, school, make_person, django_assert_num_queries, certify_person):
    make_person("first", roles=[VISITOR], school=school)
    certify_person(make_person("second", roles=[VISITOR], school=school))
    from django.contrib.auth import get_user_model

    def fresh_user():
        return get_user_model().objects.get(pk=coordinator.user_id)  # nothing cached on it

    # Scope (4), the course and its required modules (2), counts per status (1, GROUP BY in SQL), the
    # page's ids (1) and people (1), their statuses (7), activity and practice (2), filter choices (3),
    # "can take cases now" from the gate's own rule (district names, home-visitor role, and the district's own
    # required modules: the course and its limited modules, 4; their completions only when there are some).
    user = fresh_user()
    with django_assert_num_queries(25):
        roster_of(user)
    for n in range(30):
        make_person(f"more{n}", roles=[VISITOR], school=school)
    user = fresh_user()
    with django_assert_num_queries(25):
        page = roster_of(user, status=State.NOT_STARTED)
    assert page.total == 31 and len(page.rows) == selectors.PAGE_SIZE
    assert all(r.status.state == State.NOT_STARTED for r in page.rows)
    assert page.counts == {State.NOT_STARTED: 31, State.CERTIFIED: 1}


def test_the_roster_page_renders_with_the_same_queries_for_two_sizes(client, coordinator, school, make_person):
    client.force_login(coordinator.user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("coordinators:roster")).status_code == 200
        return len(queries)

    make_person("one", roles=[VISITOR], school=school)
    small = count()
    for n in range(40):
        make_person(f"v{n}", roles=[VISITOR], school=school)
    assert count() == small


def test_the_csv_export_is_spreadsheet_safe_and_audited(client, coordinator, school, make_person):
    make_person("evil", roles=[VISITOR], school=school, first_name="=HYPERLINK(\"http://x\")", last_name="@Sum")
    client.force_login(coordinator.user)
    response = client.get(reverse("coordinators:roster_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "last_name"
    assert rows[1][:2] == ["'@Sum", "'=HYPERLINK(\"http://x\")"]
    assert AuditEntry.objects.filter(action="roster.export", actor=coordinator.user).exists()
    assert [safe_cell(v) for v in ("-1", "+1", "\tx", "\rx", "ok", None)] == ["'-1", "'+1", "'\tx", "'\rx", "ok", ""]


def test_another_districts_roster_row_and_export_answer_404_and_are_audited(
        client, coordinator_nh, marcus, orgs):
    client.force_login(coordinator_nh.user)
    assert client.get(reverse("coordinators:roster_person", args=[marcus.pk])).status_code == 404
    hartford = orgs["Hartford"].pk
    assert client.get(reverse("coordinators:roster_export") + f"?district={hartford}").status_code == 404
    assert client.get(reverse("coordinators:roster") + f"?district={hartford}").status_code == 404
    actions = list(AuditEntry.objects.filter(actor=coordinator_nh.user).values_list("action", "object_id"))
    assert ("roster.denied", str(marcus.pk)) in actions
    assert ("export.denied", str(hartford)) in actions


def test_visitors_do_not_see_the_roster(client, marcus):
    client.force_login(marcus.user)
    assert client.get(reverse("coordinators:roster")).status_code == 403


def test_the_roster_page_lists_visitors_and_counts(client, coordinator, marcus, ana):
    client.force_login(coordinator.user)
    html = client.get(reverse("coordinators:roster")).content.decode()
    assert "Marcus Bell" in html and "LEAP 101 in progress, 1 of 2 modules" in html
    assert "Can take cases now" in html
