"""Geometry of the server-drawn SVG charts (no script, no inline style: the Content-Security-Policy
forbids both). A chart is data in, coordinates out; the template draws them and puts the same numbers
in a table beside the picture for screen readers."""

import math
from dataclasses import dataclass, field


@dataclass
class Series:
    key: str
    label: str
    points: list[tuple[float, float]]  # (x, y) in data units; hidden values are left out
    path: str = ""
    dots: list[tuple[float, float, str]] = field(default_factory=list)


@dataclass
class LineChart:
    width: int
    height: int
    series: list[Series]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    left: int
    bottom: int
    top: int
    right: int
    zero_x: float | None = None

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)


def line_chart(series: list[Series], *, x_values: list[int], x_label=str, y_unit: str = "%",
               width: int = 640, height: int = 300) -> LineChart:
    left, right, top, bottom = 48, 16, 16, 40
    ys = [y for s in series for _x, y in s.points]
    low = math.floor((min(ys) if ys else 0) / 5) * 5 - 5
    high = math.ceil((max(ys) if ys else 100) / 5) * 5 + 5
    low, high = max(0, low), min(100, high)
    if high - low < 10:
        high = low + 10
    x_min, x_max = min(x_values), max(x_values)

    def sx(x):
        return left + (x - x_min) / ((x_max - x_min) or 1) * (width - left - right)

    def sy(y):
        return top + (high - y) / ((high - low) or 1) * (height - top - bottom)

    for s in series:
        coords = [(round(sx(x), 1), round(sy(y), 1)) for x, y in s.points]
        s.path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(coords))
        s.dots = [(x, y, f"{value:.1f}{y_unit}") for (x, y), (_dx, value) in zip(coords, s.points, strict=True)]
    step = 5 if high - low <= 30 else 10
    y_ticks = [(round(sy(v), 1), f"{v}{y_unit}") for v in range(int(low), int(high) + 1, step)]
    x_ticks = [(round(sx(x), 1), x_label(x)) for x in x_values]
    return LineChart(width, height, series, x_ticks, y_ticks, left, height - bottom, top, width - right,
                     zero_x=round(sx(0), 1) if x_min <= 0 <= x_max else None)


# -- small multiples: one small column chart per fidelity measure -------------------------------------

@dataclass
class Column:
    label: str
    x: float
    y: float
    width: float
    height: float
    text: str
    met: bool | None


@dataclass
class ColumnChart:
    """A small column chart: one column per district or school (hidden values leave a gap), a target line."""

    width: int
    height: int
    columns: list[Column]
    target_y: float | None
    top_label: str
    left: int
    bottom: int
    top: int
    right: int
    shown: int
    hidden: int

    @property
    def empty(self) -> bool:
        return not self.shown


def column_chart(values: list[tuple[str, float | None, str, bool | None]], *, target: float | None,
                 top: float | None = None, unit: str = "", width: int = 320, height: int = 140) -> ColumnChart:
    """`values`: (label, value or None when hidden, its text, target met). `top` fixes the scale (100 for
    percents); else the largest value or the target, whichever is higher, rounded up."""
    left, right, top_margin, bottom_margin = 36, 8, 10, 8
    seen = [v for _l, v, _t, _m in values if v is not None]
    if top is None:
        top = max([*seen, target or 0, 1])
        top = math.ceil(top * 1.1)
    plot_w, plot_h = width - left - right, height - top_margin - bottom_margin
    slot = plot_w / max(1, len(values))
    gap = min(4.0, slot * 0.2)
    columns = []
    for i, (label, value, text, met) in enumerate(values):
        if value is None:
            continue
        h = max(0.0, min(1.0, value / top)) * plot_h
        columns.append(Column(label, round(left + i * slot + gap / 2, 1), round(top_margin + plot_h - h, 1),
                              round(max(1.0, slot - gap), 1), round(h, 1), text, met))
    target_y = None
    if target is not None:
        target_y = round(top_margin + plot_h - max(0.0, min(1.0, target / top)) * plot_h, 1)
    return ColumnChart(width, height, columns, target_y, f"{top:g}{unit}", left, height - bottom_margin,
                       top_margin, width - right, len(columns), len(values) - len(columns))
