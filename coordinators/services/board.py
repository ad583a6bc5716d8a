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
from coordinators.selectors.access import may_manage_cases, require_manager
from coordinators.selectors.board import active_volunteers, board_case_data, board_group
from coordinators.selectors.eligibility import person_eligibility
from coordinators.services.assignment import case_assign
from coordinators.services.cases import locked_case
from hub.audit.services import audit_record
from hub.models import Person
from hub.selectors import person_for
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
    mine = person_eligibility(person=visitor, district=case.district)
    if not mine.ok:
        raise (errors.NotAllowed if mine.certified else errors.NotCertified)(" ".join(mine.describe()))
    if partner is not None:
        if partner.pk == visitor.pk:
            raise errors.BoardError("Name someone else as your pair.")
        theirs = person_eligibility(person=partner, district=case.district)
        if not theirs.ok:
            raise errors.BoardError(f"{partner.full_name} can't be your pair: "
                                    + " ".join(theirs.describe(about=partner.full_name)))
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


# -- one entry point for both paths -------------------------------------------------------------------

BOARD_ACTIONS = ("open", "close", "volunteer", "withdraw", "assign")


def _whole_id(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def board_act(*, district_id: int, by, action: str, case_id, partner_id=None, visitor_ids=(), note: str = "",
              share_school: bool = True, share_grade: bool = True, reassign: bool = False) -> tuple[StudentCase, str]:
    """One action on a district's board, from its page (a form post) or its socket (a frame): the ids as
    sent, resolved and refused here, the same way for both; then the one service for the action.
    Returns (the case, what to tell the person)."""
    if action not in BOARD_ACTIONS:
        raise errors.NotFound("Choose a case on this board and an action.")
    case = None
    if _whole_id(case_id) is not None:
        case = StudentCase.objects.filter(pk=case_id, district_id=district_id).first()
    if case is None:
        raise errors.NotFound("There is no such case on this board.")
    if action == "open":
        case_open_for_volunteers(case=case, by=by, note=note, share_school=share_school, share_grade=share_grade)
        return case, "The case is on the board."
    if action == "close":
        case_close_for_volunteers(case=case, by=by)
        return case, "The case is off the board."
    if action in ("volunteer", "withdraw"):
        person = person_for(by)
        if person is None:
            raise errors.NotAllowed("Only home visitors volunteer for cases.")
        if action == "withdraw":
            volunteer_withdraw(case=case, visitor=person)
            return case, "You withdrew your offer."
        partner = None
        if partner_id is not None:
            partner = Person.objects.select_related("user").filter(pk=_whole_id(partner_id) or 0).first()
            if partner is None:
                raise errors.NotFound("The person you named as your pair does not exist.")
        case_volunteer(case=case, visitor=person, partner=partner)
        return case, "Thank you: you volunteered. Your coordinator confirms the pair."
    if not may_manage_cases(by):
        raise errors.NotAllowed("Only district coordinators assign visitors.")
    ids = list(visitor_ids)
    people = {p.pk: p for p in Person.objects.filter(pk__in=[i for i in ids if _whole_id(i)]).select_related("user")}
    if any(_whole_id(i) is None or i not in people for i in ids):
        raise errors.NotFound("One of the chosen visitors does not exist.")
    chosen = [people[i] for i in ids]
    board_case_assign(case=case, visitors=chosen, by=by, reassign=reassign)
    return case, "Visitors assigned: " + " and ".join(p.full_name for p in chosen) + "."
