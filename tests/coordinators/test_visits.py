"""Visit logs: who may write them, numbering, barriers and referrals, edits with history; dashboards."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coordinators import selectors, services
from coordinators.errors import FamilyDeclined, OutsideScope
from coordinators.models import AttendanceMonth, Barrier, CaseEvent, Referral, Visit, VisitRevision
from coordinators.selectors.dashboards import _average  # a private helper: from its concern module
from tests.coordinators.conftest import make_case

pytestmark = pytest.mark.django_db


def data(**kw):
    values = dict(visited_on=timezone.localdate(), kind=Visit.Kind.HOME_VISIT, place=Visit.Place.HOME,
                  wants_more=Visit.WantsMore.YES, attendees=[], barriers=[], resources=[])
    values.update(kw)
    return services.VisitData(**values)


def test_an_assigned_visitor_logs_numbered_visits_with_barriers(assigned, marcus):
    barriers = list(Barrier.objects.filter(slug__in=["transportation", "food-insecurity"]))
    first = services.visit_log(case=assigned, by=marcus.user, data=data(barriers=barriers, attendees=[marcus]))
    second = services.visit_log(case=assigned, by=marcus.user, data=data(kind=Visit.Kind.FOLLOW_UP_CALL,
                                                                         place=Visit.Place.PHONE))
    assert (first.number, second.number) == (1, 2)
    assert set(first.barriers.values_list("slug", flat=True)) == {"transportation", "food-insecurity"}
    assigned.refresh_from_db()
    assert assigned.status == "visited"


def test_only_the_cases_visitors_and_coordinators_log_visits(assigned, visitor_factory, coordinator_nh, coordinator):
    other = visitor_factory("other", "Otto", "Vance")
    for user in (other.user, coordinator_nh.user):
        with pytest.raises(OutsideScope):
            services.visit_log(case=assigned, by=user, data=data())
    assert not Visit.objects.exists()
    services.visit_log(case=assigned, by=coordinator.user, data=data())


def test_a_declined_family_gets_no_visit(assigned, coordinator, marcus):
    services.case_family_choice(case=assigned, kind=CaseEvent.Kind.DECLINED, by=coordinator.user)
    with pytest.raises((FamilyDeclined, OutsideScope)):
        services.visit_log(case=assigned, by=coordinator.user, data=data())
    assert not Visit.objects.exists()


def test_edits_keep_the_earlier_version(assigned, marcus, hartford):
    food = services.resource_create(district=hartford, name="Foodshare", kind="food")
    visit = services.visit_log(case=assigned, by=marcus.user, data=data(notes="first", resources=[food]))
    services.visit_edit(visit=visit, by=marcus.user, data=data(notes="corrected", place=Visit.Place.SCHOOL))
    visit.refresh_from_db()
    revision = VisitRevision.objects.get()
    assert visit.notes == "corrected" and revision.before["notes"] == "first"
    assert revision.before["place"] == "home" and revision.before["resources"] == [food.pk]
    assert not visit.referrals.exists()


def test_referrals_are_followed_to_an_outcome(assigned, marcus, hartford):
    food = services.resource_create(district=hartford, name="Foodshare", kind="food")
    visit = services.visit_log(case=assigned, by=marcus.user, data=data(resources=[food]))
    referral = visit.referrals.get()
    services.referral_outcome_set(referral=referral, by=marcus.user, outcome=Referral.Outcome.CONNECTED)
    referral.refresh_from_db()
    assert referral.outcome == "connected" and referral.outcome_at is not None


def test_the_visit_form_logs_a_visit_from_a_phone(client, assigned, marcus):
    client.force_login(marcus.user)
    barriers = Barrier.objects.filter(slug__in=["transportation", "language"])
    response = client.post(reverse("coordinators:visit_new", args=[assigned.pk]), {
        "visited_on": timezone.localdate().isoformat(), "kind": "visit", "place": "home",
        "attendees": [str(marcus.pk)], "barriers": [b.pk for b in barriers], "wants_more": "yes",
        "next_step": "Call Friday", "notes": "Warm welcome"})
    assert response.status_code == 302
    page = client.get(reverse("coordinators:case_detail", args=[assigned.pk])).content.decode()
    assert "Visit #1" in page and "Transportation" in page and "Warm welcome" in page


def test_attendance_change_before_and_after_the_first_visit(assigned, marcus):
    first = date(2025, 10, 15)
    services.visit_log(case=assigned, by=marcus.user, data=data(visited_on=first))
    for month, absent in [(date(2025, 8, 1), 6), (date(2025, 9, 1), 4), (date(2025, 11, 1), 1),
                          (date(2026, 1, 1), 0)]:
        AttendanceMonth.objects.create(case=assigned, month=month, days_enrolled=20, days_absent=absent)
    view = selectors.case_view(user=marcus.user, case=assigned)
    assert view.change.before == 75.0
    assert view.change.change(1) == 20.0 and view.change.change(3) == 25.0 and view.change.change(6) is None


def test_the_district_dashboard_counts_visits_and_barriers(assigned, coordinator, marcus):
    barrier = Barrier.objects.get(slug="transportation")
    services.visit_log(case=assigned, by=marcus.user, data=data(barriers=[barrier],
                                                              visited_on=timezone.localdate() - timedelta(days=1)))
    board = selectors.dashboard(user=coordinator.user)
    assert board.visits_total.value == 1 and not board.across_districts
    assert board.barriers[0].label == "Transportation" and board.barriers[0].cell.value == 1
    assert board.certified.value == 2


def test_figures_across_districts_hide_small_cells(assigned, marcus, make_person, orgs):
    from hub.roles import STATE_STAFF

    services.visit_log(case=assigned, by=marcus.user, data=data())
    state = make_person("samira", roles=[STATE_STAFF])
    board = selectors.dashboard(user=state.user)
    assert board.across_districts
    assert str(board.visits_total) == "fewer than 6"
    assert str(board.certified) == "fewer than 6"
    assert str(_average([1.0] * 19, True)) == "suppressed"
    assert str(_average([1.0] * 20, True, signed=True)) == "+1.0"
    assert str(selectors.dashboard(user=state.user, district_id=orgs["Hartford"].pk).visits_total) == "1"


def test_the_dashboard_page_renders_with_tables_beside_charts(client, coordinator, assigned):
    client.force_login(coordinator.user)
    html = client.get(reverse("coordinators:dashboard")).content.decode()
    assert "Visits by place" in html and '<th scope="col">Visits</th>' in html


def test_the_audit_trail_page_shows_the_districts_entries(client, coordinator, assigned):
    client.force_login(coordinator.user)
    assert "case.assign" in client.get(reverse("coordinators:audit")).content.decode()


def test_my_cases_lists_the_visitors_open_cases(client, assigned, marcus, hartford, school, coordinator):
    make_case(hartford, school, coordinator, ref="S-2", first="Other")
    services.visit_log(case=assigned, by=marcus.user, data=data(next_step="Call Friday"))
    client.force_login(marcus.user)
    html = client.get(reverse("coordinators:my_cases")).content.decode()
    assert "Jaylen R." in html and "Other R." not in html
    assert "1 contact logged" in html and "Call Friday" in html


def test_a_first_visit_moves_the_case_from_the_comparison_into_the_served_figures_as_it_commits(
        assigned, marcus, luis, django_capture_on_commit_callbacks):
    from coordinators.models import ImpactStudent

    with django_capture_on_commit_callbacks(execute=True):
        services.case_family_choice(case=assigned, kind=CaseEvent.Kind.ACCEPTED, by=assigned.created_by)
    assert not ImpactStudent.objects.get(case=assigned).served  # waiting: the comparison group
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.visit_log(case=assigned, by=marcus.user, data=data(kind=Visit.Kind.ATTEMPTED))
    assert not ImpactStudent.objects.get(case=assigned).served  # an attempt is no first visit
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_edit(visit=attempt, by=marcus.user, data=data(attendees=[marcus, luis]))
    row = ImpactStudent.objects.get(case=assigned)
    assert row.served and row.place == "home" and row.pair == "pair" and row.who == "school"
    assert row.zero_month == timezone.localdate().replace(day=1)
