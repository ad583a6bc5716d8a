"""Due slots: "every N minutes" on the clock, "daily at HH:MM" in the program's time zone (America/New_York),
across the two daylight saving changes."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.schedule.registry import Daily, Every

NY = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _new_york(settings):
    settings.TIME_ZONE = "America/New_York"


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=NY)


def test_every_hour_is_due_on_the_hour_and_next_on_the_next():
    every = Every(minutes=60)
    assert every.latest(ny(2026, 12, 2, 9, 59, 59)) == ny(2026, 12, 2, 9, 0)
    assert every.latest(ny(2026, 12, 2, 10, 0)) == ny(2026, 12, 2, 10, 0)
    assert every.following(ny(2026, 12, 2, 9, 0)) == ny(2026, 12, 2, 10, 0)
    assert every.describe() == "Every hour"


def test_every_fifteen_minutes_and_the_slots_skipped_between_two():
    every = Every(minutes=15)
    assert every.latest(ny(2026, 12, 2, 9, 44)) == ny(2026, 12, 2, 9, 30)
    assert every.slots_between(ny(2026, 12, 2, 9, 0), ny(2026, 12, 2, 10, 0)) == 3  # 9:15, 9:30, 9:45
    assert every.slots_between(ny(2026, 12, 2, 9, 0), ny(2026, 12, 2, 9, 15)) == 0
    assert every.describe() == "Every 15 minutes"


def test_every_hour_counts_real_hours_across_the_autumn_change():
    # 1:00-2:00 happens twice on November 1, 2026: two hourly slots, not one.
    every = Every(minutes=60)
    first = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 01:00 EDT
    assert every.following(first) - first == timedelta(hours=1)
    assert every.following(first).astimezone(NY).hour == 1  # 01:00 EST, the repeated hour


def test_daily_is_due_at_its_wall_clock_time_today_or_else_yesterday():
    daily = Daily(time(7, 30))
    assert daily.latest(ny(2026, 12, 2, 7, 29)) == ny(2026, 12, 1, 7, 30)
    assert daily.latest(ny(2026, 12, 2, 7, 30)) == ny(2026, 12, 2, 7, 30)
    assert daily.following(ny(2026, 12, 2, 7, 30)) == ny(2026, 12, 3, 7, 30)
    assert daily.describe() == "Every day at 07:30"


def test_daily_stays_at_07_30_local_across_both_changes():
    daily = Daily(time(7, 30))
    spring = daily.following(ny(2026, 3, 7, 7, 30))  # clocks go forward on March 8
    autumn = daily.following(ny(2026, 10, 31, 7, 30))  # and back on November 1
    assert spring.astimezone(NY).timetuple()[:5] == (2026, 3, 8, 7, 30)
    assert spring - ny(2026, 3, 7, 7, 30) == timedelta(hours=23)
    assert autumn.astimezone(NY).timetuple()[:5] == (2026, 11, 1, 7, 30)
    assert autumn - ny(2026, 10, 31, 7, 30) == timedelta(hours=25)


def test_a_daily_time_in_the_skipped_hour_runs_once_that_day_an_hour_later_on_the_clock():
    # 02:15 does not exist on March 8, 2026 in New York: it runs at 03:15 EDT (07:15 UTC), once.
    daily = Daily(time(2, 15))
    slot = daily.following(ny(2026, 3, 7, 2, 15))
    assert slot == datetime(2026, 3, 8, 7, 15, tzinfo=UTC)
    assert slot.astimezone(NY).timetuple()[:5] == (2026, 3, 8, 3, 15)
    assert daily.latest(ny(2026, 3, 8, 3, 0)) == ny(2026, 3, 7, 2, 15)  # not yet due at 03:00 EDT
    assert daily.following(slot).astimezone(NY).timetuple()[:5] == (2026, 3, 9, 2, 15)
    assert daily.slots_between(ny(2026, 3, 7, 2, 15), ny(2026, 3, 9, 2, 15)) == 1  # March 8, one slot


def test_a_daily_time_in_the_repeated_hour_runs_at_its_first_occurrence_only():
    daily = Daily(time(1, 30))
    slot = daily.following(ny(2026, 10, 31, 1, 30))
    assert slot == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first of the two
    second_half_thirty = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, an hour later
    assert daily.latest(second_half_thirty) == slot
    assert daily.following(second_half_thirty) == ny(2026, 11, 2, 1, 30)


def test_daily_counts_the_days_skipped_between_two_slots():
    daily = Daily(time(7, 30))
    assert daily.slots_between(ny(2026, 11, 28, 7, 30), ny(2026, 12, 2, 7, 30)) == 3
