"""What trainers learn from a course: where people stop, how long modules take, which answers they choose.

Every figure is an aggregate computed by the database (GROUP BY and COUNT); Python only walks the grouped
rows (one per module, per date pair, per distinct answer), never the people or their attempts, so the
page runs in a constant number of queries whatever the size of the program. No figure names a person.

Other apps add their own sections (per scenario, how many coach observations and their outcomes) with
`analytics_section_register` from their AppConfig.ready(): `courses` does not know them.
"""

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from courses.grading import grade
from courses.models import (
    CoursePage,
    Enrollment,
    KnowledgeCheckAttempt,
    ModuleCompletion,
    ModulePage,
    Reflection,
)

# -- the extension point ---------------------------------------------------------------------------------


@dataclass
class AnalyticsSection:
    """A table another app adds to the page: a title, its column headings and rows of figures (no names)."""

    title: str
    header: list[str]
    rows: list[list]
    note: str = ""


_sections: dict[str, Callable[..., AnalyticsSection | None]] = {}


def analytics_section_register(key: str, func: Callable[..., AnalyticsSection | None]) -> None:
    """Register `func(*, course)`, returning an AnalyticsSection (or None to show nothing) for the course
    analytics page, e.g. the coach observations per scenario. It must run in a constant number of queries."""
    _sections[key] = func


def analytics_sections(*, course: CoursePage) -> list[AnalyticsSection]:
    return [s for s in (func(course=course) for _key, func in sorted(_sections.items())) if s is not None]


# -- the figures -----------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.value / self.total) if self.total else 0


@dataclass
class ModuleFigures:
    module: ModulePage
    started: int = 0
    finished: int = 0
    stopped_here: int = 0  # did not finish the course, and this was the furthest module they reached
    median_days_to_next: float | None = None  # from finishing this module to finishing the next one
    pairs_to_next: int = 0  # people who finished both


@dataclass
class ChoiceFigures:
    text: str
    correct: bool
    first_try: Bar
    overall: Bar


@dataclass
class QuestionFigures:
    module: ModulePage
    check_title: str
    number: int  # 1-based, as the page shows it
    prompt: str
    choices: list[ChoiceFigures] = field(default_factory=list)
    attempts: int = 0
    missed: int = 0
    first_tries: int = 0
    first_missed: int = 0

    @property
    def missed_percent(self) -> int:
        return round(100 * self.missed / self.attempts) if self.attempts else 0


@dataclass
class CourseFigures:
    course: CoursePage
    started: int
    finished: int
    not_started_modules: int  # enrolled, not finished, reached no module
    modules: list[ModuleFigures]
    questions: list[QuestionFigures]

    @property
    def most_missed(self) -> list[QuestionFigures]:
        answered = [q for q in self.questions if q.attempts]
        return sorted(answered, key=lambda q: (-q.missed_percent, -q.missed, q.module.path, q.number))[:5]

    @property
    def funnel(self) -> list[Bar]:
        total = self.started - self.finished
        return [Bar(m.module.title, m.stopped_here, total) for m in self.modules]


def _median(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}."""
    n = sum(histogram.values())
    if not n:
        return None
    ordered = sorted(histogram.items())

    def nth(k):  # the k-th smallest value, 0-based
        seen = 0
        for value, count in ordered:
            seen += count
            if k < seen:
                return value
        return ordered[-1][0]

    return (nth((n - 1) // 2) + nth(n // 2)) / 2


def _module_reach(module_ids: list[int], course: CoursePage) -> dict[int, int]:
    """{module id: how many distinct people reached each module (opened it, answered
    in it or finished it), one UNION query grouped by module."""
    if not module_ids:
        return {}
    marks = ", ".join(["%s"] * len(module_ids))
    tables = {m: m._meta.db_table for m in (ModuleCompletion, KnowledgeCheckAttempt, Reflection, Enrollment)}
    sql = (
        f"SELECT module_id, COUNT(*) FROM ("
        f" SELECT module_id, person_id FROM {tables[ModuleCompletion]} WHERE module_id IN ({marks})"
        f" UNION SELECT module_id, person_id FROM {tables[KnowledgeCheckAttempt]} WHERE module_id IN ({marks})"
        f" UNION SELECT module_id, person_id FROM {tables[Reflection]} WHERE module_id IN ({marks})"
        f" UNION SELECT last_module_id, person_id FROM {tables[Enrollment]}"
        f"   WHERE course_id = %s AND last_module_id IN ({marks})"
        f") reached GROUP BY module_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*module_ids, *module_ids, *module_ids, course.pk, *module_ids])
        return dict(cursor.fetchall())


def _answer_groups(module_ids: list[int]) -> list[tuple[int, str, str, str, bool, int]]:
    """(module id, check id, question key, the chosen list as JSON, first try?, how many) for every distinct
    answer: one GROUP BY over the attempts' answers, unnested by the database's own JSON table function.
    A first try is a person's earliest attempt at that check."""
    if not module_ids:
        return []
    table = KnowledgeCheckAttempt._meta.db_table
    marks = ", ".join(["%s"] * len(module_ids))
    earlier = (f"EXISTS (SELECT 1 FROM {table} e WHERE e.person_id = a.person_id AND e.module_id = a.module_id"
               f" AND e.check_id = a.check_id AND (e.created_at < a.created_at"
               f" OR (e.created_at = a.created_at AND e.id < a.id)))")
    if connection.vendor == "postgresql":
        unnest, key, value = "jsonb_each(a.answers) q", "q.key", "q.value::text"
    else:  # SQLite: json_each gives an array's JSON text as its value
        unnest, key, value = "json_each(a.answers) q", "q.key", "q.value"
    sql = (f"SELECT a.module_id, a.check_id, {key}, {value}, CASE WHEN {earlier} THEN 0 ELSE 1 END, COUNT(*)"
           f" FROM {table} a, {unnest} WHERE a.module_id IN ({marks})"
           f" GROUP BY a.module_id, a.check_id, {key}, {value}, CASE WHEN {earlier} THEN 0 ELSE 1 END")
    with connection.cursor() as cursor:
        cursor.execute(sql, module_ids)
        return [(m, c, str(k), v, bool(first), n) for m, c, k, v, first, n in cursor.fetchall()]


def course_figures(*, course: CoursePage) -> CourseFigures:
    """Started, finished, where people stop, time between modules and the answers chosen, for one course.

    Started: enrolled. Finished: completed every required module. Where people stop: of those who did not
    finish, the furthest module (in course order) they reached. Eight queries, whatever the number of people.
    """
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))  # 1
    ids = [m.pk for m in modules]
    required = [m.pk for m in modules if m.required]
    finished_people = (ModuleCompletion.objects.filter(course=course, module_id__in=required)
                       .values("person_id").annotate(n=Count("module_id", distinct=True))
                       .filter(n=len(required)).values("person_id"))
    enrolled = Enrollment.objects.filter(course=course)
    counts = enrolled.aggregate(started=Count("pk"), finished=Count("pk", filter=Q(person_id__in=finished_people)))  # 2
    reach = _module_reach(ids, course)  # 3

    # The furthest module each unfinished person reached (finished, answered in or last opened, latest in
    # course order): one query, each module a conditional count.
    stopped = dict.fromkeys(ids, 0)
    not_started = 0
    if ids:
        unfinished = enrolled.exclude(person_id__in=finished_people)
        reach_q = {}
        for m in modules:
            here = (Q(Exists(ModuleCompletion.objects.filter(person_id=OuterRef("person_id"), module_id=m.pk)))
                    | Q(Exists(KnowledgeCheckAttempt.objects.filter(person_id=OuterRef("person_id"), module_id=m.pk)))
                    | Q(last_module_id=m.pk))
            later = [x.pk for x in modules if x.path > m.path]
            beyond = (Q(Exists(ModuleCompletion.objects.filter(person_id=OuterRef("person_id"), module_id__in=later)))
                      | Q(Exists(KnowledgeCheckAttempt.objects.filter(person_id=OuterRef("person_id"),
                                                                       module_id__in=later)))
                      | Q(last_module_id__in=later)) if later else Q(pk__in=[])
            reach_q[m.pk] = here & ~beyond
        any_reach = Q()
        for m in modules:
            any_reach |= reach_q[m.pk]
        result = unfinished.aggregate(  # 4
            none=Count("pk", filter=~any_reach),
            **{f"m{pk}": Count("pk", filter=q) for pk, q in reach_q.items()},
        )
        not_started = result["none"]
        stopped = {pk: result[f"m{pk}"] for pk in ids}

    # Days from finishing a module to finishing the next: completions paired with the same person's
    # completion of the next module, grouped by the number of days between them.
    following = {a.pk: b.pk for a, b in zip(modules, modules[1:], strict=False)}
    gaps: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    pairs: dict[int, int] = defaultdict(int)
    if following:
        joined = _gap_groups(course, following)  # 5
        for module_id, days, n in joined:
            gaps[module_id][days] += n
            pairs[module_id] += n

    figures = []
    for m in modules:
        figures.append(ModuleFigures(module=m, started=reach.get(m.pk, 0), stopped_here=stopped.get(m.pk, 0),
                                     median_days_to_next=_median(gaps.get(m.pk, {})), pairs_to_next=pairs.get(m.pk, 0)))
    done = dict(ModuleCompletion.objects.filter(module_id__in=ids).values("module_id")  # 6
                .annotate(n=Count("pk")).values_list("module_id", "n")) if ids else {}
    for f in figures:
        f.finished = done.get(f.module.pk, 0)

    questions = _question_figures(modules, _answer_groups(ids))  # 7
    return CourseFigures(course=course, started=counts["started"], finished=counts["finished"],
                         not_started_modules=not_started, modules=figures, questions=questions)


def _gap_groups(course: CoursePage, following: dict[int, int]) -> list[tuple[int, int, int]]:
    """(module id, days to the next module's completion, how many people): one self-join grouped by date pair."""
    table = ModuleCompletion._meta.db_table
    cases = " ".join(["WHEN %s THEN %s"] * len(following))
    params = [x for pair in following.items() for x in pair]
    # Calendar days in UTC on both databases (SQLite stores UTC and has no time zones).
    if connection.vendor == "postgresql":
        gap = "((b.completed_at AT TIME ZONE 'UTC')::date - (a.completed_at AT TIME ZONE 'UTC')::date)"
    else:
        gap = "CAST(julianday(date(b.completed_at)) - julianday(date(a.completed_at)) AS INTEGER)"
    gap_params: list = []
    sql = (f"SELECT a.module_id, {gap}, COUNT(*) FROM {table} a JOIN {table} b"
           f" ON b.person_id = a.person_id AND b.module_id = CASE a.module_id {cases} END"
           f" WHERE a.course_id = %s GROUP BY a.module_id, {gap}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*gap_params, *params, course.pk, *gap_params])
        return [(m, int(d), n) for m, d, n in cursor.fetchall()]


def _question_figures(modules: list[ModulePage], groups) -> list[QuestionFigures]:
    """Fold the grouped answers into each question's choices (the block gives texts and right answers)."""
    by_question: dict[tuple[int, str, str], list[tuple[list[int], bool, int]]] = defaultdict(list)
    for module_id, check_id, key, chosen, first, n in groups:
        by_question[(module_id, check_id, key)].append((json.loads(chosen), first, n))
    out = []
    for module in modules:
        for block in module.knowledge_checks():
            right = grade(block, {}).questions
            for number, question in enumerate(block.value["questions"]):
                rows = by_question.get((module.pk, block.id, str(number)), [])
                q = QuestionFigures(module=module, check_title=block.value["title"], number=number + 1,
                                    prompt=question["prompt"])
                q.attempts = sum(n for _c, _f, n in rows)
                q.first_tries = sum(n for _c, f, n in rows if f)
                right_choices = right[number].right_choices
                q.missed = sum(n for c, _f, n in rows if sorted(c) != right_choices)
                q.first_missed = sum(n for c, f, n in rows if f and sorted(c) != right_choices)
                for i, choice in enumerate(question["choices"]):
                    chose_first = sum(n for c, f, n in rows if f and i in c)
                    chose_all = sum(n for c, _f, n in rows if i in c)
                    q.choices.append(ChoiceFigures(text=choice["text"], correct=bool(choice["correct"]),
                                                   first_try=Bar(choice["text"], chose_first, q.first_tries),
                                                   overall=Bar(choice["text"], chose_all, q.attempts)))
                out.append(q)
    return out


def analytics_courses() -> list[CoursePage]:
    return list(CoursePage.objects.live().order_by("path"))


def may_see_analytics(user) -> bool:
    """Trainers and state staff (and superusers): the same people who manage certificates."""
    from courses.selectors import may_manage_certificates

    return may_manage_certificates(user)


def figures_csv_rows(figures: CourseFigures) -> tuple[list[str], list[list]]:
    header = ["section", "module", "item", "started", "finished", "stopped here", "median days to next",
              "first tries", "share on first try %", "attempts", "share overall %"]
    rows = []
    for m in figures.modules:
        rows.append(["module", m.module.title, "", m.started, m.finished, m.stopped_here,
                     "" if m.median_days_to_next is None else m.median_days_to_next, "", "", "", ""])
    for q in figures.questions:
        for c in q.choices:
            rows.append(["answer", q.module.title, f"Q{q.number}: {c.text}{' (right)' if c.correct else ''}",
                         "", "", "", "", q.first_tries, c.first_try.percent, q.attempts, c.overall.percent])
    return header, rows


def observation_section(*, course: CoursePage) -> AnalyticsSection | None:
    """Coach observations per scenario of the course: how many, how many "ready", how many "practise again".
    Counts only (no participant or coach is named). Nothing for a course that neither asks for observations
    nor has any. Three queries."""
    from django.utils.translation import gettext as _

    from courses.selectors import observation_figures

    rows = observation_figures(course=course)
    if not course.requires_coach_observation and not any(n for _s, n, _r, _a in rows):
        return None
    return AnalyticsSection(
        title=_("Coach observations per scenario"),
        header=[_("Scenario"), _("Observations"), _("Ready"), _("Practise again")],
        rows=[[scenario.title, n, ready, again] for scenario, n, ready, again in rows],
        note=_("Role plays a coach observed at a live practice, by the scenario played, and their outcomes."))
