"""My training tells the whole story, and a knowledge check helps without giving the answer away: a visitor
whose live practice is recorded sees on which day, answers a check with question 2 wrong, is told to look
again at question 2 (and the section to re-read) without the right answer, then passes."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from courses.content_loader import load_content
from hub.dates import day_label
from tests.e2e.conftest import assert_accessible, hub_python, sign_in

pytestmark = pytest.mark.browser

LEAP = load_content().course("LEAP-101")
FIRST = LEAP.modules[0]
CHECK = next(block for block in FIRST.body if block.kind == "check")


@pytest.fixture(scope="module")
def practised_visitor(hub_env):
    attended = date.today() - timedelta(days=5)
    hub_python(hub_env, (
        "import datetime; from hub.services import person_create; from hub.models import School;"
        " from hub.roles import VISITOR; from courses.services import practice_credit_record;"
        "school = School.objects.get(name='Parkville Community School');"
        "p = person_create(username='mira', email='mira@example.org', first_name='Mira', last_name='Okoye',"
        " password='leap-demo-2026', roles=(VISITOR,), school=school);"
        "practice_credit_record(person=p, course_code='LEAP-101', source='e2e', source_ref='mira-practice',"
        f" attended_on=datetime.date({attended.year}, {attended.month}, {attended.day}))"
    ))
    return "mira", attended


def test_my_training_shows_the_practice_day_and_the_check_says_where_to_look_without_the_answer(
        page, hub_server, practised_visitor):
    username, attended = practised_visitor
    sign_in(page, username)
    page.goto("/training/")
    expect(page.get_by_text(f"Live practice: attended on {day_label(attended)}")).to_be_visible()
    expect(page.get_by_text(f"{FIRST.title}: not yet")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Start the course").first.click()
    page.get_by_role("button", name="Start this course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST.title)

    def answer(wrong_on: int | None):
        for number, (fieldset, question) in enumerate(zip(page.locator("fieldset.question").all(),
                                                          CHECK.questions, strict=True), start=1):
            for box in fieldset.locator("input").all():
                box.uncheck()
            if number == wrong_on:
                picks = [c for c in question.choices if not c.correct][:1]
            else:
                picks = [c for c in question.choices if c.correct]
            for choice in picks:
                fieldset.get_by_label(choice.text, exact=True).check()
        page.get_by_role("button", name="Check my answers").click()

    answer(wrong_on=2)
    result = page.locator(".check-result")
    expect(result.get_by_text(re.compile("look again at question 2", re.I))).to_be_visible()
    expect(result.get_by_text(re.compile("re-read “" + re.escape(CHECK.questions[1].review) + "”"))).to_be_visible()
    body = page.content()
    assert "Look again at question 1" not in body and "Look again at question 3" not in body
    assert CHECK.questions[1].explanation[:40] not in body  # the explanation gives the right answer away
    assert "(a right answer)" not in body
    expect(page.get_by_role("button", name=re.compile("Complete this module"))).to_have_count(0)
    assert_accessible(page)

    answer(wrong_on=None)
    expect(page.get_by_text("You can complete the module now.")).to_be_visible()
    expect(page.get_by_text(CHECK.questions[1].explanation[:40])).to_be_visible()
    page.get_by_role("button", name=re.compile("Complete this module")).click()
    page.goto("/training/")
    expect(page.get_by_text(re.compile(re.escape(FIRST.title) + ": done on "))).to_be_visible()
    expect(page.get_by_text(f"Live practice: attended on {day_label(attended)}")).to_be_visible()
