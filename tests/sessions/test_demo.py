"""The sessions demo step builds a school year of sessions once (through the services)."""

import pytest

from hub.demo import seed_organisations, seed_site_and_people
from sessions.demo import seed_sessions
from sessions.models import Attendance, RecordingPage, Registration, Series, SessionOccurrence

pytestmark = pytest.mark.django_db


def test_the_demo_step_is_idempotent_and_skips_credits_without_the_course():
    seed_organisations()
    seed_site_and_people()
    seed_sessions()
    counts = [m.objects.count() for m in (Series, SessionOccurrence, Registration, Attendance, RecordingPage)]
    assert counts[0] == 7 and counts[2] > 10
    assert Registration.objects.filter(status="waitlisted").exists()
    seed_sessions()
    assert [m.objects.count() for m in (Series, SessionOccurrence, Registration, Attendance, RecordingPage)] == counts
