"""Reads with a rule in them. Certification is computed here and nowhere else.

`certification_statuses` answers for many people in a fixed number of queries (the roster and the
case-assignment gate call it); `certification_status` is its one-person form. `with_certification_state`
is the same rule as SQL on a Person queryset, for filtering and counting any number of people by state
(tests/courses/test_certification_sql.py pins the two together).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.blocks import ModuleBodyBlock
from courses.grading import CheckResult, answers_shown, grade
from courses.models import (
    Certificate,
    CoursePage,
    Enrollment,
    ModuleCompletion,
    ModulePage,
    Observation,
    PracticeCredit,
    Renewal,
    Scenario,
    SessionCredit,
)
from hub.dates import day_label
from hub.models import District, Person
from hub.reasons import Reason
from hub.selectors import own_districts_q, scope_for

EXPIRING_WITHIN = timedelta(days=60)


def may_manage_certificates(user) -> bool:
    """Hub trainers and state staff (and superusers) revoke, reinstate and renew certificates."""
    from hub.roles import STATE_STAFF, TRAINER, has_role

    return bool(user is not None and user.is_authenticated
                and (user.is_superuser or has_role(user, TRAINER, STATE_STAFF)))


# -- who a course or module is for ("Who it is for" in the editor) -------------------------------------

# A page with no district or region limit is everyone's: the SQL form of `LimitedPage.for_everyone`.
FOR_EVERYONE = Q(district__isnull=True, region__isnull=True)


@dataclass(frozen=True)
class TrainingAudience:
    """Which limited courses and modules one person may see and take (`training_audience` answers it).

    A page limited to a district is open to the people of that district — school staff of a school there,
    people whose home district it is, staff of a community partner serving it — and one limited to a
    region to the people of any district in the region. Hub trainers, state staff and superusers see
    everything; regional staff see their region's. A page with no limit is open to everyone, signed in or
    not. `admits` is the rule for one page, `q` the same rule for a queryset of pages."""

    everything: bool = False
    district_ids: frozenset[int] = frozenset()
    region_ids: frozenset[int] = frozenset()
    # The person's own districts (school, home district, partner's) as (id, name, region id): whose own
    # requirements My training shows them.
    own_districts: tuple[tuple[int, str, int], ...] = ()

    @property
    def own_district_ids(self) -> tuple[int, ...]:
        return tuple(pk for pk, _, _ in self.own_districts)

    def admits(self, page) -> bool:
        if self.everything or (page.district_id is None and page.region_id is None):
            return True
        if page.district_id is not None:
            return page.district_id in self.district_ids
        return page.region_id in self.region_ids

    def q(self, prefix: str = "") -> Q:
        if self.everything:
            return Q()
        return (Q(**{f"{prefix}district__isnull": True, f"{prefix}region__isnull": True})
                | Q(**{f"{prefix}district_id__in": sorted(self.district_ids)})
                | Q(**{f"{prefix}region_id__in": sorted(self.region_ids)}))


def page_is_open(*, person: Person | None, page, course: CoursePage | None = None,
                 audience: TrainingAudience | None = None) -> bool:
    """Is this course or module open to the person? A module is, when it and its course (`course`, or
    its parent) both are. Every path asks this one: the course and module pages (a 404 when not), the
    services behind a module's forms (completion, answers, reflections) and enrolment."""
    audience = audience or training_audience(person=person)
    if not audience.admits(page):
        return False
    if isinstance(page, ModulePage):
        course = course or CoursePage.objects.only("pk", "district_id", "region_id").get(
            path=page.path[: -ModulePage.steplen])
        return audience.admits(course)
    return True


def training_audience(*, person: Person | None) -> TrainingAudience:
    """Who `person` is for the "Who it is for" limits (None, signed out: only pages for everyone): one query,
    plus the person's roles (read once per request, `hub.roles.roles_of`)."""
    from hub.roles import REGIONAL_STAFF, STATE_STAFF, TRAINER, roles_of

    if person is None:
        return TrainingAudience()
    user = person.user
    roles = roles_of(user)
    everything = bool(user.is_superuser or roles & {TRAINER, STATE_STAFF})
    # The districts are `hub.selectors.scope_for`'s (the one rule of where a person works), marked which are
    # their own; staff who see everything need no list.
    own = own_districts_q(person, roles)
    where = own if everything else Q(pk__in=scope_for(user).values("pk"))
    rows = list(District.objects.filter(where).annotate(own=Case(When(own, then=Value(True)), default=Value(False)))
                .order_by("pk").values_list("pk", "name", "region_id", "own"))
    regional = REGIONAL_STAFF in roles and person.region_id is not None
    regions = {region for _, _, region, _ in rows} | ({person.region_id} if regional else set())
    return TrainingAudience(
        everything=everything,
        district_ids=frozenset(pk for pk, _, _, _ in rows), region_ids=frozenset(regions),
        own_districts=tuple((pk, name, region) for pk, name, region, mine in rows if mine))


class State:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    CERTIFIED = "certified"
    EXPIRING_SOON = "expiring_soon"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ORDER = (NOT_STARTED, IN_PROGRESS, CERTIFIED, EXPIRING_SOON, EXPIRED, REVOKED)
    LABELS = {
        NOT_STARTED: "Not started", IN_PROGRESS: "In progress", CERTIFIED: "Certified",
        EXPIRING_SOON: "Expiring soon", EXPIRED: "Expired", REVOKED: "Revoked",
    }


class Need:
    """The kinds of requirement a course's certification rule counts."""

    MODULE = "module"  # a required module, completed once (its knowledge checks passed)
    PRACTICE = "practice"  # attendance at a live practice session, when the course asks for one
    OBSERVATION = "observation"  # a coach's "ready" on a role play at a live practice, when the course asks
    RENEWAL_MODULE = "renewal_module"  # a module of the renewal path, completed again in the open renewal
    RENEWAL_SESSION = "renewal_session"  # a session required for renewal, attended live or made up by recording
    DISTRICT_MODULE = "district_module"  # a district's own required module (`district_requirements`)


@dataclass(frozen=True)
class Requirement:
    """One thing the certification rule counts, and where one person stands with it."""

    kind: str  # a Need
    title: str
    done: bool
    on: date | datetime | None = None  # when it was done: a completion's time, a practice's day
    module_id: int | None = None
    observation: "ObservationSummary | None" = None  # for OBSERVATION: the "ready" one, else the latest
    via: str = ""  # for RENEWAL_SESSION: SessionCredit.Via (live or recording) once done
    district: str = ""  # for DISTRICT_MODULE: the district whose own requirement it is


@dataclass(frozen=True)
class ObservationSummary:
    """What a participant is shown of a coach's observation (the coach is not named: only their words)."""

    outcome: str  # Observation.Outcome
    scenario: str
    practised_on: date
    note: str
    marks: tuple[tuple[str, bool], ...]  # (criterion, met) in rubric order

    @property
    def ready(self) -> bool:
        return self.outcome == Observation.Outcome.READY


@dataclass(frozen=True)
class CertificationStatus:
    course_code: str
    state: str
    completed: int
    total: int
    valid_until: datetime | None = None
    certificate_code: str | None = None
    practised_on: date | None = None  # the latest live practice attended, whether the course asks or not
    course_title: str = ""
    requires_practice: bool = False
    # What the rule counts for a first certificate (the required modules in course order, then the live
    # practice if the course asks for one), and the renewal path's modules as done in the open renewal.
    # `missing`, `practice_attended`, `renewal_missing`, `rule_met` and `reasons` are all read from these.
    requirements: tuple[Requirement, ...] = ()
    renewal_requirements: tuple[Requirement, ...] = ()
    revoked_at: datetime | None = None
    revoked_by: str = ""
    renewal_open: bool = False

    @property
    def practice_attended(self) -> bool:
        return self.practised_on is not None

    @property
    def missing(self) -> tuple[str, ...]:
        """Required modules not completed yet (titles, in course order)."""
        return tuple(r.title for r in self.requirements if r.kind == Need.MODULE and not r.done)

    @property
    def renewal_missing(self) -> tuple[str, ...]:
        """The renewal path's modules still to complete in it."""
        return tuple(r.title for r in self.renewal_requirements if r.kind == Need.RENEWAL_MODULE and not r.done)

    @property
    def renewal_sessions_missing(self) -> int:
        """How many more sessions required for renewal the renewal needs (live or made up by recording)."""
        return sum(r.kind == Need.RENEWAL_SESSION and not r.done for r in self.renewal_requirements)

    @property
    def renewal_met(self) -> bool:
        """An open renewal with everything it counts done: the renewal path's modules again, and the sessions
        required for renewal if the course asks for some (`courses.services` issues the renewed certificate)."""
        return self.renewal_open and bool(self.renewal_requirements) and all(r.done for r in self.renewal_requirements)

    @property
    def practice_missing(self) -> bool:
        return any(r.kind == Need.PRACTICE and not r.done for r in self.requirements)

    @property
    def observation_missing(self) -> bool:
        return any(r.kind == Need.OBSERVATION and not r.done for r in self.requirements)

    @property
    def rule_met(self) -> bool:
        """Everything a first certificate needs is done (a course with no required module issues none)."""
        return self.total > 0 and all(r.done for r in self.requirements)

    @property
    def is_current(self) -> bool:
        """Holds a certificate that counts now (expiring soon still counts)."""
        return self.state in (State.CERTIFIED, State.EXPIRING_SOON)

    @property
    def label(self) -> str:
        return State.LABELS[self.state]

    @property
    def name(self) -> str:
        return self.course_title or self.course_code.replace("-", " ")

    def describe(self) -> str:
        """The state in a few words for a list, e.g. "LEAP 101 in progress, 4 of 7 modules"."""
        name = self.course_code.replace("-", " ")
        until = day_label(self.valid_until)
        if self.state == State.NOT_STARTED:
            return f"{name} not started"
        if self.state == State.IN_PROGRESS:
            return f"{name} in progress, {self.completed} of {self.total} modules"
        if self.state == State.CERTIFIED:
            return f"{name} certified until {until}"
        if self.state == State.EXPIRING_SOON:
            return f"{name} certificate expires {until}"
        if self.state == State.EXPIRED:
            return f"{name} certificate expired {until}"
        return f"{name} certificate revoked"

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """What stands between the person and a current certificate (empty when they hold one): codes
        and facts, worded for each reader by `hub.reasons.describe` (courses/reasons.py)."""
        course = self.course_code.replace("-", " ")
        if self.is_current:
            return ()
        if self.state == State.NOT_STARTED:
            found = [Reason("course_not_started", {"course": course, "modules": self.missing})]
            if self.practice_missing:
                found.append(Reason("practice_missing", {"course": course}))
            if self.observation_missing:
                found.append(Reason("observation_missing", {"course": course}))
            return tuple(found)
        if self.state == State.IN_PROGRESS:
            found = []
            if self.missing:
                found.append(Reason("modules_missing", {"course": course, "modules": self.missing,
                                                        "count": len(self.missing)}))
            if self.practice_missing:
                found.append(Reason("practice_missing", {"course": course}))
            if self.observation_missing:
                found.append(Reason("observation_missing", {"course": course}))
            return tuple(found)
        if self.state == State.REVOKED:
            found = [Reason("certificate_revoked", {"course": course, "on": self.revoked_at, "by": self.revoked_by})]
        else:
            found = [Reason("certificate_expired", {"course": course, "on": self.valid_until})]
        if self.renewal_open:
            if self.renewal_missing:
                found.append(Reason("renewal_modules_missing", {"course": course, "modules": self.renewal_missing,
                                                                "count": len(self.renewal_missing)}))
        elif self.state == State.EXPIRED:
            found.append(Reason("renewal_needed", {"course": course, "modules": self.renewal_missing,
                                                   "count": len(self.renewal_missing)}))
        else:
            found.append(Reason("ask_to_reinstate", {"course": course}))
        if self.renewal_sessions_missing and (self.renewal_open or self.state == State.EXPIRED):
            found.append(Reason("renewal_sessions_missing", {"course": course,
                                                             "count": self.renewal_sessions_missing}))
        return tuple(found)


def certification_state_of(certificate: Certificate, now: datetime | None = None) -> str:
    """The state of one certificate: certified, expiring soon, expired or revoked."""
    now = now or timezone.now()
    if certificate.is_revoked:
        return State.REVOKED
    if certificate.valid_until <= now:
        return State.EXPIRED
    if certificate.valid_until - now <= EXPIRING_WITHIN:
        return State.EXPIRING_SOON
    return State.CERTIFIED


def renewal_path(modules) -> list:
    """The modules a renewal takes: the required refresher modules, or every required one when the course
    marks none. `modules` are (pk, title, in_refresher) rows or ModulePages of the required modules."""
    def refresher(m):
        return m[2] if isinstance(m, tuple) else m.in_refresher

    return [m for m in modules if refresher(m)] or list(modules)


def certification_statuses(*, people, course_code: str, now: datetime | None = None
                           ) -> dict[int, CertificationStatus]:
    """{person id: status} for every person given (Person objects or ids): 7 queries, however many.

    The rule, from what happened and in order: the latest certificate (by issued_at) decides — revoked
    (and not reinstated since), expired, expiring soon within EXPIRING_WITHIN, else certified; with none,
    a completed required module or an enrollment means in progress, else not started. Beside the state,
    what the rule counts, each with its state (`CertificationStatus.requirements`): the required modules
    (done, and when), the live practice if the course requires it (attended, and on which day), and the
    renewal path's modules as done in the open renewal, and a coach's "ready" observation if the course
    requires one (an eighth query, only then). A new certificate is only ever issued by
    `courses.services` when `rule_met` says so. `with_certification_state` implements the state in SQL;
    keep the two in step (tests/courses/test_certification_sql.py compares them).
    """
    return certification_statuses_by_course(people=people, course_codes=[course_code], now=now)[course_code]


def _modules_of(courses, *conditions: Q, **filters) -> dict[int, list]:
    """{course id: its live modules in order (ModulePages, with `conditions` and `filters`)} for many
    courses: one query."""
    if not courses:
        return {}
    by_path = {c.path: c.pk for c in courses}
    depths = {c.depth + 1 for c in courses}
    within = Q()
    for course in courses:
        within |= Q(path__startswith=course.path)
    found: dict[int, list] = {c.pk: [] for c in courses}
    for module in (ModulePage.objects.live().filter(within, *conditions, depth__in=depths, **filters)
                   .order_by("path").only("pk", "title", "url_path", "path", "depth", "required",
                                          "estimated_minutes", "in_refresher", "district_id", "region_id")):
        course_id = by_path.get(module.path[: -ModulePage.steplen])
        if course_id is not None:
            found[course_id].append(module)
    return found


def rule_modules_of(courses) -> dict[int, list]:
    """{course id: the modules its certification rule counts}: the live required modules for everyone, in
    order. A module limited to a district or region is that district's own requirement
    (`district_requirements`), never part of the course's rule: LEAP 101 stays the same certificate for
    everyone whatever a district adds. One query."""
    return _modules_of(courses, FOR_EVERYONE, required=True)


def in_rule(module: ModulePage) -> bool:
    """`rule_modules_of` for one module already read (live, of the course): required and for everyone. Beside
    it so the two stay one rule; tests/courses/test_district_trainings.py pins them together."""
    return module.required and module.for_everyone


def rule_modules(*, course: CoursePage) -> list[ModulePage]:
    """One course's `rule_modules_of` (the renewal path is drawn from these)."""
    return rule_modules_of([course])[course.pk]


def certification_statuses_by_course(*, people, course_codes, now: datetime | None = None, courses=None,
                                     required=None) -> dict[str, dict[int, CertificationStatus]]:
    """{course code: {person id: status}}: `certification_statuses` for several courses at once, in the same
    7 queries however many people and courses (My training asks it for every course). `courses` (the
    CoursePages) and `required` ({course id: the modules its rule counts in order, `rule_modules_of`}) may be
    passed when read."""
    now = now or timezone.now()
    ids = [p if isinstance(p, int) else p.pk for p in people]
    codes = list(dict.fromkeys(course_codes))
    if courses is None:
        courses = list(CoursePage.objects.filter(code__in=codes).only(
            "pk", "code", "title", "path", "depth", "requires_live_practice", "requires_coach_observation",
            "renewal_sessions_required"))
    by_code = {c.code: c for c in courses}
    found = {code: {pid: CertificationStatus(code, State.NOT_STARTED, 0, 0) for pid in ids}
             for code in codes if code not in by_code}
    if not by_code:
        return found
    if required is None:
        required = rule_modules_of(list(by_code.values()))
    course_ids = [c.pk for c in by_code.values()]
    module_ids = [m.pk for modules in required.values() for m in modules]
    done: dict[int, dict[int, datetime]] = {}  # person id -> {module id: completed at}
    for pid, module_id, at in ModuleCompletion.objects.filter(
            person_id__in=ids, module_id__in=module_ids).values_list("person_id", "module_id", "completed_at"):
        done.setdefault(pid, {})[module_id] = at
    enrolled = set(Enrollment.objects.filter(course_id__in=course_ids, person_id__in=ids)
                   .values_list("course_id", "person_id"))
    latest_issue = (Certificate.objects.filter(course_id=OuterRef("course_id"), person_id=OuterRef("person_id"))
                    .order_by("-issued_at", "-pk").values("pk")[:1])
    certificates = {
        (c.course_id, c.person_id): c for c in Certificate.objects.filter(
            course_id__in=course_ids, person_id__in=ids, pk=Subquery(latest_issue)
        ).select_related("revoked_by").only(
            "course_id", "person_id", "code", "issued_at", "valid_until", "revoked_at", "reinstated_at",
            "revoked_by__first_name", "revoked_by__last_name", "revoked_by__username")
    }
    practised: dict[tuple[int, int], date] = {}  # (course id, person id) -> the latest day attended
    for course_id, pid, day in (PracticeCredit.objects.filter(course_id__in=course_ids, person_id__in=ids)
                                .order_by("attended_on").values_list("course_id", "person_id", "attended_on")):
        practised[course_id, pid] = day
    observed = _observations_of([c.pk for c in by_code.values() if c.requires_coach_observation], ids)
    renewals: dict[tuple[int, int], dict[int, datetime]] = {}  # -> modules completed in the open renewal
    sessions = _session_credits_of([c for c in by_code.values() if c.renewal_sessions_required], ids)
    for course_id, pid, module_id, at in Renewal.objects.filter(
            course_id__in=course_ids, person_id__in=ids, closed_at__isnull=True
    ).values_list("course_id", "person_id", "completions__module_id", "completions__completed_at"):
        in_renewal = renewals.setdefault((course_id, pid), {})
        if module_id is not None:
            in_renewal[module_id] = at
    for code, course in by_code.items():
        modules = required.get(course.pk, [])
        path = renewal_path(modules)
        statuses = found[code] = {}
        for pid in ids:
            mine = done.get(pid, {})
            practised_on = practised.get((course.pk, pid))
            needs = [Requirement(Need.MODULE, m.title, m.pk in mine, mine.get(m.pk), m.pk) for m in modules]
            if course.requires_live_practice:
                needs.append(Requirement(Need.PRACTICE, "Live practice", practised_on is not None, practised_on))
            if course.requires_coach_observation:
                shown = observed.get((course.pk, pid))
                needs.append(Requirement(Need.OBSERVATION, "Coach's observation", bool(shown and shown.ready),
                                         shown.practised_on if shown else None, observation=shown))
            in_renewal = renewals.get((course.pk, pid))
            again = in_renewal or {}
            certificate = certificates.get((course.pk, pid))
            valid_until = certificate_code = revoked_at = None
            revoked_by = ""
            completed = sum(m.pk in mine for m in modules)
            if certificate is not None:
                valid_until, certificate_code = certificate.valid_until, certificate.code
                state = certification_state_of(certificate, now)
                if state == State.REVOKED:
                    revoked_at = certificate.revoked_at
                    if certificate.revoked_by_id:
                        revoked_by = certificate.revoked_by.get_full_name() or certificate.revoked_by.username
            elif completed or (course.pk, pid) in enrolled:
                state = State.IN_PROGRESS
            else:
                state = State.NOT_STARTED
            renewing = [Requirement(Need.RENEWAL_MODULE, m.title, m.pk in again, again.get(m.pk), m.pk) for m in path]
            if course.renewal_sessions_required:
                renewing += _renewal_sessions(course, sessions.get((course.pk, pid), []), certificate)
            statuses[pid] = CertificationStatus(
                code, state, completed, len(modules), valid_until, certificate_code, practised_on,
                course_title=course.title, requires_practice=course.requires_live_practice,
                requirements=tuple(needs), renewal_requirements=tuple(renewing),
                revoked_at=revoked_at, revoked_by=revoked_by, renewal_open=in_renewal is not None,
            )
    return found


def _session_credits_of(courses, person_ids) -> dict[tuple[int, int], list[tuple[str, date, str]]]:
    """{(course id, person id): [(title, held on, via)] in date order}: the sessions required for renewal the
    person attended or made up. One query, none when no course asks for sessions."""
    found: dict[tuple[int, int], list[tuple[str, date, str]]] = {}
    if not courses or not person_ids:
        return found
    for course_id, pid, title, held_on, via in (
            SessionCredit.objects.filter(course_id__in=[c.pk for c in courses], person_id__in=person_ids)
            .order_by("held_on", "pk").values_list("course_id", "person_id", "title", "held_on", "via")):
        found.setdefault((course_id, pid), []).append((title, held_on, via))
    return found


def _renewal_sessions(course: CoursePage, credits, certificate) -> list[Requirement]:
    """The course's `renewal_sessions_required` places, filled by the sessions held since the latest
    certificate was issued (the period it covered and after), earliest first; the rest not yet done."""
    since = timezone.localdate(certificate.issued_at) if certificate is not None else None
    counted = [c for c in credits if since is None or c[1] >= since][: course.renewal_sessions_required]
    places = [Requirement(Need.RENEWAL_SESSION, title, True, held_on, via=via) for title, held_on, via in counted]
    places += [Requirement(Need.RENEWAL_SESSION, "A session required for renewal", False)
               for _ in range(course.renewal_sessions_required - len(counted))]
    return places


def _observations_of(course_ids, person_ids) -> dict[tuple[int, int], ObservationSummary]:
    """{(course id, person id): the observation the rule shows}: the latest "ready" one if there is one (the
    rule counts it), else the latest. One query, none when no course asks for an observation."""
    found: dict[tuple[int, int], ObservationSummary] = {}
    if not course_ids or not person_ids:
        return found
    for row in (Observation.objects.filter(course_id__in=course_ids, participant_id__in=person_ids)
                .order_by("created_at", "pk")
                .values_list("course_id", "participant_id", "outcome", "scenario__title", "practised_on", "note",
                             "marks")):
        course_id, pid, outcome, scenario, day, note, marks = row
        key = (course_id, pid)
        if key in found and found[key].ready and outcome != Observation.Outcome.READY:
            continue  # a "ready" stays what counts, and what is shown
        found[key] = ObservationSummary(outcome, scenario, day, note, tuple(
            (str(m.get("criterion", "")), bool(m.get("met"))) for m in (marks or []) if isinstance(m, dict)))
    return found


STATE_FIELD = "leap_state"


def with_certification_state(people: QuerySet[Person], *, course_code: str, now: datetime | None = None,
                             name: str = STATE_FIELD) -> QuerySet[Person]:
    """`people` annotated with `name` (default "leap_state"): the person's State for the course, in SQL.

    The same rule as `certification_statuses` (which also gives completed/total, the certificate and
    practice): the latest certificate by issued_at decides — revoked and not reinstated since → revoked, valid_until <= now
    → expired, valid_until - now <= EXPIRING_WITHIN → expiring soon, else certified; with no certificate,
    a completion of a required module (a live child ModulePage with required=True and no district or
    region limit: `rule_modules_of`) or an enrollment → in
    progress, else not started. tests/courses/test_certification_sql.py pins the two together.

    Two small queries when called (the course, its required modules: literal ids give the planner
    good estimates); the state itself is correlated subqueries on indexed columns, so
    `.filter(leap_state=...)` and `.values("leap_state").annotate(n=Count("pk"))` work at any size on
    SQLite and PostgreSQL. An unknown course code leaves everyone not started, as in Python.
    """
    now = now or timezone.now()
    course = CoursePage.objects.filter(code=course_code).only("pk", "path", "depth").first()
    if course is None:
        return people.annotate(**{name: Value(State.NOT_STARTED, output_field=CharField())})
    required = list(ModulePage.objects.live().child_of(course).filter(FOR_EVERYONE, required=True)
                    .values_list("pk", flat=True))
    revoked = Q(revoked_at__isnull=False) & (Q(reinstated_at__isnull=True) | Q(reinstated_at__lt=F("revoked_at")))
    latest = (Certificate.objects.filter(course_id=course.pk, person_id=OuterRef("pk"))
              .order_by("-issued_at", "-pk")
              .annotate(state=Case(
                  When(revoked, then=Value(State.REVOKED)),
                  When(valid_until__lte=now, then=Value(State.EXPIRED)),
                  When(valid_until__lte=now + EXPIRING_WITHIN, then=Value(State.EXPIRING_SOON)),
                  default=Value(State.CERTIFIED), output_field=CharField()))
              .values("state")[:1])
    started = Exists(Enrollment.objects.filter(course_id=course.pk, person_id=OuterRef("pk")))
    if required:
        started |= Exists(ModuleCompletion.objects.filter(person_id=OuterRef("pk"), module_id__in=required))
    without_certificate = Case(When(started, then=Value(State.IN_PROGRESS)), default=Value(State.NOT_STARTED),
                               output_field=CharField())
    return people.annotate(**{name: Coalesce(Subquery(latest, output_field=CharField()), without_certificate,
                                             output_field=CharField())})


def certification_status(*, person, course_code: str, now: datetime | None = None) -> CertificationStatus:
    pid = person if isinstance(person, int) else person.pk
    return certification_statuses(people=[pid], course_code=course_code, now=now)[pid]


def district_requirements(*, people, district_ids, course_codes=None, courses=None, districts=None
                          ) -> dict[tuple[int, int], tuple[Requirement, ...]]:
    """{(person id, district id): the district's own required modules, each with the person's state} for every
    person and district given (Person objects or ids), in a fixed number of queries however many: the
    courses (none when `courses` are given), the districts (none when `districts`, {id: (name, region id)},
    are given), their limited modules, and the completions (none when no module is limited there).

    A district's own required modules are the live, required modules of the courses given (`courses`, or
    the live courses with `course_codes`) limited to the district or to its region ("Who it is for"). They
    are not part of the course's certification rule (`rule_modules_of`): the gate
    (`coordinators.selectors.eligibility.visit_eligibility`) asks for them on top of the certificate, for
    the district a case is in, and My training shows them for the person's own districts. A completion
    counts as it does for the course (recorded once, its knowledge checks passed)."""
    ids = [p if isinstance(p, int) else p.pk for p in people]
    district_ids = sorted({d for d in district_ids if d})
    found: dict[tuple[int, int], tuple[Requirement, ...]] = {(pid, did): () for pid in ids for did in district_ids}
    if not ids or not district_ids:
        return found
    if courses is None:
        courses = list(CoursePage.objects.live().filter(code__in=list(course_codes or ())).only("pk", "path", "depth"))
    if districts is None:
        districts = {pk: (name, region) for pk, name, region in
                     District.objects.filter(pk__in=district_ids).values_list("pk", "name", "region_id")}
    districts = {did: districts[did] for did in district_ids if did in districts}
    if not courses or not districts:
        return found
    limited = Q(district_id__in=list(districts)) | Q(region_id__in={r for _, r in districts.values()})
    modules = [m for ms in _modules_of(courses, limited, required=True).values() for m in ms]
    done = {(pid, mid): at for pid, mid, at in ModuleCompletion.objects.filter(
        person_id__in=ids, module_id__in=[m.pk for m in modules]).values_list("person_id", "module_id", "completed_at")
    } if modules else {}
    for did, (name, region) in districts.items():
        own = [m for m in modules if m.district_id == did or (m.district_id is None and m.region_id == region)]
        for pid in ids:
            found[pid, did] = tuple(Requirement(Need.DISTRICT_MODULE, m.title, (pid, m.pk) in done, done.get((pid, m.pk)),
                                                m.pk, district=name) for m in own)
    return found


@dataclass
class ModuleRow:
    module: ModulePage
    done: bool
    unlocked: bool
    current: bool


@dataclass(frozen=True)
class PracticePlan:
    """For My training: the live practice a person has a place at (`starts_at`, the session's page), or,
    with `starts_at` None, where to find one and register."""

    url: str
    starts_at: datetime | None = None
    waitlisted: bool = False


# The app that runs live sessions says what a person has booked (sessions registers it from its
# AppConfig.ready(): courses never reads sessions). `planner(*, person, course_codes)` returns
# {course code: PracticePlan} for the courses whose live practice it runs, in a fixed number of queries.
_practice_planners: list[Callable] = []


def practice_planner_register(planner: Callable) -> None:
    _practice_planners.append(planner)


def practice_plans(*, person: Person, course_codes) -> dict[str, PracticePlan]:
    plans: dict[str, PracticePlan] = {}
    for planner in _practice_planners:
        plans.update(planner(person=person, course_codes=list(course_codes)))
    return plans


@dataclass(frozen=True)
class MakeupOffer:
    """For My training: the recording of a session required for renewal the person missed, to make it up."""

    title: str
    held_on: date
    url: str


# The same for the sessions required for renewal: `planner(*, person, course_codes)` returns {course code:
# [MakeupOffer]}, the recordings the person could watch to make up a session they missed.
_makeup_planners: list[Callable] = []


def makeup_planner_register(planner: Callable) -> None:
    _makeup_planners.append(planner)


def makeup_offers(*, person: Person, course_codes) -> dict[str, list[MakeupOffer]]:
    offers: dict[str, list[MakeupOffer]] = {}
    for planner in _makeup_planners:
        offers.update(planner(person=person, course_codes=list(course_codes)))
    return offers


@dataclass
class CourseProgress:
    course: CoursePage
    enrolled: bool
    rows: list[ModuleRow]
    required_total: int
    required_done: int
    status: CertificationStatus | None
    resume: ModulePage | None
    last_activity_at: datetime | None
    practice_plan: PracticePlan | None = None
    makeups: tuple[MakeupOffer, ...] = ()  # recordings that would fill a renewal's session places
    # The own required modules of the person's district(s) in this course (`district_requirements`): not
    # part of the certificate, needed to take cases there.
    district_requirements: tuple[Requirement, ...] = ()

    @property
    def percent(self) -> int:
        return round(100 * self.required_done / self.required_total) if self.required_total else 0

    @property
    def what_is_left(self) -> list[str]:
        """What stands between the person and a current certificate, in their own words (hub.reasons)."""
        from hub.reasons import describe

        return describe(self.status.reasons) if self.status and self.enrolled else []

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        """What the certification rule counts, each with its state: the rule's own list (the gate's)."""
        return self.status.requirements if self.status else ()

    @property
    def renewal_requirements(self) -> tuple[Requirement, ...]:
        """An open renewal's whole list; before one opens, for someone holding (or who held) a certificate, the
        sessions required for renewal they have attended or made up so far, if the course counts them."""
        if not self.status:
            return ()
        if self.status.renewal_open:
            return self.status.renewal_requirements
        if self.status.certificate_code and self.status.state != State.REVOKED:
            return tuple(r for r in self.status.renewal_requirements if r.kind == Need.RENEWAL_SESSION)
        return ()

    @property
    def next_module(self) -> ModulePage | None:
        if self.resume is not None:
            row = next((r for r in self.rows if r.module.pk == self.resume.pk), None)
            if row and not row.done:
                return self.resume
        return next((r.module for r in self.rows if not r.done and r.unlocked), None)


def unlocked_module_ids(*, course: CoursePage, modules, done_ids) -> set[int]:
    """The unlocking rule, asked by every path (the course page, the module page, the services): in a
    sequential course a module unlocks once every module before it is done; otherwise all are open.
    `modules` are the course's published modules in order; `done_ids` the ids the person completed."""
    unlocked, open_path = set(), True
    for module in modules:
        if not course.sequential or open_path:
            unlocked.add(module.pk)
        if module.pk not in done_ids:
            open_path = False
    return unlocked


def module_is_unlocked(*, person: Person, module: ModulePage, course: CoursePage,
                       audience: TrainingAudience | None = None) -> bool:
    """Unlocked for this person: the modules before it that are not open to them (`training_audience`)
    are not in their way."""
    if not course.sequential:
        return True
    audience = audience or training_audience(person=person)
    modules = list(ModulePage.objects.live().child_of(course).filter(audience.q()).order_by("path")
                   .only("pk", "path", "depth"))
    done = set(ModuleCompletion.objects.filter(person=person, module__in=modules).values_list("module_id", flat=True))
    return module.pk in unlocked_module_ids(course=course, modules=modules, done_ids=done)


def _progress(*, person: Person | None, courses: list[CoursePage], plans: bool = False,
              audience: TrainingAudience | None = None) -> list[CourseProgress]:
    """Each course's progress for one person (or none, signed out), with the certification rule's state
    and their districts' own requirements: a fixed number of queries however many courses, modules and
    sessions (4 + the rule's 5 + the planner's, and for "Who it is for" the person's districts and their
    limited modules, 2, with their completions a third where there are some). Only what is open to the
    person (`training_audience`) is listed, unlocked and counted."""
    audience = audience or training_audience(person=person)
    modules_of = _modules_of(courses, audience.q())
    done_ids: set[int] = set()
    enrollments: dict[int, Enrollment] = {}
    statuses: dict[str, dict[int, CertificationStatus]] = {}
    found_plans: dict[str, PracticePlan] = {}
    found_makeups: dict[str, list[MakeupOffer]] = {}
    own_needs: dict[tuple[int, int], tuple[Requirement, ...]] = {}
    if person is not None and courses:
        every = [m.pk for modules in modules_of.values() for m in modules]
        done_ids = set(ModuleCompletion.objects.filter(person=person, module_id__in=every)
                       .values_list("module_id", flat=True))
        enrollments = {e.course_id: e for e in Enrollment.objects.filter(person=person, course__in=courses)
                       .select_related("last_module")}
        statuses = certification_statuses_by_course(
            people=[person.pk], course_codes=[c.code for c in courses], courses=courses,
            required={c.pk: [m for m in modules_of[c.pk] if in_rule(m)] for c in courses})
        if audience.own_district_ids:
            own_needs = district_requirements(people=[person.pk], district_ids=audience.own_district_ids,
                                              courses=courses, districts={pk: (name, region) for pk, name, region
                                                                          in audience.own_districts})
        if plans:
            found_plans = practice_plans(person=person, course_codes=[c.code for c in courses
                                                                      if c.requires_live_practice])
            renewing = [c.code for c in courses if statuses[c.code][person.pk].renewal_sessions_missing
                        and statuses[c.code][person.pk].state != State.NOT_STARTED]
            found_makeups = makeup_offers(person=person, course_codes=renewing) if renewing else {}
    found = []
    for course in courses:
        modules = modules_of[course.pk]
        enrollment = enrollments.get(course.pk)
        unlocked = unlocked_module_ids(course=course, modules=modules, done_ids=done_ids)
        resume = enrollment.last_module if enrollment else None
        rows = [ModuleRow(m, m.pk in done_ids, m.pk in unlocked and enrollment is not None,
                          resume is not None and m.pk == resume.pk) for m in modules]
        required = [r for r in rows if r.module.required]
        status = statuses[course.code][person.pk] if person is not None else None
        ids = {m.pk for m in modules}
        mine: dict[int, Requirement] = {}  # a region's module once, though two of the person's districts ask it
        for did in audience.own_district_ids if person is not None else ():
            for need in own_needs.get((person.pk, did), ()):
                if need.module_id in ids:
                    mine.setdefault(need.module_id, need)
        found.append(CourseProgress(course, enrollment is not None, rows, len(required),
                                    sum(r.done for r in required), status, resume,
                                    enrollment.last_activity_at if enrollment else None,
                                    found_plans.get(course.code), tuple(found_makeups.get(course.code, ())),
                                    tuple(mine.values())))
    return found


def course_progress(*, person: Person | None, course: CoursePage,
                    audience: TrainingAudience | None = None) -> CourseProgress:
    """The course page's progress. The caller has asked `page_is_open` first: a course that is not open
    to the person is served as a 404."""
    return _progress(person=person, courses=[course], audience=audience)[0]


def courses_for_person(*, person: Person | None, plans: bool = False) -> list[CourseProgress]:
    """Every published course open to the person with their progress; `plans` adds the live practice they
    have booked (My training)."""
    audience = training_audience(person=person)
    return _progress(person=person, courses=list(CoursePage.objects.live().filter(audience.q()).order_by("path")),
                     plans=plans, audience=audience)


def last_activity(*, people) -> dict[int, datetime]:
    """{person id: latest training activity} (for the roster): one query."""
    ids = [p if isinstance(p, int) else p.pk for p in people]
    return dict(Enrollment.objects.filter(person_id__in=ids).values("person_id")
                .annotate(at=Max("last_activity_at")).values_list("person_id", "at"))


@dataclass
class CheckState:
    block: object
    latest: object | None  # the latest KnowledgeCheckAttempt
    passed_ever: bool
    result: CheckResult | None  # of the latest attempt
    # Per question: number, prompt, choices [(index, text, checked, right)], correct (of the latest
    # attempt, or None), review (the section to re-read), explanation. `right` and `explanation` are
    # None until `answers_shown`: the page cannot show what it was not given.
    questions: list[dict]
    tries: int = 0
    answers_shown: bool = False

    @property
    def tries_left(self) -> int | None:
        """Tries before the right answers are shown (None: only passing shows them, or they are shown)."""
        reveal_after = self.block.value.get("reveal_after")
        if self.answers_shown or not reveal_after:
            return None
        return max(reveal_after - self.tries, 0)

    @property
    def look_again(self) -> list[dict]:
        """The questions the latest attempt got wrong (to look at again)."""
        return [q for q in self.questions if q["correct"] is False]


@dataclass
class ModuleView:
    module: ModulePage
    course: CoursePage
    enrollment: Enrollment | None
    progress: CourseProgress
    unlocked: bool
    done: bool
    checks: dict[str, CheckState]
    reflections: dict[str, str]
    personal_blocks: dict[str, object]  # block id -> knowledge-check or reflection block
    is_open: bool = True  # open to the person (`page_is_open`); the page is a 404 when not

    @property
    def can_complete(self) -> bool:
        return all(state.passed_ever for state in self.checks.values())

    @property
    def next_module(self) -> ModulePage | None:
        ids = [row.module.pk for row in self.progress.rows]
        at = ids.index(self.module.pk) if self.module.pk in ids else -1
        return self.progress.rows[at + 1].module if 0 <= at < len(ids) - 1 else None


def module_view(*, person: Person, module: ModulePage) -> ModuleView:
    """Everything a module page shows for one person, in a fixed handful of queries."""
    from courses.models import KnowledgeCheckAttempt, Reflection

    course = CoursePage.objects.get(path=module.path[: -ModulePage.steplen])
    audience = training_audience(person=person)
    if not page_is_open(person=person, page=module, course=course, audience=audience):
        return ModuleView(module, course, None, CourseProgress(course, False, [], 0, 0, None, None, None), False,
                          False, {}, {}, {}, is_open=False)
    modules = list(ModulePage.objects.live().child_of(course).filter(audience.q()).order_by("path")
                   .only("pk", "title", "url_path", "path", "depth", "required", "estimated_minutes",
                         "district_id", "region_id"))
    enrollment = Enrollment.objects.filter(person=person, course=course).first()
    done_ids = set(ModuleCompletion.objects.filter(person=person, module__in=modules)
                   .values_list("module_id", flat=True))
    open_ids = unlocked_module_ids(course=course, modules=modules, done_ids=done_ids)
    rows = [ModuleRow(m, m.pk in done_ids, enrollment is not None and m.pk in open_ids, m.pk == module.pk)
            for m in modules]
    unlocked = enrollment is not None and module.pk in open_ids
    required = [r for r in rows if r.module.required]
    progress = CourseProgress(course, enrollment is not None, rows, len(required), sum(r.done for r in required),
                              None, module, enrollment.last_activity_at if enrollment else None)
    # Only the reader-dependent blocks are converted (by index): text and scenario blocks come from
    # the rendered-body cache, so the scenario snippet is not fetched on every request.
    personal = [module.body[i] for i, item in enumerate(module.body.raw_data)
                if item["type"] in ModuleBodyBlock.PERSONAL]
    checks: dict[str, CheckState] = {}
    check_blocks = [b for b in personal if b.block_type == "knowledge_check"]
    if check_blocks:
        attempts = list(KnowledgeCheckAttempt.objects.filter(person=person, module=module)
                        .order_by("created_at", "pk"))
        for block in check_blocks:
            mine = [a for a in attempts if a.check_id == block.id]
            latest = mine[-1] if mine else None
            passed_ever = any(a.passed for a in mine)
            shown = answers_shown(block.value, tries=len(mine), passed=passed_ever)
            result = grade(block, {int(k): v for k, v in latest.answers.items()}) if latest else None
            questions = []
            for number, question in enumerate(block.value["questions"]):
                graded = result.questions[number] if result else None
                questions.append({
                    "number": number, "prompt": question["prompt"],
                    "correct": graded.correct if graded else None,
                    "review": question.get("review") or "",
                    "explanation": question["explanation"] if shown else None,
                    "choices": [(i, choice["text"], bool(graded and i in graded.chosen),
                                 bool(choice["correct"]) if shown else None)
                                for i, choice in enumerate(question["choices"])],
                })
            checks[block.id] = CheckState(block, latest, passed_ever, result, questions, len(mine), shown)
    reflections = {}
    if any(b.block_type == "reflection" for b in personal):
        reflections = dict(Reflection.objects.filter(person=person, module=module)
                           .values_list("block_id", "text"))
    return ModuleView(module, course, enrollment, progress, unlocked, module.pk in done_ids, checks, reflections,
                      {b.id: b for b in personal})


def practice_counts(*, people) -> dict[int, int]:
    """{person id: live practice sessions attended (credits held)}: one query."""
    ids = [p if isinstance(p, int) else p.pk for p in people]
    return dict(PracticeCredit.objects.filter(person_id__in=ids).values("person_id")
                .annotate(n=Count("pk")).values_list("person_id", "n"))


def certificate_message_reason(certificate: Certificate, kind: str) -> str:
    """Why a queued notice about this certificate no longer makes sense ("" when it does): it was
    revoked meanwhile (asked by the outbox just before sending; registered in `CoursesConfig.ready()`)."""
    if certificate.is_revoked:
        return "The certificate was revoked."
    return ""


# -- coach-observed role plays -----------------------------------------------------------------------

def may_coach(user) -> bool:
    """Holders of the coach role (given by trainers and state staff) record role-play observations."""
    from hub.roles import COACH, has_role

    return bool(user is not None and user.is_authenticated and user.is_active and has_role(user, COACH))


@dataclass(frozen=True)
class PracticeFacts:
    """What the app running a live practice says about it, for the observation rule: the course it counts
    for, its day, whether it has started or was cancelled, and who is at it (a seat, not marked absent)."""

    course_code: str
    held_on: date
    started: bool
    cancelled: bool
    participant_ids: frozenset[int]


# The apps that run live practices (sessions) say what a practice is, by its (source, source_ref): courses
# never reads them. `lookup(*, source_ref)` returns PracticeFacts, or None when there is no such practice.
_practice_sources: dict[str, Callable] = {}


def practice_source_register(source: str, lookup: Callable) -> None:
    _practice_sources[source] = lookup


def practice_facts(*, source: str, source_ref: str) -> PracticeFacts | None:
    lookup = _practice_sources.get(source)
    return lookup(source_ref=str(source_ref)) if lookup is not None else None


def course_scenarios(*, course: CoursePage) -> list[Scenario]:
    """The scenarios a course uses: those of its published modules' role-play blocks, in module order
    (the course's scenarios are what its modules teach; an observation is of one of them). Two queries."""
    ids: list[int] = []
    for body in ModulePage.objects.live().child_of(course).order_by("path").values_list("body", flat=True):
        raw = getattr(body, "raw_data", body) or []
        for item in raw:
            value = item.get("value") if isinstance(item, dict) else None
            if item.get("type") == "scenario" and isinstance(value, dict) and isinstance(value.get("scenario"), int):
                if value["scenario"] not in ids:
                    ids.append(value["scenario"])
    found = {s.pk: s for s in Scenario.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def observations_at(*, source: str, source_ref: str) -> dict[int, list[Observation]]:
    """{participant id: the observations recorded at this practice, newest first}: one query (the coach's
    page shows what was recorded already)."""
    found: dict[int, list[Observation]] = {}
    for observation in (Observation.objects.filter(source=source, source_ref=str(source_ref))
                        .select_related("scenario").order_by("-created_at", "-pk")):
        found.setdefault(observation.participant_id, []).append(observation)
    return found


def observation_figures(*, course: CoursePage) -> list[tuple[Scenario, int, int, int]]:
    """Per scenario of the course (and any other scenario observed for it): (scenario, observations, ready,
    practise again). Counts only, naming nobody: three queries."""
    counts = {row["scenario_id"]: row for row in (
        Observation.objects.filter(course=course).order_by().values("scenario_id")
        .annotate(n=Count("pk"), ready=Count("pk", filter=Q(outcome=Observation.Outcome.READY))))}
    scenarios = course_scenarios(course=course)
    known = {s.pk for s in scenarios}
    scenarios += list(Scenario.objects.filter(pk__in=[pk for pk in counts if pk not in known]).order_by("title"))
    rows = []
    for scenario in scenarios:
        row = counts.get(scenario.pk, {"n": 0, "ready": 0})
        rows.append((scenario, row["n"], row["ready"], row["n"] - row["ready"]))
    return rows
