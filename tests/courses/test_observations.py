"""Coach-observed role plays: a coach records, at a live practice, which scenario a participant played,
the rubric marks, a note and "ready" or "practise again"; the certification rule counts a "ready".

The practice is the sessions app's (a LEAP 101 live practice occurrence): courses learns who is at it
through `practice_source_register`, so these tests run the real path, sessions → courses."""

from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import errors, services
from courses.analytics_selectors import observation_section
from courses.models import Certificate, CoursePage, Observation, Scenario
from courses.selectors import Need, certification_status
from hub.audit.models import AuditEntry
from hub.membership import errors as membership_errors
from hub.membership.services import coach_role_set
from hub.roles import COACH, TRAINER, VISITOR, roles_of
from sessions import services as session_services
from sessions.models import Kind, Repeat
from tests.courses.conftest import build_course

pytestmark = pytest.mark.django_db

RUBRIC = "Introduced the pair and why they came\nAsked about the child before any numbers\nClosed with a next step"


@pytest.fixture
def rubric(scenario):
    Scenario.objects.filter(pk=scenario.pk).update(rubric=RUBRIC)
    scenario.refresh_from_db()
    return scenario


@pytest.fixture
def observed_course(course):
    CoursePage.objects.filter(pk=course.pk).update(requires_coach_observation=True)
    course.refresh_from_db()
    return course


@pytest.fixture
def trainer(make_person):
    return make_person("tomas", roles=[TRAINER])


@pytest.fixture
def coach(make_person, trainer):
    person = make_person("marisol", roles=[VISITOR], first_name="Marisol", last_name="Vega")
    coach_role_set(login="marisol", coach=True, by=trainer.user)
    person.user = get_user_model().objects.get(pk=person.user_id)
    return person


@pytest.fixture
def practice(trainer, visitor, make_person):
    """A LEAP 101 live practice that began an hour ago, with Ana's confirmed seat; (occurrence, others)."""
    start_at = timezone.localtime() - timedelta(hours=1)
    series = session_services.series_create(
        by=trainer.user, kind=Kind.LEAP101_PRACTICE, title="LEAP 101 live practice", capacity=5,
        first_date=start_at.date(), start_time=time(start_at.hour, start_at.minute), duration_minutes=90,
        repeat=Repeat.ONCE)
    start = series.event.start
    session_services.registration_create(series=series, start=start, person=visitor,
                                         now=start - timedelta(days=1))
    occurrence = session_services.occurrence_ensure(series=series, start=start)
    return occurrence


def record(occurrence, by, participant, scenario, **kwargs):
    kwargs.setdefault("outcome", "ready")
    return session_services.practice_observation_record(
        occurrence=occurrence, by=by.user if hasattr(by, "user") else by, participant_id=participant.pk,
        scenario_id=scenario.pk, **kwargs)


def finished(visitor, course, modules, finish_course, occurrence, trainer):
    """Every module done and the practice attended: the coach's "ready" is all that is missing."""
    finish_course(visitor, course, modules)
    registration = occurrence.registrations.get(person=visitor)
    session_services.attendance_mark(registration=registration, present=True, by=trainer.user)


# -- the refusals: nothing written ---------------------------------------------------------------------

def test_someone_who_is_not_a_coach_is_refused_and_nothing_is_written(practice, trainer, visitor, rubric,
                                                                        observed_course):
    with pytest.raises(errors.NotACoach, match="Only coaches"):
        record(practice, trainer, visitor, rubric)  # a trainer without the coach role
    assert not Observation.objects.exists()


def test_a_participant_not_at_that_practice_is_refused(practice, coach, make_person, rubric, observed_course,
                                                        visitor, trainer):
    stranger = make_person("stranger", roles=[VISITOR])
    with pytest.raises(errors.NotAtPractice, match="not a participant of this live practice"):
        record(practice, coach, stranger, rubric)
    # Marked absent: no longer at it either.
    registration = practice.registrations.get(person=visitor)
    session_services.attendance_mark(registration=registration, present=False, by=trainer.user)
    with pytest.raises(errors.NotAtPractice):
        record(practice, coach, visitor, rubric)
    assert not Observation.objects.exists()


def test_a_scenario_not_in_the_course_is_refused(practice, coach, visitor, rubric, observed_course):
    elsewhere = Scenario.objects.create(
        slug="not-in-leap", title="A scenario no module uses", stage="later_visit", setting="-",
        family_situation="-", role_visitor_a="-", role_visitor_b="-", role_parent="-", role_student="-",
        opening="-", coach_prompts="-", debrief_questions="-", rubric="Anything")
    with pytest.raises(errors.ScenarioNotInCourse, match="Choose one of"):
        record(practice, coach, visitor, elsewhere)
    assert not Observation.objects.exists()


def test_a_practice_of_another_kind_or_not_yet_started_is_refused(coach, visitor, rubric, observed_course, trainer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    connection_series = session_services.series_create(
        by=trainer.user, kind=Kind.CONNECTION, title="Connection Session", capacity=5, first_date=tomorrow,
        start_time=time(18, 0), duration_minutes=60)
    session_services.registration_create(series=connection_series, start=connection_series.event.start,
                                         person=visitor)
    other = session_services.occurrence_ensure(series=connection_series, start=connection_series.event.start)
    with pytest.raises(errors.PracticeNotOfCourse, match="not one of"):
        record(other, coach, visitor, rubric)
    coming = session_services.series_create(
        by=trainer.user, kind=Kind.LEAP101_PRACTICE, title="LEAP 101 live practice", capacity=5,
        first_date=tomorrow, start_time=time(18, 0), duration_minutes=60)
    session_services.registration_create(series=coming, start=coming.event.start, person=visitor)
    with pytest.raises(errors.PracticeNotOfCourse, match="once the practice has started"):
        record(session_services.occurrence_ensure(series=coming, start=coming.event.start), coach, visitor, rubric)
    with pytest.raises(errors.PracticeNotOfCourse, match="no such live practice"):
        services.observation_record(by=coach.user, participant_id=visitor.pk, course_code="LEAP-101",
                                    scenario_id=rubric.pk, source="training_sessions.occurrence",
                                    source_ref="999999", outcome="ready")
    assert not Observation.objects.exists()


@pytest.mark.parametrize("change, message", [
    ({"outcome": "certified"}, "Choose “ready” or “practise again”"),
    ({"met": [3]}, "do not match the scenario's rubric"),
    ({"met": ["one"]}, "could not be read"),
    ({"note": "x" * 1001}, "keep it to 1,000"),
    ({"note": "fine\x00"}, "control character"),
])
def test_an_outcome_mark_or_note_it_cannot_take_is_refused(practice, coach, visitor, rubric, observed_course,
                                                            change, message):
    with pytest.raises(errors.InvalidObservation, match=message):
        record(practice, coach, visitor, rubric, **change)
    assert not Observation.objects.exists()


def test_a_double_submit_records_one_observation(practice, coach, visitor, rubric, observed_course):
    import uuid

    token = uuid.uuid4()
    first, made = record(practice, coach, visitor, rubric, met=[0, 2], note="Clear opening.", form_token=token)
    again, made_again = record(practice, coach, visitor, rubric, met=[0, 2], note="Clear opening.", form_token=token)
    assert made and not made_again and first.pk == again.pk
    assert Observation.objects.count() == 1
    assert first.marks == [{"criterion": "Introduced the pair and why they came", "met": True},
                           {"criterion": "Asked about the child before any numbers", "met": False},
                           {"criterion": "Closed with a next step", "met": True}]


# -- the rule ------------------------------------------------------------------------------------------

def test_the_rule_counts_only_a_ready_and_the_certificate_follows_it(practice, coach, visitor, rubric,
                                                                     observed_course, modules, finish_course,
                                                                     trainer):
    finished(visitor, observed_course, modules, finish_course, practice, trainer)
    status = certification_status(person=visitor, course_code="LEAP-101")
    assert [(n.kind, n.done) for n in status.requirements][-2:] == [(Need.PRACTICE, True), (Need.OBSERVATION, False)]
    assert [r.code for r in status.reasons] == ["observation_missing"] and not Certificate.objects.exists()

    record(practice, coach, visitor, rubric, outcome="practise_again", note="Ask about the child first.")
    status = certification_status(person=visitor, course_code="LEAP-101")
    assert status.observation_missing and not status.rule_met and not Certificate.objects.exists()
    assert status.requirements[-1].observation.outcome == "practise_again"

    record(practice, coach, visitor, rubric, met=[0, 1, 2], note="Ready for a first visit.")
    status = certification_status(person=visitor, course_code="LEAP-101")
    assert status.rule_met and status.is_current
    assert Certificate.objects.filter(person=visitor, course=observed_course).count() == 1
    shown = status.requirements[-1].observation
    assert shown.ready and shown.note == "Ready for a first visit." and all(met for _c, met in shown.marks)

    # A later "practise again" does not take the "ready" back (the rule counts one), nor issue twice.
    record(practice, coach, visitor, rubric, outcome="practise_again")
    status = certification_status(person=visitor, course_code="LEAP-101")
    assert status.requirements[-1].done and status.requirements[-1].observation.ready
    assert Certificate.objects.filter(person=visitor).count() == 1


def test_a_course_that_does_not_ask_for_an_observation_certifies_without_one(practice, visitor, course, modules,
                                                                             finish_course, trainer):
    finished(visitor, course, modules, finish_course, practice, trainer)
    status = certification_status(person=visitor, course_code="LEAP-101")
    assert not any(n.kind == Need.OBSERVATION for n in status.requirements)
    assert Certificate.objects.filter(person=visitor).count() == 1


# -- what people see ---------------------------------------------------------------------------------

def my_training(client, person) -> str:
    client.force_login(person.user)
    response = client.get(reverse("courses:my_training"))
    assert response.status_code == 200
    return response.content.decode()


def test_my_training_shows_the_latest_observation_with_the_note_and_the_rubric_marks(
        client, practice, coach, visitor, rubric, observed_course, modules, finish_course, trainer):
    finished(visitor, observed_course, modules, finish_course, practice, trainer)
    html = my_training(client, visitor)
    assert "Coach's observation: not yet" in html and "You still need a coach" in html
    record(practice, coach, visitor, rubric, outcome="practise_again", met=[0], note="Lead with the child's strengths.")
    html = my_training(client, visitor)
    assert "practise again, after “A first visit at the kitchen table”" in html
    assert "Lead with the child&#x27;s strengths." in html
    assert "Met: Introduced the pair and why they came" in html
    assert "Not yet: Asked about the child before any numbers" in html
    assert "Marisol" not in html  # the coach's words, not the coach's name
    record(practice, coach, visitor, rubric, met=[0, 1, 2], note="Ready.")
    html = my_training(client, visitor)
    assert "Coach's observation: ready, in “A first visit at the kitchen table”" in html
    assert "Download your certificate" in html


def test_my_training_queries_do_not_grow_with_observations(client, practice, coach, visitor, rubric,
                                                          observed_course, modules, finish_course, trainer):
    from tests.courses.test_my_training import MY_TRAINING_QUERIES

    finish_course(visitor, observed_course, modules[:1])
    my_training(client, visitor)  # the first request of a session writes it

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("courses:my_training"))
        return len(queries)

    before = count()
    for n in range(4):
        record(practice, coach, visitor, rubric, outcome="practise_again", note=f"Try {n}")
    after = count()
    assert after == before <= MY_TRAINING_QUERIES + 1  # one more: the observations, for a course that asks


def test_the_analytics_section_counts_per_scenario_and_names_nobody(practice, coach, visitor, rubric,
                                                                    observed_course, make_person, home_page,
                                                                    trainer):
    other = make_person("kevin", roles=[VISITOR], first_name="Kevin", last_name="Nguyen")
    series = practice.series
    session_services.registration_create(series=series, start=practice.original_start, person=other,
                                         now=practice.original_start - timedelta(days=1))
    record(practice, coach, visitor, rubric, outcome="practise_again")
    record(practice, coach, visitor, rubric)
    record(practice, coach, other, rubric, outcome="practise_again")
    section = observation_section(course=observed_course)
    assert section.rows == [["A first visit at the kitchen table", 3, 1, 2]]
    text = repr(section)
    assert "Ruiz" not in text and "Nguyen" not in text and "Marisol" not in text
    client_page = build_course(home_page, rubric, code="SEHW-101", modules=1, practice=False)
    assert observation_section(course=client_page) is None  # asks for none and has none


# -- the coach role ------------------------------------------------------------------------------------

def test_trainers_give_and_take_the_coach_role_and_each_change_is_audited(trainer, make_person):
    person = make_person("dana", roles=[VISITOR])
    coach_role_set(login="dana@example.org", coach=True, by=trainer.user)
    assert COACH in roles_of(get_user_model().objects.get(pk=person.user_id))
    with pytest.raises(membership_errors.Refused, match="a coach already"):
        coach_role_set(login="dana", coach=True, by=trainer.user)
    coach_role_set(login="dana", coach=False, by=trainer.user)
    assert COACH not in roles_of(get_user_model().objects.get(pk=person.user_id))
    details = list(AuditEntry.objects.filter(action="person.role", object_id=str(person.user_id))
                   .values_list("detail", flat=True))
    assert any("Coach" in d and "via coach role" in d for d in details) and len(details) >= 2
    visitor = make_person("ana2", roles=[VISITOR])
    with pytest.raises(membership_errors.NotAllowed):
        coach_role_set(login="dana", coach=True, by=visitor.user)
    with pytest.raises(membership_errors.NotFound):
        coach_role_set(login="nobody-here", coach=True, by=trainer.user)


def test_the_analytics_page_shows_the_observations_per_scenario_in_constant_queries(
        client, practice, coach, visitor, rubric, observed_course, trainer, make_person):
    client.force_login(trainer.user)
    address = reverse("courses:analytics") + f"?course={observed_course.pk}"
    client.get(address)  # the first request of a session writes it

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    before, html = count()
    assert "Coach observations per scenario" in html and "<th scope=\"row\">A first visit at the kitchen table" in html
    for n in range(3):
        person = make_person(f"p{n}", roles=[VISITOR])
        session_services.registration_create(series=practice.series, start=practice.original_start, person=person,
                                             now=practice.original_start - timedelta(days=1))
        record(practice, coach, person, rubric, outcome="ready" if n else "practise_again")
    after, html = count()
    assert after == before
    assert "<td>3</td><td>2</td><td>1</td>" in html.replace("\n", "").replace(" ", "")


def test_the_coaches_page_gives_and_takes_the_role_and_refuses_others(client, trainer, make_person):
    make_person("dana", roles=[VISITOR], first_name="Dana", last_name="Whitfield")
    client.force_login(trainer.user)
    response = client.post(reverse("courses:coaches"), {"login": "dana"})
    assert response.status_code == 302
    page = client.get(reverse("courses:coaches")).content.decode()
    assert "Dana Whitfield" in page and "Take away Dana Whitfield's coach role" in page
    again = client.post(reverse("courses:coaches"), {"login": "dana"})
    assert again.status_code == 400 and "Dana Whitfield is a coach already." in again.content.decode()
    dana = get_user_model().objects.get(username="dana")
    client.post(reverse("courses:coach_take", args=[dana.person.pk]))
    assert COACH not in roles_of(get_user_model().objects.get(pk=dana.pk))
    client.force_login(dana)
    assert client.get(reverse("courses:coaches")).status_code == 403
