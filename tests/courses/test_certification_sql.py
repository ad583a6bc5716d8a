"""The certification rule in SQL (`with_certification_state`) against the rule in Python
(`certification_statuses`), person by person, at every stage and at several moments."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from courses import services
from courses.models import Certificate, ModuleCompletion, ModulePage
from courses.selectors import (
    EXPIRING_WITHIN,
    STATE_FIELD,
    State,
    certification_statuses,
    with_certification_state,
)
from hub.models import Person
from hub.roles import VISITOR
from tests.courses.conftest import build_course, finish

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def certificate(person, course, *, issued, until, revoked=False):
    return Certificate.objects.create(person=person, course=course, issued_at=issued, valid_until=until,
                                      revoked_at=issued + timedelta(days=1) if revoked else None,
                                      revoke_reason="Left the program" if revoked else "")


@pytest.fixture
def stages(home_page, scenario, course, modules, make_person, orgs):
    """{stage name: person}: every stage the rule knows, and the edges between them."""
    other = build_course(home_page, scenario, code="SEHW-101", modules=1, practice=False)
    # Module 3 is optional; a fourth, unpublished required module does not count either.
    ModulePage.objects.filter(pk=modules[2].pk).update(required=False)
    hidden = modules[0].copy(to=course, update_attrs={"slug": "draft-module", "title": "Draft"}, keep_live=False)
    people = {}

    def person(stage):
        people[stage] = make_person(roles=[VISITOR], home_district=orgs["Hartford"])
        return people[stage]

    person("not started")
    services.enrollment_start(person=person("enrolled only"), course=course)
    finish(person("some modules"), course, modules[:1])
    ModuleCompletion.objects.create(person=person("a required module without enrollment"), module=modules[1],
                                    course=course, completed_at=NOW)
    ModuleCompletion.objects.create(person=person("only the optional module"), module=modules[2], course=course,
                                    completed_at=NOW)
    ModuleCompletion.objects.create(person=person("only an unpublished module"), module=hidden, course=course,
                                    completed_at=NOW)
    services.enrollment_start(person=person("enrolled in another course"), course=other)
    certificate(person("certified in another course only"), other, issued=NOW, until=NOW + timedelta(days=700))
    finish(person("certified"), course, modules)
    services.practice_credit_record(person=people["certified"], course_code="LEAP-101", source="test",
                                    source_ref="cert", attended_on=date.today())
    certificate(person("expiring soon"), course, issued=NOW - timedelta(days=700), until=NOW + timedelta(days=30))
    certificate(person("expires in exactly 60 days"), course, issued=NOW, until=NOW + EXPIRING_WITHIN)
    certificate(person("expires in 60 days and a second"), course, issued=NOW,
                until=NOW + EXPIRING_WITHIN + timedelta(seconds=1))
    certificate(person("expires right now"), course, issued=NOW - timedelta(days=730), until=NOW)
    certificate(person("expired"), course, issued=NOW - timedelta(days=800), until=NOW - timedelta(days=70))
    certificate(person("revoked"), course, issued=NOW - timedelta(days=10), until=NOW + timedelta(days=720),
                revoked=True)
    renewed = person("renewed after expiry")
    certificate(renewed, course, issued=NOW - timedelta(days=800), until=NOW - timedelta(days=70))
    certificate(renewed, course, issued=NOW - timedelta(days=5), until=NOW + timedelta(days=725))
    again = person("re-certified after revocation")
    certificate(again, course, issued=NOW - timedelta(days=300), until=NOW + timedelta(days=430), revoked=True)
    certificate(again, course, issued=NOW - timedelta(days=3), until=NOW + timedelta(days=727))
    lapsed = person("revoked long ago, later certificate expired")
    certificate(lapsed, course, issued=NOW - timedelta(days=1600), until=NOW - timedelta(days=870), revoked=True)
    certificate(lapsed, course, issued=NOW - timedelta(days=800), until=NOW - timedelta(days=70))
    older_valid = person("latest certificate revoked, an older one still valid")
    certificate(older_valid, course, issued=NOW - timedelta(days=100), until=NOW + timedelta(days=630))
    certificate(older_valid, course, issued=NOW - timedelta(days=2), until=NOW + timedelta(days=728), revoked=True)
    return people


MOMENTS = [timedelta(0), timedelta(days=-400), timedelta(days=45), timedelta(days=660), timedelta(days=3000)]


@pytest.mark.parametrize("shift", MOMENTS, ids=lambda d: f"now{d.days:+d}d")
def test_the_sql_state_equals_the_python_state_for_every_person(stages, shift):
    now = NOW + shift
    ids = [p.pk for p in stages.values()]
    expected = {pk: s.state for pk, s in certification_statuses(people=ids, course_code="LEAP-101", now=now).items()}
    got = dict(with_certification_state(Person.objects.filter(pk__in=ids), course_code="LEAP-101", now=now)
               .values_list("pk", STATE_FIELD))
    assert got == expected
    # And by name, so a failure says which stage drifted.
    assert {name: got[p.pk] for name, p in stages.items()} == {name: expected[p.pk] for name, p in stages.items()}


def test_every_stage_is_what_the_rule_says_today(stages):
    got = dict(with_certification_state(Person.objects.all(), course_code="LEAP-101", now=NOW)
               .values_list("pk", STATE_FIELD))
    assert {name: got[p.pk] for name, p in stages.items()} == {
        "not started": State.NOT_STARTED,
        "enrolled only": State.IN_PROGRESS,
        "some modules": State.IN_PROGRESS,
        "a required module without enrollment": State.IN_PROGRESS,
        "only the optional module": State.NOT_STARTED,
        "only an unpublished module": State.NOT_STARTED,
        "enrolled in another course": State.NOT_STARTED,
        "certified in another course only": State.NOT_STARTED,
        "certified": State.CERTIFIED,
        "expiring soon": State.EXPIRING_SOON,
        "expires in exactly 60 days": State.EXPIRING_SOON,
        "expires in 60 days and a second": State.CERTIFIED,
        "expires right now": State.EXPIRED,
        "expired": State.EXPIRED,
        "revoked": State.REVOKED,
        "renewed after expiry": State.CERTIFIED,
        "re-certified after revocation": State.CERTIFIED,
        "revoked long ago, later certificate expired": State.EXPIRED,
        "latest certificate revoked, an older one still valid": State.REVOKED,
    }


def test_filter_and_group_by_count_agree_with_the_python_rule(stages):
    ids = [p.pk for p in stages.values()]
    expected = Counter(s.state for s in certification_statuses(people=ids, course_code="LEAP-101", now=NOW).values())
    annotated = with_certification_state(Person.objects.filter(pk__in=ids), course_code="LEAP-101", now=NOW)
    counts = dict(annotated.order_by().values(STATE_FIELD).annotate(n=Count("pk")).values_list(STATE_FIELD, "n"))
    assert counts == dict(expected)
    for state in State.ORDER:
        assert annotated.filter(**{STATE_FIELD: state}).count() == expected.get(state, 0)


def test_an_unknown_course_is_not_started_for_everyone(stages):
    got = set(with_certification_state(Person.objects.all(), course_code="NOPE-1").values_list(STATE_FIELD, flat=True))
    assert got == {State.NOT_STARTED}


def test_the_annotation_costs_two_small_queries_and_a_filter_is_one_query(stages, django_assert_num_queries):
    with django_assert_num_queries(2):  # the course, its required modules
        annotated = with_certification_state(Person.objects.all(), course_code="LEAP-101", now=NOW)
    with django_assert_num_queries(1):
        assert annotated.filter(**{STATE_FIELD: State.REVOKED}).count() == 2


@pytest.fixture
def observed_stages(stages, course, modules, make_person, orgs, scenario):
    """Two more stages once the course asks for a coach's "ready": everything else done and a "practise
    again" (no certificate: in progress), then a "ready" (the certificate follows: certified)."""
    from courses.models import CoursePage
    from courses.selectors import PracticeFacts, practice_source_register
    from hub.roles import COACH

    CoursePage.objects.filter(pk=course.pk).update(requires_coach_observation=True)
    coach = make_person(roles=[COACH])
    again, ready = (make_person(roles=[VISITOR], home_district=orgs["Hartford"]) for _ in range(2))
    practice_source_register("sql-test", lambda *, source_ref: PracticeFacts(
        "LEAP-101", date.today(), True, False, frozenset({again.pk, ready.pk})))
    for person, outcome in ((again, "practise_again"), (ready, "ready")):
        finish(person, course, modules)
        services.practice_credit_record(person=person, course_code="LEAP-101", source="test",
                                        source_ref=f"obs-{person.pk}", attended_on=date.today())
        services.observation_record(by=coach.user, participant_id=person.pk, course_code="LEAP-101",
                                    scenario_id=scenario.pk, source="sql-test", source_ref="1", outcome=outcome)
    return {**stages, "modules and practice, coach said practise again": again,
            "modules, practice and a coach's ready": ready}


@pytest.mark.parametrize("shift", MOMENTS[:3], ids=lambda d: f"now{d.days:+d}d")
def test_with_a_coach_observation_required_the_sql_state_still_equals_the_python_state(observed_stages, shift):
    now = NOW + shift
    ids = [p.pk for p in observed_stages.values()]
    expected = {pk: s.state for pk, s in certification_statuses(people=ids, course_code="LEAP-101", now=now).items()}
    got = dict(with_certification_state(Person.objects.filter(pk__in=ids), course_code="LEAP-101", now=now)
               .values_list("pk", STATE_FIELD))
    assert {name: got[p.pk] for name, p in observed_stages.items()} == {
        name: expected[p.pk] for name, p in observed_stages.items()}
    if shift == timedelta(0):
        assert got[observed_stages["modules and practice, coach said practise again"].pk] == State.IN_PROGRESS
        assert got[observed_stages["modules, practice and a coach's ready"].pk] == State.CERTIFIED
