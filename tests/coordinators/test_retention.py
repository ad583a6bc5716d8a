"""Retention of closed cases: purge_closed_cases removes what identifies the student and the free text
from cases closed more than CASE_RETENTION_DAYS ago, keeps every dashboard figure, and is audited."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from coordinators import selectors, services
from coordinators.models import Barrier, CaseEvent, StudentCase, Visit, VisitRevision
from hub.audit.models import AuditEntry
from hub.privacy.models import PrivacyRequest
from tests.coordinators.conftest import make_case

pytestmark = pytest.mark.django_db
LATER = timedelta(days=400)


def visit_data(**kw):
    values = dict(visited_on=timezone.localdate() - timedelta(days=2), kind=Visit.Kind.HOME_VISIT,
                  place=Visit.Place.HOME, wants_more=Visit.WantsMore.YES, attendees=[], barriers=[], resources=[],
                  who_came="Grandmother Rosa and little brother Eli", next_step="Call Ms. Diaz about the bus",
                  notes="Jaylen loves drawing; mother works nights.")
    values.update(kw)
    return services.VisitData(**values)


@pytest.fixture
def closed(case, coordinator, marcus, luis):
    """A case with a family choice note, a visit (edited once) with a barrier, closed today."""
    services.barriers_ensure()
    services.case_family_choice(case=case, kind=CaseEvent.Kind.ACCEPTED, by=coordinator.user,
                                note="Mother prefers Spanish, evenings only")
    services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    barrier = Barrier.objects.get(slug="transportation")
    visit = services.visit_log(case=case, by=marcus.user, data=visit_data(barriers=[barrier]))
    services.visit_edit(visit=visit, by=marcus.user, data=visit_data(barriers=[barrier], notes="Edited notes."))
    services.case_close(case=case, by=coordinator.user, reason="Attendance improved")
    return StudentCase.objects.get(pk=case.pk)


def figures(user):
    board = selectors.dashboard(user=user)
    return (board.visitors.value, board.certified.value, [(b.label, b.cell.value) for b in board.cases_by_status],
            board.visits_total.value, [(b.label, b.cell.value) for b in board.visits_by_place],
            [(b.label, b.cell.value) for b in board.barriers], board.days_to_first_visit.value,
            board.in_person.value)


def purge(*args):
    out = StringIO()
    call_command("purge_closed_cases", *args, stdout=out)
    return out.getvalue()


def test_a_case_closed_long_ago_loses_names_and_text_but_the_dashboard_does_not_change(closed, coordinator, hartford,
                                                                                       school):
    open_case = make_case(hartford, school, coordinator, ref="S-3", first="Noah")
    before = figures(coordinator.user)
    assert before[3] == 1 and ("Closed", 1) in before[2] and before[5] == [("Transportation", 1)]
    counts = services.closed_cases_purge(operator="scheduled retention job", now=timezone.now() + LATER, days=365)
    assert counts["cases"] == 1
    case = StudentCase.objects.get(pk=closed.pk)
    assert (case.student_ref, case.first_name, case.last_initial, case.home_language, case.referral_reason) == (
        f"removed-{case.pk}", "(removed)", "", "", "")
    assert (case.grade, case.school_id, case.district_id, case.status) == ("3", closed.school_id, hartford.pk, "closed")
    visit = Visit.objects.get(case=case)
    assert (visit.who_came, visit.next_step, visit.notes) == ("", "", "")
    assert list(visit.barriers.values_list("slug", flat=True)) == ["transportation"]
    assert not VisitRevision.objects.filter(visit__case=case).exists()
    assert set(CaseEvent.objects.filter(case=case).values_list("note", flat=True)) == {""}
    # Cases not yet due keep everything.
    assert StudentCase.objects.get(pk=open_case.pk).first_name == "Noah"
    assert figures(coordinator.user) == before


def test_only_cases_closed_more_than_the_retention_period_ago_are_purged(closed, coordinator):
    assert services.closed_cases_purge(operator="job", now=timezone.now() + timedelta(days=364), days=365) == {
        "cases": 0}
    assert StudentCase.objects.get(pk=closed.pk).first_name == "Jaylen"
    assert services.closed_cases_purge(operator="job", now=timezone.now() + timedelta(days=366), days=365)["cases"] == 1
    # A second run finds nothing left to do.
    assert services.closed_cases_purge(operator="job", now=timezone.now() + LATER, days=365) == {"cases": 0}


def test_the_command_purges_audits_and_a_dry_run_changes_nothing(closed, coordinator, settings):
    settings.CASE_RETENTION_DAYS = 0
    out = purge("--dry-run")
    assert "Dry run: 1 case(s) closed more than 0 days ago would be purged" in out
    assert StudentCase.objects.get(pk=closed.pk).first_name == "Jaylen"
    out = purge()
    assert out.startswith("Purged 1 case(s) closed more than 0 days ago (")
    assert "coordinators.Visit: 1" in out and "coordinators.VisitRevision: 1" in out
    assert StudentCase.objects.get(pk=closed.pk).first_name == "(removed)"
    entry = AuditEntry.objects.get(action="case.purge")
    assert (entry.object_id, entry.district_id, entry.actor) == (str(closed.pk), closed.district_id, None)
    dry, done = PrivacyRequest.objects.order_by("pk")
    assert (dry.kind, dry.outcome, dry.counts) == ("retention", "dry_run", {"cases": 1})
    assert (done.kind, done.outcome, done.operator) == ("retention", "done", "scheduled retention job")
    assert done.counts["cases"] == 1 and done.counts["coordinators.StudentCase"] == 1
    assert "Jaylen" not in str(done.counts) + done.detail + done.subject_ref


def test_the_coordinators_case_page_still_opens_after_the_purge(client, closed, coordinator, settings):
    settings.CASE_RETENTION_DAYS = 0
    purge()
    client.force_login(coordinator.user)
    response = client.get(f"/coordinators/cases/{closed.pk}/")
    assert response.status_code == 200
    assert "Jaylen" not in response.content.decode() and "loves drawing" not in response.content.decode()


def test_a_negative_period_is_refused_and_changes_nothing(closed):
    with pytest.raises(CommandError, match="--days must be 0 or more"):
        purge("--days", "-1")
    assert StudentCase.objects.get(pk=closed.pk).first_name == "Jaylen" and PrivacyRequest.objects.count() == 0


def test_an_empty_operator_is_refused(closed):
    with pytest.raises(CommandError, match="Say who asked for this with --operator"):
        purge("--days", "0", "--operator", " ")
    assert StudentCase.objects.get(pk=closed.pk).first_name == "Jaylen"
