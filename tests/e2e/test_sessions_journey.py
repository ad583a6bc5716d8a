"""A trainer schedules a fortnightly Connection Session; a visitor registers for the next date and
adds it to their calendar; the trainer marks attendance; the visitor sees it on their page."""

import re
import secrets
from datetime import datetime, timedelta

import icalendar
import pytest
from playwright.sync_api import expect

from hub.program import PROGRAM_TZ
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser



def field(page, label: str):
    """The form field labelled exactly `label` (required fields add " (required)" to the label)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(required\))?$"))


@pytest.fixture
def second_page(browser, hub_server):
    context = browser.new_context(base_url=hub_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_trainer_schedules_visitor_registers_downloads_ics_and_sees_attendance(page, second_page):
    trainer, visitor = page, second_page
    now = datetime.now(PROGRAM_TZ)
    title = f"Peer circle {secrets.token_hex(3)}"

    # The trainer schedules a biweekly series whose first date is today, already under way.
    sign_in(trainer, "trainer")
    trainer.get_by_role("navigation", name="Main").get_by_role("link", name="Schedule sessions").click()
    trainer.get_by_role("link", name="New series").click()
    expect(trainer.get_by_role("heading", level=1)).to_have_text("New session series")
    assert_accessible(trainer)
    field(trainer, "Kind").select_option(label="Connection Session")
    field(trainer, "Title").fill(title)
    field(trainer, "Description").fill("Visitors share what worked this fortnight.")
    field(trainer, "Who may register").select_option(label="All members")
    field(trainer, "Seats per session").fill("12")
    field(trainer, "Virtual join link").fill("https://meet.example.org/peer-circle")
    field(trainer, "Repeats").select_option(label="Every other week")
    field(trainer, "Weekday").select_option(label=now.strftime("%A"))
    field(trainer, "First date").fill(now.date().isoformat())
    field(trainer, "Last date").fill((now.date() + timedelta(weeks=10)).isoformat())
    field(trainer, "Start time (New York)").fill(f"{now.hour:02d}:00")
    field(trainer, "Length in minutes").fill("180")
    trainer.get_by_role("button", name="Schedule the series").click()
    expect(trainer.get_by_role("heading", level=1)).to_have_text(title)
    expect(trainer.get_by_text(f"{title} is scheduled.")).to_be_visible()
    expect(trainer.locator(".occurrence-card")).to_have_count(6)

    # The visitor finds it among the Connection Sessions and registers for the next date.
    sign_in(visitor, "visitor")
    visitor.get_by_role("navigation", name="Main").get_by_role("link", name="Sessions").click()
    visitor.get_by_label("Kind of session").select_option(label="Connection Session")
    visitor.get_by_role("button", name="Show").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Upcoming sessions")
    assert_accessible(visitor)
    visitor.get_by_role("link", name=title).first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    expect(visitor.get_by_text("12 seats left")).to_be_visible()
    expect(visitor.get_by_text("meet.example.org/peer-circle")).to_have_count(0)
    visitor.get_by_role("button", name="Register").click()
    expect(visitor.get_by_text("You're registered: your seat is confirmed.").first).to_be_visible()
    expect(visitor.get_by_role("link", name="https://meet.example.org/peer-circle")).to_be_visible()
    assert_accessible(visitor)
    occurrence_url = visitor.url

    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Add to my calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(open(download_info.value.path(), "rb").read())  # noqa: SIM115
    event = calendar.walk("VEVENT")[0]
    assert str(event["summary"]) == title
    start = event.decoded("dtstart")
    assert start.astimezone(PROGRAM_TZ).replace(minute=0) == now.replace(minute=0, second=0, microsecond=0)
    assert event.decoded("dtend") - start == timedelta(minutes=180)
    assert "meet.example.org/peer-circle" in str(event["description"])

    # The trainer marks attendance from the list of registrants.
    trainer.goto(occurrence_url)
    expect(trainer.get_by_role("heading", name="Registrants and attendance")).to_be_visible()
    assert_accessible(trainer)
    trainer.get_by_role("group", name="Attendance of Ana Ruiz").get_by_label("Attended").check()
    trainer.get_by_role("button", name="Save attendance").click()
    expect(trainer.get_by_text("Attendance saved (1 change).")).to_be_visible()

    # The visitor's own page shows it.
    visitor.goto("/sessions/mine/")
    card = visitor.locator(".occurrence-card", has_text=title)
    expect(card.get_by_text("Seat confirmed")).to_be_visible()
    expect(card.get_by_text("Attended")).to_be_visible()
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Month view").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Sessions in")
    assert_accessible(visitor)
