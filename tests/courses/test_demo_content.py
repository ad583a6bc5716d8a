"""The demo builds the courses from the content files once, and a malformed file stops `seed_demo`
before it writes anything, with one line naming the file and the field."""

import shutil

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from courses import content_loader
from courses.demo import ensure_course_content
from courses.errors import ContentError
from courses.models import CourseIndexPage, CoursePage, ModulePage, Scenario

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    """Rows in every table of every app: the whole database, roughly, for a before/after."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy}


@pytest.fixture
def malformed_content(tmp_path, monkeypatch):
    """The real content with one wrong choice mark, in place of courses/content/."""
    root = tmp_path / "content"
    shutil.copytree(content_loader.CONTENT_ROOT, root)
    module = root / "leap-101" / "03-first-contact-and-the-phone-call.md"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace('"""[x] Your name, that', '"""[ ] Your name, that'), encoding="utf-8")
    monkeypatch.setattr(content_loader, "CONTENT_ROOT", root)
    return module


def test_the_demo_builds_the_courses_and_scenarios_from_the_files_once(home_page, orgs):
    ensure_course_content()
    leap = CoursePage.objects.get(code="LEAP-101")
    modules = list(ModulePage.objects.child_of(leap).order_by("path"))
    assert [module.slug for module in modules] == [m.slug for m in content_loader.load_content().course("LEAP-101").modules]
    assert len(modules) == 8
    assert [m.district for m in modules] == [None] * 7 + [orgs["Hartford"]]  # Hartford's own module, limited
    assert leap.estimated_minutes == 180 and leap.requires_live_practice
    assert CourseIndexPage.objects.get().intro.startswith("<p>Training for home visitors")
    first_call = modules[2]
    assert [block.block_type for block in first_call.body] == [
        "text", "text", "text", "scenario", "knowledge_check", "reflection"]
    assert first_call.body[3].value["scenario"].slug == "first-visit-the-first-phone-call"
    check = first_call.body[4].value
    assert [[c["correct"] for c in q["choices"]] for q in check["questions"]][2] == [True, True, False, False]
    scenario = Scenario.objects.get(slug="first-visit-the-first-phone-call")
    assert scenario.coach_prompt_list[0].startswith("Pause. He asked “Is she in trouble?”")
    counts = row_counts()
    ensure_course_content()
    assert row_counts() == counts


def test_a_district_module_is_left_out_not_published_for_everyone_on_a_site_without_the_district(home_page):
    summary = ensure_course_content()  # no districts on this site
    leap = CoursePage.objects.get(code="LEAP-101")
    assert not ModulePage.objects.child_of(leap).filter(slug="visiting-in-hartford").exists()
    assert ModulePage.objects.child_of(leap).count() == 7
    assert "1 for a district or region not on this site left out" in summary


def test_a_malformed_content_file_writes_no_page_or_scenario(home_page, malformed_content):
    before = row_counts()
    with pytest.raises(ContentError):
        ensure_course_content()
    assert row_counts() == before


def test_seed_demo_with_a_malformed_content_file_stops_naming_the_file_and_field_and_changes_nothing(
        settings, malformed_content):
    settings.HUB_ALLOW_DEMO_DATA = True
    before = row_counts()
    with pytest.raises(CommandError) as stopped:
        call_command("seed_demo", quiet_logins=True)
    message = str(stopped.value)
    assert message.startswith(f"seed_demo stopped: {malformed_content}:")
    assert message.endswith(": questions[2].choices: mark at least one choice as correct with [x]")
    assert "\n" not in message
    # The people and organisations steps run before the courses step: the check came first.
    assert row_counts() == before
