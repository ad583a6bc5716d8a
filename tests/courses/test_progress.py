"""Enrolling, answering knowledge checks (graded on the server), completing modules, reflections."""

import pytest

from courses import errors, services
from courses.models import Enrollment, KnowledgeCheckAttempt, ModuleCompletion, Reflection
from courses.selectors import course_progress

pytestmark = pytest.mark.django_db


def check_id(module):
    return module.knowledge_checks()[0].id


def test_enrolling_twice_keeps_one_enrollment(visitor, course):
    services.enrollment_start(person=visitor, course=course)
    services.enrollment_start(person=visitor, course=course)
    assert Enrollment.objects.filter(person=visitor).count() == 1


def test_a_wrong_answer_fails_the_check_says_which_and_why_and_leaves_the_module_incomplete(visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    result = services.knowledge_check_submit(person=visitor, module_id=modules[0].pk, check_id=check_id(modules[0]),
                                             answers={"0": ["0"], "1": ["0"]})
    assert not result.passed and result.score == 50
    assert [q.number for q in result.wrong] == [1]
    assert result.wrong[0].explanation == "Visitors go in pairs."
    with pytest.raises(errors.ChecksNotPassed):
        services.module_complete(person=visitor, module_id=modules[0].pk)
    assert not ModuleCompletion.objects.exists()


def test_passing_the_check_lets_the_module_complete_and_the_progress_bar_move(visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    result = services.knowledge_check_submit(person=visitor, module_id=modules[0].pk,
                                             check_id=check_id(modules[0]), answers={0: [0], 1: [1]})
    assert result.passed and result.score == 100
    services.module_complete(person=visitor, module_id=modules[0].pk)
    progress = course_progress(person=visitor, course=course)
    assert (progress.required_done, progress.required_total, progress.percent) == (1, 3, 33)
    assert progress.next_module == modules[1]


def test_modules_unlock_in_order_when_the_course_is_sequential(visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    with pytest.raises(errors.ModuleLocked):
        services.knowledge_check_submit(person=visitor, module_id=modules[2].pk, check_id=check_id(modules[2]),
                                        answers={0: [0], 1: [1]})
    assert not KnowledgeCheckAttempt.objects.exists()


def test_answers_need_an_enrollment_a_published_module_and_a_real_module_id(visitor, course, modules):
    with pytest.raises(errors.NotEnrolled):
        services.knowledge_check_submit(person=visitor, module_id=modules[0].pk, check_id=check_id(modules[0]),
                                        answers={0: [0], 1: [1]})
    services.enrollment_start(person=visitor, course=course)
    for forged in (999999, "abc", None):
        with pytest.raises(errors.NotAvailable):
            services.knowledge_check_submit(person=visitor, module_id=forged, check_id="x", answers={0: [0]})
    course.unpublish()
    with pytest.raises(errors.NotAvailable):
        services.knowledge_check_submit(person=visitor, module_id=modules[0].pk, check_id=check_id(modules[0]),
                                        answers={0: [0], 1: [1]})
    assert not KnowledgeCheckAttempt.objects.exists()


@pytest.mark.parametrize("answers, message", [
    ({0: [0]}, "question 2 has no answer"),
    ({0: [0], 1: [7]}, "do not match"),
    ({0: [0], 5: [1]}, "do not match"),
    ({0: ["x"], 1: [1]}, "could not be read"),
])
def test_malformed_answers_are_refused_and_nothing_is_recorded(visitor, course, modules, answers, message):
    services.enrollment_start(person=visitor, course=course)
    with pytest.raises(errors.InvalidAnswers, match=message):
        services.knowledge_check_submit(person=visitor, module_id=modules[0].pk, check_id=check_id(modules[0]),
                                        answers=answers)
    assert not KnowledgeCheckAttempt.objects.exists()


def test_a_reflection_is_saved_privately_and_a_huge_one_is_refused(visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    block_id = next(b.id for b in modules[0].body if b.block_type == "reflection")
    services.reflection_save(person=visitor, module_id=modules[0].pk, block_id=block_id, text="Ask about her garden.")
    with pytest.raises(errors.ReflectionTooLong, match="the limit is 5,000"):
        services.reflection_save(person=visitor, module_id=modules[0].pk, block_id=block_id, text="x" * 1_000_000)
    assert Reflection.objects.get().text == "Ask about her garden."


def test_resuming_goes_back_to_the_last_module_visited(visitor, course, modules, finish_course):
    finish_course(visitor, course, modules[:1])
    services.module_visit(person=visitor, module=modules[1], course=course)
    progress = course_progress(person=visitor, course=course)
    assert progress.resume == modules[1] and progress.next_module == modules[1]
