"""Rules that change a person's training: enrolment, answers, completion, practice credits, certificates.

Answers are graded here, on the server. A refused action raises a `courses.errors` error and writes
nothing. `courses` never imports `sessions`: live practice attendance arrives through
`practice_credit_record`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from courses import errors
from courses.models import (
    Certificate,
    CoursePage,
    Enrollment,
    KnowledgeCheckAttempt,
    ModuleCompletion,
    ModulePage,
    PracticeCredit,
    Reflection,
)
from hub.models import Person


@dataclass
class QuestionResult:
    number: int
    prompt: str
    correct: bool
    chosen: list[int]
    right_choices: list[int]
    explanation: str


@dataclass
class CheckResult:
    check_id: str
    score: int
    passed: bool
    pass_mark: int
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def wrong(self) -> list[QuestionResult]:
        return [q for q in self.questions if not q.correct]


# -- availability ------------------------------------------------------------------------------

def _live_module(module_id) -> ModulePage:
    """A published module of a published course, or NotAvailable (forged and unpublished alike)."""
    try:
        module = ModulePage.objects.live().get(pk=int(module_id))
    except (ModulePage.DoesNotExist, TypeError, ValueError):
        raise errors.NotAvailable("That module does not exist or is not published.") from None
    course = module.get_parent().specific
    if not course.live or not isinstance(course, CoursePage) or not course.get_parent().live:
        raise errors.NotAvailable("That course is not published.")
    return module


def course_modules(course: CoursePage) -> list[ModulePage]:
    """Published modules of a course, in tree order."""
    return list(ModulePage.objects.live().child_of(course).order_by("path"))


def module_unlocked(*, person: Person, module: ModulePage, course: CoursePage | None = None) -> bool:
    course = course or module.get_parent().specific
    if not course.sequential:
        return True
    modules = course_modules(course)
    earlier = [m.pk for m in modules[: [m.pk for m in modules].index(module.pk)]] if module in modules else []
    if not earlier:
        return True
    done = ModuleCompletion.objects.filter(person=person, module_id__in=earlier).count()
    return done == len(earlier)


def _usable_module(*, person: Person, module_id) -> tuple[ModulePage, CoursePage]:
    module = _live_module(module_id)
    course = module.get_parent().specific
    if not Enrollment.objects.filter(person=person, course=course).exists():
        raise errors.NotEnrolled(f"Enrol in {course.title} first.")
    if not module_unlocked(person=person, module=module, course=course):
        raise errors.ModuleLocked("Finish the earlier modules first: this one unlocks after them.")
    return module, course


# -- enrolment and resuming -------------------------------------------------------------------

@transaction.atomic
def enrollment_start(*, person: Person, course: CoursePage) -> Enrollment:
    if not course.live:
        raise errors.NotAvailable("That course is not published.")
    enrollment, _ = Enrollment.objects.get_or_create(person=person, course=course,
                                                     defaults={"last_activity_at": timezone.now()})
    return enrollment


def module_visit(*, person: Person, module: ModulePage, course: CoursePage) -> None:
    """Remember where the person is, so that the course page can offer to resume there."""
    Enrollment.objects.filter(person=person, course=course).update(last_module=module,
                                                                   last_activity_at=timezone.now())


# -- knowledge checks and reflections ------------------------------------------------------------

def _find_block(module: ModulePage, block_type: str, block_id: str):
    for block in module.body:
        if block.block_type == block_type and block.id == block_id:
            return block
    raise errors.NotAvailable("That question set is not part of this module.")


def grade(check_block, answers: dict) -> CheckResult:
    """Grade {question number: [choice numbers]} against a knowledge-check block."""
    value = check_block.value
    questions = list(value["questions"])
    results = []
    for number, question in enumerate(questions):
        chosen = answers.get(number, [])
        right = [i for i, choice in enumerate(question["choices"]) if choice["correct"]]
        results.append(QuestionResult(number=number, prompt=question["prompt"], correct=sorted(chosen) == right,
                                      chosen=sorted(chosen), right_choices=right,
                                      explanation=question["explanation"]))
    score = round(100 * sum(r.correct for r in results) / len(results)) if results else 0
    return CheckResult(check_id=check_block.id, score=score, passed=score >= value["pass_mark"],
                       pass_mark=value["pass_mark"], questions=results)


def _clean_answers(check_block, raw: dict) -> dict[int, list[int]]:
    questions = list(check_block.value["questions"])
    cleaned = {}
    for key, chosen in raw.items():
        try:
            number = int(key)
            picks = sorted({int(c) for c in chosen})
        except (TypeError, ValueError):
            raise errors.InvalidAnswers("Those answers could not be read.") from None
        if not 0 <= number < len(questions) or any(not 0 <= c < len(questions[number]["choices"]) for c in picks):
            raise errors.InvalidAnswers("Those answers do not match the questions.")
        cleaned[number] = picks
    missing = [n + 1 for n in range(len(questions)) if not cleaned.get(n)]
    if missing:
        raise errors.InvalidAnswers(
            "Answer every question before checking: question " + ", ".join(map(str, missing)) + " has no answer."
        )
    return cleaned


@transaction.atomic
def knowledge_check_submit(*, person: Person, module_id, check_id: str, answers: dict) -> CheckResult:
    module, course = _usable_module(person=person, module_id=module_id)
    block = _find_block(module, "knowledge_check", check_id)
    cleaned = _clean_answers(block, answers)
    result = grade(block, cleaned)
    KnowledgeCheckAttempt.objects.create(person=person, module=module, check_id=check_id,
                                         answers={str(k): v for k, v in cleaned.items()},
                                         score=result.score, passed=result.passed)
    module_visit(person=person, module=module, course=course)
    return result


@transaction.atomic
def reflection_save(*, person: Person, module_id, block_id: str, text: str) -> Reflection:
    if len(text) > Reflection.MAX_LENGTH:
        raise errors.ReflectionTooLong(
            f"Your reflection is {len(text):,} characters; the limit is {Reflection.MAX_LENGTH:,}. "
            "Shorten it and save again."
        )
    module, course = _usable_module(person=person, module_id=module_id)
    _find_block(module, "reflection", block_id)
    reflection, _ = Reflection.objects.update_or_create(person=person, module=module, block_id=block_id,
                                                        defaults={"text": text.strip()})
    module_visit(person=person, module=module, course=course)
    return reflection


def checks_passed(*, person: Person, module: ModulePage) -> dict[str, bool]:
    """{check block id: passed at least once} for every knowledge check of the module."""
    ids = [block.id for block in module.knowledge_checks()]
    passed = set(KnowledgeCheckAttempt.objects.filter(person=person, module=module, check_id__in=ids, passed=True)
                 .values_list("check_id", flat=True))
    return {check_id: check_id in passed for check_id in ids}


@transaction.atomic
def module_complete(*, person: Person, module_id) -> ModuleCompletion:
    """Complete a module once all its knowledge checks are passed; then try to certify."""
    module, course = _usable_module(person=person, module_id=module_id)
    if not all(checks_passed(person=person, module=module).values()):
        raise errors.ChecksNotPassed("Pass this module's knowledge check before completing it.")
    completion, _ = ModuleCompletion.objects.update_or_create(
        person=person, module=module, defaults={"course": course, "completed_at": timezone.now()}
    )
    module_visit(person=person, module=module, course=course)
    certificate_issue_if_eligible(person=person, course=course)
    return completion


# -- live practice credits (reported by the sessions app) ---------------------------------------

def course_by_code(code: str) -> CoursePage:
    course = CoursePage.objects.filter(code=code).first()
    if course is None:
        raise errors.UnknownCourse(f"There is no course with the code {code}.")
    return course


@transaction.atomic
def practice_credit_record(*, person: Person, course_code: str, source: str, source_ref: str,
                           attended_on: date) -> PracticeCredit:
    """Record that `person` attended a live practice for the course (idempotent per source_ref)."""
    course = course_by_code(course_code)
    credit, _ = PracticeCredit.objects.get_or_create(
        source=source, source_ref=str(source_ref),
        defaults={"person": person, "course": course, "attended_on": attended_on},
    )
    certificate_issue_if_eligible(person=person, course=course)
    return credit


@transaction.atomic
def practice_credit_withdraw(*, source: str, source_ref: str) -> bool:
    """Attendance was corrected to absent: the credit no longer counts (certificates already issued stand)."""
    deleted, _ = PracticeCredit.objects.filter(source=source, source_ref=str(source_ref)).delete()
    return bool(deleted)


# -- certificates ----------------------------------------------------------------------------

def certificate_rule_met(*, person: Person, course: CoursePage, since: datetime | None = None) -> bool:
    """Required modules complete (and checks passed, which completion needs) + practice if required.

    `since` (a renewal): the refresher modules (or, without any, all required modules) must have been
    completed after that moment, and practice attended after it if the course requires practice.
    """
    modules = course_modules(course)
    required = [m.pk for m in modules if m.required]
    if not required:
        return False
    completions = ModuleCompletion.objects.filter(person=person, module_id__in=required)
    if completions.count() != len(required):
        return False
    practice = PracticeCredit.objects.filter(person=person, course=course)
    if since is not None:
        path = [m.pk for m in modules if m.in_refresher and m.required] or required
        if ModuleCompletion.objects.filter(person=person, module_id__in=path, completed_at__gt=since).count() \
                != len(path):
            return False
        practice = practice.filter(created_at__gt=since)
    if course.requires_live_practice and not practice.exists():
        return False
    return True


@transaction.atomic
def certificate_issue_if_eligible(*, person: Person, course: CoursePage, now: datetime | None = None
                                  ) -> Certificate | None:
    """Issue a certificate when the rule is met and the person holds no current one for the course."""
    now = now or timezone.now()
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one issue at a time per person
    latest = Certificate.objects.filter(person=person, course=course).order_by("-issued_at").first()
    if latest is not None and latest.revoked_at is None and latest.valid_until > now:
        return None
    since = latest.issued_at if latest is not None else None
    if not certificate_rule_met(person=person, course=course, since=since):
        return None
    return Certificate.objects.create(person=person, course=course, issued_at=now,
                                      valid_until=now + relativedelta(months=course.certificate_valid_months))


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise errors.CertificateError("Give a reason for revoking the certificate.")
    if certificate.revoked_at is not None:
        raise errors.CertificateError("This certificate is already revoked.")
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revoke_reason = reason[:2000]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    return certificate


REMINDER_DAYS = (90, 30, 7)
EXPIRING_SOON = timedelta(days=60)
