"""A series' coming dates (and a session's own page) say the year when it is not this year."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from hub.dates import day_label, program_today
from sessions.models import Repeat

pytestmark = pytest.mark.django_db


def test_a_series_running_into_next_year_shows_the_year_on_those_dates_only(client, make_series, visitor):
    today = program_today()
    first = today + timedelta(days=1)
    next_year = date(today.year + 1, 1, 1)
    last = next_year + timedelta(days=20)
    series = make_series(repeat=Repeat.WEEKLY, first_date=first, last_date=last)
    client.force_login(visitor.user)
    html = client.get(reverse("training_sessions:series", args=[series.pk])).content.decode()
    coming = [first + timedelta(weeks=n) for n in range(60) if first + timedelta(weeks=n) <= last]
    this_year = [d for d in coming if d.year == today.year]
    later = [d for d in coming if d.year > today.year]
    assert later, "the series reaches into next year"
    for day in later:
        assert f"{day_label(day, 'long')}, " in html and day_label(day, "long").endswith(f", {day.year}")
    for day in this_year:
        assert f"{day_label(day, 'long')}, " in html and str(today.year) not in day_label(day, "long")
    assert f"to {day_label(last, 'short')}" in html and day_label(last, "short").endswith(str(last.year))
