"""Reads with a rule in them: the roster, cases a person may see, a case's page, dashboards.

Every query starts from `hub.selectors.scope_for(user)` (coordinators, regional and state staff) or
from the person's own open assignments (visitors). Certification comes from `courses.selectors`
and is never stored or recomputed here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Min, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from coordinators.models import (
    Assignment,
    AssignmentMember,
    AttendanceMonth,
    AuditEntry,
    Barrier,
    CaseEvent,
    CaseStatus,
    Resource,
    StudentCase,
    Visit,
)
from coordinators.services import (
    COURSE_CODE,
    _serving,
    agreements_in_force,
    district_settings,
    may_log_visits,
    may_manage_cases,
)
from courses.selectors import (
    STATE_FIELD,
    CertificationStatus,
    State,
    certification_statuses,
    last_activity,
    practice_counts,
    with_certification_state,
)
from hub.models import District, Partner, Person, School
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, VISITOR, roles_of
from hub.selectors import person_for, scope_for

STAFF_ROLES = frozenset({COORDINATOR, REGIONAL_STAFF, STATE_STAFF})
PAGE_SIZE = 25
EXPORT_CHUNK = 2_000


def is_staff_reader(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or roles_of(user) & STAFF_ROLES))


def _int(value) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    # An id no database column holds is no id (a 30-digit school= was an OverflowError on SQLite).
    return number if number is None or -(2**63) <= number < 2**63 else None


# -- roster ------------------------------------------------------------------------------------------

@dataclass
class RosterFilters:
    district: int | None = None
    school: int | None = None
    partner: int | None = None
    status: str | None = None
    q: str = ""
    sort: str = "name"
    page: int = 1

    SORTS = {"name": "Name (A–Z)", "-name": "Name (Z–A)", "status": "Training status", "org": "School or partner"}

    @classmethod
    def from_query(cls, query) -> "RosterFilters":
        status = query.get("status") or None
        sort = query.get("sort") or "name"
        return cls(district=_int(query.get("district")), school=_int(query.get("school")),
                   partner=_int(query.get("partner")), status=status if status in State.ORDER else None,
                   q=(query.get("q") or "").replace("\x00", "").strip()[:80], sort=sort if sort in cls.SORTS else "name",
                   page=_int(query.get("page")) or 1)

    def query_string(self, **changes) -> str:
        from urllib.parse import urlencode

        values = {"district": self.district, "school": self.school, "partner": self.partner,
                  "status": self.status, "q": self.q, "sort": self.sort if self.sort != "name" else None}
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


@dataclass
class RosterRow:
    person: Person
    status: CertificationStatus
    last_activity: datetime | None
    practice_sessions: int
    can_take_cases: bool
    organisation: str


@dataclass
class RosterPage:
    rows: list[RosterRow]
    page: object
    total: int
    counts: dict[str, int]
    filters: RosterFilters
    districts: list[District]
    schools: list[School]
    partners: list[Partner]

    @property
    def count_rows(self) -> list[tuple[str, str, int]]:
        return [(s, State.LABELS[s], self.counts.get(s, 0)) for s in State.ORDER]


class OutOfScope(Exception):
    """A filter names a district, school or partner outside the person's scope (views answer 404)."""


def roster_people(user, filters: RosterFilters | None = None) -> QuerySet[Person]:
    """Visitors serving the districts in the person's scope, filtered (not by status), in sort order.

    A visitor serves a district as school or district staff there (home district) or through a
    community partner serving it.
    """
    filters = filters or RosterFilters()
    if not is_staff_reader(user):
        return Person.objects.none()
    scope = scope_for(user)
    if filters.district is not None:
        scope = scope.filter(pk=filters.district)
    # Literal id lists (two small queries) rather than subqueries: the planner then combines the
    # home-district and partner indexes instead of scanning every person.
    district_ids = list(scope.values_list("pk", flat=True))
    serving_partners = list(Partner.districts.through.objects.filter(district_id__in=district_ids)
                            .values_list("partner_id", flat=True).distinct())
    people = Person.objects.filter(user__groups__name=VISITOR).filter(
        Q(home_district_id__in=district_ids) | Q(partner_id__in=serving_partners))
    if filters.school is not None:
        people = people.filter(school_id=filters.school)
    if filters.partner is not None:
        people = people.filter(partner_id=filters.partner)
    for word in filters.q.split()[:4]:
        people = people.filter(Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word))
    order = {"-name": ["-user__last_name", "-user__first_name", "-pk"],
             "org": ["school__name", "partner__name", "user__last_name", "user__first_name", "pk"]}
    return people.order_by(*order.get(filters.sort, ["user__last_name", "user__first_name", "pk"]))


def _check_filter_scope(user, filters: RosterFilters) -> None:
    scope = scope_for(user)
    if filters.district is not None and not scope.filter(pk=filters.district).exists():
        raise OutOfScope("district")
    if filters.school is not None and not School.objects.filter(pk=filters.school, district__in=scope).exists():
        raise OutOfScope("school")
    if filters.partner is not None and not Partner.objects.filter(pk=filters.partner, districts__in=scope).exists():
        raise OutOfScope("partner")


def roster_rows(people: list[Person], *, statuses: dict[int, CertificationStatus] | None = None,
                district_id: int | None = None, now: datetime | None = None) -> list[RosterRow]:
    """Rows for the given people (already fetched with user, school, partner): a fixed 8 queries."""
    now = now or timezone.now()
    ids = [p.pk for p in people]
    if statuses is None or any(pid not in statuses for pid in ids):
        statuses = certification_statuses(people=ids, course_code=COURSE_CODE, now=now)
    activity = last_activity(people=ids)
    practice = practice_counts(people=ids)
    partner_ids = {p.partner_id for p in people if p.partner_id}
    target = {p.pk: district_id or p.home_district_id for p in people}
    serves = set(Partner.districts.through.objects.filter(partner_id__in=partner_ids)
                 .values_list("partner_id", "district_id")) if partner_ids else set()
    agreements = agreements_in_force(partner_ids=partner_ids, district_ids={d for d in target.values() if d},
                                     on=timezone.localdate(now)) if partner_ids else set()
    rows = []
    for person in people:
        status = statuses[person.pk]
        where = target[person.pk]
        as_staff, as_partner = _serving(person, where, serves) if where else (False, False)
        cleared = as_staff or (as_partner and (person.partner_id, where) in agreements)
        rows.append(RosterRow(
            person=person, status=status, last_activity=activity.get(person.pk),
            practice_sessions=practice.get(person.pk, 0),
            can_take_cases=bool(person.user.is_active and status.is_current and cleared),
            organisation=person.school.name if person.school_id else (person.partner.name if person.partner_id else ""),
        ))
    return rows


def _certification_counts(people: QuerySet[Person]) -> dict[str, int]:
    """{state: visitors} for an annotated roster queryset: one GROUP BY query."""
    return dict(people.order_by().values(STATE_FIELD).annotate(n=Count("pk")).values_list(STATE_FIELD, "n"))


class _CountedPaginator(Paginator):
    """A paginator told its count (the per-status counts already give it), so it does not COUNT again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count  # shadows the cached_property


def roster(*, user, filters: RosterFilters, now: datetime | None = None) -> RosterPage:
    """One page of the roster with counts per status: a fixed number of queries, whatever the size.

    States, the status filter, the status sort and the counts come from
    `courses.selectors.with_certification_state` (SQL); the rows shown get their details (modules done,
    certificate, practice) from `certification_statuses` for that page only.
    """
    now = now or timezone.now()
    _check_filter_scope(user, filters)
    scope = scope_for(user)
    people = with_certification_state(roster_people(user, filters), course_code=COURSE_CODE, now=now)
    counts = _certification_counts(people)
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    if filters.status:
        people = people.filter(**{STATE_FIELD: filters.status})
    if filters.sort == "status":
        rank = Case(*[When(**{STATE_FIELD: s}, then=Value(n)) for n, s in enumerate(State.ORDER)],
                    output_field=IntegerField())
        people = people.order_by(rank, *people.query.order_by)  # name order within a status
    # Page the ids only (narrow rows to sort), then fetch the page's 25 people with their relations.
    paginator = _CountedPaginator(people.values_list("pk", flat=True), PAGE_SIZE, count=total)
    page = paginator.get_page(filters.page)
    page_ids = list(page.object_list)
    by_id = Person.objects.select_related("user", "school", "partner", "home_district").in_bulk(page_ids)
    page_people = [by_id[pid] for pid in page_ids if pid in by_id]
    rows = roster_rows(page_people, district_id=filters.district, now=now)
    return RosterPage(
        rows=rows, page=page, total=total, counts=counts,
        filters=filters, districts=list(scope.order_by("name")),
        schools=list(School.objects.filter(district__in=scope).select_related("district")
                     .order_by("district__name", "name")),
        partners=list(Partner.objects.filter(districts__in=scope).distinct().order_by("name")),
    )


def roster_export_rows(*, user, filters: RosterFilters, now: datetime | None = None):
    """Every roster row matching the filters, in chunks (bounded memory), for the CSV export."""
    now = now or timezone.now()
    _check_filter_scope(user, filters)
    people = roster_people(user, filters)
    if filters.status:
        people = with_certification_state(people, course_code=COURSE_CODE, now=now).filter(
            **{STATE_FIELD: filters.status})
    ids = list(people.values_list("pk", flat=True))
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start:start + EXPORT_CHUNK]
        by_id = {p.pk: p for p in Person.objects.filter(pk__in=chunk).select_related(
            "user", "school", "partner", "home_district")}
        statuses = certification_statuses(people=chunk, course_code=COURSE_CODE, now=now)
        yield from roster_rows([by_id[pid] for pid in chunk], statuses=statuses, district_id=filters.district,
                               now=now)


def roster_person(*, user, person_id: int) -> RosterRow | None:
    """One visitor's roster row, or None when they are not on this person's roster."""
    person = roster_people(user).filter(pk=person_id).select_related(
        "user", "school", "partner", "home_district").first()
    return roster_rows([person])[0] if person else None


# -- cases -------------------------------------------------------------------------------------------

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
    case_id = _int(case_id)
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
        status = query.get("status") or None
        return cls(status=status if status in CaseStatus.values else None, school=_int(query.get("school")),
                   district=_int(query.get("district")), q=(query.get("q") or "").replace("\x00", "").strip()[:60],
                   page=_int(query.get("page")) or 1)


def case_list(*, user, filters: CaseFilters):
    cases = cases_in_scope(user)
    if filters.district:
        cases = cases.filter(district_id=filters.district)
    if filters.school:
        cases = cases.filter(school_id=filters.school)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.q:
        cases = cases.filter(Q(student_ref__iexact=filters.q) | Q(first_name__icontains=filters.q))
    counts = dict(cases_in_scope(user).values("status").annotate(n=Count("pk")).values_list("status", "n"))
    open_assignments = Assignment.objects.filter(ended_at__isnull=True).prefetch_related(
        Prefetch("visitors", queryset=Person.objects.select_related("user")))
    cases = cases.select_related("district", "school").prefetch_related(
        Prefetch("assignments", queryset=open_assignments, to_attr="open_assignments")
    ).order_by("district__name", "-created_at", "-pk")
    page = Paginator(cases, PAGE_SIZE).get_page(filters.page)
    return page, [(s, label, counts.get(s, 0)) for s, label in CaseStatus.choices]


def first_visit_date(visits) -> date | None:
    """The first visit that counts for attendance change: the first home visit (else first contact)."""
    made = [v for v in visits if v.kind != Visit.Kind.ATTEMPTED]
    home = [v for v in made if v.kind == Visit.Kind.HOME_VISIT]
    chosen = home or made
    return min(v.visited_on for v in chosen) if chosen else None


@dataclass
class AttendanceChange:
    before: float | None
    after: dict[int, float | None]  # months after the first visit -> rate

    def change(self, months: int) -> float | None:
        after = self.after.get(months)
        return round(after - self.before, 1) if after is not None and self.before is not None else None


CHANGE_MONTHS = (1, 3, 6)


def attendance_change(rows: list[AttendanceMonth], first_visit: date | None) -> AttendanceChange | None:
    """Rate in the (up to) three months before the first visit's month, and in months 1, 3, 6 after."""
    if first_visit is None:
        return None
    start = first_visit.replace(day=1)
    before = [r for r in rows if start - relativedelta(months=3) <= r.month < start]
    enrolled = sum(r.days_enrolled for r in before)
    before_rate = round(100 * (enrolled - sum(r.days_absent for r in before)) / enrolled, 1) if enrolled else None
    by_month = {r.month: r for r in rows}
    after = {}
    for months in CHANGE_MONTHS:
        row = by_month.get(start + relativedelta(months=months))
        after[months] = row.rate if row else None
    return AttendanceChange(before_rate, after)


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
        change=attendance_change(attendance, first_visit_date(visits)), can_manage=manage, can_log=can_log,
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


# -- audit ---------------------------------------------------------------------------------------------

def audit_trail(*, user, page: int = 1):
    if not is_staff_reader(user):
        return None
    entries = AuditEntry.objects.filter(district__in=scope_for(user)).select_related("actor", "district")
    return Paginator(entries, 50).get_page(page)


# -- dashboards ----------------------------------------------------------------------------------------

SMALL_COUNT = 6
SMALL_GROUP = 20


@dataclass
class Cell:
    """A figure that may be hidden: counts of 1-5 students, or averages over fewer than 20."""

    value: float | int | None
    n: int | None = None
    suppressed: str = ""
    signed: bool = False

    def __str__(self) -> str:
        if self.suppressed:
            return self.suppressed
        if self.value is None:
            return "—"
        if isinstance(self.value, float):
            return f"{self.value:+.1f}" if self.signed else f"{self.value:.1f}"
        return f"{self.value:,}"


def _count(value: int, hide: bool) -> Cell:
    if hide and 0 < value < SMALL_COUNT:
        return Cell(None, value, "fewer than 6")
    return Cell(value, value)


def _average(values: list[float], hide: bool, signed: bool = False) -> Cell:
    if not values:
        return Cell(None, 0, signed=signed)
    if hide and len(values) < SMALL_GROUP:
        return Cell(None, len(values), "suppressed", signed)
    return Cell(round(sum(values) / len(values), 1), len(values), signed=signed)


@dataclass
class Bar:
    label: str
    cell: Cell
    percent: int


def _bars(items: list[tuple[str, int]], hide: bool) -> list[Bar]:
    top = max((v for _, v in items), default=0) or 1
    bars = []
    for label, value in items:
        cell = _count(value, hide)
        bars.append(Bar(label, cell, 0 if cell.suppressed else round(100 * value / top)))
    return bars


@dataclass
class Dashboard:
    scope_label: str
    across_districts: bool
    districts: list[District]
    district: District | None
    visitors: Cell
    certified: Cell
    can_take: Cell | None
    cases_by_status: list[Bar]
    visits_total: Cell
    visits_by_place: list[Bar]
    in_person: Cell
    remote: Cell
    barriers: list[Bar]
    days_to_first_visit: Cell
    change: list[tuple[int, Cell]]


def dashboard(*, user, district_id: int | None = None, now: datetime | None = None) -> Dashboard:
    """Training and impact figures for the person's scope (or one district of it)."""
    now = now or timezone.now()
    scope = scope_for(user) if is_staff_reader(user) else District.objects.none()
    districts = list(scope.order_by("name"))
    if district_id is not None:
        scope = scope.filter(pk=district_id)
        if not scope.exists():
            raise OutOfScope("district")
    chosen = [d for d in districts if d.pk == district_id]
    shown = chosen or districts
    hide = len(shown) > 1
    label = chosen[0].name if chosen else (districts[0].name if len(districts) == 1 else f"{len(districts)} districts")
    # Visitors and their certification: one GROUP BY over the SQL certification state.
    state_counts = _certification_counts(with_certification_state(
        roster_people(user, RosterFilters(district=district_id)), course_code=COURSE_CODE, now=now))
    visitors = sum(state_counts.values())
    certified = state_counts.get(State.CERTIFIED, 0) + state_counts.get(State.EXPIRING_SOON, 0)
    cases = StudentCase.objects.filter(district__in=scope)
    by_status = dict(cases.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    visits = Visit.objects.filter(case__district__in=scope).exclude(kind=Visit.Kind.ATTEMPTED)
    by_place = dict(visits.values("place").annotate(n=Count("pk")).values_list("place", "n"))
    in_person = sum(n for p, n in by_place.items() if p in Visit.IN_PERSON)
    barrier_counts = list(Barrier.objects.filter(visits__case__district__in=scope)
                          .annotate(n=Count("visits__case", distinct=True)).order_by("-n", "order")
                          .values_list("name", "n")[:8])
    # Days from (first) assignment to first visit, per case.
    assigned = dict(Assignment.objects.filter(case__district__in=scope).values("case_id")
                    .annotate(at=Min("started_at")).values_list("case_id", "at"))
    first_visits: dict[int, date] = {}
    home_first: dict[int, date] = {}
    for case_id, kind, on in visits.values_list("case_id", "kind", "visited_on"):
        if case_id not in first_visits or on < first_visits[case_id]:
            first_visits[case_id] = on
        if kind == Visit.Kind.HOME_VISIT and (case_id not in home_first or on < home_first[case_id]):
            home_first[case_id] = on
    waits = [max(0, (on - timezone.localdate(assigned[cid])).days) for cid, on in first_visits.items()
             if cid in assigned]
    rows = defaultdict(list)
    for row in AttendanceMonth.objects.filter(case_id__in=list(first_visits)).only(
            "case_id", "month", "days_enrolled", "days_absent"):
        rows[row.case_id].append(row)
    changes = {m: [] for m in CHANGE_MONTHS}
    for case_id in first_visits:
        change = attendance_change(rows.get(case_id, []), home_first.get(case_id, first_visits[case_id]))
        for months in CHANGE_MONTHS:
            value = change.change(months) if change else None
            if value is not None:
                changes[months].append(value)
    return Dashboard(
        scope_label=label, across_districts=hide, districts=districts, district=chosen[0] if chosen else None,
        visitors=_count(visitors, hide), certified=_count(certified, hide),
        can_take=None,
        cases_by_status=_bars([(lbl, by_status.get(s, 0)) for s, lbl in CaseStatus.choices], hide),
        visits_total=_count(sum(by_place.values()), hide),
        visits_by_place=_bars([(lbl, by_place.get(p, 0)) for p, lbl in Visit.Place.choices], hide),
        in_person=_count(in_person, hide), remote=_count(sum(by_place.values()) - in_person, hide),
        barriers=_bars(barrier_counts, hide),
        days_to_first_visit=_average([float(w) for w in waits], hide),
        change=[(m, _average(changes[m], hide, signed=True)) for m in CHANGE_MONTHS],
    )
