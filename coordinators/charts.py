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
