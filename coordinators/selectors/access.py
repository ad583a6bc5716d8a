"""Who may do what with student cases: the `may_*` predicates and the scope checks every path shares.

Access is scoped by object, not only by role: a coordinator may change a case only when its district
is in `hub.selectors.scope_for(user)`.
"""

from coordinators import errors
from coordinators.models import AssignmentMember, Referral, StudentCase, Visit
from hub.models import District, Partner, Person, School
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, VISITOR, roles_of
from hub.selectors import person_for, scope_for

STAFF_ROLES = frozenset({COORDINATOR, REGIONAL_STAFF, STATE_STAFF})


class OutOfScope(Exception):
    """A filter names a district, school or partner outside the person's scope (views answer 404).

    `str(error)` is the filter's name; `districts` the districts that own what it named (empty when it
    names nothing that exists), so that the refused attempt is filed in their audit trail too."""

    def __init__(self, kind: str, *, value=None):
        super().__init__(kind)
        self.districts = owner_districts(kind, value)


def owner_districts(kind: str, value) -> list[int]:
    """The districts a district, school, partner, student case, visit, referral or person ("district",
    "school", "partner", "studentcase", "visit", "referral", "person": their home district) id belongs
    to; [] for an id that is no number or names nothing. One query."""

    try:
        pk = int(value)
    except (TypeError, ValueError):
        return []
    if not -(2**63) <= pk < 2**63:
        return []
    found = {
        "district": lambda: District.objects.filter(pk=pk).values_list("pk", flat=True),
        "school": lambda: School.objects.filter(pk=pk).values_list("district_id", flat=True),
        "partner": lambda: Partner.districts.through.objects.filter(partner_id=pk).values_list("district_id",
                                                                                              flat=True),
        "studentcase": lambda: StudentCase.objects.filter(pk=pk).values_list("district_id", flat=True),
        "visit": lambda: Visit.objects.filter(pk=pk).values_list("case__district_id", flat=True),
        "referral": lambda: Referral.objects.filter(pk=pk).values_list("visit__case__district_id", flat=True),
        "person": lambda: Person.objects.filter(pk=pk, home_district__isnull=False).values_list(
            "home_district_id", flat=True),
    }.get(kind)
    return sorted(set(found())) if found else []


def is_staff_reader(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or roles_of(user) & STAFF_ROLES))


def may_manage_cases(user) -> bool:
    """Coordinators create, import and assign cases (in their scope); staff roles only read."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or COORDINATOR in roles_of(user)))


def case_in_scope(user, case: StudentCase) -> bool:
    return scope_for(user).filter(pk=case.district_id).exists()


def require_manager(user, district_id: int) -> None:
    """Refuse (NotAllowed, OutsideScope) unless `user` manages cases in the district."""
    if not may_manage_cases(user):
        raise errors.NotAllowed("Only district coordinators change student cases.")
    if not scope_for(user).filter(pk=district_id).exists():
        raise errors.OutsideScope("That case is not in your district.")


def may_log_visits(user, case: StudentCase) -> bool:
    """The case's assigned visitors (open assignment) and its district's coordinators."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if may_manage_cases(user) and case_in_scope(user, case):
        return True
    person = person_for(user)
    return person is not None and AssignmentMember.objects.filter(
        assignment__case=case, assignment__ended_at__isnull=True, person=person).exists()


def may_see_board(user, district_id) -> bool:
    """Visitors and coordinators (and superusers) whose scope holds the district."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not (user.is_superuser or may_manage_cases(user) or VISITOR in roles_of(user)):
        return False
    try:
        district_id = int(district_id)
    except (TypeError, ValueError):
        return False
    return scope_for(user).filter(pk=district_id).exists()
