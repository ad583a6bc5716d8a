"""Training and impact figures for a person's scope (or one district of it): the dashboard.

Figures shown across several districts hide small numbers: counts of 1-5 students, and averages over
fewer than 20 (`Cell.suppressed`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Min
from django.utils import timezone

from coordinators.models import Assignment, AttendanceMonth, Barrier, CaseStatus, StudentCase, Visit
from coordinators.selectors.access import OutOfScope, is_staff_reader
from coordinators.selectors.cases import CHANGE_MONTHS, attendance_change
from coordinators.selectors.eligibility import COURSE_CODE
from coordinators.selectors.rosters import RosterFilters, certification_counts, roster_people
from courses.selectors import State, with_certification_state
from hub.models import District
from hub.selectors import scope_for

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
            raise OutOfScope("district", value=district_id)
    chosen = [d for d in districts if d.pk == district_id]
    shown = chosen or districts
    hide = len(shown) > 1
    label = chosen[0].name if chosen else (districts[0].name if len(districts) == 1 else f"{len(districts)} districts")
    # Visitors and their certification: one GROUP BY over the SQL certification state.
    state_counts = certification_counts(with_certification_state(
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
