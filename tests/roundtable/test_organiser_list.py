"""The organisers' list of roundtables: each family counted once whatever else the roundtable has (its
insights), in a number of queries that does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roundtable import selectors, services

pytestmark = pytest.mark.django_db


def test_the_organisers_list_counts_each_family_once_whatever_the_number_of_insights(
        client, make_roundtable, organiser, family):
    rt = make_roundtable(days=-0.01, capacity=3)
    for n in range(5):
        services.signup_create(roundtable=rt, **family(n))
    for n in range(6):
        services.insight_record(roundtable=rt, by=organiser.user, tag="barrier", kind="theme", text=f"Theme {n}")
    upcoming, _ = selectors.organiser_roundtables()
    row = next(r for r in upcoming if r.pk == rt.pk)
    assert (row.confirmed, row.waitlisted, row.insight_count) == (3, 2, 6)
    client.force_login(organiser.user)
    assert "<td>3 / 3</td>" in client.get(reverse("roundtable:organise")).content.decode()


def test_the_organisers_list_reads_the_same_number_of_queries_for_more_roundtables_families_and_insights(
        client, make_roundtable, organiser, family):
    client.force_login(organiser.user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("roundtable:organise")).status_code == 200
        return len(queries)

    make_roundtable(days=-0.01)
    count()  # the first page of a session reads a little more (the session, the user's preferences)
    few = count()
    for n in range(4):
        rt = make_roundtable(days=-0.01 * (n + 2), capacity=3)
        for m in range(4):
            services.signup_create(roundtable=rt, **family(10 * n + m))
        services.insight_record(roundtable=rt, by=organiser.user, tag="idea", kind="theme", text="More buses")
    assert count() == few
