"""Who may do what with student cases: the `may_*` predicates and the scope checks every path shares.

Access is scoped by object, not only by role: a coordinator may change a case only when its district
is in `hub.selectors.scope_for(user)`.
"""

from coordinators import errors
from coordinators.models import AssignmentMember, StudentCase
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, VISITOR, roles_of
from hub.selectors import person_for, scope_for

STAFF_ROLES = frozenset({COORDINATOR, REGIONAL_STAFF, STATE_STAFF})


class OutOfScope(Exception):
    """A filter names a district, school or partner outside the person's scope (views answer 404)."""


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
