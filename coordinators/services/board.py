"""The live case board (issue 7).

A coordinator opens a case for volunteers (choosing what the board shows), certified visitors who serve
the district volunteer (optionally naming their pair), and the coordinator confirms a pair through
`case_assign`, the same gate as the case page. Each change is broadcast to `board.district.<id>` after
its transaction commits; the frames are built by `coordinators.selectors.board` and documented in
`coordinators.consumers`.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from coordinators import errors
from coordinators.models import Assignment, BoardOpening, CaseStatus, StudentCase, Volunteer
from coordinators.selectors.access import require_manager
from coordinators.selectors.board import active_volunteers, board_case_data, board_group
from coordinators.selectors.eligibility import volunteer_problems
from coordinators.services.assignment import case_assign
from coordinators.services.cases import locked_case
from hub.audit.services import audit_record
from hub.models import Person
from hub.sockets import group_send_on_commit


def _board_broadcast_on_commit(district_id: int, frame: dict) -> None:
    # A lost broadcast never undoes what was stored: a reload (or a reconnect's snapshot) shows the truth.
    group_send_on_commit(board_group(district_id), {"type": "board.event", "frame": frame})


def _open_board_case(case: StudentCase, *, lock: bool = False):
    openings = BoardOpening.objects.filter(case=case, closed_at__isnull=True)
    if lock:
        openings = openings.select_for_update()
    return openings.first()


@transaction.atomic
def case_open_for_volunteers(*, case: StudentCase, by, note: str, share_school: bool = True,
                             share_grade: bool = True):
    """Put a case on its district's board (or change what an open one shares). Broadcasts `case.opened`."""
    require_manager(by, case.district_id)
    case = StudentCase.objects.select_for_update().select_related("school").get(pk=case.pk)
    note = (note or "").strip()
    if len(note) > 300:
        raise errors.InvalidCase("The note for volunteers is longer than 300 characters.")
    if case.status in (CaseStatus.CLOSED, CaseStatus.DECLINED):
        raise errors.BoardError("A closed or declined case can't go on the board.")
    if Assignment.objects.filter(case=case, ended_at__isnull=True).exists():
        raise errors.BoardError("This case already has visitors assigned.")
    opening = _open_board_case(case, lock=True)
    if opening is None:
        opening = BoardOpening.objects.create(case=case, district_id=case.district_id, note=note,
                                              share_school=share_school, share_grade=share_grade, opened_by=by,
                                              opened_at=timezone.now())
    else:
        opening.note, opening.share_school, opening.share_grade = note, share_school, share_grade
        opening.save(update_fields=["note", "share_school", "share_grade"])
    audit_record(actor=by, action="board.open", obj=case,
                 detail=f"Shares: grade band {'yes' if share_grade else 'no'}, school {'yes' if share_school else 'no'}")
    data = board_case_data(opening, case=case, volunteers=active_volunteers(case))
    _board_broadcast_on_commit(case.district_id, {"type": "case.opened", "case": data})
    return opening


def _board_close(case: StudentCase, *, reason: str, now: datetime) -> bool:
    closed = BoardOpening.objects.filter(case=case, closed_at__isnull=True).update(closed_at=now,
                                                                                    close_reason=reason)
    Volunteer.objects.filter(case=case, withdrawn_at__isnull=True).update(withdrawn_at=now)
    return bool(closed)


@transaction.atomic
def case_close_for_volunteers(*, case: StudentCase, by) -> StudentCase:
    """Take a case off the board (its volunteers are released). Broadcasts `case.closed`."""
    require_manager(by, case.district_id)
    case = locked_case(case)
    if not _board_close(case, reason="closed", now=timezone.now()):
        raise errors.BoardError("This case is not on the board.")
    audit_record(actor=by, action="board.close", obj=case)
    _board_broadcast_on_commit(case.district_id, {"type": "case.closed", "case": case.pk})
    return case


def _volunteers_changed(case: StudentCase) -> None:
    opening = _open_board_case(case)
    data = board_case_data(opening, case=case, volunteers=active_volunteers(case))
    _board_broadcast_on_commit(case.district_id, {"type": "case.volunteered", "case": data})


@transaction.atomic
def case_volunteer(*, case: StudentCase, visitor: Person, partner: Person | None = None):
    """A certified visitor serving the district offers to take a case on the board (again: updates the pair).

    A visitor who is not yet certified is refused (`NotCertified`) with the training that remains.
    Broadcasts `case.volunteered` with the case's volunteers.
    """
    case = StudentCase.objects.select_for_update().select_related("district", "school").get(pk=case.pk)
    if _open_board_case(case) is None:
        raise errors.BoardError("This case is not open for volunteers.")
    problems = volunteer_problems(person=visitor, district=case.district)
    if problems:
        error = errors.NotCertified if any("LEAP 101" in p for p in problems) else errors.NotAllowed
        raise error(" ".join(problems))
    if partner is not None:
        if partner.pk == visitor.pk:
            raise errors.BoardError("Name someone else as your pair.")
        theirs = volunteer_problems(person=partner, district=case.district)
        if theirs:
            raise errors.BoardError(f"{partner.full_name} can't be your pair: " + " ".join(
                p.replace("You can volunteer once you hold", "they need").replace("You do not", "they do not")
                .replace("Your account", "their account") for p in theirs))
    now = timezone.now()
    volunteer = Volunteer.objects.filter(case=case, visitor=visitor, withdrawn_at__isnull=True).first()
    if volunteer is None:
        volunteer = Volunteer.objects.create(case=case, visitor=visitor, partner=partner, created_at=now)
    else:
        volunteer.partner = partner
        volunteer.save(update_fields=["partner"])
    audit_record(actor=visitor.user, action="board.volunteer", obj=case,
                 detail=f"Pair: {partner.full_name}" if partner else "")
    _volunteers_changed(case)
    return volunteer


@transaction.atomic
def volunteer_withdraw(*, case: StudentCase, visitor: Person):
    """The visitor takes back their offer. Broadcasts `case.volunteered` with the remaining volunteers."""
    case = locked_case(case)
    volunteer = Volunteer.objects.filter(case=case, visitor=visitor, withdrawn_at__isnull=True).first()
    if volunteer is None:
        raise errors.BoardError("You have not volunteered for this case.")
    volunteer.withdrawn_at = timezone.now()
    volunteer.save(update_fields=["withdrawn_at"])
    audit_record(actor=visitor.user, action="board.withdraw", obj=case)
    if _open_board_case(case) is not None:
        _volunteers_changed(case)
    return volunteer


@transaction.atomic
def board_case_assign(*, case: StudentCase, visitors: list[Person], by, reassign: bool = False) -> Assignment:
    """The coordinator confirms a pair from the board: `case_assign` decides (same gate, same refusals);
    on success the case leaves the board. Broadcasts `case.assigned`."""
    assignment = case_assign(case=case, visitors=visitors, by=by, reassign=reassign)
    _board_close(case, reason="assigned", now=assignment.started_at)
    _board_broadcast_on_commit(case.district_id, {"type": "case.assigned", "case": case.pk})
    return assignment
