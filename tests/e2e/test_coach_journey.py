"""A coach records "ready" at a live practice, and the certificate follows: Zoe has finished every LEAP 101
module and attended a live practice under way, so a coach's "ready" is all her certificate waits for. Tomás
(trainer and coach) signs in with his two-step code, opens the practice, records her role play against the
scenario's rubric; Zoe's My training then shows the observation (scenario, day, note, marks) and her
certificate."""

import re

import pytest
from playwright.sync_api import expect

from courses.content_loader import load_content
from tests.e2e.conftest import assert_accessible, hub_python, sign_in

pytestmark = pytest.mark.browser

LEAP = load_content().course("LEAP-101")
SCENARIO = next(s for s in load_content().scenarios if s.slug == "first-visit-the-first-phone-call")
NOTE = "Answered her worry first, then the voluntary visit. Ready."


@pytest.fixture(scope="module")
def practice_under_way(hub_env):
    """Zoe, every module done, with a seat at a LEAP 101 practice that began an hour ago, marked present."""
    out = hub_python(hub_env, (
        "import datetime; from django.utils import timezone; from django.contrib.auth import get_user_model;"
        " from hub.services import person_create; from hub.models import School; from hub.roles import VISITOR;"
        " from courses.models import CoursePage; from courses.demo import train; from sessions import services;"
        " from sessions.models import Kind; from sessions.selectors import occurrence_key;"
        "school = School.objects.get(name='Parkville Community School');"
        "zoe = person_create(username='zoe', email='zoe@example.org', first_name='Zoe', last_name='Adams',"
        " password='leap-demo-2026', roles=(VISITOR,), school=school);"
        "train(zoe, CoursePage.objects.get(code='LEAP-101'));"
        "tomas = get_user_model().objects.get(username='trainer');"
        "began = timezone.localtime() - datetime.timedelta(hours=1);"
        "s = services.series_create(by=tomas, kind=Kind.LEAP101_PRACTICE, title='LEAP 101 live practice (evening)',"
        " capacity=6, first_date=began.date(), start_time=datetime.time(began.hour, began.minute),"
        " duration_minutes=120);"
        "reg = services.registration_create(series=s, start=s.event.start, person=zoe,"
        " now=s.event.start - datetime.timedelta(days=1));"
        "services.attendance_mark(registration=reg, present=True, by=tomas);"
        "print('URL', f'/sessions/{s.pk}/{occurrence_key(s.event.start)}/')"
    ))
    return re.search(r"URL (\S+)", out)[1]


def test_a_coach_records_ready_and_the_participant_sees_it_and_her_certificate(page, hub_server,
                                                                              practice_under_way):
    sign_in(page, "trainer")  # a coach: two-step sign-in with the demo authenticator
    page.goto(practice_under_way)
    page.get_by_role("link", name="Record role-play observations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record role-play observations")
    row = page.get_by_role("row", name=re.compile("Zoe Adams"))
    row.get_by_label("Scenario Zoe Adams played").select_option(label=SCENARIO.title)
    row.get_by_role("button", name="Observe").click()
    rubric = page.get_by_role("group", name=re.compile("Rubric"))
    for criterion in SCENARIO.rubric:
        rubric.get_by_label(criterion).check()
    page.get_by_label("Note for the participant").fill(NOTE)
    page.get_by_role("group", name=re.compile("Outcome")).get_by_label("Ready").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the observation").click()
    expect(page.get_by_text(f"Observation recorded: Zoe Adams, {SCENARIO.title}, ready.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Zoe Adams"))).to_contain_text("ready")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, "zoe")
    page.goto("/training/")
    expect(page.get_by_text(re.compile(f"Coach's observation: ready, in “{re.escape(SCENARIO.title)}”"))).to_be_visible()
    expect(page.get_by_text(NOTE)).to_be_visible()
    expect(page.get_by_text(f"Met: {SCENARIO.rubric[0]}")).to_be_visible()
    expect(page.get_by_role("link", name="Download your certificate").first).to_be_visible()
    assert_accessible(page)
