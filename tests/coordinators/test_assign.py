"""The assignment gate: certified, active visitors serving the district, in pairs, for families who said yes."""

import threading
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from coordinators import selectors, services
from coordinators.errors import AssignmentRefused, CaseAlreadyAssigned, NotAllowed, OutsideScope
from coordinators.models import Assignment, AssignmentMember, CaseEvent, CaseStatus, StudentCase
from courses.models import Certificate
from hub.audit.models import AuditEntry
from hub.models import Partner
from tests.coordinators.conftest import make_case
from tests.support import require_postgres

pytestmark = pytest.mark.django_db


def snapshot():
    return (list(Assignment.objects.values_list("pk", "ended_at")), AssignmentMember.objects.count(),
            list(StudentCase.objects.values_list("pk", "status")), AuditEntry.objects.count())


def refused(case, visitors, by, **kwargs) -> list[str]:
    before = snapshot()
    with pytest.raises(AssignmentRefused) as caught:
        services.case_assign(case=case, visitors=visitors, by=by.user, **kwargs)
    assert snapshot() == before, "a refusal changes nothing"
    return caught.value.reasons


def test_a_certified_pair_is_assigned_and_the_assignment_audited(case, coordinator, marcus, luis):
    assignment = services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    assert set(assignment.visitors.all()) == {marcus, luis}
    assert StudentCase.objects.get(pk=case.pk).status == CaseStatus.ASSIGNED
    entry = AuditEntry.objects.filter(action="case.assign").get()
    assert entry.actor == coordinator.user and entry.object_id == str(case.pk) and entry.district_id == case.district_id


def test_an_unfinished_visitor_is_refused_with_their_progress_in_words(case, coordinator, ana, marcus):
    reasons = refused(case, [ana, marcus], coordinator)
    assert reasons == ["Ana Ruiz still has 1 LEAP 101 module to finish: Module 2.", "Ana Ruiz has not attended a LEAP 101 live practice session yet."]


def test_every_unmet_requirement_is_named_per_person(case, coordinator, ana, visitor_factory):
    fatima = visitor_factory("fatima", "Fatima", "Haddad", certified=False)
    fatima.user.is_active = False
    fatima.user.save()
    reasons = refused(case, [ana, fatima], coordinator)
    assert "Ana Ruiz still has 1 LEAP 101 module to finish: Module 2." in reasons and "Ana Ruiz has not attended a LEAP 101 live practice session yet." in reasons
    assert "Fatima Haddad's account is switched off." in reasons
    assert "Fatima Haddad has not started LEAP 101 yet." in reasons


def test_the_same_visitor_twice_is_refused(case, coordinator, marcus):
    reasons = refused(case, [marcus, marcus], coordinator)
    assert reasons == ["Marcus Bell is chosen twice: a pair needs two different visitors."]


def test_an_inactive_certified_visitor_is_refused(case, coordinator, marcus, luis):
    luis.user.is_active = False
    luis.user.save()
    assert refused(case, [marcus, luis], coordinator) == ["Luis Ortega's account is switched off."]


def test_a_certificate_that_expired_a_minute_ago_fails(case, coordinator, marcus, luis):
    now = timezone.now()
    Certificate.objects.filter(person=luis).update(issued_at=now - timedelta(days=800),
                                                   valid_until=now - timedelta(minutes=1))
    [expired, renew] = refused(case, [marcus, luis], coordinator, now=now)
    assert expired.startswith("Luis Ortega's LEAP 101 certificate expired on ")
    assert renew == "Luis Ortega has not started a LEAP 101 renewal yet."


def test_a_revoked_certificate_fails(case, coordinator, marcus, luis):
    from courses.services import certificate_revoke

    certificate_revoke(certificate=Certificate.objects.get(person=luis), by=None, reason="Left the team")
    [revoked, reinstate] = refused(case, [marcus, luis], coordinator)
    assert revoked.startswith("Luis Ortega's LEAP 101 certificate was revoked on ")
    assert reinstate == "A Hub trainer can reinstate it or open a renewal."


def test_pairs_by_default_and_one_visitor_when_the_district_allows(case, coordinator, marcus, hartford):
    assert refused(case, [marcus], coordinator) == [
        "Hartford sends visitors in pairs: choose two different visitors (1 chosen)."]
    services.district_settings_set(district=hartford, by=coordinator.user, visits_in_pairs=False)
    services.case_assign(case=case, visitors=[marcus], by=coordinator.user)
    assert Assignment.objects.get().visitors.get() == marcus


def test_a_visitor_from_another_district_is_refused(case, coordinator, marcus, visitor_factory, orgs):
    from hub.models import School

    jordan = visitor_factory("jordan", "Jordan", "Price", school=School.objects.get(name="Fair Haven School"))
    [reason] = refused(case, [marcus, jordan], coordinator)
    assert reason.startswith("Jordan Price does not serve Hartford")


def test_a_partner_visitor_needs_a_data_sharing_agreement_in_force(case, coordinator, marcus, dana, hartford):
    assert refused(case, [marcus, dana], coordinator) == [
        "Dana Whitfield works for Capitol Region Youth Service Bureau, which has no data-sharing agreement in "
        "force with Hartford."]
    partner = Partner.objects.get(name="Capitol Region Youth Service Bureau")
    expired = services.data_sharing_agreement_record(partner=partner, district=hartford,
                                                     signed_on=date(2020, 1, 1), expires_on=date(2021, 1, 1))
    assert refused(case, [marcus, dana], coordinator)
    expired.delete()
    services.data_sharing_agreement_record(partner=partner, district=hartford, signed_on=date(2024, 8, 1))
    services.case_assign(case=case, visitors=[marcus, dana], by=coordinator.user)


def test_a_family_that_declined_gets_no_visit(hartford, school, coordinator, marcus, luis):
    declined = make_case(hartford, school, coordinator, ref="S-9", choice="declined")
    assert refused(declined, [marcus, luis], coordinator) == [
        "The family declined a visit; participation is voluntary, so nobody is assigned."]


def test_a_family_only_offered_a_visit_is_not_assigned_yet(hartford, school, coordinator, marcus, luis):
    offered = make_case(hartford, school, coordinator, ref="S-8", choice="offered")
    assert refused(offered, [marcus, luis], coordinator) == [
        "The family has not said yes to a visit yet: record their answer first."]


def test_a_coordinator_of_another_district_is_outside_scope(case, coordinator_nh, marcus, luis):
    before = snapshot()
    with pytest.raises(OutsideScope):
        services.case_assign(case=case, visitors=[marcus, luis], by=coordinator_nh.user)
    assert snapshot() == before


def test_a_visitor_cannot_assign(case, marcus, luis):
    with pytest.raises(NotAllowed):
        services.case_assign(case=case, visitors=[marcus, luis], by=marcus.user)


def test_assigning_an_assigned_case_is_refused_unless_reassigning_and_history_is_kept(
        case, coordinator, marcus, luis, dana, hartford):
    services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    with pytest.raises(CaseAlreadyAssigned):
        services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    services.data_sharing_agreement_record(partner=dana.partner, district=hartford, signed_on=date(2024, 8, 1))
    services.case_assign(case=case, visitors=[marcus, dana], by=coordinator.user, reassign=True)
    old, new = Assignment.objects.order_by("pk")
    assert old.ended_at is not None and "Reassigned" in old.end_reason and set(old.visitors.all()) == {marcus, luis}
    assert new.ended_at is None and set(new.visitors.all()) == {marcus, dana}


def test_declining_later_ends_the_assignment(case, coordinator, marcus, luis):
    services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    services.case_family_choice(case=case, kind=CaseEvent.Kind.DECLINED, by=coordinator.user)
    assert Assignment.objects.get().ended_at is not None
    assert StudentCase.objects.get(pk=case.pk).status == CaseStatus.DECLINED


def test_the_database_allows_one_open_assignment_per_case(case, coordinator):
    Assignment.objects.create(case=case, started_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(case=case, started_at=timezone.now())


def test_the_lapse_watcher_names_coordinators_of_visitors_holding_open_cases(case, coordinator, marcus, luis,
                                                                            visitor_factory):
    from courses.services import _lapse_watchers

    assert selectors.coordinators_of_open_cases in _lapse_watchers
    idle = visitor_factory("idle", "Ida", "Le")
    services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    assert selectors.coordinators_of_open_cases([marcus.pk, idle.pk]) == {marcus.pk: ["carla@example.org"]}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_assigning_the_same_case_at_once_cannot_both_succeed(
        orgs, school, make_person, certify_person, hartford):
    require_postgres(connection)
    from hub.roles import COORDINATOR, VISITOR

    carla = make_person("carla2", roles=[COORDINATOR], home_district=hartford)
    other = make_person("carla3", roles=[COORDINATOR], home_district=hartford)
    people = []
    for n in range(4):
        person = make_person(f"v{n}", roles=[VISITOR], school=school)
        certify_person(person)
        people.append(person)
    case = make_case(hartford, school, carla)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(by, pair):
        try:
            barrier.wait()
            services.case_assign(case=case, visitors=pair, by=by.user)
            outcomes.append("assigned")
        except AssignmentRefused as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(carla, people[:2])),
               threading.Thread(target=attempt, args=(other, people[2:]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["CaseAlreadyAssigned", "assigned"]
    assert Assignment.objects.filter(case=case).count() == 1
    assert AssignmentMember.objects.count() == 2
