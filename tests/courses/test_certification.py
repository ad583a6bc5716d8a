"""The certification rule, certificates, revocation, expiry, renewal, and the batch status selector."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from courses import errors, services
from courses.models import Certificate, PracticeCredit
from courses.selectors import State, certification_status, certification_statuses
from hub.roles import VISITOR

pytestmark = pytest.mark.django_db


def practise(person, ref="att-1", now=None):
    return services.practice_credit_record(person=person, course_code="LEAP-101", source="training_sessions.attendance",
                                           source_ref=ref, attended_on=date.today(), now=now)


def status(person):
    return certification_status(person=person, course_code="LEAP-101")


def test_all_modules_without_live_practice_is_not_yet_a_certificate(visitor, course, modules, finish_course):
    finish_course(visitor, course, modules)
    assert not Certificate.objects.exists()
    assert status(visitor).state == State.IN_PROGRESS
    assert status(visitor).describe() == "LEAP 101 in progress, 3 of 3 modules"


def test_live_practice_attendance_completes_the_rule_and_issues_a_certificate_once(visitor, course, modules,
                                                                                   finish_course):
    finish_course(visitor, course, modules)
    practise(visitor)
    practise(visitor)  # the same attendance reported twice
    assert PracticeCredit.objects.count() == 1
    certificate = Certificate.objects.get()
    assert len(certificate.code) >= 20
    assert certificate.valid_until.date() == (certificate.issued_at + relativedelta(months=24)).date()
    assert status(visitor).state == State.CERTIFIED and status(visitor).is_current


def test_practice_before_modules_counts_when_the_last_module_is_completed(visitor, course, modules, finish_course):
    practise(visitor)
    assert not Certificate.objects.exists()
    finish_course(visitor, course, modules)
    assert Certificate.objects.count() == 1


def test_a_course_without_a_practice_requirement_certifies_on_modules_alone(home_page, scenario, visitor,
                                                                            finish_course):
    from courses.models import ModulePage
    from tests.courses.conftest import build_course

    other = build_course(home_page, scenario, code="SEHW-101", modules=2, practice=False, sequential=False)
    finish_course(visitor, other, list(ModulePage.objects.child_of(other).order_by("path")))
    assert certification_status(person=visitor, course_code="SEHW-101").state == State.CERTIFIED
    assert status(visitor).state == State.NOT_STARTED


def test_an_unknown_course_code_is_refused(visitor):
    with pytest.raises(errors.UnknownCourse):
        services.practice_credit_record(person=visitor, course_code="NOPE", source="s", source_ref="1",
                                        attended_on=date.today())


def test_revoked_and_expired_certificates_stop_counting_at_once(visitor, course, modules, finish_course, make_person,
                                                                orgs):
    finish_course(visitor, course, modules)
    practise(visitor)
    certificate = Certificate.objects.get()
    assert status(visitor).is_current
    just_after = certificate.valid_until + timedelta(minutes=1)
    assert certification_status(person=visitor, course_code="LEAP-101", now=just_after).state == State.EXPIRED
    soon = certificate.valid_until - timedelta(days=30)
    assert certification_status(person=visitor, course_code="LEAP-101", now=soon).state == State.EXPIRING_SOON
    with pytest.raises(errors.CertificateError, match="reason"):
        services.certificate_revoke(certificate=certificate, by=None, reason="  ")
    services.certificate_revoke(certificate=certificate, by=None, reason="Left the program")
    assert status(visitor).state == State.REVOKED and not status(visitor).is_current


def test_renewal_after_expiry_needs_the_refresher_path_again(visitor, course, modules, finish_course):
    long_ago = timezone.now() - relativedelta(months=25)
    services.enrollment_start(person=visitor, course=course)
    from courses.demo import complete_module

    for module in modules:
        complete_module(visitor, module, long_ago)
    practise(visitor, now=long_ago)
    assert status(visitor).state == State.EXPIRED
    # The refresher path is module 1 only (in_refresher); completing module 2 again is not enough.
    complete_module(visitor, modules[1], None)
    assert status(visitor).state == State.EXPIRED
    complete_module(visitor, modules[0], None)
    assert status(visitor).state == State.CERTIFIED
    assert Certificate.objects.filter(person=visitor).count() == 2


def test_withdrawn_practice_credit_no_longer_counts_for_a_new_certificate(visitor, course, modules, finish_course):
    practise(visitor, ref="att-9")
    assert services.practice_credit_withdraw(source="training_sessions.attendance", source_ref="att-9")
    finish_course(visitor, course, modules)
    assert not Certificate.objects.exists()


def test_batch_status_answers_for_every_stage(course, modules, finish_course, make_person, orgs):
    people = [make_person(roles=[VISITOR], home_district=orgs["Hartford"]) for _ in range(4)]
    services.enrollment_start(person=people[1], course=course)
    finish_course(people[2], course, modules[:2])
    finish_course(people[3], course, modules)
    practise(people[3])
    got = certification_statuses(people=people, course_code="LEAP-101")
    assert [got[p.pk].state for p in people] == [State.NOT_STARTED, State.IN_PROGRESS, State.IN_PROGRESS,
                                                 State.CERTIFIED]
    assert got[people[2].pk].describe() == "LEAP 101 in progress, 2 of 3 modules"


def test_batch_status_takes_the_same_number_of_queries_for_1_and_for_500_people(
        course, modules, finish_course, make_person, orgs, django_assert_num_queries):
    from hub.models import Person

    first = make_person(roles=[VISITOR], home_district=orgs["Hartford"])
    finish_course(first, course, modules)
    practise(first)
    with django_assert_num_queries(7) as one:  # the course, modules, completions, enrolments, certificates,
        # practice, open renewals
        certification_statuses(people=[first.pk], course_code="LEAP-101")
    # 499 more people at mixed stages, made in bulk to keep the test quick.
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"bulk{i}") for i in range(499)])
    Person.objects.bulk_create([Person(user=u, home_district=orgs["Hartford"]) for u in users])
    ids = list(Person.objects.values_list("pk", flat=True))
    assert len(ids) == 500
    for person in Person.objects.filter(pk__in=ids[1:20]):
        finish_course(person, course, modules[:1])
    with django_assert_num_queries(len(one.captured_queries)):
        result = certification_statuses(people=ids, course_code="LEAP-101")
    assert len(result) == 500
    assert result[first.pk].state == State.CERTIFIED
