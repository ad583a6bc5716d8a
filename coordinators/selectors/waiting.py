"""Prioritisation (issue 16): the students waiting for a first or next visit, most urgent first, beside
the certified visitors free to take them.

"Waiting" is the case board's meaning, written once here (`cases_waiting`; the board's own lists use
`cases_unassigned` and `needs_new_visitor`): a case not closed or declined that has no visitors — no
open assignment — or whose open assignment is flagged "needs a new visitor" (a visitor on it left the
district or was switched off). A waiting case that has had a visit waits for its next visit.

How long it has waited: since the flag (the visitors left), else since its last visit, else since its
referral (the month of referral when it is earlier than the day the case was added to the Hub, as for
an imported list, else that day). The order: chronic-absence band (`coordinators.models.absence_priority`,
the same thresholds as `absence_level`), then the longest wait.

The visitors offered are the roster's (`roster_people`) whose "can take cases now" is true
(`roster_rows`, i.e. the assignment gate's own `visit_eligibility`), with their open case load and the
languages they speak; a visitor who speaks a case's home language is listed first for it. Whether an
assignment is allowed stays the gate's answer (`coordinators.services.case_assign`).

A fixed number of queries whatever the number of cases and visitors.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Case, Count, DateField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from coordinators.models import (
    ABSENCE_LABELS,
    ABSENCE_PRIORITY,
    Assignment,
    AssignmentMember,
    CaseEvent,
    CaseStatus,
    StudentCase,
    Visit,
    absence_priority,
)
from coordinators.queries import WaitingQuery
from coordinators.selectors.access import OutOfScope, is_staff_reader, may_manage_cases
from coordinators.selectors.eligibility import COURSE_CODE, district_settings, latest_family_choice
from coordinators.selectors.rosters import RosterFilters, RosterRow, roster_people, roster_rows
from courses.selectors import STATE_FIELD, State, with_certification_state
from hub.models import District, Language, Person, School
from hub.queries import query_read
from hub.selectors import scope_for

WAITING_PAGE_SIZE = 25
ENDED = (CaseStatus.CLOSED, CaseStatus.DECLINED)


def _open_assignment(case_ref: str = "pk"):
    return Assignment.objects.filter(case_id=OuterRef(case_ref), ended_at__isnull=True)


def cases_unassigned(cases: QuerySet[StudentCase]) -> QuerySet[StudentCase]:
    """Cases not closed or declined with no open assignment (the board's "could go on the board")."""
    return cases.exclude(status__in=ENDED).exclude(Exists(_open_assignment()))


def cases_waiting(cases: QuerySet[StudentCase]) -> QuerySet[StudentCase]:
    """Cases waiting for visitors: not closed or declined, and no open assignment or an open one flagged
    "needs a new visitor" (the board's two lists together)."""
    flagged = _open_assignment().filter(needs_new_visitor_at__isnull=False)
    return cases.exclude(status__in=ENDED).filter(~Exists(_open_assignment()) | Exists(flagged))


def with_waiting_facts(cases: QuerySet[StudentCase]) -> QuerySet[StudentCase]:
    """Waiting cases annotated with what the list orders and shows, in SQL: `priority` (the band's place
    in ABSENCE_PRIORITY), `flagged_at`, `last_visit_on`, `visits_made`, `waiting_since` (a date) and
    `family` (the family's latest answer)."""
    visits = Visit.objects.filter(case_id=OuterRef("pk"))
    flag = (_open_assignment().filter(needs_new_visitor_at__isnull=False).order_by()
            .values("needs_new_visitor_at")[:1])
    referred = Case(When(referral_month__lt=TruncMonth("created_at", output_field=DateField()),
                         then="referral_month"),
                    default=TruncDate("created_at"), output_field=DateField())
    return cases.annotate(
        priority=absence_priority(),
        flagged_at=Subquery(flag),
        last_visit_on=Subquery(visits.order_by("-visited_on", "-number").values("visited_on")[:1]),
        visits_made=Subquery(visits.order_by().values("case_id").annotate(n=Count("pk")).values("n")[:1]),
        family=latest_family_choice(),
    ).annotate(waiting_since=Coalesce(TruncDate("flagged_at"), "last_visit_on", referred, output_field=DateField()))
    # (COALESCE rather than CASE ... IS NOT NULL: each subquery runs once per case, not twice.)


@dataclass
class WaitingFilters:
    district: int | None = None
    school: int | None = None
    band: str = ""
    # By default only families who said yes: the others cannot be given visitors yet (the gate refuses
    # them: "The family has not said yes to a visit yet"); "other" and "all" show the rest.
    family: str = "yes"
    page: int = 1

    @classmethod
    def from_query(cls, query) -> "WaitingFilters":
        """The filters a query string asks for; `hub.queries.BadQuery` (a 400) for a value they cannot take."""
        data = query_read(WaitingQuery, query)
        return cls(district=data["district"], school=data["school"], band=data["band"],
                   family=data["family"] or "yes", page=data["page"] or 1)

    def query_string(self, **changes) -> str:
        """The filters (not the page) as a query string: the pager's, and where an assignment returns to."""
        values = {"district": self.district, "school": self.school, "band": self.band,
                  "family": self.family if self.family != "yes" else None}
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


@dataclass
class FreeVisitor:
    row: RosterRow
    open_cases: int
    languages: list[Language]

    @property
    def person(self) -> Person:
        return self.row.person

    def speaks(self, language: str) -> bool:
        wanted = language.strip().casefold()
        return bool(wanted) and any(wanted in (lang.name.casefold(), lang.code.casefold()) for lang in self.languages)


@dataclass
class WaitingRow:
    case: StudentCase
    level: str
    since: date
    days: int
    next_visit: bool  # it has had a visit: it waits for its next one
    flagged: bool  # its visitors left: it needs a new visitor
    visits_made: int
    family: str | None
    speakers: list[FreeVisitor]  # free visitors who speak the home language
    visitors: list[FreeVisitor]  # every free visitor, the speakers first

    @property
    def level_label(self) -> str:
        return ABSENCE_LABELS[self.level]

    @property
    def family_label(self) -> str:
        return CaseEvent.Kind(self.family).label if self.family else "Not asked yet"


@dataclass
class WaitingPage:
    district: District
    districts: list[District]
    schools: list[School]
    filters: WaitingFilters
    rows: list[WaitingRow]
    page: object
    total: int
    counts: list[tuple[str, str, int]]  # (level, label, cases) over every page, this filter
    free: list[FreeVisitor]
    pairs: bool
    can_assign: bool  # coordinators assign from the list; regional and state staff read it
    bands: list[tuple[str, str]] = field(default_factory=lambda: [(lv, ABSENCE_LABELS[lv]) for lv in ABSENCE_PRIORITY])


def free_visitors(*, user, district: District, now: datetime | None = None) -> list[FreeVisitor]:
    """The visitors serving `district` who may take a case there now (the roster's "can take cases now",
    the gate's rule), with their open case load and languages, fewest open cases first. The SQL
    certification state narrows the roster to current certificates before the gate's rule is asked."""
    now = now or timezone.now()
    people = with_certification_state(roster_people(user, RosterFilters(district=district.pk)),
                                      course_code=COURSE_CODE, now=now)
    people = list(people.filter(**{f"{STATE_FIELD}__in": [State.CERTIFIED, State.EXPIRING_SOON]})
                  .select_related("user", "school", "partner", "home_district")
                  .prefetch_related(Prefetch("languages", queryset=Language.objects.order_by("name"))))
    rows = [row for row in roster_rows(people, district_id=district.pk, now=now) if row.can_take_cases]
    load = dict(AssignmentMember.objects.filter(person_id__in=[r.person.pk for r in rows],
                                                assignment__ended_at__isnull=True)
                .values("person_id").annotate(n=Count("pk")).values_list("person_id", "n"))
    free = [FreeVisitor(row=r, open_cases=load.get(r.person.pk, 0), languages=list(r.person.languages.all()))
            for r in rows]
    free.sort(key=lambda f: (f.open_cases, f.person.user.last_name, f.person.user.first_name, f.person.pk))
    return free


def waiting_cases(*, district: District, filters: WaitingFilters) -> QuerySet[StudentCase]:
    """The district's waiting cases the filters ask for, most urgent first (band, then the longest wait)."""
    cases = with_waiting_facts(cases_waiting(StudentCase.objects.filter(district=district)))
    if filters.school is not None:
        cases = cases.filter(school_id=filters.school)
    if filters.band:
        cases = cases.filter(priority=ABSENCE_PRIORITY.index(filters.band))
    if filters.family == "yes":
        cases = cases.filter(family=CaseEvent.Kind.ACCEPTED)
    elif filters.family == "other":
        cases = cases.filter(Q(family__isnull=True) | ~Q(family=CaseEvent.Kind.ACCEPTED))
    return cases.order_by("priority", "waiting_since", "pk")


class _CountedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count  # shadows the cached_property: the band counts already give it


def waiting_page(*, user, district: District, filters: WaitingFilters, now: datetime | None = None
                 ) -> WaitingPage | None:
    """One page of the waiting list of a district in the person's scope (the view picks it as the case
    forms do: the one asked for, else their home district), with the free visitors; None for anyone but
    coordinators and regional or state staff (who read it without the assignment forms). OutOfScope when
    the district or the school asked for is not theirs (the view audits it and answers 404)."""
    if not is_staff_reader(user):
        return None
    now = now or timezone.now()
    scope = scope_for(user)
    if not scope.filter(pk=district.pk).exists():
        raise OutOfScope("district", value=district.pk)
    schools = list(School.objects.filter(district=district).order_by("name"))
    if filters.school is not None and filters.school not in {s.pk for s in schools}:
        raise OutOfScope("school", value=filters.school)
    cases = waiting_cases(district=district, filters=filters)
    by_band = dict(cases.order_by().values("priority").annotate(n=Count("pk")).values_list("priority", "n"))
    total = sum(by_band.values())
    page = _CountedPaginator(cases.select_related("school"), WAITING_PAGE_SIZE, count=total).get_page(filters.page)
    free = free_visitors(user=user, district=district, now=now)
    today = timezone.localdate(now)
    rows = []
    for case in page.object_list:
        speakers = [f for f in free if f.speaks(case.home_language)]
        spoken = {id(f) for f in speakers}
        rows.append(WaitingRow(
            case=case, level=ABSENCE_PRIORITY[case.priority], since=case.waiting_since,
            days=max(0, (today - case.waiting_since).days), next_visit=bool(case.visits_made),
            flagged=case.flagged_at is not None, visits_made=case.visits_made or 0, family=case.family,
            speakers=speakers, visitors=speakers + [f for f in free if id(f) not in spoken]))
    counts = [(level, ABSENCE_LABELS[level], by_band.get(n, 0)) for n, level in enumerate(ABSENCE_PRIORITY)]
    return WaitingPage(district=district, districts=list(scope.order_by("name")), schools=schools,
                       filters=filters, rows=rows, page=page, total=total, counts=counts, free=free,
                       pairs=district_settings(district).visits_in_pairs, can_assign=may_manage_cases(user))


__all__ = ["WAITING_PAGE_SIZE", "FreeVisitor", "WaitingFilters", "WaitingPage", "WaitingRow",
           "cases_unassigned", "cases_waiting", "free_visitors", "waiting_cases", "waiting_page",
           "with_waiting_facts"]
