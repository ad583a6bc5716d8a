"""Make-up by recording under simultaneous requests (PostgreSQL: the watch row is locked, the credit is once
per person and session by a constraint): the page sending the same report from two tabs, or the answer sent
twice at once, count the time and the session once, and renew the certificate once."""

from datetime import timedelta

import pytest
from django.db import connection

from courses.models import Certificate, SessionCredit
from sessions import services
from sessions.models import RecordingWatch
from tests.double_submit import at_once
from tests.sessions.test_makeup import ANSWER, expired, leap, play, renew_modules, session  # noqa: F401 - fixtures
from tests.support import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_reports_from_four_tabs_at_once_make_one_watch_and_count_the_stretch_once(visitor, session):  # noqa: F811
    require_postgres(connection)
    series, start, occurrence, page, held = session
    services.recording_progress(user=visitor.user, recording=page, position=0, now=held)
    at_once(4, lambda i: services.recording_progress(user=visitor.user, recording=page, position=5,
                                                     now=held + timedelta(seconds=5)))
    watch = RecordingWatch.objects.get(person=visitor)
    assert watch.played_seconds == pytest.approx(5) and watch.played == [[0.0, 5.0]]


def test_the_answer_sent_four_times_at_once_counts_the_session_once_and_renews_once(visitor, leap, session):  # noqa: F811
    require_postgres(connection)
    series, start, occurrence, page, held = session
    expired(visitor, leap)
    renew_modules(visitor, leap)
    clock = play(visitor.user, page, held, [(0, 90)])
    results, failures = at_once(4, lambda i: services.recording_reflection_save(
        user=visitor.user, recording=page, text=ANSWER, now=clock).pk)
    assert len(results) == 4 and not failures, failures
    assert SessionCredit.objects.filter(person=visitor).count() == 1
    assert Certificate.objects.filter(person=visitor).count() == 2  # the first, and one renewed
