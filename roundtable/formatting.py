"""Dates and times of roundtables in New York time, written the way the active language writes them."""

from datetime import datetime

from django.utils import formats, timezone

from hub.program import PROGRAM_TZ


def when(moment: datetime) -> str:
    """e.g. "Tuesday, June 3, 2025, 6 p.m." in English, "martes, 3 de junio de 2025, 18:00" in Spanish."""
    local = timezone.localtime(moment, PROGRAM_TZ)
    day = formats.date_format(local, "l")
    return f"{day}, {formats.date_format(local, 'DATE_FORMAT')}, {formats.time_format(local, 'TIME_FORMAT')}"


def time_only(moment: datetime) -> str:
    return formats.time_format(timezone.localtime(moment, PROGRAM_TZ), "TIME_FORMAT")
