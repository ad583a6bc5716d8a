"""The assignment gate: pairing certified visitors with a case, and closing a case.

`case_assign` is the single gate between a family and its visitors: every path that pairs visitors
with a case (the case page, the live case board's `board_case_assign`) calls it. A refusal raises a
`coordinators.errors` error naming every unmet requirement (`assignment_refusals`, in
`coordinators.selectors.eligibility`: the one rule the board, the roster and the case page ask too) and
writes nothing.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordinators import errors
from coordinators.models import Assignment, AssignmentMember, CaseStatus, StudentCase
from coordinators.selectors.access import require_manager
from coordinators.selectors.eligibility import assignment_refusals
from coordinators.services.cases import locked_case
from coordinators.services.impact import impact_summary_refresh_on_commit
from hub.audit.services import audit_record
from hub.models import Person


@transaction.atomic
def case_assign(*, case: StudentCase, visitors: list[Person], by, reassign: bool = False,
                now: datetime | None = None, form_token=None) -> Assignment:
    """Pair certified visitors with a case: the one gate (see module docstring).

    Locks the case row, so two coordinators assigning the same case at once cannot both succeed: the
    second finds the first's open assignment and is refused unless it asked to reassign (and the
    database's "one open assignment per case" constraint holds even without the lock).
    """
    now = now or timezone.now()
    require_manager(by, case.district_id)
    case = StudentCase.objects.select_for_update().select_related("district").get(pk=case.pk)
    if form_token is not None:  # the same form sent again (a double tap): the assignment it made
        made = Assignment.objects.filter(case=case, assigned_by=by, form_token=form_token).first()
        if made is not None:
            return made
    current = Assignment.objects.filter(case=case, ended_at__isnull=True).first()
    if current is not None and not reassign:
        names = ", ".join(p.full_name for p in current.visitors.select_related("user"))
        raise errors.CaseAlreadyAssigned([_("The case is already assigned to %(names)s; reassign it instead") % {"names": names}])
    refusals = assignment_refusals(case=case, visitors=list(visitors), by=by, now=now)
    if refusals:
        raise errors.AssignmentRefused.from_refusals(refusals)
    if current is not None:
        current.ended_at = now
        current.end_reason = f"Reassigned by {by.get_full_name() or by.username}"
        current.save(update_fields=["ended_at", "end_reason", "updated_at"])
    assignment = Assignment.objects.create(case=case, assigned_by=by, started_at=now, form_token=form_token)
    AssignmentMember.objects.bulk_create([AssignmentMember(assignment=assignment, person_id=v.pk)
                                          for v in visitors])
    if case.status != CaseStatus.VISITED:
        case.status = CaseStatus.ASSIGNED
        case.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="case.reassign" if current else "case.assign", obj=case,
                 detail="Visitors: " + ", ".join(v.full_name for v in visitors))
    impact_summary_refresh_on_commit([case.pk])  # the status decides the comparison group
    return assignment


@transaction.atomic
def assignments_flag_departed(*, person: Person, district_id: int | None, reason: str, by,
                              now: datetime | None = None) -> int:
    """A visitor left `district_id` (None: deactivated, every district): each open assignment of theirs
    there is flagged "needs a new visitor" (shown on the case board) until the case is reassigned.
    Connected to `hub.membership.signals.visitor_left_district`. Returns how many were flagged."""
    now = now or timezone.now()
    open_ones = Assignment.objects.filter(ended_at__isnull=True, members__person=person).select_related("case")
    if district_id is not None:
        open_ones = open_ones.filter(case__district_id=district_id)
    flagged = 0
    for assignment in open_ones.select_for_update(of=("self",)).order_by("pk"):
        assignment.needs_new_visitor_at = now
        assignment.needs_new_visitor_reason = reason[:200]
        assignment.save(update_fields=["needs_new_visitor_at", "needs_new_visitor_reason", "updated_at"])
        audit_record(actor=by, action="case.needs_visitor", obj=assignment.case, detail=reason)
        flagged += 1
    return flagged


@transaction.atomic
def case_close(*, case: StudentCase, by, reason: str = "Closed") -> StudentCase:
    require_manager(by, case.district_id)
    case = locked_case(case)
    now = timezone.now()
    Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now, end_reason=reason[:200])
    case.status = CaseStatus.CLOSED
    case.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="case.close", obj=case, detail=reason)
    impact_summary_refresh_on_commit([case.pk])  # a closed case that was never visited leaves the comparison
    return case
