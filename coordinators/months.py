"""Months as the evaluation counts them: written YYYY-MM, named by their first day, counted as an index
(year × 12 + month − 1) so that "three months before" is a subtraction (the SQL side is
`coordinators.selectors.impact.MonthStart`).

One reader of a month for every path that takes one (the case form, the CSV import, the impact page's
period, the `impact_report` command), so that "2026-13", "0000-01" and "next tuesday" are refused with
the same words everywhere.
"""

import re
from datetime import date

from django.utils.translation import gettext as _

FIRST_MONTH = date(2000, 1, 1)  # the months the Hub accepts (the calendar's years: hub.queries)
LAST_MONTH = date(2100, 12, 1)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?", re.ASCII)


class BadMonth(ValueError):
    """A month that is not one: the message says what to write instead."""


def month_parse(value: str) -> date:
    """The first day of the month written YYYY-MM (or a day of it, YYYY-MM-DD), between 2000-01 and 2100-12."""
    text = (value or "").strip()
    match = _MONTH.fullmatch(text)
    if not match:
        raise BadMonth(_("Write the month as YYYY-MM, for example 2025-10 (got %(value)s).")
                       % {"value": repr(text[:20])})
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise BadMonth(_("There is no month %(month)02d: months run from 01 to 12.") % {"month": month})
    day = date(max(year, 1), month, 1)
    if match[3] is not None:
        try:
            date(max(year, 1), month, int(match[3]))
        except ValueError:
            raise BadMonth(_("%(value)s is not a day of the calendar.") % {"value": text}) from None
    if not FIRST_MONTH <= day <= LAST_MONTH or year == 0:
        raise BadMonth(_("Choose a month between %(first)s and %(last)s.")
                       % {"first": f"{FIRST_MONTH:%Y-%m}", "last": f"{LAST_MONTH:%Y-%m}"})
    return day


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_from_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_add(day: date, months: int) -> date:
    return month_from_index(month_index(day) + months)
