"""Training and impact figures for a person's scope (or one district of it): the dashboard.

Figures shown across several districts hide small numbers: counts of 1-5 students, and averages over
fewer than 20 (`Cell.suppressed`; the rule is `coordinators.selectors.suppression`). The attendance
change is the impact table's (`coordinators.selectors.impact`), one rule for both pages.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min
from django.utils import timezone

from coordinators.models import Assignment, Barrier, CaseStatus, StudentCase, Visit
from coordinators.selectors.access import OutOfScope, is_staff_reader
from coordinators.selectors.eligibility import COURSE_CODE
from coordinators.selectors.impact import HORIZONS, change_summary
from coordinators.selectors.rosters import RosterFilters, certification_counts, roster_people
from coordinators.selectors.suppression import Cell, average_cell, count_cell
from courses.selectors import State, with_certification_state
from hub.models import District
from hub.selectors import scope_for

_count = count_cell


def _average(values: list[float], hide: bool, signed: bool = False) -> Cell:
    return average_cell(sum(values), len(values), hide, signed)


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
    # Days from (first) assignment to first contact, per case (one row per case, not per visit).
    assigned = dict(Assignment.objects.filter(case__district__in=scope).values("case_id")
                    .annotate(at=Min("started_at")).values_list("case_id", "at"))
    first_visits = dict(visits.order_by().values("case_id").annotate(on=Min("visited_on"))
                        .values_list("case_id", "on"))
    waits = [max(0, (on - timezone.localdate(assigned[cid])).days) for cid, on in first_visits.items()
             if cid in assigned]
    # Attendance change: the impact table's rule and query (coordinators.selectors.impact), all time.
    changes = change_summary(district_ids=scope.values_list("pk", flat=True))
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
        change=[(m, average_cell(changes[m].total, changes[m].n, hide, signed=True)) for m in HORIZONS],
    )
