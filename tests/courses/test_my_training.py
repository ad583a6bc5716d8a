"""My training tells the whole story: every requirement of the certification rule with its state, read
from the rule itself (`CertificationStatus.requirements`), so the page, the gate and certificate issue agree."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordinators.selectors.eligibility import person_eligibility
from courses import services
from courses.models import Certificate, ModuleCompletion, ModulePage
from courses.selectors import Need, certification_status
from hub.dates import day_label
from hub.roles import TRAINER
from tests.courses.conftest import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, visitor):
    client.force_login(visitor.user)
    return client


def page(client) -> str:
    response = client.get(reverse("courses:my_training"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_rule_lists_each_module_with_its_completion_time_and_the_live_practice(visitor, course, modules,
                                                                                    finish_course):
    finish_course(visitor, course, modules[:1])
    status = certification_status(person=visitor, course_code="LEAP-101")
    needs = status.requirements
    assert [(n.kind, n.title, n.done) for n in needs] == [
        (Need.MODULE, "Module 1", True), (Need.MODULE, "Module 2", False), (Need.MODULE, "Module 3", False),
        (Need.PRACTICE, "Live practice", False)]
    assert needs[0].on == ModuleCompletion.objects.get(person=visitor).completed_at and needs[1].on is None
    assert status.missing == ("Module 2", "Module 3") and status.practice_missing and not status.rule_met


def test_the_gate_reads_the_same_requirements_the_page_shows(visitor, course, modules, finish_course, orgs):
    finish_course(visitor, course, modules)
    refusal = person_eligibility(person=visitor, district=orgs["Hartford"])
    assert [r.code for r in refusal.reasons if r.code.startswith("practice")] == ["practice_missing"]
    assert not Certificate.objects.exists()
    services.practice_credit_record(person=visitor, course_code="LEAP-101", source="test", source_ref="1",
                                    attended_on=date(2026, 3, 4))
    status = certification_status(person=visitor, course_code="LEAP-101")
    assert status.rule_met and status.requirements[-1].on == date(2026, 3, 4)
    assert Certificate.objects.filter(person=visitor).count() == 1  # issue asks the same `rule_met`
    assert not [r for r in person_eligibility(person=visitor, district=orgs["Hartford"]).reasons
                if r.code in ("modules_missing", "practice_missing")]


def test_my_training_shows_each_module_done_with_its_day_and_the_practice_still_to_do(signed_in, visitor, course,
                                                                                      modules, finish_course):
    finish_course(visitor, course, modules[:1])
    html = page(signed_in)
    done_on = day_label(ModuleCompletion.objects.get(person=visitor).completed_at)
    assert f"Module 1: done on {done_on}" in html
    assert "Module 2: not yet" in html and "Module 3: not yet" in html
    assert "Live practice: not yet." in html
    assert f'href="{reverse("training_sessions:upcoming")}?kind=leap101"' in html  # where to register
    assert "Continue: Module 2" in html


def test_after_the_live_practice_my_training_says_on_which_day(signed_in, visitor, course, modules,
                                                               finish_course):
    finish_course(visitor, course, modules[:2])
    when = timezone.localdate() - timedelta(days=3)
    services.practice_credit_record(person=visitor, course_code="LEAP-101", source="test", source_ref="p",
                                    attended_on=when)
    html = page(signed_in)
    assert f"Live practice: attended on {day_label(when)}" in html
    assert "Live practice: not yet" not in html
    assert "Continue: Module 3" in html


def test_an_open_renewal_lists_the_refresher_modules_as_done_again_or_not(signed_in, visitor, course, modules,
                                                                          finish_course, make_person):
    finish_course(visitor, course, modules)
    services.practice_credit_record(person=visitor, course_code="LEAP-101", source="test", source_ref="p",
                                    attended_on=timezone.localdate())
    certificate = Certificate.objects.get(person=visitor)
    trainer = make_person("tomas", roles=[TRAINER])
    services.certificate_revoke(certificate=certificate, by=trainer.user, reason="Checked by mistake")
    services.renewal_open(person=visitor, course=course, by=trainer.user, reason="Take the refresher")
    html = page(signed_in)
    assert "Your renewal needs" in html and "Module 1: not yet" in html  # module 1 is the refresher path
    assert "Module 1: done on" in html  # the first time round still shows


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client)
    return len(queries)


# The session, user, roles, profile, site and navigation's permissions (these last cached after a first read),
# then 4 for the courses (courses, modules, completions, enrollments), 5 for the rule and 1 for booked practice,
# and 2 for "Who it is for": the person's districts (`training_audience`) and their districts' own modules
# (`district_requirements`; a third, the completions of those, only where a district has one).
MY_TRAINING_QUERIES = 20


def test_my_training_takes_the_same_queries_however_many_courses_modules_and_sessions(
        signed_in, visitor, course, modules, finish_course, home_page, scenario):
    finish_course(visitor, course, modules[:1])
    page(signed_in)  # the first request of a session writes it
    small = _count(signed_in)
    other = build_course(home_page, scenario, code="SEHW-101", modules=6, practice=False)
    finish_course(visitor, other, list(ModulePage.objects.child_of(other).live().order_by("path"))[:4])
    build_course(home_page, scenario, code="MHFA-101", modules=5)
    for n in range(3):
        services.practice_credit_record(person=visitor, course_code="LEAP-101", source="test", source_ref=f"p{n}",
                                        attended_on=date(2026, 1, 1 + n))
    big = _count(signed_in)
    assert big <= small <= MY_TRAINING_QUERIES


def test_the_rule_for_many_courses_and_people_is_the_same_seven_queries(visitor, course, modules, home_page,
                                                                        scenario, make_person, orgs):
    from courses.selectors import certification_statuses_by_course

    build_course(home_page, scenario, code="SEHW-101", modules=4, practice=False)
    people = [visitor] + [make_person(f"v{n}", home_district=orgs["Hartford"]) for n in range(4)]
    with CaptureQueriesContext(connection) as queries:
        found = certification_statuses_by_course(people=people, course_codes=["LEAP-101", "SEHW-101", "NOPE"],
                                                 now=datetime.now(tz=timezone.get_current_timezone()))
    assert len(queries) == 7
    assert found["SEHW-101"][visitor.pk].total == 4 and found["NOPE"][visitor.pk].state == "not_started"
    assert not any(n.kind == Need.PRACTICE for n in found["SEHW-101"][visitor.pk].requirements)
