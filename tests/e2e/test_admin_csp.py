"""A trainer works in the Wagtail admin under its own Content-Security-Policy: the dashboard, the LEAP 101
page editor (a field edited, the preview panel showing the page) and a module's StreamField editor load
with no CSP violation (the `page` fixture fails the test on any)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import hub_python, sign_in

pytestmark = pytest.mark.browser


def page_id(hub_env, slug: str) -> int:
    out = hub_python(hub_env, f"from wagtail.models import Page; print(Page.objects.get(slug='{slug}').pk)")
    return int(out.strip().splitlines()[-1])


def test_trainer_opens_the_admin_dashboard_and_edits_leap_101_with_no_csp_violation(page, hub_env):
    course = page_id(hub_env, "leap-101")
    sign_in(page, "trainer")  # two-step sign-in included (contract: sign_in completes it for demo accounts)

    response = page.goto("/admin/")
    assert response.status == 200
    admin_policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" in admin_policy and "'unsafe-eval'" not in admin_policy
    expect(page).to_have_title("Dashboard - Wagtail")

    page.goto(f"/admin/pages/{course}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("LEAP 101")
    title = page.locator("#id_title")
    title.fill("LEAP 101 (edited in the browser test)")
    expect(title).to_have_value("LEAP 101 (edited in the browser test)")

    # The preview panel frames the page under the page's own strict policy (frame-ancestors 'self').
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("iframe[title='Preview']").last  # Wagtail swaps in a freshly loaded iframe
    expect(preview.get_by_role("heading", level=1)).to_be_visible(timeout=20_000)

    # A module's StreamField (built by the editor's scripts) shows its blocks' fields.
    first_module = hub_python(hub_env, (
        "from courses.models import ModulePage; from wagtail.models import Page; "
        f"print(ModulePage.objects.child_of(Page.objects.get(pk={course})).order_by('path').first().pk)"
    )).strip().splitlines()[-1]
    page.goto(f"/admin/pages/{first_module}/edit/")
    expect(page.get_by_text("Estimated minutes").first).to_be_visible()
    expect(page.locator("[data-streamfield-stream-container]")).to_have_count(1)
    expect(page.locator("[data-streamfield-stream-container] [data-contentpath]").first).to_be_attached()

    # Back on the public site, with the editor's user bar, the strict policy applies and nothing is blocked.
    response = page.goto("/courses/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_be_visible()
