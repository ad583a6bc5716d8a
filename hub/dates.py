"""Dates as people read them: the year is shown only when the day is not in this year.

"Tuesday, March 3" reads well in a list of this spring's sessions; a date in another year
(a series running into January, a certificate valid until 2028, one that expired last year) says
its year: "Tuesday, January 5, 2027". "This year" and the day itself are taken in the program's
time zone (`hub.program.PROGRAM_TZ`), so 11 pm on December 31 in Hartford is still this year's
December 31 even though it is already January 1 in UTC.

Templates use the `day` filter (`{% load hub_tags %}`, `{{ value|day }}`, `{{ value|day:"long" }}`);
Python code (reasons, emails, room titles) calls `day_label`. Nowhere else writes a date format.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format

from hub.program import PROGRAM_TZ

STYLES = {
    "short": "M j",  # Mar 3
    "medium": "F j",  # March 3
    "long": "l, F j",  # Tuesday, March 3
    "full": "F j, Y",  # March 3, 2026: always with the year, for what is kept (a PDF, an email)
}


def program_today(now: datetime | None = None) -> date:
    """Today in the program's time zone."""
    return (now or timezone.now()).astimezone(PROGRAM_TZ).date()


def day_label(value, style: str = "medium", *, now: datetime | None = None) -> str:
    """`value` (a date, or a datetime: aware ones are read in the program's time zone) in `style`, with
    ", <year>" when it falls outside the current year. None or "" gives ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(PROGRAM_TZ)
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        return str(value)
    pattern = STYLES.get(style, STYLES["medium"])
    if style != "full" and day.year != program_today(now).year:
        pattern += ", Y"
    return date_format(value, pattern)
