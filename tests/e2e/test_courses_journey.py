"""LEAP 101 end to end: a new visitor completes every module, gets a certificate, downloads the PDF
and its verification page works signed out."""

import re

import pytest
from playwright.sync_api import expect

from courses.content_loader import load_content
from tests.e2e.conftest import assert_accessible, hub_python, sign_in

pytestmark = pytest.mark.browser

LEAP = load_content().course("LEAP-101")


def correct_choices() -> dict[str, list[str]]:
    """{question prompt: [texts of the correct choices]} from the course content files."""
    answers = {}
    for module in LEAP.modules:
        for block in module.body:
            if block.kind == "check":
                for question in block.questions:
                    answers[question.prompt] = [c.text for c in question.choices if c.correct]
    return answers


@pytest.fixture(scope="module")
def new_visitor(hub_env):
    hub_python(hub_env, (
        "from hub.services import person_create; from hub.models import School; from hub.roles import VISITOR;"
        "school = School.objects.get(name='Parkville Community School');"
        "person_create(username='newbie', email='newbie@example.org', first_name='Nia', last_name='Brooks',"
        " password='leap-demo-2026', roles=(VISITOR,), school=school)"
    ))
    return "newbie"


def answer_and_complete(page, answers):
    for fieldset in page.locator("fieldset.question").all():
        legend = fieldset.locator("legend").inner_text()
        prompt = legend.split(". ", 1)[1]
        for text in answers[prompt]:
            fieldset.get_by_label(text, exact=True).check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text("You can complete the module now.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Complete this module")).click()


def test_a_new_visitor_completes_leap_101_and_gets_a_verifiable_certificate(page, browser, hub_env, hub_server,
                                                                             new_visitor):
    answers = correct_choices()
    sign_in(page, new_visitor)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My training").click()
    expect(page.get_by_role("heading", name="My training")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Start the course").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LEAP.title)
    page.get_by_role("button", name="Start this course").click()

    for number, module in enumerate(LEAP.modules, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(module.title)
        if number == 1:
            # A wrong answer first: the page says which questions to look at again (not the answers), and
            # the module stays open.
            page.get_by_role("button", name="Check my answers").click()
            expect(page.get_by_text("Answer every question before checking")).to_be_visible()
            for fieldset in page.locator("fieldset.question").all():
                prompt = fieldset.locator("legend").inner_text().split(". ", 1)[1]
                wrong = fieldset.locator("label").filter(has_not_text=answers[prompt][0]).first
                fieldset.get_by_label(wrong.inner_text(), exact=True).check()
            page.get_by_role("button", name="Check my answers").click()
            expect(page.get_by_text("Look again at question 1")).to_be_visible()
            expect(page.get_by_text("Not right yet.")).to_have_count(0)
            expect(page.get_by_role("button", name=re.compile("Complete this module"))).to_have_count(0)
            assert_accessible(page)
            for box in page.locator("fieldset.question input").all():
                box.uncheck()
        answer_and_complete(page, answers)

    expect(page.get_by_role("heading", level=1)).to_have_text(LEAP.title)
    # A Parkville (Hartford) visitor: LEAP 101's seven modules and Hartford's own, all required of her.
    expect(page.get_by_text("8 of 8 required modules (100%)")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.get_by_text("Your certificate is issued once you attend a LEAP 101 live practice")).to_be_visible()

    # The trainer marks live practice attendance (the sessions app reports it through courses' service).
    hub_python(hub_env, (
        "import datetime; from courses.services import practice_credit_record; from hub.models import Person;"
        f"practice_credit_record(person=Person.objects.get(user__username='{new_visitor}'), course_code='LEAP-101',"
        " source='demo', source_ref='newbie-practice', attended_on=datetime.date.today())"
    ))
    page.reload()
    expect(page.get_by_text("Your certificate is issued once a coach records “ready”")).to_be_visible()
    # A coach there records "ready" on her role play (tests/e2e/test_coach_journey.py does it in the browser).
    hub_python(hub_env, (
        "from django.utils import timezone; from courses.demo import observe; from courses.models import CoursePage;"
        " from hub.models import Person;"
        f"observe(Person.objects.get(user__username='{new_visitor}'), CoursePage.objects.get(code='LEAP-101'),"
        " source_ref='newbie-practice', when=timezone.now())"
    ))
    page.reload()
    expect(page.get_by_text("You hold a current certificate.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    verify_url = page.get_by_role("link", name="Its public verification page").get_attribute("href")

    signed_out = browser.new_context(base_url=hub_server).new_page()
    signed_out.goto(verify_url)
    expect(signed_out.get_by_role("heading", name="Certificate check")).to_be_visible()
    expect(signed_out.get_by_text("Nia Brooks")).to_be_visible()
    expect(signed_out.get_by_text("Valid until")).to_be_visible()
    expect(signed_out.get_by_text("Parkville")).to_have_count(0)
    assert_accessible(signed_out)
    assert signed_out.goto(verify_url[:-3] + "zzz/").status == 404
    signed_out.context.close()
