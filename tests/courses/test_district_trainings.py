"""District-specific trainings: a course or module limited to a district (or a region) is open only to its
people, is a 404 to everyone else (its page and every form posted to it), and a district's own required
module is its requirement on top of LEAP 101, never part of LEAP 101's rule for everyone."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.demo import _publish, complete_module
from courses.models import (
    Certificate,
    CoursePage,
    Enrollment,
    KnowledgeCheckAttempt,
    ModuleCompletion,
    ModulePage,
    Reflection,
)
from courses.selectors import (
    Need,
    certification_status,
    district_requirements,
    page_is_open,
    training_audience,
    with_certification_state,
)
from hub.models import Partner, Person, Region, School
from hub.roles import REGIONAL_STAFF, STATE_STAFF, TRAINER, VISITOR
from tests.courses.conftest import build_course, module_body

pytestmark = pytest.mark.django_db


def add_module(course, title, *, slug, district=None, region=None, required=True):
    return _publish(course, ModulePage(title=title, slug=slug, estimated_minutes=15, required=required,
                                       district=district, region=region, body=module_body(9)))


@pytest.fixture
def hartford_module(course, orgs):
    """Hartford's own required module, at the end of LEAP 101."""
    return add_module(course, "Visiting in Hartford", slug="visiting-in-hartford", district=orgs["Hartford"])


@pytest.fixture
def outsider(orgs, make_person):
    """A New Haven teacher: Hartford's pages are not for her."""
    return make_person("nora", roles=[VISITOR], first_name="Nora", last_name="Kim", home_district=orgs["New Haven"],
                       school=School.objects.filter(district=orgs["New Haven"]).first())


def answers():
    return {"q0": "0", "q1": "1"}


def test_a_district_module_is_a_404_for_someone_of_another_district_and_open_to_its_own(
        client, course, modules, hartford_module, visitor, outsider):
    for person in (visitor, outsider):
        services.enrollment_start(person=person, course=course)
    CoursePage.objects.filter(pk=course.pk).update(sequential=False)
    client.force_login(outsider.user)
    assert client.get(hartford_module.url).status_code == 404
    assert "Visiting in Hartford" not in client.get(course.url).content.decode()
    client.force_login(visitor.user)
    assert client.get(hartford_module.url).status_code == 200
    assert "Visiting in Hartford" in client.get(course.url).content.decode()
    client.logout()
    assert client.get(hartford_module.url).status_code == 404  # signed out: not even a sign-in redirect


def test_posting_to_a_module_not_open_to_you_is_a_404_and_changes_nothing(
        client, course, modules, hartford_module, outsider):
    services.enrollment_start(person=outsider, course=course)
    client.force_login(outsider.user)
    check = hartford_module.knowledge_checks()[0].id
    reflection = next(b.id for b in hartford_module.body if b.block_type == "reflection")

    def rows():
        return (KnowledgeCheckAttempt.objects.count(), Reflection.objects.count(), ModuleCompletion.objects.count(),
                list(Enrollment.objects.values_list("last_module_id", "last_activity_at")))

    before = rows()
    assert client.post(reverse("courses:check_submit", args=[hartford_module.pk, check]), answers()).status_code == 404
    assert client.post(reverse("courses:reflection_submit", args=[hartford_module.pk, reflection]),
                       {"text": "I will ask about her hopes."}).status_code == 404
    assert client.post(reverse("courses:module_complete", args=[hartford_module.pk])).status_code == 404
    assert rows() == before


def test_a_district_course_is_a_404_for_others_is_listed_only_for_its_people_and_refuses_their_enrolment(
        client, home_page, scenario, orgs, visitor, outsider):
    build_course(home_page, scenario)
    hartford_course = build_course(home_page, scenario, code="HFD-201", modules=1)
    CoursePage.objects.filter(pk=hartford_course.pk).update(district=orgs["Hartford"])
    client.force_login(outsider.user)
    assert client.get(hartford_course.url).status_code == 404
    assert "HFD-201 course" not in client.get(reverse("courses:my_training")).content.decode()
    index = hartford_course.get_parent()
    assert "LEAP-101 course" in client.get(index.url).content.decode()
    assert "HFD-201 course" not in client.get(index.url).content.decode()
    assert client.post(reverse("courses:enroll", args=[hartford_course.pk])).status_code == 404
    assert not Enrollment.objects.filter(person=outsider).exists()
    module = ModulePage.objects.child_of(hartford_course).get()
    assert client.get(module.url).status_code == 404  # a module of a limited course is limited with it
    client.force_login(visitor.user)
    assert client.get(hartford_course.url).status_code == 200
    assert "HFD-201 course" in client.get(reverse("courses:my_training")).content.decode()
    assert "HFD-201 course" in client.get(index.url).content.decode()
    client.logout()
    assert "HFD-201 course" not in client.get(index.url).content.decode()
    assert client.get(hartford_course.url).status_code == 404


def test_who_a_limited_page_is_open_to(course, orgs, make_person):
    hartford, new_haven = orgs["Hartford"], orgs["New Haven"]
    crec = hartford.region
    by_district = add_module(course, "Hartford only", slug="hfd", district=hartford)
    by_region = add_module(course, "Region only", slug="crec", region=crec)
    other_region = Region.objects.exclude(pk=crec.pk).first()
    bureau = Partner.objects.get(name="Capitol Region Youth Service Bureau")
    people = {
        "school staff there": make_person("s", roles=[VISITOR], school=School.objects.filter(district=hartford).first()),
        "home district": make_person("h", roles=[VISITOR], home_district=hartford),
        "partner serving it": make_person("p", roles=[VISITOR], partner=bureau),
        "trainer": make_person("t", roles=[TRAINER]),
        "state staff": make_person("st", roles=[STATE_STAFF]),
        "regional staff of its region": make_person("r", roles=[REGIONAL_STAFF], region=crec),
    }
    for why, person in people.items():
        assert page_is_open(person=person, page=by_district), why
        assert page_is_open(person=person, page=by_region), why
    elsewhere = make_person("x", roles=[VISITOR], home_district=new_haven)
    assert not page_is_open(person=elsewhere, page=by_district)
    assert page_is_open(person=elsewhere, page=by_region) == (new_haven.region_id == crec.pk)
    other_staff = make_person("ro", roles=[REGIONAL_STAFF], region=other_region)
    assert not page_is_open(person=other_staff, page=by_district)
    assert not page_is_open(person=other_staff, page=by_region)
    assert not page_is_open(person=None, page=by_district) and page_is_open(person=None, page=course)
    superuser = make_person("su")
    superuser.user.is_superuser = True
    superuser.user.save()
    assert page_is_open(person=Person.objects.get(pk=superuser.pk), page=by_district)


def test_a_page_is_limited_to_a_district_or_a_region_not_both(course, orgs, hartford_module):
    hartford_module.region = orgs["Hartford"].region
    with pytest.raises(ValidationError) as refused:
        hartford_module.full_clean()
    assert "Choose a district or a region, not both" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModulePage.objects.filter(pk=hartford_module.pk).update(region=orgs["Hartford"].region)


def test_the_editor_has_a_who_it_is_for_panel_on_courses_and_modules():
    for model in (CoursePage, ModulePage):
        headings = [getattr(panel, "heading", "") for panel in model.content_panels]
        assert "Who it is for" in headings


def test_the_sequence_and_the_counts_skip_a_module_not_open_to_the_person(
        client, home_page, scenario, orgs, visitor, outsider):
    # Hartford's module sits second: a New Haven visitor goes from module 1 straight on to the next.
    course = build_course(home_page, scenario, code="SEQ-101", modules=1, practice=False)
    first = ModulePage.objects.child_of(course).get()
    middle = add_module(course, "Visiting in Hartford", slug="visiting-in-hartford", district=orgs["Hartford"])
    last = add_module(course, "After the visit", slug="after-the-visit")
    for person in (visitor, outsider):
        services.enrollment_start(person=person, course=course)
        complete_module(person, first, None)
    client.force_login(outsider.user)
    html = client.get(course.url).content.decode()
    assert "1 of 2 required modules" in html and "Visiting in Hartford" not in html
    assert client.get(last.url).status_code == 200  # unlocked: Hartford's module is not in her way
    client.force_login(visitor.user)
    html = client.get(course.url).content.decode()
    assert "1 of 3 required modules" in html and "Visiting in Hartford" in html
    assert client.get(last.url)["Location"] == course.url  # locked until Hartford's module is done
    with pytest.raises(services.errors.ModuleLocked):
        complete_module(visitor, last, None)
    complete_module(visitor, middle, None)
    complete_module(visitor, last, None)
    assert "3 of 3 required modules" in client.get(course.url).content.decode()


def test_a_district_module_does_not_change_leap_101s_rule_for_anyone(course, modules, hartford_module, visitor,
                                                                     outsider, finish_course):
    for person in (visitor, outsider):
        finish_course(person, course, modules)
        services.practice_credit_record(person=person, course_code="LEAP-101", source="test",
                                        source_ref=f"p{person.pk}", attended_on=date.today())
    # Both certified by the course's own 3 modules; the Hartford visitor still has Hartford's own to do.
    assert Certificate.objects.filter(person__in=[visitor, outsider]).count() == 2
    status = certification_status(person=visitor, course_code="LEAP-101")
    assert (status.completed, status.total, status.is_current) == (3, 3, True)
    assert all(r.kind != Need.DISTRICT_MODULE and r.module_id != hartford_module.pk for r in status.requirements)
    states = dict(with_certification_state(Person.objects.filter(pk__in=[visitor.pk, outsider.pk]),
                                           course_code="LEAP-101").values_list("pk", "leap_state"))
    assert states == {visitor.pk: "certified", outsider.pk: "certified"}
    assert [m.title for m in services.course_modules(course)][-1] == "Visiting in Hartford"
    from courses.selectors import rule_modules

    assert hartford_module.pk not in {m.pk for m in rule_modules(course=course)}  # nor in the renewal path


def test_a_districts_own_requirements_name_its_modules_and_each_persons_state(
        course, modules, orgs, hartford_module, visitor, outsider, make_person):
    region_module = add_module(course, "Working with the RESC", slug="resc", region=orgs["Hartford"].region)
    add_module(course, "Optional for Hartford", slug="optional", district=orgs["Hartford"], required=False)
    services.enrollment_start(person=visitor, course=course)
    CoursePage.objects.filter(pk=course.pk).update(sequential=False)
    complete_module(visitor, hartford_module, None)
    found = district_requirements(people=[visitor, outsider], district_ids=[orgs["Hartford"].pk, orgs["New Haven"].pk],
                                  course_codes=["LEAP-101"])
    mine = found[visitor.pk, orgs["Hartford"].pk]
    assert [(r.kind, r.title, r.done, r.district) for r in mine] == [
        (Need.DISTRICT_MODULE, "Visiting in Hartford", True, "Hartford"),
        (Need.DISTRICT_MODULE, "Working with the RESC", False, "Hartford")]
    assert [r.done for r in found[outsider.pk, orgs["Hartford"].pk]] == [False, False]
    same_region = orgs["New Haven"].region_id == region_module.region_id
    assert [r.title for r in found[outsider.pk, orgs["New Haven"].pk]] == (["Working with the RESC"] if same_region else [])


def test_district_requirements_take_the_same_queries_however_many_people_and_districts(
        course, orgs, hartford_module, visitor, make_person):
    def count(people, districts) -> int:
        with CaptureQueriesContext(connection) as queries:
            district_requirements(people=people, district_ids=districts, course_codes=["LEAP-101"])
        return len(queries)

    one = count([visitor], [orgs["Hartford"].pk])
    many = [make_person(f"v{n}", roles=[VISITOR], home_district=orgs["Hartford"]) for n in range(6)]
    assert one == 4  # the course, the districts, their limited modules, the completions
    assert count(many, [d.pk for d in orgs.values()]) == one


def test_my_training_shows_the_own_districts_required_modules_with_their_state(
        client, course, modules, hartford_module, visitor, outsider):
    client.force_login(visitor.user)
    html = client.get(reverse("courses:my_training")).content.decode()
    assert "Your district also needs, before you take cases there" in html
    assert "Visiting in Hartford (Hartford): not yet" in html
    services.enrollment_start(person=visitor, course=course)
    CoursePage.objects.filter(pk=course.pk).update(sequential=False)
    complete_module(visitor, hartford_module, None)  # through the real services
    html = client.get(reverse("courses:my_training")).content.decode()
    assert "Visiting in Hartford (Hartford): done on" in html
    client.force_login(outsider.user)
    html = client.get(reverse("courses:my_training")).content.decode()
    assert "Your district also needs" not in html and "Visiting in Hartford" not in html


def test_my_training_queries_do_not_grow_with_a_districts_own_modules(
        client, course, modules, orgs, hartford_module, visitor):
    from tests.courses.test_my_training import MY_TRAINING_QUERIES

    client.force_login(visitor.user)
    client.get(reverse("courses:my_training"))  # the first request of a session writes it

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("courses:my_training"))
        return len(queries)

    before = count()
    for n in range(3):
        add_module(course, f"Hartford part {n}", slug=f"hfd-{n}", district=orgs["Hartford"])
    assert count() == before == MY_TRAINING_QUERIES + 1  # one more: the completions of Hartford's own modules


def test_the_audience_is_one_query(visitor, django_assert_num_queries):
    from hub.roles import roles_of

    roles_of(visitor.user)  # read once per request, by the navigation
    with django_assert_num_queries(1):
        audience = training_audience(person=visitor)
    assert audience.own_district_ids == (visitor.home_district_id,)


def test_a_trainer_sees_who_it_is_for_in_the_page_editor(client, hartford_module):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-root-password")
    client.force_login(root)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[hartford_module.pk]))
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert "Who it is for" in html and "Choose a district or a region, not both" in html
    assert "is that district&#x27;s own requirement" in html or "is that district's own requirement" in html


def test_the_rule_read_in_sql_and_in_python_is_the_same(course, orgs, hartford_module):
    from courses.selectors import in_rule, rule_modules

    add_module(course, "Region only", slug="crec", region=orgs["Hartford"].region)
    add_module(course, "Optional", slug="optional", required=False)
    every = list(ModulePage.objects.child_of(course).live().order_by("path"))
    assert [m.pk for m in every if in_rule(m)] == [m.pk for m in rule_modules(course=course)]
    assert len(rule_modules(course=course)) == 3
