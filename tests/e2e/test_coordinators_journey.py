"""A Hartford coordinator finds who is trained, is refused an unfinished visitor, assigns a certified
pair; one of them logs a visit from a phone; the district dashboard counts it."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def sign_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.context.clear_cookies()


def visits_on_dashboard(page) -> int:
    page.goto("/coordinators/dashboard/")
    return int(page.locator("#fig-visits").inner_text().replace(",", ""))


def choose(page, field: str, name: str):
    value = page.locator(f"#id_{field} option", has_text=name).first.get_attribute("value")
    page.locator(f"#id_{field}").select_option(value)


def test_coordinator_assigns_a_certified_pair_and_a_visitor_logs_a_visit(page):
    sign_in(page, "coordinator")
    page.goto("/coordinators/")
    page.get_by_role("heading", name="Who is trained").wait_for()
    ana = page.get_by_role("row", name=re.compile("Ana Ruiz"))
    assert "LEAP 101 in progress, 4 of 7 modules" in ana.inner_text()
    assert "Marcus Bell" in page.content()
    assert_accessible(page)

    before = visits_on_dashboard(page)

    page.goto("/coordinators/cases/?status=accepted")
    page.get_by_role("link", name="Sofia M.", exact=True).click()
    page.get_by_role("heading", name=re.compile("Sofia M.")).wait_for()
    assert_accessible(page)

    choose(page, "visitor_1", "Ana Ruiz")
    choose(page, "visitor_2", "Marcus Bell")
    page.get_by_role("button", name="Assign").click()
    refusal = page.get_by_role("alert")
    refusal.wait_for()
    # The refusal names the person and what is left, in the eligibility rule's own words.
    assert "Ana Ruiz still has 3 LEAP 101 modules to finish" in refusal.inner_text()
    assert "After the visit: the visit log, reflection and self-care" in refusal.inner_text()

    choose(page, "visitor_1", "Marcus Bell")
    choose(page, "visitor_2", "Luis Ortega")
    page.get_by_role("button", name="Assign").click()
    page.get_by_text("Visitors assigned: Marcus Bell and Luis Ortega.").wait_for()
    sign_out(page)

    sign_in(page, "marcus")
    page.goto("/coordinators/mine/")
    page.get_by_role("link", name="Sofia M.", exact=True).click()
    page.get_by_role("link", name="Log a visit").click()
    page.get_by_label("Kind of contact").select_option(label="Home visit")
    page.get_by_label("Where").select_option(label="Home")
    page.get_by_label("Marcus Bell").check()
    page.get_by_label("Luis Ortega").check()
    page.get_by_label("Childcare for siblings").check()
    page.get_by_label("Transportation").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Next step").fill("Call on Friday after 5 pm")
    page.get_by_role("button", name="Log the visit").click()
    page.get_by_text("Visit #1 is logged.").wait_for()
    visit = page.locator(".visit").first
    assert "Childcare for siblings" in visit.inner_text() and "Transportation" in visit.inner_text()
    sign_out(page)

    sign_in(page, "coordinator")
    assert visits_on_dashboard(page) == before + 1
    assert "Childcare for siblings" in page.locator("section.chart", has_text="Most frequent barriers").inner_text()
    assert_accessible(page)
