"""The student cases a person may read, a case's page and a visitor's own cases.

Coordinators and regional or state staff read the cases of the districts in their scope; a visitor
reads only the cases of their open assignments. The caller audits each read of a case (the views do,
through `hub.audit.services.audit_record`).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from coordinators.models import (
    Assignment,
    AssignmentMember,
    AttendanceMonth,
    Barrier,
    CaseEvent,
    CaseStatus,
    Resource,
    StudentCase,
    Visit,
)
from coordinators.queries import CaseQuery
from coordinators.selectors.access import OutOfScope, is_staff_reader, may_log_visits, may_manage_cases
from coordinators.selectors.eligibility import district_settings
from coordinators.selectors.impact import HORIZONS, case_change
from coordinators.selectors.rosters import (
    EXPORT_CHUNK,
    PAGE_SIZE,
    RosterFilters,
    RosterRow,
    query_int,
    roster_people,
    roster_rows,
)
from hub.exports import ExportRows
from hub.models import Person, School
from hub.queries import query_read
from hub.roles import VISITOR, roles_of
from hub.selectors import person_for, scope_for
from hub.text import Folded, normalise_search


def cases_in_scope(user) -> QuerySet[StudentCase]:
    """Cases coordinators and regional or state staff may read; visitors read only their own."""
    if not is_staff_reader(user):
        return StudentCase.objects.none()
    return StudentCase.objects.filter(district__in=scope_for(user))


def my_open_case_ids(person: Person | None):
    if person is None:
        return AssignmentMember.objects.none().values("assignment__case_id")
    return AssignmentMember.objects.filter(person=person, assignment__ended_at__isnull=True).values(
        "assignment__case_id")


def case_for(*, user, case_id) -> StudentCase | None:
    """The case if this person may read it (staff in scope, or an assigned visitor), else None."""
    case_id = query_int(case_id)
    if case_id is None or user is None or not user.is_authenticated or not user.is_active:
        return None
    readable = cases_in_scope(user)
    person = person_for(user)
    if person is not None and VISITOR in roles_of(user):
        readable = StudentCase.objects.filter(Q(pk__in=readable.values("pk")) | Q(pk__in=my_open_case_ids(person)))
    return readable.select_related("district", "school").filter(pk=case_id).first()


@dataclass
class CaseFilters:
    status: str | None = None
    school: int | None = None
    district: int | None = None
    q: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query) -> "CaseFilters":
        """The filters a query string asks for; `hub.queries.BadQuery` (a 400) for a value they cannot take."""
        data = query_read(CaseQuery, query)
        return cls(status=data["status"] or None, school=data["school"], district=data["district"], q=data["q"],
                   page=data["page"] or 1)

    def query_string(self, **changes) -> str:
        """The filters (not the page) as a query string: the pager's and the export link's."""
        from urllib.parse import urlencode

        values = {"district": self.district, "school": self.school, "status": self.status, "q": self.q}
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _check_case_filter_scope(user, filters: CaseFilters) -> None:
    """OutOfScope when a filter names a district or school outside the person's scope (the views audit
    the attempt and answer 404)."""
    scope = scope_for(user)
    if filters.district is not None and not scope.filter(pk=filters.district).exists():
        raise OutOfScope("district", value=filters.district)
    if filters.school is not None and not School.objects.filter(pk=filters.school, district__in=scope).exists():
        raise OutOfScope("school", value=filters.school)


def cases_filtered(*, user, filters: CaseFilters) -> QuerySet[StudentCase]:
    """The cases the case list shows (over all its pages) and its CSV export holds, in the list's order.

    One selector for both, so that the export of a filtered list is exactly what the list shows.
    OutOfScope when a filter names a district or school outside the person's scope."""
    _check_case_filter_scope(user, filters)
    cases = cases_in_scope(user)
    if filters.district:
        cases = cases.filter(district_id=filters.district)
    if filters.school:
        cases = cases.filter(school_id=filters.school)
    if filters.status:
        cases = cases.filter(status=filters.status)
    folded = normalise_search(filters.q)
    if folded:  # the student id exactly, or a part of the first name; any case, any Unicode form (hub.text)
        cases = cases.alias(ref_folded=Folded("student_ref"), first_folded=Folded("first_name")).filter(
            Q(ref_folded=folded) | Q(first_folded__contains=folded))
    return cases.order_by("district__name", "-created_at", "-pk")


def case_list(*, user, filters: CaseFilters):
    cases = cases_filtered(user=user, filters=filters)
    counts = dict(cases_in_scope(user).values("status").annotate(n=Count("pk")).values_list("status", "n"))
    open_assignments = Assignment.objects.filter(ended_at__isnull=True).prefetch_related(
        Prefetch("visitors", queryset=Person.objects.select_related("user")))
    cases = cases.select_related("district", "school").prefetch_related(
        Prefetch("assignments", queryset=open_assignments, to_attr="open_assignments"))
    page = Paginator(cases, PAGE_SIZE).get_page(filters.page)
    return page, [(s, label, counts.get(s, 0)) for s, label in CaseStatus.choices]


def case_export(*, user, filters: CaseFilters) -> ExportRows:
    """The rows of the case list's CSV (`cases_filtered`, every page), how many and their districts: one
    query for the count and districts, then the rows in chunks (bounded memory)."""
    cases = cases_filtered(user=user, filters=filters)
    per_district = dict(cases.order_by().values("district_id").annotate(n=Count("pk"))
                        .values_list("district_id", "n"))
    return ExportRows(rows=cases.select_related("school").iterator(chunk_size=EXPORT_CHUNK),
                      count=sum(per_district.values()), districts=frozenset(per_district))


@dataclass
class AttendanceChange:
    """One case's attendance around its first visit, as the impact table counts it
    (`coordinators.selectors.impact.case_change`: the same SQL, for one case)."""

    before: float | None
    after: dict[int, float | None]  # months after the first visit -> rate

    def change(self, months: int) -> float | None:
        after = self.after.get(months)
        return round(after - self.before, 1) if after is not None and self.before is not None else None

    @property
    def changes(self) -> list[tuple[int, float | None]]:
        return [(months, self.change(months)) for months in CHANGE_MONTHS]


CHANGE_MONTHS = HORIZONS


def attendance_change(case_id: int) -> AttendanceChange | None:
    """The case's rate in the (up to) three months before its first visit's month, and months 1, 3, 6, 9
    after; None before a first visit. One query."""
    rates = case_change(case_id)
    if rates is None:
        return None

    def rounded(value):
        return None if value is None else round(value, 1)

    return AttendanceChange(rounded(rates["before"]), {k: rounded(v) for k, v in rates["after"].items()})


@dataclass
class Candidate:
    row: RosterRow
    problems: list[str] = field(default_factory=list)


@dataclass
class CaseView:
    case: StudentCase
    events: list[CaseEvent]
    family_choice: str | None
    assignments: list[Assignment]
    current: Assignment | None
    visits: list[Visit]
    attendance: list[AttendanceMonth]
    change: AttendanceChange | None
    can_manage: bool
    can_log: bool
    show_notes: bool
    candidates: list[RosterRow]
    pairs: bool
    barriers: list[Barrier]
    resources: list[Resource]


def case_view(*, user, case: StudentCase, now: datetime | None = None) -> CaseView:
    """Everything the case page shows (the caller got `case` from `case_for`)."""
    events = list(case.events.select_related("by"))
    assignments = list(case.assignments.select_related("assigned_by").prefetch_related(
        Prefetch("visitors", queryset=Person.objects.select_related("user"))))
    current = next((a for a in assignments if a.is_open), None)
    visits = list(case.visits.select_related("logged_by").prefetch_related(
        "barriers", Prefetch("attendees", queryset=Person.objects.select_related("user")),
        "referrals__resource", "revisions").order_by("number"))
    attendance = list(case.attendance.order_by("month"))
    manage = may_manage_cases(user) and scope_for(user).filter(pk=case.district_id).exists()
    can_log = may_log_visits(user, case)
    candidates = []
    if manage:
        filters = RosterFilters(district=case.district_id)
        people = list(roster_people(user, filters).select_related("user", "school", "partner", "home_district")[:500])
        candidates = roster_rows(people, district_id=case.district_id, now=now)
        candidates.sort(key=lambda r: (not r.can_take_cases, r.person.user.last_name, r.person.user.first_name))
    return CaseView(
        case=case, events=events, family_choice=events[-1].kind if events else None, assignments=assignments,
        current=current, visits=visits, attendance=attendance,
        change=attendance_change(case.pk), can_manage=manage, can_log=can_log,
        show_notes=can_log, candidates=candidates, pairs=district_settings(case.district_id).visits_in_pairs,
        barriers=list(Barrier.objects.all()) if can_log else [],
        resources=list(Resource.objects.filter(district_id=case.district_id)) if can_log else [],
    )


def my_cases(*, user) -> list[StudentCase]:
    """The visitor's cases (open assignments) with their visits so far: 3 queries."""
    person = person_for(user)
    if person is None:
        return []
    return list(StudentCase.objects.filter(pk__in=my_open_case_ids(person)).select_related("district", "school")
                .prefetch_related(Prefetch("visits", queryset=Visit.objects.order_by("number"), to_attr="visit_list"))
                .order_by("first_name", "pk"))
