"""A small published course built the way the demo builds LEAP 101, and people to take it."""

import pytest

from courses.demo import _publish, complete_module
from courses.models import CourseIndexPage, CoursePage, ModulePage, Scenario
from hub.roles import COORDINATOR, VISITOR

CHECK = {
    "type": "knowledge_check",
    "value": {
        "title": "Check your understanding",
        "pass_mark": 100,
        "questions": [
            {"prompt": "Who decides whether a home visit happens?", "explanation": "Visits are voluntary: the family decides.",
             "choices": [{"text": "The family", "correct": True}, {"text": "The attendance officer", "correct": False}]},
            {"prompt": "How many visitors go to a visit?", "explanation": "Visitors go in pairs.",
             "choices": [{"text": "One", "correct": False}, {"text": "Two", "correct": True},
                         {"text": "Three", "correct": False}]},
        ],
    },
}


def module_body(n, scenario=None):
    body = [{"type": "text", "value": f"<h3>Part {n}</h3><p>Listening to a family's hopes for their child.</p>"}]
    if scenario:
        body.append({"type": "scenario", "value": {"scenario": scenario.pk, "how_to_use": "Practise the opening."}})
    body += [CHECK, {"type": "reflection", "value": {"prompt": "What will you ask first?", "guidance": "Be honest."}}]
    return body


@pytest.fixture
def scenario(db):
    return Scenario.objects.create(
        slug="first-visit-kitchen-table", title="A first visit at the kitchen table", stage="first_visit",
        setting="The family's kitchen, 5:30 pm.", family_situation="A grandmother raising two grandchildren.",
        role_visitor_a="Lead the introductions.", role_visitor_b="Listen and take no notes.",
        role_parent="Wary at first; warms up if asked about the children's strengths.",
        role_student="Not present.", opening="Thank her for having you.",
        coach_prompts="Pause: what did you hear?\nTry an open question.", debrief_questions="What built trust?",
    )


def build_course(home_page, scenario, *, code="LEAP-101", modules=3, sequential=True, practice=True,
                 refresher=(0,)):
    index = CourseIndexPage.objects.first() or _publish(home_page, CourseIndexPage(title="Courses", slug="courses"))
    course = _publish(index, CoursePage(title=f"{code} course", slug=code.lower(), code=code,
                                        summary="Before your first visit.", audience="New home visitors",
                                        estimated_minutes=90, sequential=sequential,
                                        requires_live_practice=practice, certificate_valid_months=24))
    for n in range(modules):
        _publish(course, ModulePage(title=f"Module {n + 1}", slug=f"module-{n + 1}", estimated_minutes=15,
                                    in_refresher=n in refresher, body=module_body(n + 1, scenario if n == 0 else None)))
    return course


@pytest.fixture
def course(home_page, scenario):
    return build_course(home_page, scenario)


@pytest.fixture
def modules(course):
    return list(ModulePage.objects.child_of(course).live().order_by("path"))


@pytest.fixture
def visitor(orgs, make_person):
    return make_person("ana", roles=[VISITOR], first_name="Ana", last_name="Ruiz", home_district=orgs["Hartford"])


@pytest.fixture
def coordinator(orgs, make_person):
    return make_person("carla", roles=[COORDINATOR], home_district=orgs["Hartford"])


def right_answers():
    return {0: [0], 1: [1]}


def finish(person, course, modules, when=None):
    from courses import services

    services.enrollment_start(person=person, course=course)
    for module in modules:
        complete_module(person, module, when)


@pytest.fixture
def finish_course():
    return finish
