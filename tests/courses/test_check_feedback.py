"""Knowledge-check feedback: which questions to look at again (and the section to re-read), never the right
answer, until the check is passed or the trainer's number of tries has gone by. Read from the response body."""

import copy

import pytest
from django.urls import reverse

from courses import services
from courses.demo import _publish
from courses.grading import DEFAULT_REVEAL_AFTER, answers_shown
from courses.models import ModulePage
from tests.courses.conftest import CHECK

pytestmark = pytest.mark.django_db

EXPLANATIONS = ("Visits are voluntary: the family decides.", "Visitors go in pairs.")


@pytest.fixture
def signed_in(client, visitor):
    client.force_login(visitor.user)
    return client


def module_with(course, **check_fields):
    """A fourth module whose check has these fields (reveal_after, a review section per question)."""
    check = copy.deepcopy(CHECK)
    reviews = check_fields.pop("reviews", None)
    check["value"].update(check_fields)
    if reviews:
        for question, review in zip(check["value"]["questions"], reviews, strict=True):
            question["review"] = review
    return _publish(course, ModulePage(title="Module 4", slug="module-4", body=[check], required=False))


def answer(client, module, answers: dict) -> str:
    check = module.knowledge_checks()[0].id
    data = {f"q{n}": picks for n, picks in answers.items()}
    return client.post(reverse("courses:check_submit", args=[module.pk, check]), data, follow=True).content.decode()


WRONG = {0: ["0"], 1: ["2"]}  # question 1 right, question 2 wrong
RIGHT = {0: ["0"], 1: ["1"]}


def test_a_wrong_answer_names_the_question_and_the_section_to_re_read_and_not_the_answer(
        signed_in, visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    module = module_with(course, reveal_after=3, reviews=["Who decides", "Going in pairs"])
    course.sequential = False
    course.save_revision().publish()
    html = answer(signed_in, module, WRONG)
    assert "Look again at question 2</a>, and re-read “Going in pairs”." in html
    assert "Look again at question 1" not in html
    assert not any(text in html for text in EXPLANATIONS)
    assert "(a right answer)" not in html and "Not right yet." not in html
    assert "or after 2 more tries" in html
    assert html.count("Look again at question") == 1  # said once, not twice


def test_the_right_answers_show_after_the_trainers_number_of_tries(signed_in, visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    module = module_with(course, reveal_after=2)
    course.sequential = False
    course.save_revision().publish()
    assert "Visitors go in pairs." not in answer(signed_in, module, WRONG)
    html = answer(signed_in, module, WRONG)
    assert "Not right yet. Visitors go in pairs." in html and "(a right answer)" in html
    html = answer(signed_in, module, RIGHT)
    assert "passed." in html and "Right. Visitors go in pairs." in html


def test_with_zero_tries_only_passing_shows_the_answers(signed_in, visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    module = module_with(course, reveal_after=0)
    course.sequential = False
    course.save_revision().publish()
    for _ in range(5):
        html = answer(signed_in, module, WRONG)
    assert not any(text in html for text in EXPLANATIONS) and "The right answers are shown once you pass." in html
    html = answer(signed_in, module, RIGHT)
    assert all(text in html for text in EXPLANATIONS)


def test_a_check_saved_before_the_setting_existed_uses_the_default():
    assert DEFAULT_REVEAL_AFTER == 3
    assert not answers_shown({}, tries=2, passed=False) and answers_shown({}, tries=3, passed=False)
    assert answers_shown({"reveal_after": 0}, tries=0, passed=True)
    assert not answers_shown({"reveal_after": 0}, tries=99, passed=False)
