"""Demo content: LEAP 101 and a wellness course as Wagtail pages, the scenario library, and visitors
at every stage (not started, part-way, certified, expiring soon, expired, revoked). Built through the
services, so the demo obeys the real rules.

The courses themselves are files a trainer can read and edit: courses/content/ (see its README.md),
read and checked by `courses.content_loader`. This module only turns them into pages and snippets.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from courses import content_loader, services
from courses.models import (
    Certificate,
    CourseIndexPage,
    CoursePage,
    ModulePage,
    Observation,
    PracticeCredit,
    Scenario,
)
from courses.selectors import (
    PracticeFacts,
    course_scenarios,
    page_is_open,
    practice_source_register,
    training_audience,
)
from hub.demo import demo_check, demo_step
from hub.models import District, HomePage, Person, Region
from hub.program import CERTIFICATION_COURSE
from hub.roles import COACH

DEMO_PRACTICE = "demo"  # the demo's own live practices, before any session was scheduled: one per credit


def _demo_practice(*, source_ref: str) -> PracticeFacts | None:
    """A demo practice credit is a practice its one participant attended (so a demo coach can observe it)."""
    credit = PracticeCredit.objects.filter(source=DEMO_PRACTICE, source_ref=source_ref).select_related("course").first()
    if credit is None:
        return None
    return PracticeFacts(course_code=credit.course.code, held_on=credit.attended_on, started=True, cancelled=False,
                         participant_ids=frozenset({credit.person_id}))


practice_source_register(DEMO_PRACTICE, _demo_practice)


def _raw_block(block: content_loader.Block, *, scenarios: dict[str, Scenario]) -> dict:
    """A content block as the module body's StreamField stores it (its raw JSON form)."""
    if block.kind == "text":
        return {"type": "text", "value": block.html}
    if block.kind == "scenario":
        return {"type": "scenario",
                "value": {"scenario": scenarios[block.scenario].pk, "how_to_use": block.how_to_use}}
    if block.kind == "check":
        return {"type": "knowledge_check", "value": {
            "title": block.title, "pass_mark": block.pass_mark, "reveal_after": block.reveal_after,
            "questions": [{"prompt": q.prompt, "explanation": q.explanation, "review": q.review,
                           "choices": [{"text": c.text, "correct": c.correct} for c in q.choices]}
                          for q in block.questions],
        }}
    if block.kind == "reflection":
        return {"type": "reflection", "value": {"prompt": block.prompt, "guidance": block.guidance}}
    raise ValueError(f"unknown block kind {block.kind}")


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@demo_check
def check_course_content() -> None:
    """`seed_demo` runs this before its first step: its steps commit one by one, so a malformed
    content file found only in this app's step would leave the earlier steps' rows behind."""
    content_loader.load_content()


@transaction.atomic
def ensure_course_content(content: content_loader.Content | None = None) -> str:
    # Every file is read and checked before the first write (load_content raises ContentError).
    content = content or content_loader.load_content()
    scenarios = {}
    for spec in content.scenarios:
        scenarios[spec.slug], made = Scenario.objects.get_or_create(slug=spec.slug, defaults=spec.model_fields())
        if not made and spec.rubric and not scenarios[spec.slug].rubric:  # a library seeded before rubrics
            Scenario.objects.filter(pk=scenarios[spec.slug].pk).update(rubric="\n".join(spec.rubric))
    home = HomePage.objects.first()
    index = CourseIndexPage.objects.first()
    if index is None:
        index = _publish(home, CourseIndexPage(title=content.index.title, slug=content.index.slug,
                                               intro=content.index.intro))
    created = 0
    left_out = 0
    for spec in content.courses:
        course = CoursePage.objects.filter(code=spec.code).first()
        if course is None:
            course = _publish(index, CoursePage(
                title=spec.title, slug=spec.slug, code=spec.code, summary=spec.summary,
                audience=spec.audience, estimated_minutes=spec.estimated_minutes,
                sequential=spec.sequential, requires_live_practice=spec.requires_live_practice,
                requires_coach_observation=spec.requires_coach_observation,
                certificate_valid_months=spec.certificate_valid_months,
                renewal_sessions_required=spec.renewal_sessions_required))
            created += 1
        existing = set(ModulePage.objects.child_of(course).values_list("slug", flat=True))
        for module in spec.modules:
            if module.slug in existing:
                continue
            district = District.objects.filter(name=module.district).first() if module.district else None
            region = Region.objects.filter(name=module.region).first() if module.region else None
            if (module.district and district is None) or (module.region and region is None):
                left_out += 1  # a module for a district this site does not have: never published for everyone
                continue
            body = [_raw_block(block, scenarios=scenarios) for block in module.body]
            _publish(course, ModulePage(
                title=module.title, slug=module.slug, estimated_minutes=module.estimated_minutes,
                required=module.required, in_refresher=module.in_refresher, body=body, district=district,
                region=region))
    return f"{len(scenarios)} scenarios, {CoursePage.objects.count()} courses ({created} new), " \
           f"{ModulePage.objects.count()} modules" + (
               f" ({left_out} for a district or region not on this site left out)" if left_out else "")


def complete_module(person: Person, module: ModulePage, when) -> None:
    """Answer the module's knowledge checks correctly and complete it (through the services)."""
    for block in module.knowledge_checks():
        answers = {n: [i for i, c in enumerate(q["choices"]) if c["correct"]]
                   for n, q in enumerate(block.value["questions"])}
        services.knowledge_check_submit(person=person, module_id=module.pk, check_id=block.id, answers=answers)
    services.module_complete(person=person, module_id=module.pk, now=when)


def _answer_wrongly_first(person: Person, module: ModulePage, wrong: int) -> None:
    """A first try with the first `wrong` questions of each check answered wrongly (the course analytics
    page then has misses and first-try shares to show)."""
    for block in module.knowledge_checks():
        answers = {}
        for n, q in enumerate(block.value["questions"]):
            right = [i for i, c in enumerate(q["choices"]) if c["correct"]]
            answers[n] = right if n >= wrong else [next(i for i, c in enumerate(q["choices"]) if not c["correct"])]
        services.knowledge_check_submit(person=person, module_id=module.pk, check_id=block.id, answers=answers)


def train(person: Person, course: CoursePage, *, modules: int | None = None, practised=False, when=None,
          pace_days: int = 0, wrong_first: int = 0, practise_again_first: bool = False):
    """Bring `person` through the first `modules` modules (all when None), the last at `when` and each
    earlier one `pace_days` before the next; `wrong_first` questions of each check missed on a first try.
    `practised`: a live practice attended, and a coach's "ready" there when the course asks for one (after a
    "practise again" with `practise_again_first`)."""
    when = when or timezone.now()
    services.enrollment_start(person=person, course=course)
    audience = training_audience(person=person)  # a district's own module only for its people
    done = [m for m in services.course_modules(course)
            if page_is_open(person=person, page=m, course=course, audience=audience)][:modules]
    for n, module in enumerate(done):
        if wrong_first:
            _answer_wrongly_first(person, module, wrong_first)
        complete_module(person, module, when - timedelta(days=pace_days * (len(done) - 1 - n)))
    if practised:
        source_ref = f"demo:{course.code}:{person.pk}"
        services.practice_credit_record(person=person, course_code=course.code, source=DEMO_PRACTICE,
                                        source_ref=source_ref, attended_on=(when - timedelta(days=3)).date(), now=when)
        if course.requires_coach_observation:
            observe(person, course, source_ref=source_ref, when=when, practise_again_first=practise_again_first)


def _demo_coach():
    return get_user_model().objects.filter(groups__name=COACH, is_active=True).order_by("pk").first()


def observe(person: Person, course: CoursePage, *, source_ref: str, when, practise_again_first: bool = False,
            source: str = DEMO_PRACTICE, outcome: str = Observation.Outcome.READY) -> None:
    """A demo coach's observation of `person` at a practice, through the service (nothing without a coach):
    the course's first scenario, most criteria met; with `practise_again_first`, a "practise again" before."""
    coach = _demo_coach()
    scenarios = course_scenarios(course=course)
    if coach is None or not scenarios:
        return
    if practise_again_first:
        scenario = scenarios[min(1, len(scenarios) - 1)]
        services.observation_record(
            by=coach, participant_id=person.pk, course_code=course.code, scenario_id=scenario.pk, source=source,
            source_ref=source_ref, met=range(len(scenario.rubric_list) // 2), outcome=Observation.Outcome.PRACTISE_AGAIN,
            note="Warm opening. The parent did little of the talking: ask one open question, then wait.",
            now=when - timedelta(hours=1))
    scenario = scenarios[0]
    rubric = scenario.rubric_list
    ready = outcome == Observation.Outcome.READY
    services.observation_record(
        by=coach, participant_id=person.pk, course_code=course.code, scenario_id=scenario.pk, source=source,
        source_ref=source_ref, met=range(len(rubric) if ready else len(rubric) // 2), outcome=outcome,
        note=("Honest, calm answer to the hard question and a clear close. Ready for a first visit." if ready else
              "Good start. Practise saying plainly that the visit is voluntary, before anything else."),
        now=when)


# username -> (LEAP 101 modules done or None for all, practised, months ago certified, then)
STAGES = {
    "visitor": (4, False, None, None),            # Ana Ruiz: in progress, 4 of 7
    "kevin": (2, False, None, None),              # in progress, 2 of 7
    "marcus": (None, True, 3, None),              # certified
    "luis": (None, True, 10, None),
    "dana": (None, True, 2, None),                # community partner, certified
    "jordan": (None, True, 5, None),
    "rosa": (None, True, 23, None),               # certified, expiring within 60 days
    "beatriz": (None, True, 25, None),            # expired
    "james": (None, True, 6, "revoke"),           # revoked
    # fatima and nadia: not started
}
# Certified visitors a coach first asked to practise again (the course analytics show both outcomes).
PRACTISED_AGAIN = {"luis", "rosa"}
# username -> (days between modules, questions of each check missed on a first try): for course analytics.
PACE = {"visitor": (3, 1), "kevin": (6, 2), "marcus": (2, 0), "luis": (1, 1), "dana": (4, 1), "jordan": (2, 0)}


@demo_step(order=20)
def seed_courses() -> str:
    summary = ensure_course_content()
    leap = CoursePage.objects.get(code=CERTIFICATION_COURSE)
    now = timezone.now()
    trained = 0
    for username, (modules, practised, months_ago, then) in STAGES.items():
        person = Person.objects.filter(user__username=username).first()
        if person is None or person.enrollments.filter(course=leap).exists():
            continue
        when = now - relativedelta(months=months_ago) + timedelta(days=7) if months_ago else now
        pace_days, wrong_first = PACE.get(username, (0, 0))
        train(person, leap, modules=modules, practised=practised, when=when, pace_days=pace_days,
              wrong_first=wrong_first, practise_again_first=username in PRACTISED_AGAIN)
        if then == "revoke":
            certificate = Certificate.objects.filter(person=person, course=leap).first()
            services.certificate_revoke(
                certificate=certificate, by=get_user_model().objects.filter(username="state").first(),
                reason="Left the district's visiting team; withdrawn at the coordinator's request.")
        trained += 1
    luis = Person.objects.filter(user__username="luis").first()
    wellness = CoursePage.objects.filter(code="SEHW-101").first()
    if luis and wellness and not luis.enrollments.filter(course=wellness).exists():
        train(luis, wellness, when=now - relativedelta(months=1))
    return f"{summary}; {trained} visitors brought to their training stage"
