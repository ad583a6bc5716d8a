"""Make-up by recording, in a browser: a visitor whose LEAP 101 certificate expired missed a Connection
Session that counts toward renewal. My training says the renewal needs such a session and links its
recording; she plays it on the Hub (the page reports the player's position, the server judges it), answers
its question, and My training then shows the session made up by recording."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, hub_python, sign_in

pytestmark = pytest.mark.browser

SECONDS = 12
TITLE = "Families as partners: a Connection Session"


@pytest.fixture(scope="module")
def missed_session(hub_env):
    hub_python(hub_env, (
        "from datetime import timedelta; from django.utils import timezone;"
        " from dateutil.relativedelta import relativedelta;"
        " from django.contrib.auth import get_user_model;"
        " from django.core.files.uploadedfile import SimpleUploadedFile;"
        " from hub.services import person_create; from hub.models import School; from hub.roles import VISITOR;"
        " from courses.demo import train; from courses.models import CoursePage;"
        " from sessions import services; from sessions.demo import tone_wav;"
        " from sessions.models import Series, RecordingIndexPage, RecordingPage;"
        "school = School.objects.get(name='Parkville Community School');"
        "p = person_create(username='noor', email='noor@example.org', first_name='Noor', last_name='Haddad',"
        " password='leap-demo-2026', roles=(VISITOR,), school=school);"
        "train(p, CoursePage.objects.get(code='LEAP-101'), practised=True,"
        " when=timezone.now() - relativedelta(months=25));"
        "trainer = get_user_model().objects.get(username='trainer');"
        "series = Series.objects.get(slug='connection-sessions'); now = timezone.now();"
        "start = [s for s in services.occurrences_of_series(series=series, start=now - timedelta(days=30), end=now)"
        " if s + timedelta(hours=2) < now][0];"
        "occ = services.occurrence_renewal_set(series=series, start=start, required=True, by=trainer);"
        f"audio = services.recording_upload(uploaded=SimpleUploadedFile('families.wav', tone_wav({SECONDS}),"
        " 'audio/wav'), by=trainer);"
        f"page = RecordingPage(title='{TITLE}', recorded_on=start.date(), occurrence=occ, video=audio,"
        f" duration_seconds={SECONDS});"
        "RecordingIndexPage.objects.first().add_child(instance=page); page.save_revision().publish()"
    ))
    return "noor"


def test_a_visitor_makes_up_a_missed_session_by_its_recording_and_the_renewal_counts_it(
        page, hub_server, missed_session):
    sign_in(page, missed_session)
    page.goto("/training/")
    expect(page.get_by_text("A session required for renewal: not yet")).to_be_visible()
    expect(page.get_by_text(re.compile("renewal also needs 1 session required for renewal"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(TITLE)).click()
    expect(page.get_by_role("heading", name="Make up this session")).to_be_visible()
    expect(page.locator(".makeup-percent")).to_have_text("0% played")
    assert_accessible(page)

    page.locator("audio").evaluate("audio => audio.play()")
    # The page reports every 5 s of playing and at the end; 80 % of 12 s is reached by the second report.
    expect(page.locator(".makeup-percent")).to_contain_text("enough to count", timeout=30_000)
    page.get_by_label("What will you do differently on your next visit after this session?").fill(
        "Ask the family what is going well before anything about attendance.")
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_text("This session now counts toward your renewal.")).to_be_visible()
    expect(page.get_by_text(re.compile("Counted toward your LEAP 101 renewal on"))).to_be_visible()

    page.goto("/training/")
    expect(page.get_by_text(re.compile(r"Connection Session on .*: made up by watching the recording"))).to_be_visible()
    expect(page.get_by_text("A session required for renewal: not yet")).to_have_count(0)
    assert_accessible(page)
