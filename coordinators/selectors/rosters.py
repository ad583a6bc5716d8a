"""The roster: "who is trained" — the visitors serving the districts in a person's scope, with their
certification state, filters, counts per state and the CSV export rows.

A fixed number of queries whatever the roster's size: states, the status filter, the status sort and
the counts come from SQL (`courses.selectors.with_certification_state`); only the rows shown get their
details from `certification_statuses`.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from coordinators.queries import ROSTER_SORTS, RosterQuery
from coordinators.selectors.access import OutOfScope, is_staff_reader
from coordinators.selectors.eligibility import COURSE_CODE, visit_eligibility
from courses.selectors import (
    STATE_FIELD,
    CertificationStatus,
    State,
    certification_statuses,
    last_activity,
    practice_counts,
    with_certification_state,
)
from hub.exports import ExportRows
from hub.models import District, Partner, Person, School
from hub.queries import query_read
from hub.reasons import describe
from hub.roles import VISITOR
from hub.selectors import scope_for
from hub.text import Folded, normalise_search

PAGE_SIZE = 25
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,19}", re.ASCII)
EXPORT_CHUNK = 2_000


def query_int(value) -> int | None:
    """A whole number from a query-string value, or None (missing, not ASCII digits, out of range)."""
    if isinstance(value, str) and not _WHOLE_NUMBER.fullmatch(value.strip()):
        return None  # "١٢" and "１２" are numbers to int(), not ids; "²" is a ValueError
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    # An id no database column holds is no id (a 30-digit school= was an OverflowError on SQLite).
    return number if number is None or -(2**63) <= number < 2**63 else None


@dataclass
class RosterFilters:
    district: int | None = None
    school: int | None = None
    partner: int | None = None
    status: str | None = None
    q: str = ""
    sort: str = "name"
    page: int = 1

    SORTS = ROSTER_SORTS

    @classmethod
    def from_query(cls, query) -> "RosterFilters":
        """The filters a query string asks for; `hub.queries.BadQuery` (a 400) for a value they cannot take."""
        data = query_read(RosterQuery, query)
        return cls(district=data["district"], school=data["school"], partner=data["partner"],
                   status=data["status"] or None, q=data["q"], sort=data["sort"] or "name", page=data["page"] or 1)

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
    # Why the LEAP 101 state alone does not clear them here: the district's own modules still to finish
    # (the gate's reason, in the coordinator's words), so "Certified" beside "No" is explained.
    district_training: list[str] = field(default_factory=list)


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
    words = normalise_search(filters.q).split()[:4]
    if words:  # each word in the first or the last name, whatever the case and Unicode form (hub.text)
        people = people.alias(first_folded=Folded("user__first_name"), last_folded=Folded("user__last_name"))
    for word in words:
        people = people.filter(Q(first_folded__contains=word) | Q(last_folded__contains=word))
    order = {"-name": ["-user__last_name", "-user__first_name", "-pk"],
             "org": ["school__name", "partner__name", "user__last_name", "user__first_name", "pk"]}
    return people.order_by(*order.get(filters.sort, ["user__last_name", "user__first_name", "pk"]))


def _check_filter_scope(user, filters: RosterFilters) -> None:
    scope = scope_for(user)
    if filters.district is not None and not scope.filter(pk=filters.district).exists():
        raise OutOfScope("district", value=filters.district)
    if filters.school is not None and not School.objects.filter(pk=filters.school, district__in=scope).exists():
        raise OutOfScope("school", value=filters.school)
    if filters.partner is not None and not Partner.objects.filter(pk=filters.partner, districts__in=scope).exists():
        raise OutOfScope("partner", value=filters.partner)


def roster_rows(people: list[Person], *, statuses: dict[int, CertificationStatus] | None = None,
                district_id: int | None = None, now: datetime | None = None) -> list[RosterRow]:
    """Rows for the given people (already fetched with user, school, partner): a fixed 8 queries."""
    now = now or timezone.now()
    ids = [p.pk for p in people]
    if statuses is None or any(pid not in statuses for pid in ids):
        statuses = certification_statuses(people=ids, course_code=COURSE_CODE, now=now)
    activity = last_activity(people=ids)
    practice = practice_counts(people=ids)
    # "Can take cases now" is the assignment gate's own rule, each person in the district asked about
    # (or their home district on a roster of several).
    eligible = visit_eligibility(people=people, district_of={p.pk: district_id or p.home_district_id for p in people},
                                 statuses=statuses, now=now)
    rows = []
    for person in people:
        status = statuses[person.pk]
        rows.append(RosterRow(
            person=person, status=status, last_activity=activity.get(person.pk),
            practice_sessions=practice.get(person.pk, 0),
            can_take_cases=eligible[person.pk].ok,
            district_training=describe([r for r in eligible[person.pk].reasons if r.code == "district_modules_missing"],
                                       about=person.full_name),
            organisation=person.school.name if person.school_id else (person.partner.name if person.partner_id else ""),
        ))
    return rows


def certification_counts(people: QuerySet[Person]) -> dict[str, int]:
    """{state: visitors} for an annotated roster queryset: one GROUP BY query."""
    return dict(people.order_by().values(STATE_FIELD).annotate(n=Count("pk")).values_list(STATE_FIELD, "n"))


class _CountedPaginator(Paginator):
    """A paginator told its count (the per-status counts already give it), so it does not COUNT again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count  # shadows the cached_property


def _with_state(*, user, filters: RosterFilters, now: datetime) -> QuerySet[Person]:
    _check_filter_scope(user, filters)
    return with_certification_state(roster_people(user, filters), course_code=COURSE_CODE, now=now)


def _status_filtered_and_sorted(people: QuerySet[Person], filters: RosterFilters) -> QuerySet[Person]:
    if filters.status:
        people = people.filter(**{STATE_FIELD: filters.status})
    if filters.sort == "status":
        rank = Case(*[When(**{STATE_FIELD: s}, then=Value(n)) for n, s in enumerate(State.ORDER)],
                    output_field=IntegerField())
        people = people.order_by(rank, *people.query.order_by)  # name order within a status
    return people


def roster_matching(*, user, filters: RosterFilters, now: datetime | None = None) -> QuerySet[Person]:
    """The visitors the roster shows (over all its pages) and its CSV export holds, in the roster's order,
    annotated with their certification state (SQL).

    One selector for both, so that the export of a filtered roster is exactly what the roster shows.
    OutOfScope when a filter names a district, school or partner outside the person's scope."""
    people = _with_state(user=user, filters=filters, now=now or timezone.now())
    return _status_filtered_and_sorted(people, filters)


def roster(*, user, filters: RosterFilters, now: datetime | None = None) -> RosterPage:
    """One page of the roster with counts per status: a fixed number of queries, whatever the size.

    States, the status filter, the status sort and the counts come from
    `courses.selectors.with_certification_state` (SQL); the rows shown get their details (modules done,
    certificate, practice) from `certification_statuses` for that page only. The rows are
    `roster_matching`'s (the export's), paged.
    """
    now = now or timezone.now()
    everyone = _with_state(user=user, filters=filters, now=now)
    scope = scope_for(user)
    counts = certification_counts(everyone)
    people = _status_filtered_and_sorted(everyone, filters)
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
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


def roster_export(*, user, filters: RosterFilters, now: datetime | None = None) -> ExportRows:
    """Every roster row matching the filters (`roster_matching`), how many, and the districts whose people
    they are, for the CSV export: the rows come in chunks (bounded memory).

    A visitor is a person of their home district and, through their partner, of each district it
    serves among those the export covers (the filtered district, else the person's scope)."""
    now = now or timezone.now()
    people = roster_matching(user=user, filters=filters, now=now)
    found = list(people.values_list("pk", "home_district_id", "partner_id"))
    ids = [pid for pid, _, _ in found]
    covered = [filters.district] if filters.district is not None else list(scope_for(user).values_list("pk", flat=True))
    partners = {partner for _, _, partner in found if partner}
    districts = {home for _, home, _ in found if home}
    if partners:
        districts |= set(Partner.districts.through.objects.filter(partner_id__in=partners, district_id__in=covered)
                         .values_list("district_id", flat=True))

    def rows():
        for start in range(0, len(ids), EXPORT_CHUNK):
            chunk = ids[start:start + EXPORT_CHUNK]
            by_id = {p.pk: p for p in Person.objects.filter(pk__in=chunk).select_related(
                "user", "school", "partner", "home_district")}
            statuses = certification_statuses(people=chunk, course_code=COURSE_CODE, now=now)
            yield from roster_rows([by_id[pid] for pid in chunk if pid in by_id], statuses=statuses,
                                   district_id=filters.district, now=now)

    return ExportRows(rows=rows(), count=len(ids), districts=frozenset(districts))


def roster_person(*, user, person_id: int) -> RosterRow | None:
    """One visitor's roster row, or None when they are not on this person's roster."""
    person = roster_people(user).filter(pk=person_id).select_related(
        "user", "school", "partner", "home_district").first()
    return roster_rows([person])[0] if person else None
