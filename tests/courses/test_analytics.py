"""The trainers' course analytics: figures checked against a small set computed by hand, who may see them,
and a query count that does not grow with the number of people."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.analytics_selectors import AnalyticsSection, analytics_section_register, course_figures
from courses.demo import complete_module
from hub.roles import COORDINATOR, STATE_STAFF, TRAINER, VISITOR

DAY = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _answer(person, module, answers):
    block = module.knowledge_checks()[0]
    services.knowledge_check_submit(person=person, module_id=module.pk, check_id=block.id, answers=answers)


@pytest.fixture
def people(course, modules, make_person, orgs):
    """Ana finishes (two days between modules, one wrong try first); Ben stops after module 2 (four days
    after module 1); Cara answers module 1 wrongly and stops there; Dan enrols and opens nothing."""
    made = {name: make_person(name, roles=[VISITOR], home_district=orgs["Hartford"])
            for name in ("ana", "ben", "cara", "dan")}
    for person in made.values():
        services.enrollment_start(person=person, course=course)
    m1, m2, m3 = modules
    _answer(made["ana"], m1, {0: [1], 1: [1]})  # question 1 wrong on the first try
    complete_module(made["ana"], m1, DAY)  # then right
    complete_module(made["ana"], m2, DAY + timedelta(days=2))
    complete_module(made["ana"], m3, DAY + timedelta(days=4))
    complete_module(made["ben"], m1, DAY)
    complete_module(made["ben"], m2, DAY + timedelta(days=4))
    _answer(made["cara"], m1, {0: [1], 1: [2]})  # both wrong
    return made


def test_the_figures_match_a_small_set_computed_by_hand(people, course, modules):
    figures = course_figures(course=course)
    assert (figures.started, figures.finished, figures.not_started_modules) == (4, 1, 1)
    assert [(m.started, m.finished, m.stopped_here) for m in figures.modules] == [(3, 2, 1), (2, 2, 1), (1, 1, 0)]
    # Module 1 -> 2: Ana 2 days, Ben 4: median 3. Module 2 -> 3: Ana only, 2 days.
    assert [(m.median_days_to_next, m.pairs_to_next) for m in figures.modules] == [(3, 2), (2, 1), (None, 0)]
    assert [(b.value, b.total) for b in figures.funnel] == [(1, 3), (1, 3), (0, 3)]

    q1, q2 = figures.questions[:2]
    # Question 1 (right: choice 1): first tries Ana [2], Ben [1], Cara [2]; all tries add Ana's right one.
    assert (q1.first_tries, q1.attempts, q1.first_missed, q1.missed) == (3, 4, 2, 2)
    assert [(c.first_try.percent, c.overall.percent) for c in q1.choices] == [(33, 50), (67, 50)]
    # Question 2 (right: choice 2): only Cara chose the third choice.
    assert (q2.attempts, q2.missed) == (4, 1)
    assert [(c.first_try.percent, c.overall.percent) for c in q2.choices] == [(0, 0), (67, 75), (33, 25)]
    assert figures.most_missed[0] is q1 and figures.most_missed[1] is q2
    later = figures.questions[2:]
    assert [q.missed for q in later] == [0, 0, 0, 0]


def test_the_figures_take_the_same_few_queries_whatever_the_number_of_people(people, course, modules,
                                                                             make_person, orgs,
                                                                             django_assert_num_queries):
    with django_assert_num_queries(8):
        course_figures(course=course)
    for n in range(5):
        person = make_person(f"more{n}", roles=[VISITOR], home_district=orgs["Hartford"])
        services.enrollment_start(person=person, course=course)
        _answer(person, modules[0], {0: [1], 1: [0]})
        complete_module(person, modules[0], DAY)
    with django_assert_num_queries(8):
        assert course_figures(course=course).started == 9


def test_the_page_shows_the_figures_to_a_trainer_and_its_query_count_is_constant(client, people, course, modules,
                                                                                 make_person, orgs):
    trainer = make_person("tomas", roles=[TRAINER])
    client.force_login(trainer.user)
    url = reverse("courses:analytics") + f"?course={course.pk}"
    client.get(url)  # the first request of a session reads a few things once (the session, the site)
    with CaptureQueriesContext(connection) as before:
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="stopped-1">1<' in html and 'data-figure="gap-1">3 (2 people)' in html
    assert 'data-figure="q1-c1-first">33%' in html
    assert not [p for p in people.values() if p.full_name in html]  # nobody named
    person = make_person("late", roles=[VISITOR], home_district=orgs["Hartford"])
    services.enrollment_start(person=person, course=course)
    complete_module(person, modules[0], DAY)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_the_csv_has_the_same_figures(client, people, course, make_person):
    client.force_login(make_person("stella", roles=[STATE_STAFF]).user)
    response = client.get(reverse("courses:analytics_csv", args=[course.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "module,Module 1,,3,2,1,3.0" in body
    assert "Q1: The family (right),,,,,3,33,4,50" in body


@pytest.mark.parametrize("role", [VISITOR, COORDINATOR])
def test_visitors_and_coordinators_may_not_see_the_analytics(client, people, course, make_person, orgs, role):
    client.force_login(make_person("someone", roles=[role], home_district=orgs["Hartford"]).user)
    assert client.get(reverse("courses:analytics")).status_code == 403
    assert client.get(reverse("courses:analytics_csv", args=[course.pk])).status_code == 403


def test_an_unknown_course_is_a_404_and_a_malformed_one_a_400(client, course, make_person):
    client.force_login(make_person("tomas", roles=[TRAINER]).user)
    assert client.get(reverse("courses:analytics") + "?course=999999").status_code == 404
    assert client.get(reverse("courses:analytics") + "?course=abc").status_code == 400
    assert client.get(reverse("courses:analytics_csv", args=[999999])).status_code == 404


def test_another_app_adds_a_section_through_the_registry(client, course, make_person):
    from courses import analytics_selectors

    analytics_section_register("zz-test", lambda *, course: AnalyticsSection(
        title="Observations per scenario", header=["Scenario", "Ready"], rows=[["Kitchen table", 2]]))
    try:
        client.force_login(make_person("tomas", roles=[TRAINER]).user)
        html = client.get(reverse("courses:analytics")).content.decode()
        assert "Observations per scenario" in html and "Kitchen table" in html
    finally:
        analytics_selectors._sections.pop("zz-test")
