"""The coach's page at a LEAP 101 live practice: the participants, then one role play's rubric, note and
outcome. The rule is `courses.services.observation_record`; these tests are about what the coach sees."""

from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import CoursePage, Observation, Scenario
from hub.membership.services import coach_role_set
from hub.roles import VISITOR
from sessions import services
from sessions.models import Kind, Repeat
from sessions.selectors import occurrence_key
from tests.courses.conftest import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(db):
    return Scenario.objects.create(
        slug="kitchen-table", title="A first visit at the kitchen table", stage="first_visit", setting="Kitchen.",
        family_situation="A grandmother.", role_visitor_a="Lead.", role_visitor_b="Listen.", role_parent="Wary.",
        role_student="Not present.", opening="Thank her.", coach_prompts="Pause.", debrief_questions="What?",
        rubric="Introduced the pair\nAsked about the child first")


@pytest.fixture
def course(home_page, scenario):
    course = build_course(home_page, scenario)
    CoursePage.objects.filter(pk=course.pk).update(requires_coach_observation=True)
    return course


@pytest.fixture
def coach(trainer):
    coach_role_set(login=trainer.user.username, coach=True, by=trainer.user)
    return get_user_model().objects.get(pk=trainer.user_id)


@pytest.fixture
def practice(trainer, visitor):
    began = timezone.localtime() - timedelta(hours=1)
    series = services.series_create(
        by=trainer.user, kind=Kind.LEAP101_PRACTICE, title="LEAP 101 live practice", capacity=10,
        first_date=began.date(), start_time=time(began.hour, began.minute), duration_minutes=120,
        repeat=Repeat.ONCE)
    services.registration_create(series=series, start=series.event.start, person=visitor,
                                 now=series.event.start - timedelta(days=1))
    return services.occurrence_ensure(series=series, start=series.event.start)


def url(practice, **query):
    address = reverse("training_sessions:observations", args=[practice.series_id,
                                                              occurrence_key(practice.original_start)])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_coach_finds_the_page_from_the_occurrence_and_records_a_ready(client, coach, practice, visitor, course,
                                                                        scenario):
    client.force_login(coach)
    occurrence_page = client.get(reverse("training_sessions:occurrence", args=[
        practice.series_id, occurrence_key(practice.original_start)])).content.decode()
    assert f'href="{url(practice)}">Record role-play observations' in occurrence_page
    listing = client.get(url(practice)).content.decode()
    assert visitor.full_name in listing and 'name="participant"' in listing and "A first visit at the kitchen table" in listing
    form = client.get(url(practice, participant=visitor.pk, scenario=scenario.pk)).content.decode()
    assert "<legend>Rubric: tick each criterion met" in form and "Asked about the child first" in form
    response = client.post(url(practice), {"participant": visitor.pk, "scenario": scenario.pk, "met": ["0", "1"],
                                           "note": "Calm and warm.", "outcome": "ready"})
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.ready and observation.participant == visitor and observation.note == "Calm and warm."
    listing = client.get(url(practice)).content.decode()
    assert "A first visit at the kitchen table: <span class=\"status-ok\">ready" in listing


def test_a_refusal_is_a_form_error_and_writes_nothing(client, coach, practice, visitor, course, scenario,
                                                      make_person):
    stranger = make_person("stranger", roles=[VISITOR])
    client.force_login(coach)
    response = client.post(url(practice), {"participant": stranger.pk, "scenario": scenario.pk, "outcome": "ready"})
    assert response.status_code == 400
    assert "not a participant of this live practice" in response.content.decode()
    assert not Observation.objects.exists()


def test_someone_who_is_not_a_coach_gets_a_403_and_no_link(client, trainer, practice, visitor, course):
    client.force_login(trainer.user)  # a trainer, not (yet) a coach
    assert client.get(url(practice)).status_code == 403
    occurrence_page = client.get(reverse("training_sessions:occurrence", args=[
        practice.series_id, occurrence_key(practice.original_start)])).content.decode()
    assert "Record role-play observations" not in occurrence_page
    client.force_login(visitor.user)
    assert client.post(url(practice), {"participant": visitor.pk, "outcome": "ready"}).status_code == 403
    assert not Observation.objects.exists()


def test_the_page_takes_the_same_queries_however_many_participants_and_observations(
        client, coach, practice, visitor, course, scenario, make_person):
    client.force_login(coach)
    client.get(url(practice))  # the first request of a session writes it

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(practice, participant=visitor.pk, scenario=scenario.pk)).status_code == 200
        return len(queries)

    small = count()
    for n in range(4):
        person = make_person(f"p{n}", roles=[VISITOR])
        services.registration_create(series=practice.series, start=practice.original_start, person=person,
                                     now=practice.original_start - timedelta(days=1))
        services.practice_observation_record(occurrence=practice, by=coach, participant_id=person.pk,
                                             scenario_id=scenario.pk, outcome="practise_again")
    assert count() == small <= OBSERVATION_PAGE_QUERIES


# The session, user, roles, profile, the occurrence's series and row, the course, its modules' scenarios (2),
# the participants, the observations, the recordings index and the navigation.
OBSERVATION_PAGE_QUERIES = 20
