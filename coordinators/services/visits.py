"""Visits (home visits, calls, attempts) logged by a case's visitors and coordinators, their edits
(the earlier version kept as a revision) and the outcomes of the referrals made at a visit."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordinators import errors
from coordinators.models import (
    Assignment,
    Barrier,
    CaseEvent,
    CaseStatus,
    Referral,
    Resource,
    StudentCase,
    Visit,
    VisitRevision,
)
from coordinators.selectors.access import may_log_visits
from coordinators.selectors.eligibility import family_choice
from coordinators.services.cases import locked_case
from coordinators.services.impact import impact_summary_refresh_on_commit
from hub.audit.services import audit_record
from hub.idempotency import create_once
from hub.models import Person


@dataclass
class VisitData:
    visited_on: date
    kind: str
    place: str
    wants_more: str
    attendees: list[Person]
    barriers: list[Barrier]
    resources: list[Resource]
    who_came: str = ""
    next_step: str = ""
    notes: str = ""


def _visit_problems(case: StudentCase, data: VisitData, now: datetime) -> list[str]:
    problems = []
    if data.kind not in Visit.Kind.values:
        problems.append(_("Choose what kind of contact this was."))
    if data.place not in Visit.Place.values:
        problems.append(_("Choose where it happened."))
    if data.wants_more not in Visit.WantsMore.values:
        problems.append(_("Say whether the family wants more visits."))
    if data.visited_on > timezone.localdate(now):
        problems.append(_("The date is in the future."))
    if any(r.district_id != case.district_id for r in data.resources):
        problems.append(_("A resource is not one of this district's."))
    if len(data.notes) > 5000:
        problems.append(_("The notes are longer than 5,000 characters."))
    return problems


@transaction.atomic
def visit_log(*, case: StudentCase, by, data: VisitData, now: datetime | None = None, form_token=None) -> Visit:
    """Log a visit (or a call, or an attempt); numbers follow on per case.

    The form's one-time token (`hub.idempotency`) makes a double submit land on the visit the first one
    logged, checked right after who-may (so a resend is never refused by a rule the first one changed)."""
    now = now or timezone.now()
    case = locked_case(case)
    if not may_log_visits(by, case):
        raise errors.OutsideScope(_("Only the case's visitors and coordinators log its visits."))
    visit, _created = create_once(Visit, token=form_token, owner={"case": case, "logged_by": by},
                           create=lambda: _visit_create(case=case, by=by, data=data, now=now, form_token=form_token))
    return visit


def _visit_create(*, case: StudentCase, by, data: VisitData, now: datetime, form_token) -> Visit:
    if family_choice(case) == CaseEvent.Kind.DECLINED or case.status == CaseStatus.DECLINED:
        raise errors.FamilyDeclined(_("The family declined visits: nothing more is logged for this case."))
    if not Assignment.objects.filter(case=case, ended_at__isnull=True).exists():
        raise errors.InvalidVisit(_("Assign visitors to the case before logging visits."))
    problems = _visit_problems(case, data, now)
    if problems:
        raise errors.InvalidVisit(" ".join(problems))
    number = (case.visits.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    visit = Visit.objects.create(
        case=case, number=number, visited_on=data.visited_on, kind=data.kind, place=data.place,
        who_came=data.who_came[:200], wants_more=data.wants_more, next_step=data.next_step[:300],
        notes=data.notes, logged_by=by, form_token=form_token)
    visit.attendees.set(data.attendees)
    visit.barriers.set(data.barriers)
    Referral.objects.bulk_create([Referral(visit=visit, resource=r) for r in data.resources])
    if data.kind != Visit.Kind.ATTEMPTED and case.status in (CaseStatus.ASSIGNED, CaseStatus.ACCEPTED):
        case.status = CaseStatus.VISITED
        case.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="visit.log", obj=visit, district=case.district_id,
                 detail=f"Case {case.pk}, visit #{number}")
    impact_summary_refresh_on_commit([case.pk])  # a first visit moves the case into the impact table
    return visit


def _visit_snapshot(visit: Visit) -> dict:
    return {
        "visited_on": visit.visited_on.isoformat(), "kind": visit.kind, "place": visit.place,
        "who_came": visit.who_came, "wants_more": visit.wants_more, "next_step": visit.next_step,
        "notes": visit.notes,
        "attendees": sorted(visit.attendees.values_list("pk", flat=True)),
        "barriers": sorted(visit.barriers.values_list("slug", flat=True)),
        "resources": sorted(visit.referrals.values_list("resource_id", flat=True)),
    }


def _data_snapshot(data: VisitData) -> dict:
    """What `_visit_snapshot` would say of a visit saved with `data`."""
    return {
        "visited_on": data.visited_on.isoformat(), "kind": data.kind, "place": data.place,
        "who_came": data.who_came, "wants_more": data.wants_more, "next_step": data.next_step,
        "notes": data.notes,
        "attendees": sorted({p.pk for p in data.attendees}),
        "barriers": sorted({b.slug for b in data.barriers}),
        "resources": sorted({r.pk for r in data.resources}),
    }


@transaction.atomic
def visit_edit(*, visit: Visit, by, data: VisitData, now: datetime | None = None) -> Visit:
    """Change a logged visit; the earlier version is kept as a revision."""
    now = now or timezone.now()
    case = locked_case(visit.case)
    if not may_log_visits(by, case):
        raise errors.OutsideScope(_("Only the case's visitors and coordinators edit its visits."))
    problems = _visit_problems(case, data, now)
    if problems:
        raise errors.InvalidVisit(" ".join(problems))
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    before = _visit_snapshot(visit)
    if before == _data_snapshot(data):
        return visit  # the same edit sent again (or nothing changed): no revision, no audit entry
    VisitRevision.objects.create(visit=visit, edited_by=by, edited_at=now, before=before)
    for name in ("visited_on", "kind", "place", "who_came", "wants_more", "next_step", "notes"):
        setattr(visit, name, getattr(data, name))
    visit.save()
    visit.attendees.set(data.attendees)
    visit.barriers.set(data.barriers)
    wanted = {r.pk for r in data.resources}
    visit.referrals.exclude(resource_id__in=wanted).delete()
    have = set(visit.referrals.values_list("resource_id", flat=True))
    Referral.objects.bulk_create([Referral(visit=visit, resource_id=r) for r in wanted - have])
    audit_record(actor=by, action="visit.edit", obj=visit, district=case.district_id,
                 detail=f"Case {case.pk}, visit #{visit.number}")
    impact_summary_refresh_on_commit([case.pk])  # the date, kind, place or visitors of a first visit
    return visit


@transaction.atomic
def referral_outcome_set(*, referral: Referral, by, outcome: str) -> Referral:
    referral = Referral.objects.select_related("visit__case").select_for_update(of=("self",)).get(pk=referral.pk)
    if not may_log_visits(by, referral.visit.case):
        raise errors.OutsideScope(_("Only the case's visitors and coordinators follow up its referrals."))
    if outcome not in Referral.Outcome.values:
        raise errors.InvalidVisit(_("Choose connected or not connected."))
    referral.outcome = outcome
    referral.outcome_at = timezone.now() if outcome != Referral.Outcome.PENDING else None
    referral.save(update_fields=["outcome", "outcome_at", "updated_at"])
    audit_record(actor=by, action="referral.outcome", obj=referral, district=referral.visit.case.district_id,
                 detail=outcome)
    return referral
