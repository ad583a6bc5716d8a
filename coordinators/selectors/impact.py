"""Does it make a difference? The impact table: attendance change after the first visit, in SQL.

The measure (the program's evaluation, DOMAIN.md): a student's attendance rate in month 1, 3, 6 and 9
after the month of the first visit, against their rate over the (up to) three months before it, in
percentage points. The first visit is the first home visit, else the first contact that was made (an
attempted visit does not count) — `first_visit_of`, the one definition the case page, the dashboard and
this table share.

How it is computed: one row per student is never brought into Python. Each student's rates are
correlated subqueries over `AttendanceMonth`, each a range on its (case, month) index from the month
of the first visit (`MonthStart`: date_trunc on PostgreSQL, date() on SQLite); the database groups the
students by every breakdown key at once and returns, per group and horizon, the number of students, the sum of
their changes and the sum of squares. Python only merges those groups (bounded by the number of
categories, not of students) into each breakdown, so a page costs a constant number of queries.

Stored, not live (issue 16): at 100,000 students those subqueries take seconds, so the page reads each
student's figures as `coordinators.services.impact_summary_refresh` stored them (`ImpactStudent`: the
same SQL, `impact_student_rows`, written as cases, visits and attendance change and every hour), one
grouped query for every breakdown at once (`_groups_stored`); `impact_table(live=True)` still computes
the table from the source tables (`_groups_live`), and the known-answer test checks the two agree.

The comparison: referred students who were never visited (the family declined, or they are still
waiting), with the month of referral standing in for the month of the first visit. Served and
comparison students are matched on grade band and prior attendance band; the difference in
differences is the served students' change minus the comparison students' change in the same cell,
weighted by the number of served students in each cell. It is an estimate: families who decline or
wait may differ in ways the bands do not capture, so it is no causal claim, and the page says so.

Confidence intervals: mean ± 1.96 · sd / √n (normal approximation); for the difference in differences
the variances of the cell means add. Every cell under the small-group rule (`suppression`) shows as
"too few to show", and so does an empty one.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordinators.models import (
    IMPACT_GRADE_BANDS,
    AttendanceMonth,
    CaseStatus,
    StudentCase,
    Visit,
)
from coordinators.months import BadMonth, month_add, month_from_index, month_index, month_parse
from coordinators.selectors.access import OutOfScope, is_staff_reader
from coordinators.selectors.suppression import group_too_small
from hub.models import District, Region
from hub.selectors import scope_for

HORIZONS = (1, 3, 6, 9)
BASELINE_MONTHS = 3
CHART_OFFSETS = tuple(range(-BASELINE_MONTHS, 10))  # months since the first visit's month, 0 included
Z95 = 1.96
MAX_PERIOD_MONTHS = 120
DEFAULT_PERIOD_MONTHS = 36
TOO_FEW = gettext_lazy("too few to show")

# Families who said no, and students still waiting for a first visit, are the comparison group.
WAITING = (CaseStatus.REFERRED, CaseStatus.OFFERED, CaseStatus.ACCEPTED, CaseStatus.ASSIGNED)
COMPARISON_STATUSES = (CaseStatus.DECLINED, *WAITING)

PRIOR_BANDS = (("satisfactory", gettext_lazy("Satisfactory (under 5% absent)")),
               ("at_risk", gettext_lazy("At risk (5–9% absent)")),
               ("chronic", gettext_lazy("Chronically absent (10–19%)")),
               ("severe", gettext_lazy("Severely chronically absent (20% or more)")))


# -- the period and the scope --------------------------------------------------------------------------

class BadImpactQuery(ValueError):
    """A period or scope that cannot be read: `field` names the parameter, the message says why."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Period:
    """First visits (or, for the comparison, referrals) from the first day of `first` to the end of `last`."""

    first: date
    last: date

    @property
    def label(self) -> str:
        return f"{self.first:%Y-%m} – {self.last:%Y-%m}"


def period_read(first: str | date | None, last: str | date | None, *, today: date | None = None,
                default_months: int = DEFAULT_PERIOD_MONTHS) -> Period:
    """The period asked for (YYYY-MM each); empty `last` is this month, empty `first` `default_months`
    (36) months before it. BadImpactQuery for a month that is none, `first` after `last`, or more than ten
    years. The fidelity page reads its period here too (12 months by default)."""
    this_month = (today or timezone.localdate()).replace(day=1)

    def read(value, name):
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value.replace(day=1)
        try:
            return month_parse(value)
        except BadMonth as exc:
            raise BadImpactQuery(name, str(exc)) from None

    end = read(last, "to") or this_month
    start = read(first, "from") or month_add(end, -(default_months - 1))
    if start > end:
        raise BadImpactQuery("to", _("The period ends (%(to)s) before it starts (%(from)s).")
                             % {"to": f"{end:%Y-%m}", "from": f"{start:%Y-%m}"})
    if month_index(end) - month_index(start) + 1 > MAX_PERIOD_MONTHS:
        raise BadImpactQuery("to", _("Choose a period of at most ten years (120 months)."))
    return Period(start, end)


@dataclass
class ImpactScope:
    kind: str  # "state", "region" or "district"
    key: str  # "state", "region:<id>", "district:<id>"
    label: str
    districts: QuerySet[District]
    district_ids: list[int]


def _scope_words(text: str) -> tuple[str, int | None]:
    value = (text or "").strip()
    if value == "state":
        return "state", None
    kind, sep, number = value.partition(":")
    if sep and kind in ("region", "district") and number.isascii() and number.isdigit() and len(number) <= 18:
        return kind, int(number)
    raise BadImpactQuery("scope", _("Write the scope as state, region:<id> or district:<id> (got %(value)s).")
                         % {"value": repr(value[:30])})


def scope_read(text: str | None, *, user=None) -> ImpactScope:
    """The districts a scope names, as `user` may see them (None: the operator's command, everything).

    BadImpactQuery for a string that is no scope; OutOfScope (a 404, audited) for a region or district
    that does not exist or that the person may not see whole, and for "state" asked by someone who does
    not see every district."""
    if user is not None and not is_staff_reader(user):
        raise OutOfScope("district")
    visible = District.objects.all() if user is None else scope_for(user)
    if text in (None, ""):
        text = _default_scope(user, visible)
    kind, number = _scope_words(text)
    if kind == "state":
        if user is not None and visible.count() != District.objects.count():
            raise OutOfScope("district")
        districts = District.objects.all()
        label = _("the state (all districts)")
    elif kind == "region":
        region = Region.objects.filter(pk=number).first()
        districts = District.objects.filter(region_id=number)
        if region is None or (user is not None and districts.exclude(pk__in=visible.values("pk")).exists()):
            raise OutOfScope("district")
        label = _("the %(region)s region") % {"region": region.name}
    else:
        district = visible.filter(pk=number).first()
        if district is None:
            raise OutOfScope("district", value=number)
        districts = District.objects.filter(pk=number)
        label = district.name
    ids = list(districts.order_by("name").values_list("pk", flat=True))
    key = "state" if kind == "state" else f"{kind}:{number}"
    return ImpactScope(kind, key, label, District.objects.filter(pk__in=ids), ids)


def _default_scope(user, visible) -> str:
    """State staff see the state, regional staff their region, a coordinator their district."""
    if user is None or visible.count() == District.objects.count():
        return "state"
    person = getattr(user, "person", None)
    if person is not None and person.region_id and not District.objects.filter(
            region_id=person.region_id).exclude(pk__in=visible.values("pk")).exists():
        return f"region:{person.region_id}"
    if person is not None and person.home_district_id and visible.filter(pk=person.home_district_id).exists():
        return f"district:{person.home_district_id}"
    first = visible.order_by("name").values_list("pk", flat=True).first()
    if first is None:
        raise OutOfScope("district")
    return f"district:{first}"


def scope_choices(user) -> list[tuple[str, str]]:
    """The scopes a person may choose on the page: the state (if theirs), whole regions, districts."""
    visible = scope_for(user)
    districts = list(visible.select_related("region").order_by("name"))
    choices = []
    if len(districts) == District.objects.count():
        choices.append(("state", _("The state (all districts)")))
    seen = {d.pk for d in districts}
    regions = {}
    for d in District.objects.select_related("region").order_by("region__name"):
        regions.setdefault(d.region, []).append(d.pk)
    for region, ids in regions.items():
        if all(i in seen for i in ids) and len(ids) > 0:
            choices.append((f"region:{region.pk}", _("Region: %(name)s") % {"name": region.name}))
    choices += [(f"district:{d.pk}", _("District: %(name)s") % {"name": d.name}) for d in districts]
    return choices


# -- the per-student figures, as SQL expressions ------------------------------------------------------

def first_visit_of(case_ref) -> QuerySet[Visit]:
    """The case's visits that count for attendance change, the one that counts first: the first home
    visit, else the first contact made (attempted visits never count)."""
    return (Visit.objects.filter(case_id=case_ref).exclude(kind=Visit.Kind.ATTEMPTED)
            .annotate(home_first=Case(When(kind=Visit.Kind.HOME_VISIT, then=Value(0)), default=Value(1),
                                      output_field=IntegerField()))
            .order_by("home_first", "visited_on", "number"))


def first_visit_day():
    """`first_visit_of`'s rule as an aggregate over a case's visits (GROUP BY case): the day of the first
    home visit, else of the first contact made — for reading many cases in one pass (the fidelity page)."""
    return Coalesce(Min("visited_on", filter=Q(kind=Visit.Kind.HOME_VISIT)),
                    Min("visited_on", filter=~Q(kind=Visit.Kind.ATTEMPTED)))


class MonthStart(Func):
    """The first day of the month `offset` months from a date's month (a date, so that the index on
    (case, month) of AttendanceMonth answers each student's rates with a range scan)."""

    output_field = DateField()

    def __init__(self, expression, offset: int):
        self.offset = int(offset)
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=(
            f"CAST(date_trunc('month', %(expressions)s) + interval '{self.offset} months' AS date)"), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=(
            f"date(%(expressions)s, 'start of month', '{self.offset:+d} months')"), **extra)


def _rate(case_ref, zero_ref, start: int, stop: int):
    """Attendance rate (percent) over the months zero+start .. zero+stop-1 (days pooled); NULL if none."""
    enrolled = Sum("days_enrolled")
    months = (Q(month=MonthStart(zero_ref, start)) if stop == start + 1
              else Q(month__gte=MonthStart(zero_ref, start), month__lt=MonthStart(zero_ref, stop)))
    rows = (AttendanceMonth.objects.filter(case_id=case_ref).order_by()
            .filter(months)
            .values("case_id")
            .annotate(rate=Cast(enrolled - Sum("days_absent"), FloatField()) * Value(100.0)
                      / NullIf(Cast(enrolled, FloatField()), Value(0.0)))
            .values("rate"))
    return Subquery(rows, output_field=FloatField())


def _grade_band(path: str):
    return Case(*[When(**{f"{path}grade__in": grades}, then=Value(code)) for code, _l, grades in IMPACT_GRADE_BANDS],
                default=Value(""))


# The prior attendance band of the baseline rate (`coordinators.models.absence_level`'s bands: under 5%
# absent is a rate over 95, and so on), computed over the per-student rows (`_grouped`).
PRIOR_BAND_SQL = ("CASE WHEN base > 95 THEN 'satisfactory' WHEN base > 90 THEN 'at_risk' "
                  "WHEN base > 80 THEN 'chronic' WHEN base IS NOT NULL THEN 'severe' ELSE '' END")


def _cohort(zero: str):
    """School-year cohort of a month: July and August are that summer's cohort (code year·10 + 1),
    September to June the school year starting in September (year·10)."""
    year = ExtractYear(zero)
    return Case(When(**{f"{zero}__month__in": (7, 8)}, then=year * 10 + 1),
                When(**{f"{zero}__month__gte": 9}, then=year * 10),
                default=(year - 1) * 10, output_field=IntegerField())


def _per_student(queryset, *, case: str, zero: str, case_ref, zero_ref):
    """Each student's rates: the baseline, each month of the chart, and the change at each horizon."""
    rates = {"base": _rate(case_ref, zero_ref, -BASELINE_MONTHS, 0)}
    for offset in CHART_OFFSETS:
        rates[f"m{offset + BASELINE_MONTHS}"] = _rate(case_ref, zero_ref, offset, offset + 1)
    queryset = queryset.annotate(**rates)
    return queryset.annotate(band=_grade_band(case), cohort=_cohort(zero), el=F(f"{case}english_learner"),
                             district_key=F(f"{case}district_id"))


RATE_COLUMNS = ["base"] + [f"m{offset + BASELINE_MONTHS}" for offset in CHART_OFFSETS]


def _grouped(per_student: QuerySet, keys: list[str]) -> list[dict]:
    """Per group of `keys` and prior band: the count, sum and sum of squares of each horizon's change
    and the count and sum of each month's rate — one query.

    The ORM writes the per-student query (each rate a correlated subquery, once); the aggregate wraps it
    as a derived table. Grouping the annotated queryset with values() directly would repeat every rate's
    subquery inside each aggregate that uses it (a change, its square, the prior band: five times more
    work), since Django inlines an annotation wherever it is referred to."""
    inner = per_student.order_by().values(*keys, *RATE_COLUMNS)
    sql, params = inner.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = [quote(k) for k in keys]
    selects = [*columns, f"{PRIOR_BAND_SQL} AS prior"]
    names = [*keys, "prior"]
    for k in HORIZONS:
        change = f"({quote(f'm{k + BASELINE_MONTHS}')} - base)"
        selects += [f"COUNT({change})", f"SUM({change})", f"SUM({change} * {change})"]
        names += [f"nc{k}", f"sc{k}", f"qc{k}"]
    for column in RATE_COLUMNS:
        selects += [f"COUNT({quote(column)})", f"SUM({quote(column)})"]
        names += [f"n{column}", f"s{column}"]
    # OFFSET 0 (LIMIT -1 on SQLite) keeps the database from folding the derived table into the outer query,
    # which would put each rate's subquery back into every aggregate that reads it.
    fence = " LIMIT -1 OFFSET 0" if connection.vendor == "sqlite" else " OFFSET 0"
    query = (f"SELECT {', '.join(selects)} FROM ({sql}{fence}) per_student "
             f"GROUP BY {', '.join([*columns, PRIOR_BAND_SQL])}")
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def served_students(district_ids: Iterable[int] | None, period: Period | None = None, *, case_id=None,
                    case_ids: Iterable[int] | None = None):
    """One row per visited student (their first visit), with where it happened and who went: of the
    districts (None: every district), or of one case, or of some cases."""
    through = Visit.attendees.through
    if case_id is not None:
        visits = Visit.objects.filter(case_id=case_id)
    elif district_ids is not None:
        visits = Visit.objects.filter(case__district_id__in=list(district_ids))
    else:
        visits = Visit.objects.all()
    if case_ids is not None:
        visits = visits.filter(case_id__in=list(case_ids))
    visits = visits.filter(
        pk=Subquery(first_visit_of(OuterRef("case_id")).values("pk")[:1]))
    if period is not None:
        visits = visits.filter(visited_on__gte=period.first, visited_on__lt=month_add(period.last, 1))
    visits = visits.annotate(
        visitors=Coalesce(Subquery(through.objects.filter(visit_id=OuterRef("pk")).values("visit_id")
                                   .annotate(n=Count("pk")).values("n")), Value(0)),
        partner=Exists(through.objects.filter(visit_id=OuterRef("pk"), person__partner__isnull=False)))
    visits = visits.annotate(
        who=Case(When(partner=True, then=Value("partner")), When(visitors__gt=0, then=Value("school")),
                 default=Value("")),
        pair=Case(When(visitors__gte=2, then=Value("pair")), When(visitors=1, then=Value("single")),
                  default=Value("")))
    return _per_student(visits, case="case__", zero="visited_on", case_ref=OuterRef("case_id"),
                        zero_ref=OuterRef("visited_on"))


def comparison_students(district_ids: Iterable[int] | None, period: Period | None = None, *,
                        case_ids: Iterable[int] | None = None):
    """One row per referred student never visited (declined or waiting), from the month of referral: of
    the districts (None: every district), or of some cases."""
    cases = (StudentCase.objects.filter(status__in=COMPARISON_STATUSES, referral_month__isnull=False)
             .filter(~Exists(Visit.objects.filter(case_id=OuterRef("pk")).exclude(kind=Visit.Kind.ATTEMPTED))))
    if district_ids is not None:
        cases = cases.filter(district_id__in=list(district_ids))
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    if period is not None:
        cases = cases.filter(referral_month__gte=period.first, referral_month__lte=period.last)
    return _per_student(cases, case="", zero="referral_month", case_ref=OuterRef("pk"),
                        zero_ref=OuterRef("referral_month"))


SERVED_KEYS = ["band", "el", "place", "who", "pair", "district_key", "cohort"]
COMPARISON_KEYS = ["band"]

# What `coordinators.models.ImpactStudent` stores of each student, as (column, alias in the querysets of
# `impact_student_rows`), in the order both querysets select them; then the rates (RATE_COLUMNS), then the
# changes and the prior band (computed over these by the refresh, `coordinators.services.impact`).
STORED_KEYS = (("case_id", "i_case"), ("district_id", "district_key"), ("region_id", "i_region"),
               ("school_id", "i_school"), ("served", "i_served"), ("zero_month", "i_zero"), ("cohort", "cohort"),
               ("band", "band"), ("english_learner", "el"), ("place", "i_place"), ("who", "i_who"),
               ("pair", "i_pair"))


def impact_student_rows(case_ids: Iterable[int] | None = None) -> tuple[QuerySet, QuerySet]:
    """The per-student figures the impact table is made of, the served and the comparison students, every
    case (or only `case_ids`): the live rules above, as two querysets whose values() are STORED_KEYS'
    aliases and RATE_COLUMNS. What the refresh stores; the live table (`live=True`) groups the same."""
    served = served_students(None, case_ids=case_ids).annotate(
        i_case=F("case_id"), i_region=F("case__district__region_id"), i_school=F("case__school_id"),
        i_served=Value(True), i_zero=MonthStart(F("visited_on"), 0), i_place=F("place"), i_who=F("who"),
        i_pair=F("pair"))
    compared = comparison_students(None, case_ids=case_ids).annotate(
        i_case=F("pk"), i_region=F("district__region_id"), i_school=F("school_id"), i_served=Value(False),
        i_zero=F("referral_month"), i_place=Value(""), i_who=Value(""), i_pair=Value(""))
    return served, compared


# -- estimates -------------------------------------------------------------------------------------------

@dataclass
class Moments:
    """n, sum and sum of squares: enough to merge groups and give a mean with its interval."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def add(self, n, total, squares) -> None:
        self.n += n or 0
        self.total += total or 0.0
        self.squares += squares or 0.0

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def variance(self) -> float | None:
        if self.n < 2:
            return None
        return max(0.0, (self.squares - self.total * self.total / self.n) / (self.n - 1))


@dataclass
class Estimate:
    """A mean change with its 95% interval, or hidden ("too few to show") under the small-group rule."""

    n: int
    mean: float | None
    low: float | None
    high: float | None
    hidden: bool

    @classmethod
    def of(cls, m: Moments) -> "Estimate":
        if group_too_small(m.n) or m.mean is None:
            return cls(m.n, None, None, None, True)
        half = Z95 * math.sqrt(m.variance or 0.0) / math.sqrt(m.n)
        return cls(m.n, m.mean, m.mean - half, m.mean + half, False)

    @classmethod
    def difference(cls, cells: list[tuple[Moments, Moments]]) -> "Estimate":
        """Served minus comparison within each matched cell, weighted by the served students."""
        usable = [(s, c) for s, c in cells if s.n and c.n >= 2 and s.n >= 2]
        served = sum(s.n for s, _c in usable)
        compared = sum(c.n for _s, c in usable)
        if group_too_small(served) or group_too_small(compared):
            return cls(served, None, None, None, True)
        mean = sum(s.n / served * (s.mean - c.mean) for s, c in usable)
        variance = sum((s.n / served) ** 2 * (s.variance / s.n + c.variance / c.n) for s, c in usable)
        half = Z95 * math.sqrt(variance)
        return cls(served, mean, mean - half, mean + half, False)

    @property
    def text(self) -> str:
        return str(TOO_FEW) if self.hidden else f"{self.mean:+.1f}"

    @property
    def interval(self) -> str:
        return "" if self.hidden else f"{self.low:+.1f} to {self.high:+.1f}"

    @property
    def n_text(self) -> str:
        return str(TOO_FEW) if self.hidden else f"{self.n:,}"

    def as_dict(self) -> dict:
        if self.hidden:
            return {"n": None, "change": None, "ci_low": None, "ci_high": None, "shown": str(TOO_FEW)}
        return {"n": self.n, "change": round(self.mean, 2), "ci_low": round(self.low, 2),
                "ci_high": round(self.high, 2), "shown": self.text}


@dataclass
class ImpactRow:
    key: str
    label: str
    estimates: dict[int, Estimate]  # horizon -> estimate


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[ImpactRow]


@dataclass
class ChartPoint:
    offset: int
    served: Estimate
    comparison: Estimate


@dataclass
class ImpactTable:
    scope: ImpactScope
    period: Period
    overall: ImpactRow
    breakdowns: list[Breakdown]
    comparison: list[ImpactRow]  # difference in differences: overall and by grade band
    comparison_raw: ImpactRow  # the comparison students' own change
    chart: list[ChartPoint] = field(default_factory=list)
    figures_as_of: datetime | None = None  # when the stored figures were refreshed (`figures_as_of`)
    live: bool = False  # computed from the source tables (`impact_table(live=True)`)

    def breakdown(self, key: str) -> Breakdown | None:
        return next((b for b in self.breakdowns if b.key == key), None)


def _labels(district_names: dict[int, str]) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Each breakdown: its title and its groups (key, label) in the order shown."""
    return {
        "band": (_("Grade band"), [(c, label) for c, label, _g in IMPACT_GRADE_BANDS]),
        "level": (_("Elementary against middle and high school"),
                  [("pk5", _("PK–5")), ("g612", _("6–12"))]),
        "el": (_("English learner"), [("yes", _("English learners")), ("no", _("Not English learners"))]),
        "place": (_("Where the first visit happened"), [(p, str(label)) for p, label in Visit.Place.choices]),
        "mode": (_("In person or remote"), [("in_person", _("In person (home, school, community place)")),
                                             ("remote", _("Virtual or phone"))]),
        "who": (_("Who visited"), [("school", _("School staff only")),
                                   ("partner", _("With community-partner staff"))]),
        "pair": (_("Pair or single visitor"), [("pair", _("A pair (two or more)")), ("single", _("One visitor"))]),
        "district": (_("District"), [(str(pk), name) for pk, name in sorted(district_names.items(),
                                                                            key=lambda item: item[1])]),
        "cohort": (_("School-year cohort"), []),  # filled from the data
    }


BREAKDOWN_KEYS = ("band", "level", "el", "place", "mode", "who", "pair", "district", "cohort")


def breakdown_choices() -> list[tuple[str, str]]:
    titles = _labels({})
    return [("", _("Every breakdown"))] + [(k, titles[k][0]) for k in BREAKDOWN_KEYS]


def _group_of(dimension: str, row: dict) -> str:
    if dimension == "band":
        return row["band"]
    if dimension == "level":
        return {"pk5": "pk5", "g68": "g612", "g912": "g612"}.get(row["band"], "")
    if dimension == "el":
        return "yes" if row["el"] else "no"
    if dimension == "mode":
        return "in_person" if row["place"] in Visit.IN_PERSON else "remote"
    if dimension == "district":
        return str(row["district_key"])
    if dimension == "cohort":
        return str(row["cohort"])
    return row[dimension] or ""


def cohort_label(code: int) -> str:
    year, summer = divmod(int(code), 10)
    if summer:
        return _("Summer %(year)s") % {"year": year}
    return _("%(start)s–%(end)s school year") % {"start": year, "end": f"{(year + 1) % 100:02d}"}


def _moments(rows: list[dict], prefix: str) -> Moments:
    m = Moments()
    for row in rows:
        m.add(row[f"n{prefix}"], row[f"s{prefix}"], row.get(f"q{prefix}"))
    return m


def _row(key: str, label: str, rows: list[dict]) -> ImpactRow:
    return ImpactRow(key, label, {k: Estimate.of(_moments(rows, f"c{k}")) for k in HORIZONS})


# -- the groups the table is made of ------------------------------------------------------------------
#
# Both ways of computing the table (stored rows, or live from the source tables) give, for the served and
# for the comparison students, the moments (count, sum, sum of squares of each horizon's change; count and
# sum of each month's rate) of each group of these grouping sets. One builder (`_table_of`) makes the
# table from them, so the two cannot disagree on anything but the figures themselves.
GROUPING_SETS = {"all": (), "band": ("band",), "band_prior": ("band", "prior"), "el": ("el",),
                 "place": ("place",), "who": ("who",), "pair": ("pair",), "district": ("district_key",),
                 "cohort": ("cohort",)}
# The stored row's column of each key (`ImpactStudent`).
STORED_KEY_COLUMNS = {"band": "band", "prior": "prior", "el": "english_learner", "place": "place",
                      "who": "who", "pair": "pair", "district_key": "district_id", "cohort": "cohort"}
GROUP_KEYS = tuple(STORED_KEY_COLUMNS)

# served (True/False) -> grouping set -> key (a tuple of the set's keys) -> the moments' row
Groups = dict[bool, dict[str, dict[tuple, dict]]]


def _aggregate_names() -> list[str]:
    names = []
    for k in HORIZONS:
        names += [f"nc{k}", f"sc{k}", f"qc{k}"]
    for column in RATE_COLUMNS:
        names += [f"n{column}", f"s{column}"]
    return names


def _merge(into: dict, row: dict) -> None:
    for name in _aggregate_names():
        into[name] = (into.get(name) or 0) + (row.get(name) or 0)


def _groups_live(scope: ImpactScope, period: Period) -> Groups:
    """The groups from the source tables (two queries, each over every student's correlated subqueries)."""
    served = _grouped(served_students(scope.district_ids, period), SERVED_KEYS)
    compared = _grouped(comparison_students(scope.district_ids, period), COMPARISON_KEYS)
    groups: Groups = {True: {}, False: {}}
    for is_served, rows in ((True, served), (False, compared)):
        available = {*(SERVED_KEYS if is_served else COMPARISON_KEYS), "prior"}
        for set_name, keys in GROUPING_SETS.items():
            if not set(keys) <= available:
                continue
            merged = groups[is_served].setdefault(set_name, {})
            for row in rows:
                _merge(merged.setdefault(tuple(row[k] for k in keys), {}), row)
    return groups


def _groups_stored(scope: ImpactScope, period: Period) -> Groups:
    """The groups from the stored rows (`ImpactStudent`): one query of two parts. Every breakdown's groups
    with the changes' moments: on PostgreSQL GROUPING SETS (one scan for every set), on SQLite, which has
    none, one SELECT per set, UNION ALL. And the overall group with the changes and each month's rate (the
    chart): asking the rates of every set would be 26 more sums per row and set, for figures only the
    overall group shows (at 100,000 students, three times slower)."""
    from coordinators.models import ImpactStudent

    quote = connection.ops.quote_name
    table = quote(ImpactStudent._meta.db_table)
    where = [f"{quote('zero_month')} >= %s", f"{quote('zero_month')} <= %s"]
    params = [connection.ops.adapt_datefield_value(period.first), connection.ops.adapt_datefield_value(period.last)]
    if scope.kind != "state":  # the state is every district: no list to check
        where.append(f"{quote('district_id')} IN ({', '.join(['%s'] * len(scope.district_ids)) or 'NULL'})")
        params += list(scope.district_ids)
    changes, rates = [], []
    for k in HORIZONS:
        change = quote(f"c{k}")
        changes += [f"COUNT({change})", f"SUM({change})", f"SUM({change} * {change})"]
    for column in RATE_COLUMNS:
        rates += [f"COUNT({quote(column)})", f"SUM({quote(column)})"]
    no_rates = ", ".join(["NULL"] * len(rates))
    columns = [quote(STORED_KEY_COLUMNS[k]) for k in GROUP_KEYS]
    condition = " AND ".join(where)

    def mask_of(keys) -> int:  # GROUPING()'s bits: 1 for each key not grouped by, the first key highest
        return sum(1 << (len(GROUP_KEYS) - 1 - i) for i, k in enumerate(GROUP_KEYS) if k not in keys)

    breakdown_sets = {name: keys for name, keys in GROUPING_SETS.items() if keys}
    branches, run_params = [], []
    if connection.vendor == "postgresql":
        sets = ", ".join("(" + ", ".join(["served", *(quote(STORED_KEY_COLUMNS[k]) for k in keys)]) + ")"
                         for keys in breakdown_sets.values())
        branches.append(f"SELECT served, {', '.join(columns)}, GROUPING({', '.join(columns)}), {', '.join(changes)}, "
                        f"{no_rates} FROM {table} WHERE {condition} GROUP BY GROUPING SETS ({sets})")
        run_params += params
    else:
        for keys in breakdown_sets.values():
            picked = [quote(STORED_KEY_COLUMNS[k]) if k in keys else "NULL" for k in GROUP_KEYS]
            grouping = ", ".join(["served", *(quote(STORED_KEY_COLUMNS[k]) for k in keys)])
            branches.append(f"SELECT served, {', '.join(picked)}, {mask_of(keys)}, {', '.join(changes)}, {no_rates} "
                            f"FROM {table} WHERE {condition} GROUP BY {grouping}")
            run_params += params
    branches.append(f"SELECT served, {', '.join(['NULL'] * len(GROUP_KEYS))}, {mask_of(())}, {', '.join(changes)}, "
                    f"{', '.join(rates)} FROM {table} WHERE {condition} GROUP BY served")
    run_params += params
    by_mask = {mask_of(keys): name for name, keys in GROUPING_SETS.items()}
    names = _aggregate_names()
    groups: Groups = {True: {}, False: {}}
    width = len(GROUP_KEYS)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), run_params)
        for row in cursor.fetchall():
            served, keys, mask, figures = bool(row[0]), row[1:1 + width], row[1 + width], row[2 + width:]
            set_name = by_mask[mask]
            key = tuple(value for k, value in zip(GROUP_KEYS, keys, strict=True) if k in GROUPING_SETS[set_name])
            if set_name == "el":
                key = (bool(key[0]),)
            groups[served].setdefault(set_name, {})[key] = dict(zip(names, figures, strict=True))
    return groups


def figures_as_of():
    """When the stored figures were last recomputed: the last full refresh (every change made through the
    Hub since is in them too, refreshed as it committed); before any full refresh, the last partial one;
    None before any."""
    from coordinators.models import ImpactRefresh

    times = dict(ImpactRefresh.objects.values_list("kind", "at"))
    return times.get(ImpactRefresh.Kind.FULL) or times.get(ImpactRefresh.Kind.PARTIAL)


def impact_table(*, scope: ImpactScope, period: Period, live: bool = False) -> ImpactTable:
    """The impact table for the scope and period, from the stored figures (`ImpactStudent`): three queries
    (the districts' names, when the figures were refreshed, the groups) whatever the number of students.
    `live=True` computes the same table from the cases, visits and attendance months (as the refresh
    does): slow at scale, kept to check the stored figures against."""
    names = dict(District.objects.filter(pk__in=scope.district_ids).values_list("pk", "name"))
    if live:
        return _table_of(scope, period, names, _groups_live(scope, period), as_of=timezone.now(), live=True)
    return _table_of(scope, period, names, _groups_stored(scope, period), as_of=figures_as_of(), live=False)


def _rows_of(groups: Groups, served: bool, set_name: str) -> dict[tuple, dict]:
    return groups[served].get(set_name, {})


def _table_of(scope: ImpactScope, period: Period, names: dict[int, str], groups: Groups, *, as_of, live: bool
              ) -> ImpactTable:
    labels = _labels(names)
    cohorts = sorted(key[0] for key in _rows_of(groups, True, "cohort") if key[0] is not None)
    labels["cohort"] = (labels["cohort"][0], [(str(c), cohort_label(c)) for c in cohorts])
    # Which rows of which grouping set make each breakdown's group (PK-5 against 6-12 and in person against
    # remote are merged from the grade bands and the places).
    sources = {"band": "band", "level": "band", "el": "el", "place": "place", "mode": "place", "who": "who",
               "pair": "pair", "district": "district", "cohort": "cohort"}
    breakdowns = []
    for dimension in BREAKDOWN_KEYS:
        title, choices = labels[dimension]
        grouped = defaultdict(list)
        for key, row in _rows_of(groups, True, sources[dimension]).items():
            grouped[_group_of(dimension, {GROUPING_SETS[sources[dimension]][0]: key[0]})].append(row)
        breakdowns.append(Breakdown(dimension, title, [_row(g, label, grouped.get(g, [])) for g, label in choices]))
    # Difference in differences, matched on grade band and prior attendance band.
    cells_served = _rows_of(groups, True, "band_prior")
    cells_compared = _rows_of(groups, False, "band_prior")

    def did(bands: set[str] | None) -> dict[int, Estimate]:
        estimates = {}
        for k in HORIZONS:
            cells = [(_moments([row], f"c{k}"), _moments([cells_compared[cell]] if cell in cells_compared else [],
                                                         f"c{k}"))
                     for cell, row in cells_served.items()
                     if cell[1] and (bands is None or cell[0] in bands)]
            estimates[k] = Estimate.difference(cells)
        return estimates

    comparison = [ImpactRow("all", _("All students"), did(None))]
    comparison += [ImpactRow(c, label, did({c})) for c, label, _g in IMPACT_GRADE_BANDS]
    comparison.append(ImpactRow("g612", _("6–12"), did({"g68", "g912"})))
    served = list(_rows_of(groups, True, "all").values())
    compared = list(_rows_of(groups, False, "all").values())
    chart = []
    for offset in CHART_OFFSETS:
        m = f"m{offset + BASELINE_MONTHS}"
        chart.append(ChartPoint(offset, Estimate.of(_level(served, m)), Estimate.of(_level(compared, m))))
    return ImpactTable(scope=scope, period=period, overall=_row("all", _("All students"), served),
                       breakdowns=breakdowns, comparison=comparison,
                       comparison_raw=_row("comparison", _("Comparison students"), compared), chart=chart,
                       figures_as_of=as_of, live=live)


def _level(rows: list[dict], prefix: str) -> Moments:
    """The mean attendance rate in one month since the first visit (no interval needed: n, sum)."""
    m = Moments()
    for row in rows:
        m.add(row[f"n{prefix}"], row[f"s{prefix}"], 0.0)
    return m


def change_summary(*, district_ids: Iterable[int]) -> dict[int, Moments]:
    """The served students' change at each horizon over all time (the dashboard's figure): one query, over
    the stored figures the impact table reads, so the dashboard and the impact page agree."""
    from coordinators.models import ImpactStudent

    sums = {}
    for k in HORIZONS:
        change = F(f"c{k}")
        sums |= {f"n{k}": Count(f"c{k}"), f"s{k}": Sum(change), f"q{k}": Sum(change * change)}
    ids = district_ids if isinstance(district_ids, QuerySet) else list(district_ids)
    row = ImpactStudent.objects.filter(served=True, district_id__in=ids).aggregate(**sums)
    return {k: Moments(row[f"n{k}"] or 0, row[f"s{k}"] or 0.0, row[f"q{k}"] or 0.0) for k in HORIZONS}


def case_change(case_id: int) -> dict | None:
    """One case's rates (the case page): the baseline and the rate at each horizon; None if not visited."""
    row = (served_students(None, case_id=case_id).values("base", *[f"m{k + BASELINE_MONTHS}" for k in HORIZONS]).first())
    if row is None:
        return None
    return {"before": row["base"], "after": {k: row[f"m{k + BASELINE_MONTHS}"] for k in HORIZONS}}


# -- the same table as data (the command, the CSV, the JSON) -------------------------------------------

CSV_HEADER = ["section", "group"] + [f"{what}_{k}m" for k in HORIZONS for what in ("n", "change", "ci_low", "ci_high")]


def impact_rows(table: ImpactTable, breakdown: str = "") -> list[list]:
    """The table's rows as the CSV and the command print them, in the page's order (suppressed cells say so)."""
    def line(section, row):
        cells = [section, row.label]
        for k in HORIZONS:
            e = row.estimates[k]
            d = e.as_dict()
            cells += [d["n"] if not e.hidden else d["shown"], d["change"] if not e.hidden else d["shown"],
                      "" if e.hidden else d["ci_low"], "" if e.hidden else d["ci_high"]]
        return cells

    rows = [line(_("Overall"), table.overall)]
    for b in table.breakdowns:
        if breakdown and b.key != breakdown:
            continue
        rows += [line(b.title, r) for r in b.rows]
    rows += [line(_("Difference in differences (estimate)"), r) for r in table.comparison]
    rows.append(line(_("Comparison students' own change"), table.comparison_raw))
    return rows


def impact_data(table: ImpactTable, breakdown: str = "") -> dict:
    def row(r):
        return {"group": r.key, "label": r.label, **{f"{k}m": r.estimates[k].as_dict() for k in HORIZONS}}

    return {
        "scope": table.scope.key, "scope_label": table.scope.label,
        "from": f"{table.period.first:%Y-%m}", "to": f"{table.period.last:%Y-%m}",
        "horizons_months": list(HORIZONS),
        "figures_as_of": table.figures_as_of.isoformat() if table.figures_as_of else None,
        "interval": "95% confidence interval: mean ± 1.96 × sd / √n",
        "overall": row(table.overall),
        "breakdowns": [{"key": b.key, "title": b.title, "rows": [row(r) for r in b.rows]}
                       for b in table.breakdowns if not breakdown or b.key == breakdown],
        "difference_in_differences": [row(r) for r in table.comparison],
        "comparison_change": row(table.comparison_raw),
        "chart": [{"month": p.offset, "served": p.served.as_dict(), "comparison": p.comparison.as_dict()}
                  for p in table.chart],
    }


__all__ = ["BREAKDOWN_KEYS", "BadImpactQuery", "Breakdown", "CSV_HEADER", "Estimate", "HORIZONS", "ImpactRow",
           "ImpactScope", "ImpactTable", "Moments", "Period", "TOO_FEW", "breakdown_choices", "case_change",
           "change_summary", "cohort_label", "comparison_students", "figures_as_of", "first_visit_day",
           "first_visit_of", "impact_data", "impact_rows", "impact_student_rows", "impact_table", "month_from_index",
           "period_read", "scope_choices", "scope_read", "served_students"]
