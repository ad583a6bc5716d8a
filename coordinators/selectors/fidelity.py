"""Fidelity: is the program run the way it is meant to be? Every measure per district and per school,
against the targets the state sets (`FidelityTargets`), with its drift (this month against the three
before it), in SQL.

What each measure counts (the Hub's records; the page says the same):

- **Days to first contact**: from the day the case was referred (the day it was entered in the Hub,
  `StudentCase.created_at`) to the first contact with the family: the first recorded family choice
  (`CaseEvent`: offered, accepted, declined) or the first visit log of any kind that reached the
  family (an attempted visit, "family not home", is no contact), whichever came first. Average over
  the cases whose first contact fell in the month(s); a contact logged before the referral counts 0.
- **Days to the first visit**: from the referral to the first visit as the impact table defines it
  (`impact.first_visit_of`: the first home visit, else the first contact made). Cases whose first
  visit fell in the month(s).
- **Two or more visits**: of the cases whose first visit fell in the month(s), the share with two or
  more home visits (kind "home visit", in any place) so far: a case first visited recently may not
  have had its second visit yet, so the latest months read low.
- **Visits in pairs**, **in person**: of the home visits made in the month(s), the share with two or
  more visitors recorded, and the share at home, at school or in a community place.
- **Follow-up between visits**: of the contacts (visits and calls, attempts excluded) that followed an
  earlier contact on the same case, the share made within `follow_up_days` (a target) of it.
- **Families offered**, **accepting**: of the cases referred in the month(s), the share whose family
  was offered a visit (any recorded choice, or a contact made); of those, the share that accepted (an
  "accepted" choice, or a contact made).
- **Referrals made**, **connected**: referrals to a resource from the visits of the month(s), and the
  share recorded as connected (a pending one counts as not connected yet).
- **Visitors with a current certificate**: visitors (the Visitor role) based in the district (their
  home district; partner staff count where their profile says they are based) or the school, holding
  a current LEAP 101 certificate now (`courses.selectors.with_certification_state`: certified or
  expiring soon). The Hub keeps no history of the state, so it has no drift.

Every average and share over fewer than 20 cases, visits or people, and a count of 1-5, shows as
"too few to show" (`suppression`), an empty one too: never a number. Drift is this month (the
period's last month) against the three months before it pooled, shown only when both sides may be.

How it is computed: four queries over the data (cases, visits, referrals, visitors), each one GROUP
BY school of conditional aggregates (one column per measure and month bucket) over a derived table of
one row per case, contact, referral or visitor. Cases are joined to their visits and choices each
aggregated per case in one pass (`impact.first_visit_day`, the first visit's rule as an aggregate);
each contact's previous one is a window (LAG over the case's contacts by number); the visitors of a
home visit are counted only for the months asked. Python only adds the schools up into their districts
and the scope. The number of queries is fixed whatever the data (tests pin it).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Min, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, Lag, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordinators.models import CaseEvent, FidelityTargets, Referral, StudentCase, Visit
from coordinators.months import month_add
from coordinators.selectors.eligibility import COURSE_CODE
from coordinators.selectors.impact import TOO_FEW, ImpactScope, Period, first_visit_day
from coordinators.selectors.suppression import count_too_small, group_too_small
from courses.selectors import State, with_certification_state
from hub.models import District, Person, School
from hub.roles import STATE_STAFF, VISITOR, has_role

FIDELITY_DEFAULT_MONTHS = 12
DRIFT_MONTHS = 3
CURRENT_STATES = (State.CERTIFIED, State.EXPIRING_SOON)


def may_set_fidelity_targets(user) -> bool:
    """State staff (and superusers) set the state's targets; nobody else, whatever their scope."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or has_role(user, STATE_STAFF)))


def fidelity_targets() -> FidelityTargets:
    """The state's targets: the saved row, else the defaults (an unsaved row)."""
    return FidelityTargets.objects.order_by("pk").first() or FidelityTargets()


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    kind: str  # "days" (an average, lower is better), "share" (percent, higher is better), "count"
    target_field: str | None
    definition: str

    @property
    def lower_is_better(self) -> bool:
        return self.kind == "days"


MEASURES = (
    Measure("first_contact", gettext_lazy("Days from referral to first contact"), "days", "first_contact_days",
            gettext_lazy("Average days from the referral to the first recorded family choice or contact made "
                         "(attempted visits do not count), for cases first contacted in the month.")),
    Measure("first_visit", gettext_lazy("Days from referral to the first visit"), "days", "first_visit_days",
            gettext_lazy("Average days from the referral to the first visit (the first home visit, else the first "
                         "contact made), for cases first visited in the month.")),
    Measure("two_visits", gettext_lazy("Cases with two or more visits"), "share", "two_visits_share",
            gettext_lazy("Of the cases first visited in the month, the share with two or more home visits so far "
                         "(recent months read low: a second visit may still come).")),
    Measure("pairs", gettext_lazy("Visits made in pairs"), "share", "pairs_share",
            gettext_lazy("Of the home visits made in the month, the share with two or more visitors recorded.")),
    Measure("in_person", gettext_lazy("Visits in person"), "share", "in_person_share",
            gettext_lazy("Of the home visits made in the month, the share at home, at school or in a community "
                         "place (not virtual or by phone).")),
    Measure("follow_up", gettext_lazy("Follow-up between visits"), "share", "follow_up_share",
            gettext_lazy("Of the visits and calls that followed an earlier contact on the same case, the share "
                         "made within the target's number of days of it.")),
    Measure("offered", gettext_lazy("Families offered a visit"), "share", "offered_share",
            gettext_lazy("Of the cases referred in the month, the share whose family was offered a visit (a "
                         "recorded choice, or a contact made).")),
    Measure("accepted", gettext_lazy("Families offered who accept"), "share", "accepted_share",
            gettext_lazy("Of those families, the share that said yes (an “accepted” choice, or a contact made).")),
    Measure("referrals", gettext_lazy("Referrals made"), "count", None,
            gettext_lazy("Referrals to a resource recorded on the visits of the month (no target: a count).")),
    Measure("connected", gettext_lazy("Referrals connected"), "share", "connected_share",
            gettext_lazy("Of those referrals, the share recorded as connected to the service (pending ones count "
                         "as not yet).")),
    Measure("certified", gettext_lazy("Visitors with a current certificate"), "share", "certified_share",
            gettext_lazy("Of the visitors based in the district or school, the share holding a current LEAP 101 "
                         "certificate today. The Hub keeps no history of this, so it shows no drift.")),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)
BUCKETS = ("p", "m0", "m1", "m2", "m3")  # the period, its last month, and the three months before it


@dataclass
class Figure:
    """n and a total: an average (days), a share (percent) or a count, hidden under the small-cell rule."""

    kind: str
    n: int = 0
    total: float = 0.0

    def add(self, n, total) -> None:
        self.n += int(n or 0)
        self.total += float(total or 0)

    @property
    def hidden(self) -> bool:
        if self.kind == "count":
            return count_too_small(self.n)
        return group_too_small(self.n)

    @property
    def value(self) -> float | None:
        if self.hidden:
            return None
        if self.kind == "count":
            return float(self.n)
        return self.total / self.n if self.kind == "days" else 100.0 * self.total / self.n

    @property
    def text(self) -> str:
        if self.hidden:
            return str(TOO_FEW)
        if self.kind == "count":
            return f"{self.n:,}"
        return f"{self.value:.1f}" + ("%" if self.kind == "share" else "")


@dataclass
class FidelityCell:
    """One measure for one district, school or the whole scope: the period's figure against its target,
    and this month's against the three months before it."""

    measure: Measure
    period: Figure
    now: Figure
    before: Figure
    target: int | None
    has_drift: bool = True

    @property
    def met(self) -> bool | None:
        if self.target is None or self.period.hidden:
            return None
        if self.measure.lower_is_better:
            return self.period.value <= self.target
        return self.period.value >= self.target

    @property
    def met_text(self) -> str:
        return {True: _("met"), False: _("not met"), None: "" if self.target is None else str(TOO_FEW)}[self.met]

    @property
    def drift(self) -> float | None:
        if not self.has_drift or self.now.hidden or self.before.hidden:
            return None
        if self.measure.kind == "count":
            return self.now.n - self.before.n / DRIFT_MONTHS
        return self.now.value - self.before.value

    @property
    def drift_text(self) -> str:
        if not self.has_drift:
            return _("no history")
        drift = self.drift
        if drift is None:
            return str(TOO_FEW)
        return f"{drift:+.1f}"

    @property
    def drift_direction(self) -> str:
        """"better", "worse" or "" (no change, no target, or nothing to compare)."""
        drift = self.drift
        if drift is None or self.target is None or abs(drift) < 0.05:
            return ""
        return "better" if (drift < 0) == self.measure.lower_is_better else "worse"

    @property
    def before_text(self) -> str:
        if not self.has_drift:
            return _("no history")
        if self.measure.kind == "count":
            return str(TOO_FEW) if self.before.hidden else f"{self.before.n / DRIFT_MONTHS:.1f}"
        return self.before.text


@dataclass
class FidelityUnit:
    key: str  # "scope", "district:<id>", "school:<id>"
    level: str  # "scope", "district", "school"
    label: str
    district: str
    cells: dict[str, FidelityCell] = field(default_factory=dict)


@dataclass
class FidelityReport:
    scope: ImpactScope
    period: Period
    targets: FidelityTargets
    measures: tuple[Measure, ...]
    overall: FidelityUnit
    districts: list[FidelityUnit]
    schools: list[FidelityUnit]
    this_month: date
    months_before: tuple[date, ...]

    @property
    def units(self) -> list[FidelityUnit]:
        """The rows of each small multiple: the schools of one district, else the districts."""
        return self.schools if self.scope.kind == "district" else self.districts

    @property
    def unit_title(self) -> str:
        return _("School") if self.scope.kind == "district" else _("District")


# -- SQL -----------------------------------------------------------------------------------------------

def _days(later: str, earlier: str) -> str:
    """Whole days from one date column to another, never below 0."""
    if connection.vendor == "postgresql":
        diff = f"({later} - {earlier})"
    else:
        diff = f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"(CASE WHEN {diff} < 0 THEN 0 ELSE {diff} END)"


def _date_param(day: date):
    return day if connection.vendor == "postgresql" else day.isoformat()


class _Aggregates:
    """The SELECT list of one grouped query: (name, SQL, params) for every measure and bucket."""

    def __init__(self, bounds: dict[str, tuple[date, date]]):
        self.bounds = bounds
        self.selects: list[str] = []
        self.params: list = []
        self.names: list[str] = []

    def within(self, column: str, bucket: str) -> tuple[str, list]:
        low, high = self.bounds[bucket]
        return f"{column} >= %s AND {column} < %s", [_date_param(low), _date_param(high)]

    def add(self, measure: str, anchor: str, *, counted: str = "1=1", value: str = "1",
            numerator: str | None = None, counted_params: list | None = None,
            numerator_params: list | None = None):
        """n: rows with `anchor` in the bucket (and `counted`); total: the sum of `value` over them, or the
        number of them where `numerator` holds."""
        counted_params, numerator_params = counted_params or [], numerator_params or []
        for bucket in BUCKETS:
            inside, bound = self.within(anchor, bucket)
            self.selects.append(f"SUM(CASE WHEN {inside} AND ({counted}) THEN 1 ELSE 0 END)")
            self.params += bound + counted_params
            if numerator is not None:
                self.selects.append(f"SUM(CASE WHEN {inside} AND ({counted}) AND ({numerator}) THEN 1 ELSE 0 END)")
                self.params += bound + counted_params + numerator_params
            else:
                self.selects.append(f"SUM(CASE WHEN {inside} AND ({counted}) THEN {value} ELSE 0 END)")
                self.params += bound + counted_params
            self.names += [f"n_{measure}_{bucket}", f"s_{measure}_{bucket}"]


def _grouped(inner, aggregates: _Aggregates) -> list[dict]:
    """Rows of `inner` (a values() queryset with school_key and district_key) grouped by school: one query."""
    sql, params = inner.query.sql_with_params()
    return _grouped_sql(sql, list(params), aggregates)


def _grouped_sql(sql: str, params: list, aggregates: _Aggregates) -> list[dict]:
    """The rows of a derived table (`sql`, with school_key and district_key) grouped by school. The
    OFFSET fence keeps the database from folding the derived table into the outer query (which would
    evaluate each correlated subquery once per aggregate that reads it)."""
    fence = " LIMIT -1 OFFSET 0" if connection.vendor == "sqlite" else " OFFSET 0"
    query = (f"SELECT school_key, district_key, {', '.join(aggregates.selects)} FROM ({sql}{fence}) rows_ "
             "GROUP BY school_key, district_key")
    with connection.cursor() as cursor:
        cursor.execute(query, [*aggregates.params, *params])
        names = ["school_key", "district_key", *aggregates.names]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def _case_rows(district_ids: list[int], before: date, bounds) -> list[dict]:
    """One row per case referred before `before`, joined to its visits and its family's choices each
    aggregated per case in one pass (no per-case subquery), then grouped by school."""
    end = timezone.make_aware(datetime.combine(before, time.min))
    cases = (StudentCase.objects.filter(district_id__in=district_ids, created_at__lt=end).order_by()
             .annotate(case_key=F("pk"), school_key=F("school_id"), district_key=F("district_id"),
                       ref_day=TruncDate("created_at"))
             .values("case_key", "school_key", "district_key", "ref_day"))
    made = ~Q(kind=Visit.Kind.ATTEMPTED)
    visits = (Visit.objects.filter(case__district_id__in=district_ids, visited_on__lt=before).order_by()
              .values("case_id")
              .annotate(first_visit=first_visit_day(), first_made=Min("visited_on", filter=made),
                        home_visits=Count("pk", filter=Q(kind=Visit.Kind.HOME_VISIT)),
                        contacts=Count("pk", filter=made))
              .values("case_id", "first_visit", "first_made", "home_visits", "contacts"))
    events = (CaseEvent.objects.filter(case__district_id__in=district_ids, at__lt=end).order_by()
              .values("case_id")
              .annotate(first_event=Min(TruncDate("at")), choices=Count("pk"),
                        yes=Count("pk", filter=Q(kind=CaseEvent.Kind.ACCEPTED)))
              .values("case_id", "first_event", "choices", "yes"))
    (c_sql, c_params), (v_sql, v_params), (e_sql, e_params) = _sql(cases), _sql(visits), _sql(events)
    joined = (f"SELECT c.school_key, c.district_key, c.ref_day, v.first_visit, v.first_made, "
              f"COALESCE(v.home_visits, 0) AS home_visits, COALESCE(v.contacts, 0) AS contacts, e.first_event, "
              f"COALESCE(e.choices, 0) AS choices, COALESCE(e.yes, 0) AS yes "
              f"FROM ({c_sql}) c LEFT JOIN ({v_sql}) v ON v.case_id = c.case_key "
              f"LEFT JOIN ({e_sql}) e ON e.case_id = c.case_key")
    contact = ("(CASE WHEN first_event IS NULL THEN first_made WHEN first_made IS NULL THEN first_event "
               "WHEN first_made < first_event THEN first_made ELSE first_event END)")
    a = _Aggregates(bounds)
    a.add("first_contact", contact, value=_days(contact, "ref_day"))
    a.add("first_visit", "first_visit", value=_days("first_visit", "ref_day"))
    a.add("two_visits", "first_visit", numerator="home_visits >= 2")
    a.add("offered", "ref_day", numerator="choices > 0 OR contacts > 0")
    a.add("accepted", "ref_day", counted="choices > 0 OR contacts > 0", numerator="yes > 0 OR contacts > 0")
    return _grouped_sql(joined, c_params + v_params + e_params, a)


def _visit_rows(district_ids: list[int], low: date, high: date, bounds, follow_up_days: int) -> list[dict]:
    """One row per contact (attempts excluded) of the scope before `high`, with the day of the case's
    contact before it (a window over the case's contacts in order) and, for the home visits of the
    months asked, how many visitors went; grouped by school."""
    through = Visit.attendees.through
    visitors = Subquery(through.objects.filter(visit_id=OuterRef("pk")).order_by().values("visit_id")
                        .annotate(n=Count("pk")).values("n"))
    counted = Q(kind=Visit.Kind.HOME_VISIT, visited_on__gte=low)
    inner = (Visit.objects.filter(case__district_id__in=district_ids, visited_on__lt=high)
             .exclude(kind=Visit.Kind.ATTEMPTED).order_by()
             .annotate(school_key=F("case__school_id"), district_key=F("case__district_id"),
                       visitors=Case(When(counted, then=Coalesce(visitors, Value(0))), default=Value(0),
                                     output_field=IntegerField()),
                       previous_on=Window(Lag("visited_on"), partition_by=[F("case_id")],
                                          order_by=[F("number").asc()]))
             .values("school_key", "district_key", "visited_on", "kind", "place", "visitors", "previous_on"))
    a = _Aggregates(bounds)
    home = [Visit.Kind.HOME_VISIT.value]
    places = ", ".join(["%s"] * len(Visit.IN_PERSON))
    a.add("pairs", "visited_on", counted="kind = %s", numerator="visitors >= 2", counted_params=home)
    # in person: the place is a parameter list after the kind's.
    for bucket in BUCKETS:
        inside, bound = a.within("visited_on", bucket)
        a.selects.append(f"SUM(CASE WHEN {inside} AND kind = %s AND place IN ({places}) THEN 1 ELSE 0 END)")
        a.params += bound + home + [str(p) for p in Visit.IN_PERSON]
        a.names.append(f"s_in_person_{bucket}")
    a.add("follow_up", "visited_on", counted="previous_on IS NOT NULL",
          numerator=f"{_days('visited_on', 'previous_on')} <= %s", numerator_params=[int(follow_up_days)])
    rows = _grouped(inner, a)
    for row in rows:  # in person shares the home visits' count with pairs
        for bucket in BUCKETS:
            row[f"n_in_person_{bucket}"] = row[f"n_pairs_{bucket}"]
    return rows


def _referral_rows(district_ids: list[int], low: date, high: date, bounds) -> list[dict]:
    inner = (Referral.objects.filter(visit__case__district_id__in=district_ids, visit__visited_on__gte=low,
                                     visit__visited_on__lt=high).order_by()
             .annotate(school_key=F("visit__case__school_id"), district_key=F("visit__case__district_id"),
                       made_on=F("visit__visited_on"))
             .values("school_key", "district_key", "made_on", "outcome"))
    a = _Aggregates(bounds)
    a.add("connected", "made_on", numerator="outcome = %s", numerator_params=[Referral.Outcome.CONNECTED.value])
    rows = _grouped(inner, a)
    for row in rows:  # referrals made: the count of the same rows
        for bucket in BUCKETS:
            row[f"n_referrals_{bucket}"] = row[f"n_connected_{bucket}"]
            row[f"s_referrals_{bucket}"] = 0
    return rows


def _visitor_rows(district_ids: list[int]) -> list[dict]:
    """Visitors per (home district, school) and how many hold a current certificate now: one GROUP BY
    over the courses app's SQL rule (two small queries for the course and its modules)."""
    people = with_certification_state(
        Person.objects.filter(user__groups__name=VISITOR, home_district_id__in=district_ids),
        course_code=COURSE_CODE)
    rows = (people.order_by().values("home_district_id", "school_id")
            .annotate(n=Count("pk"), current=Count("pk", filter=Q(leap_state__in=CURRENT_STATES))))
    return [{"school_key": r["school_id"], "district_key": r["home_district_id"],
             "n_certified_p": r["n"], "s_certified_p": r["current"]} for r in rows]


def fidelity_report(*, scope: ImpactScope, period: Period) -> FidelityReport:
    """Every measure per district and school of the scope over the period, against the state's targets,
    with this month's drift: a fixed number of queries, whatever the number of cases or visits."""
    targets = fidelity_targets()
    last = period.last
    bounds = {"p": (period.first, month_add(last, 1)), "m0": (last, month_add(last, 1))}
    for k in range(1, DRIFT_MONTHS + 1):
        bounds[f"m{k}"] = (month_add(last, -k), month_add(last, 1 - k))
    low = min(period.first, bounds[f"m{DRIFT_MONTHS}"][0])
    high = bounds["p"][1]
    ids = scope.district_ids
    districts = dict(District.objects.filter(pk__in=ids).values_list("pk", "name"))
    schools = {pk: (name, district_id) for pk, name, district_id in
               School.objects.filter(district_id__in=ids).values_list("pk", "name", "district_id")}
    rows = (_case_rows(ids, high, bounds) + _visit_rows(ids, low, high, bounds, targets.follow_up_days)
            + _referral_rows(ids, low, high, bounds) + _visitor_rows(ids))

    def unit(key, level, label, district=""):
        made = FidelityUnit(key, level, label, district)
        for m in MEASURES:
            target = getattr(targets, m.target_field) if m.target_field else None
            made.cells[m.key] = FidelityCell(m, Figure(m.kind), Figure(m.kind), Figure(m.kind), target,
                                             has_drift=m.key != "certified")
        return made

    overall = unit("scope", "scope", scope.label)
    by_district = {pk: unit(f"district:{pk}", "district", name, name) for pk, name in districts.items()}
    by_school = {pk: unit(f"school:{pk}", "school", name, districts.get(district_id, ""))
                 for pk, (name, district_id) in schools.items()}
    for row in rows:
        targets_of = [overall, by_district.get(row["district_key"])]
        if row["school_key"] is not None:
            targets_of.append(by_school.get(row["school_key"]))
        for m in MEASURES:
            for bucket in BUCKETS:
                n = row.get(f"n_{m.key}_{bucket}")
                if n is None:
                    continue
                total = row.get(f"s_{m.key}_{bucket}")
                for u in targets_of:
                    if u is None:
                        continue
                    cell = u.cells[m.key]
                    figure = {"p": cell.period, "m0": cell.now}.get(bucket, cell.before)
                    figure.add(n, total)
    return FidelityReport(
        scope=scope, period=period, targets=targets, measures=MEASURES, overall=overall,
        districts=sorted(by_district.values(), key=lambda u: u.label),
        schools=sorted(by_school.values(), key=lambda u: (u.district, u.label)),
        this_month=last, months_before=tuple(bounds[f"m{k}"][0] for k in range(1, DRIFT_MONTHS + 1)))


# -- the same figures as rows (the CSV) ------------------------------------------------------------------

FIDELITY_CSV_HEADER = ["level", "district", "school", "measure", "unit", "target", "value", "n", "target_met",
                       "this_month", "previous_three_months", "drift"]


def fidelity_rows(report: FidelityReport) -> list[list]:
    """Scope, district and school rows, each measure a line; hidden cells say "too few to show"."""
    lines = []
    for u in [report.overall, *report.districts, *report.schools]:
        for m in report.measures:
            c = u.cells[m.key]
            hidden = c.period.hidden
            lines.append([
                u.level, u.district if u.level != "scope" else u.label, u.label if u.level == "school" else "",
                str(m.title), {"days": _("days (average)"), "share": "%", "count": _("count")}[m.kind],
                "" if c.target is None else c.target,
                str(TOO_FEW) if hidden else (c.period.n if m.kind == "count" else round(c.period.value, 1)),
                str(TOO_FEW) if hidden else c.period.n, c.met_text,
                c.now.text if c.has_drift else _("no history"), c.before_text, c.drift_text])
    return lines


__all__ = ["FIDELITY_CSV_HEADER", "FIDELITY_DEFAULT_MONTHS", "MEASURES", "MEASURE_KEYS", "FidelityCell",
           "FidelityReport", "FidelityUnit", "Figure", "Measure", "fidelity_report", "fidelity_rows",
           "fidelity_targets", "may_set_fidelity_targets"]
