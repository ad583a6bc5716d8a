"""Dates show their year only when it is not this year, in the program's time zone (hub.dates, `day` filter)."""

from datetime import UTC, date, datetime, timedelta

from django.template import Context, Template
from django.utils import timezone

from hub.dates import day_label, program_today
from hub.program import PROGRAM_TZ

# Mid-year in Hartford, 2026.
JUNE = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)


def test_a_date_this_year_has_no_year():
    assert day_label(date(2026, 3, 3), now=JUNE) == "March 3"
    assert day_label(date(2026, 3, 3), "long", now=JUNE) == "Tuesday, March 3"
    assert day_label(date(2026, 3, 3), "short", now=JUNE) == "Mar 3"


def test_a_date_next_year_and_last_year_show_the_year():
    assert day_label(date(2027, 1, 5), "long", now=JUNE) == "Tuesday, January 5, 2027"
    assert day_label(date(2025, 11, 20), now=JUNE) == "November 20, 2025"
    assert day_label(date(2025, 11, 20), "short", now=JUNE) == "Nov 20, 2025"


def test_the_year_boundary_is_the_programs_not_utcs():
    # 11 pm on New Year's Eve in Hartford is already January 1 in UTC: it is still this year's December 31.
    eve = datetime(2026, 12, 31, 23, 0, tzinfo=PROGRAM_TZ)
    assert eve.astimezone(UTC).year == 2027
    assert day_label(eve.astimezone(UTC), now=JUNE) == "December 31"
    # And "this year" is the program's too: at 9 pm on December 31 in Hartford (2 am UTC, January 1),
    # a session on January 2 is next year's.
    late = datetime(2027, 1, 1, 2, 0, tzinfo=UTC)
    assert program_today(late) == date(2026, 12, 31)
    assert day_label(date(2027, 1, 2), now=late) == "January 2, 2027"
    assert day_label(date(2026, 12, 31), now=late) == "December 31"


def test_full_always_has_the_year_and_empty_is_empty():
    assert day_label(date(2026, 3, 3), "full", now=JUNE) == "March 3, 2026"
    assert day_label(None) == "" and day_label("") == ""


def test_the_template_filter_reads_today_from_the_clock():
    today = program_today()
    later = today.replace(year=today.year + 1)
    html = Template('{% load hub_tags %}{{ a|day }} / {{ b|day:"long" }} / {{ c|day:"short" }}').render(
        Context({"a": today, "b": later, "c": timezone.now() - timedelta(days=800)}))
    first, second, third = html.split(" / ")
    assert str(today.year) not in first and first.endswith(str(today.day))
    assert second.endswith(f", {later.year}")
    assert third.endswith(f", {(timezone.now() - timedelta(days=800)).astimezone(PROGRAM_TZ).year}")
