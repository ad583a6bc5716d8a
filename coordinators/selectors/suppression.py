"""Small cells: the one rule every figure shown across districts follows (the state's own rule).

A count of 1-5 students is hidden, and so is an average over fewer than 20. The dashboard applies it to
figures across several districts; the impact table applies it to every cell (a breakdown of one
district by grade, language and visit place can single a student out), and an empty cell — a period
with no data — is hidden the same way: never a number.
"""

from dataclasses import dataclass

SMALL_COUNT = 6
SMALL_GROUP = 20


def count_too_small(n: int) -> bool:
    return 0 < n < SMALL_COUNT


def group_too_small(n: int) -> bool:
    """An average over `n` students may not be shown (fewer than SMALL_GROUP, none included)."""
    return n < SMALL_GROUP


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


def count_cell(value: int, hide: bool) -> Cell:
    if hide and count_too_small(value):
        return Cell(None, value, "fewer than 6")
    return Cell(value, value)


def average_cell(total: float, n: int, hide: bool, signed: bool = False) -> Cell:
    """The average of `n` values summing to `total`, hidden when `hide` and the group is too small."""
    if not n:
        return Cell(None, 0, signed=signed)
    if hide and group_too_small(n):
        return Cell(None, n, "suppressed", signed)
    return Cell(round(total / n, 1), n, signed=signed)
