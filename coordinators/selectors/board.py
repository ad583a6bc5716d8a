"""Reads of the live case board (issue 7): which open cases a person sees, and what they may do there.

The board shows only what the coordinator chose to share when opening the case — the grade band and the
school (each optional) and a note — never the student's name, initials or student id. Every function
runs in a constant number of queries whatever the number of cases. The frames built here are sent by
`coordinators.services.board` and documented in `coordinators.consumers`.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q

from coordinators.models import Assignment, BoardOpening, StudentCase, Volunteer
from coordinators.selectors.access import may_manage_cases, may_see_board
from coordinators.selectors.eligibility import person_eligibility
from coordinators.selectors.waiting import cases_unassigned
from hub.models import District, Partner, Person, School
from hub.roles import VISITOR, roles_of
from hub.selectors import person_for, scope_for

GRADE_BANDS = (
    ({"PK"}, "Pre-K"),
    ({"K", "1", "2", "3", "4", "5"}, "Elementary (K–5)"),
    ({"6", "7", "8"}, "Middle school (6–8)"),
    ({str(n) for n in range(9, 13)}, "High school (9–12)"),
)


def board_group(district_id: int) -> str:
    """The channel-layer group of a district's board: the consumer joins it, the services send to it."""
    return f"board.district.{district_id}"


def grade_band(grade: str) -> str:
    for grades, label in GRADE_BANDS:
        if grade in grades:
            return label
    return "Grade not given"


def _volunteer_prefetch() -> Prefetch:
    return Prefetch("volunteers", to_attr="active_volunteer_list",
                    queryset=Volunteer.objects.filter(withdrawn_at__isnull=True)
                    .select_related("visitor__user", "partner__user").order_by("created_at", "pk"))


def active_volunteers(case: StudentCase) -> list[Volunteer]:
    return list(Volunteer.objects.filter(case=case, withdrawn_at__isnull=True)
                .select_related("visitor__user", "partner__user").order_by("created_at", "pk"))


def _person(person: Person | None) -> dict | None:
    return None if person is None else {"id": person.pk, "name": person.full_name}


def board_case_data(opening: BoardOpening | None, *, case: StudentCase, volunteers: list[Volunteer]) -> dict:
    """The case as the board shows it (and as the frames carry it): no name, no student id."""
    share_grade = opening.share_grade if opening else True
    share_school = opening.share_school if opening else True
    return {
        "case": case.pk,
        "grade_band": grade_band(case.grade) if share_grade else None,
        "school": case.school.name if share_school else None,
        "note": opening.note if opening else "",
        "opened_at": opening.opened_at.isoformat() if opening else None,
        "volunteers": [{"visitor": _person(v.visitor), "partner": _person(v.partner)} for v in volunteers],
    }


def _open_openings(districts) -> list[BoardOpening]:
    unassigned = cases_unassigned(StudentCase.objects.filter(district__in=districts)).values("pk")
    return list(BoardOpening.objects.filter(closed_at__isnull=True, district__in=districts, case__in=unassigned)
                .select_related("case__school")
                .prefetch_related(Prefetch("case__volunteers", to_attr="active_volunteer_list",
                                           queryset=_volunteer_prefetch().queryset))
                .order_by("opened_at", "pk"))


def board_cases(*, user, district_id: int | None = None) -> list[dict]:
    """The open cases on the board(s) this person sees: one district, or every district in their scope
    (visitors: their districts; coordinators: theirs). Empty for anyone else. 3 queries."""
    if district_id is not None and not may_see_board(user, district_id):
        return []
    if district_id is None and not (may_manage_cases(user) or VISITOR in roles_of(user)):
        return []
    districts = scope_for(user) if district_id is None else District.objects.filter(pk=district_id)
    return [board_case_data(o, case=o.case, volunteers=o.case.active_volunteer_list)
            for o in _open_openings(districts)]


@dataclass
class Viewer:
    """What this person may do on this board."""

    person_id: int | None
    can_assign: bool
    is_visitor: bool
    can_volunteer: bool
    reasons: list[str] = field(default_factory=list)  # why not (the remaining training, say)

    def as_frame(self) -> dict:
        return {"person": self.person_id, "can_assign": self.can_assign, "is_visitor": self.is_visitor,
                "can_volunteer": self.can_volunteer, "why_not": " ".join(self.reasons)}


def viewer_for(*, user, district: District) -> Viewer:
    """What a given person sees on the board: whether they can volunteer or, if not, what remains."""
    person = person_for(user)
    is_visitor = VISITOR in roles_of(user)
    reasons = person_eligibility(person=person, district=district).describe() if is_visitor else []
    can_assign = may_manage_cases(user) and scope_for(user).filter(pk=district.pk).exists()
    return Viewer(person_id=person.pk if person else None, can_assign=can_assign, is_visitor=is_visitor,
                  can_volunteer=is_visitor and not reasons, reasons=reasons)


def pair_candidates(*, district: District, exclude: int | None = None) -> list[Person]:
    """Home visitors serving the district (school staff there, staff of partners serving it, or living
    there without a school or partner): who a volunteer may name as their pair. The gate still checks."""
    partners = Partner.districts.through.objects.filter(district_id=district.pk).values("partner_id")
    serving = (Q(school__in=School.objects.filter(district=district))
               | Q(partner_id__in=partners)
               | Q(school__isnull=True, partner__isnull=True, home_district=district))
    people = (Person.objects.filter(serving, user__is_active=True, user__groups__name=VISITOR)
              .select_related("user").distinct().order_by("user__first_name", "user__last_name", "pk"))
    if exclude:
        people = people.exclude(pk=exclude)
    return list(people)


@dataclass
class BoardPage:
    district: District
    viewer: Viewer
    cases: list[dict]
    openable: list[StudentCase]  # a coordinator's cases that could go on the board
    partners: list[Person]  # whom a visitor may name as their pair
    needs_visitor: list[Assignment] = field(default_factory=list)  # a coordinator's cases whose visitor left


def needs_new_visitor(*, district: District) -> list[Assignment]:
    """(With `cases_unassigned`, the two halves of `coordinators.selectors.waiting.cases_waiting`.) Open assignments of the district flagged because a visitor on them left or was deactivated
    (`coordinators.services.assignments_flag_departed`), with their case and visitors: 2 queries."""
    return list(Assignment.objects.filter(case__district=district, ended_at__isnull=True,
                                          needs_new_visitor_at__isnull=False)
                .select_related("case", "case__school")
                .prefetch_related(Prefetch("visitors", queryset=Person.objects.select_related("user")))
                .order_by("needs_new_visitor_at", "pk"))


def board_page(*, user, district: District) -> BoardPage:
    viewer = viewer_for(user=user, district=district)
    cases = board_cases(user=user, district_id=district.pk)
    openable: list[StudentCase] = []
    if viewer.can_assign:
        on_board = BoardOpening.objects.filter(case_id=OuterRef("pk"), closed_at__isnull=True)
        openable = list(cases_unassigned(StudentCase.objects.filter(district=district))
                        .exclude(Exists(on_board))
                        .select_related("school").order_by("first_name", "pk"))
    partners = pair_candidates(district=district, exclude=viewer.person_id) if viewer.can_volunteer else []
    flagged = needs_new_visitor(district=district) if viewer.can_assign else []
    return BoardPage(district=district, viewer=viewer, cases=cases, openable=openable, partners=partners,
                     needs_visitor=flagged)
