"""The course pages a visitor uses, and the certificate pages anyone can check."""

from datetime import date

import pytest
from django.urls import reverse

from courses import services
from courses.models import Certificate, KnowledgeCheckAttempt, ModuleCompletion, Reflection
from hub.roles import TRAINER, VISITOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, visitor):
    client.force_login(visitor.user)
    return client


def certify(person, course, modules, finish_course):
    finish_course(person, course, modules)
    services.practice_credit_record(person=person, course_code="LEAP-101", source="test", source_ref=f"p{person.pk}",
                                    attended_on=date.today())
    return Certificate.objects.get(person=person)


def test_the_course_page_invites_enrolment_then_shows_progress(signed_in, course, modules):
    html = signed_in.get(course.url).content.decode()
    assert "Start this course" in html and "Module 1" in html
    response = signed_in.post(reverse("courses:enroll", args=[course.pk]))
    assert response.status_code == 302 and response["Location"] == modules[0].url
    html = signed_in.get(course.url).content.decode()
    assert "0 of 3 required modules (0%)" in html
    assert 'value="0"' in html  # the <progress> bar


def test_a_module_page_shows_text_scenario_check_and_reflection(signed_in, visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    html = signed_in.get(modules[0].url).content.decode()
    assert "Listening to a family" in html
    assert "Role play: A first visit at the kitchen table" in html
    assert "Who decides whether a home visit happens?" in html
    assert "What will you ask first?" in html
    assert "Pass this module's knowledge check to complete it." in html


def test_a_locked_or_unenrolled_module_sends_the_visitor_back_to_the_course(signed_in, visitor, course, modules):
    assert signed_in.get(modules[0].url)["Location"] == course.url
    services.enrollment_start(person=visitor, course=course)
    assert signed_in.get(modules[2].url)["Location"] == course.url


def test_failing_the_check_in_the_browser_flow_says_which_question_to_look_at_again_without_the_answer(
        signed_in, visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    check = modules[0].knowledge_checks()[0].id
    response = signed_in.post(reverse("courses:check_submit", args=[modules[0].pk, check]), {"q0": "0", "q1": "2"},
                              follow=True)
    html = response.content.decode()
    assert "Your last answers: 50% — not passed yet (the pass mark is 100%)." in html
    assert html.count("Look again at question 2") == 1 and "Look again at question 1" not in html
    assert "Visitors go in pairs." not in html  # the explanation gives the answer away: not yet
    response = signed_in.post(reverse("courses:module_complete", args=[modules[0].pk]), follow=True)
    assert "Pass this module" in response.content.decode()
    assert not ModuleCompletion.objects.exists()


def test_passing_and_completing_moves_on_to_the_next_module(signed_in, visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    check = modules[0].knowledge_checks()[0].id
    signed_in.post(reverse("courses:check_submit", args=[modules[0].pk, check]), {"q0": "0", "q1": "1"})
    response = signed_in.post(reverse("courses:module_complete", args=[modules[0].pk]))
    assert response["Location"] == modules[1].url
    assert ModuleCompletion.objects.filter(person=visitor).count() == 1


@pytest.mark.parametrize("target", ["forged", "unpublished", "locked"])
def test_answers_for_forged_unpublished_or_locked_modules_are_refused_and_not_recorded(signed_in, visitor, course,
                                                                                       modules, target):
    services.enrollment_start(person=visitor, course=course)
    module = modules[2] if target == "locked" else modules[0]
    check = module.knowledge_checks()[0].id
    module_id = 987654 if target == "forged" else module.pk
    if target == "unpublished":
        course.unpublish()
    response = signed_in.post(reverse("courses:check_submit", args=[module_id, check]), {"q0": "0", "q1": "1"})
    assert response.status_code == (403 if target == "locked" else 404)
    assert not KnowledgeCheckAttempt.objects.exists()


def test_a_one_megabyte_reflection_is_refused_with_the_limit(signed_in, visitor, course, modules):
    services.enrollment_start(person=visitor, course=course)
    block = next(b.id for b in modules[0].body if b.block_type == "reflection")
    response = signed_in.post(reverse("courses:reflection_submit", args=[modules[0].pk, block]),
                              {"text": "x" * 1_000_000})
    assert response.status_code == 400
    assert "the limit is 5,000" in response.content.decode()
    assert not Reflection.objects.exists()


def test_reflections_are_private_to_their_author(client, visitor, course, modules, make_person, orgs):
    services.enrollment_start(person=visitor, course=course)
    block = next(b.id for b in modules[0].body if b.block_type == "reflection")
    services.reflection_save(person=visitor, module_id=modules[0].pk, block_id=block, text="My private worry")
    other = make_person(roles=[VISITOR], home_district=orgs["Hartford"])
    services.enrollment_start(person=other, course=course)
    client.force_login(other.user)
    assert "My private worry" not in client.get(modules[0].url).content.decode()
    client.force_login(visitor.user)
    assert "My private worry" in client.get(modules[0].url).content.decode()


def test_my_training_lists_every_course_with_state_and_next_step(signed_in, visitor, course, modules, finish_course):
    finish_course(visitor, course, modules[:1])
    html = signed_in.get(reverse("courses:my_training")).content.decode()
    assert "LEAP 101 in progress, 1 of 3 modules" in html
    assert "Continue: Module 2" in html


def test_the_public_verification_page_shows_only_name_course_and_dates(client, visitor, course, modules,
                                                                       finish_course):
    certificate = certify(visitor, course, modules, finish_course)
    html = client.get(reverse("courses:certificate_verify", args=[certificate.code])).content.decode()
    assert "Test Ana" in html or "Ana Ruiz" in html
    assert "LEAP-101" in html and "Valid until" in html
    assert "Hartford" not in html and "ana@example.org" not in html
    services.certificate_revoke(certificate=certificate, by=None, reason="Left the program")
    html = client.get(reverse("courses:certificate_verify", args=[certificate.code])).content.decode()
    assert "Revoked" in html and "Left the program" not in html


def test_guessed_certificate_codes_get_404(client, visitor, course, modules, finish_course):
    certificate = certify(visitor, course, modules, finish_course)
    for code in ("AAAAAAAAAAAAAAAAAAAAAA", certificate.code[:-1] + "x", "x" * 500, "1"):
        assert client.get(reverse("courses:certificate_verify", args=[code])).status_code == 404


def test_the_certificate_pdf_is_for_its_holder_and_carries_the_verification_address(
        client, visitor, course, modules, finish_course, make_person, orgs):
    certificate = certify(visitor, course, modules, finish_course)
    client.force_login(visitor.user)
    response = client.get(reverse("courses:certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    other = make_person(roles=[VISITOR], home_district=orgs["Hartford"])
    client.force_login(other.user)
    assert client.get(reverse("courses:certificate_pdf", args=[certificate.code])).status_code == 404


def test_trainers_revoke_with_a_reason_and_visitors_cannot(client, visitor, course, modules, finish_course,
                                                           make_person):
    certificate = certify(visitor, course, modules, finish_course)
    client.force_login(visitor.user)
    url = reverse("courses:certificate_revoke", args=[certificate.code])
    assert client.post(url, {"reason": "self-revoke"}).status_code == 403
    client.force_login(make_person(roles=[TRAINER]).user)
    client.post(url, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    client.post(url, {"reason": "Certificate issued in error"})
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Certificate issued in error"


def test_the_module_page_query_count_does_not_grow_with_history(signed_in, visitor, course, modules,
                                                                django_assert_max_num_queries):
    services.enrollment_start(person=visitor, course=course)
    signed_in.get(modules[0].url)  # warm the body cache and the resume pointer
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert signed_in.get(modules[0].url).status_code == 200
    check = modules[0].knowledge_checks()[0].id
    for _ in range(15):
        services.knowledge_check_submit(person=visitor, module_id=modules[0].pk, check_id=check,
                                        answers={0: [1], 1: [0]})
    with django_assert_max_num_queries(len(first.captured_queries)):
        signed_in.get(modules[0].url)


def test_trainers_edit_modules_and_scenarios_in_the_wagtail_admin_and_visitors_cannot(client, visitor, modules,
                                                                                        scenario, make_person):
    trainer = make_person(roles=[TRAINER])
    client.force_login(trainer.user)
    assert client.get(f"/admin/pages/{modules[0].pk}/edit/").status_code == 200
    assert client.get("/admin/snippets/courses/scenario/").status_code == 200
    assert client.get(f"/admin/snippets/courses/scenario/edit/{scenario.pk}/").status_code == 200
    client.force_login(visitor.user)
    response = client.get(f"/admin/pages/{modules[0].pk}/edit/")
    assert response.status_code == 302 and "login" in response["Location"]
