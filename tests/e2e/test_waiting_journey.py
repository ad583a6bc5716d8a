"""A Hartford coordinator opens the waiting list (issue 16, prioritisation), sees the most urgent student
first — severe absence, the longest wait — with a free visitor who speaks the family's language, assigns
a certified pair from the list and sees the student leave it."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def choose(card, label: str, name: str):
    select = card.get_by_label(label)
    select.select_option(select.locator("option", has_text=name).first.get_attribute("value"))


def test_coordinator_assigns_the_most_urgent_waiting_student_from_the_list(page):
    sign_in(page, "coordinator")
    page.goto("/coordinators/")
    page.get_by_role("navigation", name="Coordinator pages").get_by_role("link", name="Waiting for a visit").click()
    page.get_by_role("heading", name="Waiting for a visit in Hartford").wait_for()
    assert_accessible(page)

    first = page.locator("ol#waiting-cases > li").first
    # Mariana (demo): severely chronically absent and referred three months ago, ahead of this month's.
    assert first.get_by_role("heading", level=3).inner_text().startswith("Mariana L.")
    assert "Severely chronically absent" in first.inner_text()
    assert re.search(r"Waiting\s*\d{2,3} days", first.inner_text())
    assert "Speaks Spanish: Luis Ortega" in first.inner_text()
    free = page.get_by_role("table", name="Visitors free to take cases")
    assert "Luis Ortega" in free.inner_text() and "Marcus Bell" in free.inner_text()
    assert "Ana Ruiz" not in free.inner_text()  # still in training: not offered

    choose(first, "First visitor", "Luis Ortega")
    choose(first, "Second visitor", "Marcus Bell")
    first.get_by_role("button", name="Assign").click()
    page.get_by_text("Visitors assigned: Luis Ortega and Marcus Bell.").wait_for()
    page.get_by_role("heading", name="Waiting for a visit in Hartford").wait_for()
    assert page.get_by_role("link", name="Mariana L.", exact=True).count() == 0
    assert_accessible(page)

    page.goto("/coordinators/cases/?q=Mariana")
    page.get_by_role("link", name="Mariana L.", exact=True).click()
    page.get_by_text(re.compile("Assigned to (Marcus Bell and Luis Ortega|Luis Ortega and Marcus Bell)")).wait_for()
