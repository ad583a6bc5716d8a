"""Prioritisation for state and regional staff: the district need index, from the district data file.

The method (the page says it in the same words):
- each input is scaled across every district with figures for the school year (min–max), so that 0 is
  the district with the least need on that input and 1 the one with the most: low attendance, a high
  share eligible for free or reduced-price lunch, of English learners, of time in remote learning, and a
  large enrollment (more students affected) mean more need. An input on which every district is equal
  scales to 0 everywhere: it tells the districts apart in nothing;
- the index is the weighted sum of those scaled inputs, the weights divided by their total, times 100:
  0 to 100 points, higher = more need. An input's contribution to a district's index is its share of
  that sum (points); the contributions add up to the index;
- the ranking orders the districts shown (the state, or a region) by index, highest first; districts
  with the same index (to 6 decimals) share a rank. How an input moved a district: its rank with every
  input against its rank with that input left out (weight 0, the other weights as they are).

Districts are scaled across the state whoever reads (a regional reader's Hartford has the same index as
the state's), and ranked among those shown. All of it is one query for the figures (plus the scope's),
then arithmetic over at most a few hundred districts: the page costs the same whatever their number.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from coordinators.models import DistrictNeedFigures
from hub.roles import REGIONAL_STAFF, STATE_STAFF, roles_of


@dataclass(frozen=True)
class NeedInput:
    key: str  # the model field, the CSV column and (with "w_") the weight's parameter
    label: str
    more_need: str  # "low" or "high": which end of the input means more need
    default_weight: Decimal


INPUTS = (
    NeedInput("attendance_rate", _("Attendance rate"), "low", Decimal(40)),
    NeedInput("frl_share", _("Free or reduced-price lunch"), "high", Decimal(20)),
    NeedInput("english_learner_share", _("English learners"), "high", Decimal(15)),
    NeedInput("remote_share", _("Time in remote learning"), "high", Decimal(10)),
    NeedInput("enrollment", _("Enrollment"), "high", Decimal(15)),
)
INPUT_KEYS = tuple(i.key for i in INPUTS)
DEFAULT_WEIGHTS = {i.key: i.default_weight for i in INPUTS}
WEIGHT_MAX = Decimal(100)
# The district data file: the district's code (its slug), then one column per input; a district_name
# column may be added for people reading the file (the code decides).
FILE_COLUMNS = ["district", "enrollment", "attendance_rate", "frl_share", "english_learner_share", "remote_share"]
FILE_OPTIONAL_COLUMNS = ["district_name"]


def may_see_need_index(user) -> bool:
    """State staff (every district) and regional staff (their region's); coordinators and visitors not."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or roles_of(user) & {STATE_STAFF, REGIONAL_STAFF}))


def may_upload_need_figures(user) -> bool:
    """The district data file is the state's: state staff upload it."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or STATE_STAFF in roles_of(user)))


def need_years() -> list[int]:
    """The school years with figures, latest first."""
    return list(DistrictNeedFigures.objects.order_by("-school_year").values_list("school_year", flat=True)
                .distinct())


def current_school_year(today=None) -> int:
    """The school year running now: from July on, the one starting that year."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


def school_year_label(year: int) -> str:
    return f"{year}–{(year + 1) % 100:02d}"


@dataclass
class InputScore:
    key: str
    value: Decimal | int  # the figure from the file
    scaled: float  # 0..1, 1 = most need
    points: float  # contribution to the index
    rank_without: int | None = None  # the district's rank with this input left out (None: nothing left)

    @property
    def shown(self) -> str:
        """The figure as a person writes it: 91.8%, 80%, 17,300."""
        return figure_text(self.key, self.value)

    def moved(self, rank: int) -> int | None:
        """Places this input moved the district up the need ranking (negative: down)."""
        return None if self.rank_without is None else self.rank_without - rank


@dataclass
class NeedRow:
    district_id: int
    name: str
    code: str
    region: str
    index: float
    rank: int = 0
    inputs: list[InputScore] = field(default_factory=list)

    @property
    def moves(self) -> list[dict]:
        """Per input: the rank without it and how far it moved the district ("up", "down", "same", or
        "none" when nothing would be left without it), with the number of places."""
        cells = []
        for s in self.inputs:
            moved = s.moved(self.rank)
            direction = ("none" if moved is None else "up" if moved > 0 else "down" if moved < 0 else "same")
            cells.append({"key": s.key, "rank_without": s.rank_without, "moved": moved, "direction": direction,
                          "places": abs(moved or 0)})
        return cells


@dataclass
class NeedIndex:
    year: int | None
    weights: dict[str, Decimal]
    rows: list[NeedRow]
    scaled_over: int  # districts with figures that year (the min–max is taken over them)
    ranges: dict[str, tuple]  # input -> (lowest, highest) across them
    missing: list[str]  # districts shown that have no figures that year

    @property
    def year_label(self) -> str:
        return school_year_label(self.year) if self.year is not None else ""

    @property
    def weight_total(self) -> Decimal:
        return sum(self.weights.values(), Decimal(0))

    @property
    def shares(self) -> list[tuple]:
        """Each input, its weight, its share of the total weight (percent), its lowest and highest figure."""
        total = self.weight_total
        return [(i, self.weights[i.key], float(self.weights[i.key] / total * 100) if total else 0.0,
                 *(figure_text(i.key, v) for v in self.ranges[i.key])) for i in INPUTS]


def figure_text(key: str, value) -> str:
    if value is None:
        return ""
    if key == "enrollment":
        return f"{int(value):,}"
    text = f"{Decimal(value):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _scaled(value, low, high, more_need: str) -> float:
    if high == low:
        return 0.0
    share = float(value - low) / float(high - low)
    return share if more_need == "high" else 1.0 - share


def _ranks(indexes: dict[int, float], names: dict[int, str]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by index, highest first; equal indexes share a rank."""
    order = sorted(indexes, key=lambda k: (-round(indexes[k], 6), names[k]))
    ranks, previous, rank = {}, None, 0
    for position, key in enumerate(order, start=1):
        value = round(indexes[key], 6)
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks


def _weighted(scaled: dict[str, float], weights: dict[str, Decimal]) -> dict[str, float]:
    total = float(sum(weights.values(), Decimal(0)))
    return {k: 100.0 * float(weights[k]) * s / total if total else 0.0 for k, s in scaled.items()}


def need_index(*, district_ids: list[int] | None, year: int | None,
               weights: dict[str, Decimal] | None = None) -> NeedIndex:
    """The ranking of the districts `district_ids` (None: every district) for `year` (None: the latest
    year with figures) under `weights` (missing ones: the defaults). ValueError if the weights are
    negative or add up to 0 (the query form refuses those first, with a message)."""
    weights = {k: Decimal(weights.get(k, DEFAULT_WEIGHTS[k]) if weights else DEFAULT_WEIGHTS[k])
               for k in INPUT_KEYS}
    if any(w < 0 for w in weights.values()) or sum(weights.values(), Decimal(0)) <= 0:
        raise ValueError("The weights must be 0 or more and add up to more than 0.")
    if year is None:
        year = DistrictNeedFigures.objects.order_by("-school_year").values_list("school_year", flat=True).first()
    figures = list(DistrictNeedFigures.objects.filter(school_year=year).select_related("district__region")
                   .order_by("district__name")) if year is not None else []
    ranges = {k: (min(getattr(f, k) for f in figures), max(getattr(f, k) for f in figures)) if figures else (None, None)
              for k in INPUT_KEYS}
    wanted = None if district_ids is None else set(district_ids)
    shown = [f for f in figures if wanted is None or f.district_id in wanted]
    scaled = {f.district_id: {i.key: _scaled(getattr(f, i.key), *ranges[i.key], i.more_need) for i in INPUTS}
              for f in shown}
    names = {f.district_id: f.district.name for f in shown}
    rows = []
    for f in shown:
        points = _weighted(scaled[f.district_id], weights)
        rows.append(NeedRow(f.district_id, f.district.name, f.district.slug, f.district.region.name,
                            index=sum(points.values()),
                            inputs=[InputScore(i.key, getattr(f, i.key), scaled[f.district_id][i.key], points[i.key])
                                    for i in INPUTS]))
    ranks = _ranks({r.district_id: r.index for r in rows}, names)
    for key in INPUT_KEYS:
        without = {**weights, key: Decimal(0)}
        if weights[key] == 0 or sum(without.values(), Decimal(0)) <= 0:
            ranks_without = {r.district_id: ranks[r.district_id] if weights[key] == 0 else None for r in rows}
        else:
            ranks_without = _ranks({d: sum(_weighted(s, without).values()) for d, s in scaled.items()}, names)
        for r in rows:
            next(s for s in r.inputs if s.key == key).rank_without = ranks_without[r.district_id]
    for r in rows:
        r.rank = ranks[r.district_id]
    rows.sort(key=lambda r: (r.rank, r.name))
    return NeedIndex(year, weights, rows, len(figures), ranges, _without_figures(wanted, shown))


def _without_figures(wanted: set[int] | None, shown: list) -> list[str]:
    """The districts asked for that have no figures that year (their names): one query."""
    from hub.models import District

    districts = District.objects.all() if wanted is None else District.objects.filter(pk__in=wanted)
    return list(districts.exclude(pk__in=[f.district_id for f in shown]).order_by("name")
                .values_list("name", flat=True))


def need_csv_header() -> list[str]:
    header = [str(_("Rank")), str(_("District")), str(_("District code")), str(_("Region")),
              str(_("Need index (points)"))]
    for i in INPUTS:
        header += [str(i.label), str(_("%(input)s: points") % {"input": i.label}),
                   str(_("%(input)s: rank without it") % {"input": i.label})]
    return header


def need_rows(index: NeedIndex) -> list[list]:
    """The ranking as the CSV holds it: what the page's table shows, with the figures from the file."""
    rows = []
    for r in index.rows:
        row = [r.rank, r.name, r.code, r.region, f"{r.index:.1f}"]
        for s in r.inputs:
            row += [s.value, f"{s.points:.1f}", "" if s.rank_without is None else s.rank_without]
        rows.append(row)
    return rows


def need_template_rows(district_ids: list[int] | None = None) -> list[list]:
    """The template file: a row per district (code and name), the figures left to fill in."""
    from hub.models import District

    districts = District.objects.order_by("name")
    if district_ids is not None:
        districts = districts.filter(pk__in=district_ids)
    return [[d.slug, *([""] * len(INPUT_KEYS)), d.name] for d in districts]
