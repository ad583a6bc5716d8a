"""Rules that change a person's training: enrolment, answers, completion, practice credits, certificates.

Answers are graded on the server (`courses.grading`). A refused action raises a `courses.errors`
error and writes nothing. `courses` never imports `sessions`: live practice attendance arrives
through `practice_credit_record`.
"""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses import errors
from courses.grading import CheckResult, grade
from courses.models import (
    Certificate,
    CoursePage,
    Enrollment,
    KnowledgeCheckAttempt,
    ModuleCompletion,
    ModulePage,
    Observation,
    PracticeCredit,
    Reflection,
    Renewal,
    RenewalCompletion,
    SessionCredit,
)
from courses.selectors import (
    certification_statuses_by_course,
    course_scenarios,
    may_coach,
    may_manage_certificates,
    module_is_unlocked,
    page_is_open,
    practice_facts,
    renewal_path,
    rule_modules,
    training_audience,
)
from hub.dates import day_label
from hub.idempotency import create_once
from hub.mail import absolute_url, mail_render, mail_send
from hub.models import Person

# A certificate this close to its end may be renewed (the same window as "expiring soon").
EXPIRING_SOON = timedelta(days=60)

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


def _usable_module(*, person: Person, module_id) -> tuple[ModulePage, CoursePage]:
    module = _live_module(module_id)
    course = module.get_parent().specific
    audience = training_audience(person=person)
    if not page_is_open(person=person, page=module, course=course, audience=audience):
        # Limited to a district or region the person is not of: as if it did not exist (a 404).
        raise errors.NotAvailable("That module does not exist or is not published.")
    if not Enrollment.objects.filter(person=person, course=course).exists():
        raise errors.NotEnrolled(f"Enrol in {course.title} first.")
    if not module_is_unlocked(person=person, module=module, course=course, audience=audience):
        raise errors.ModuleLocked("Finish the earlier modules first: this one unlocks after them.")
    return module, course


# -- enrolment and resuming -------------------------------------------------------------------

@transaction.atomic
def enrollment_start(*, person: Person, course: CoursePage) -> Enrollment:
    if not course.live or not page_is_open(person=person, page=course):
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
def knowledge_check_submit(*, person: Person, module_id, check_id: str, answers: dict, form_token=None
                           ) -> CheckResult:
    """Grade and record one attempt. The same form sent again (a double tap, `form_token`) is the attempt
    it made the first time, graded as it was: one attempt, not two."""
    module, course = _usable_module(person=person, module_id=module_id)
    block = _find_block(module, "knowledge_check", check_id)
    owner = {"person": person, "module": module, "check_id": check_id}
    if form_token is not None:
        made = KnowledgeCheckAttempt.objects.filter(form_token=form_token, **owner).first()
        if made is not None:
            return grade(block, {int(k): v for k, v in made.answers.items()})
    cleaned = _clean_answers(block, answers)
    result = grade(block, cleaned)
    renewal_for(person=person, course=course, start=True)  # a visitor renewing starts here, before the answers

    def record():
        return KnowledgeCheckAttempt.objects.create(**owner, answers={str(k): v for k, v in cleaned.items()},
                                                    score=result.score, passed=result.passed, form_token=form_token)

    attempt, created = create_once(KnowledgeCheckAttempt, token=form_token, owner=owner, create=record)
    module_visit(person=person, module=module, course=course)
    return result if created else grade(block, {int(k): v for k, v in attempt.answers.items()})


@transaction.atomic
def reflection_save(*, person: Person, module_id, block_id: str, text: str) -> Reflection:
    if len(text) > Reflection.MAX_LENGTH:
        raise errors.ReflectionTooLong(
            f"Your reflection is {len(text):,} characters; the limit is {Reflection.MAX_LENGTH:,}. "
            "Shorten it and save again."
        )
    if "\x00" in text:
        raise errors.ReflectionTooLong("Your reflection contains a NUL character; remove it and save again.")
    module, course = _usable_module(person=person, module_id=module_id)
    _find_block(module, "reflection", block_id)
    reflection, _ = Reflection.objects.update_or_create(person=person, module=module, block_id=block_id,
                                                        defaults={"text": text.strip()})
    module_visit(person=person, module=module, course=course)
    return reflection


def checks_passed(*, person: Person, module: ModulePage, since: datetime | None = None) -> dict[str, bool]:
    """{check block id: passed at least once (since `since`, when given)} for the module's knowledge checks."""
    ids = [block.id for block in module.knowledge_checks()]
    attempts = KnowledgeCheckAttempt.objects.filter(person=person, module=module, check_id__in=ids, passed=True)
    if since is not None:
        attempts = attempts.filter(created_at__gte=since)
    passed = set(attempts.values_list("check_id", flat=True))
    return {check_id: check_id in passed for check_id in ids}


@transaction.atomic
def module_complete(*, person: Person, module_id, now: datetime | None = None) -> ModuleCompletion:
    """Complete a module once all its knowledge checks are passed; then try to certify.

    A completion is recorded once and never rewritten: completing a module again changes nothing, unless
    the person is renewing (an open renewal, `renewal_for`), when it is recorded in the renewal, with the
    module's checks passed again since the renewal opened. `now` backdates a first completion (imports of
    earlier training, the demo data).
    """
    now = now or timezone.now()
    module, course = _usable_module(person=person, module_id=module_id)
    completion = ModuleCompletion.objects.filter(person=person, module=module).first()
    renewal = renewal_for(person=person, course=course, start=completion is not None, now=now)
    if completion is None:
        if not all(checks_passed(person=person, module=module).values()):
            raise errors.ChecksNotPassed("Pass this module's knowledge check before completing it.")
        completion = ModuleCompletion.objects.create(person=person, module=module, course=course, completed_at=now)
        if renewal is not None and all(checks_passed(person=person, module=module, since=renewal.opened_at).values()):
            RenewalCompletion.objects.get_or_create(renewal=renewal, module=module, defaults={"completed_at": now})
    elif renewal is not None and not renewal.completions.filter(module=module).exists():
        if not all(checks_passed(person=person, module=module, since=renewal.opened_at).values()):
            raise errors.ChecksNotPassed("You are renewing: pass this module's knowledge check again before "
                                         "completing it.")
        RenewalCompletion.objects.create(renewal=renewal, module=module, completed_at=now)
    module_visit(person=person, module=module, course=course)
    certificate_issue_if_eligible(person=person, course=course, now=now)
    return completion


# -- live practice credits (reported by the sessions app) ---------------------------------------

def course_by_code(code: str) -> CoursePage:
    course = CoursePage.objects.filter(code=code).first()
    if course is None:
        raise errors.UnknownCourse(f"There is no course with the code {code}.")
    return course


@transaction.atomic
def practice_credit_record(*, person: Person, course_code: str, source: str, source_ref: str,
                           attended_on: date, now: datetime | None = None) -> PracticeCredit:
    """Record that `person` attended a live practice for the course (idempotent per source_ref)."""
    course = course_by_code(course_code)
    credit, created = PracticeCredit.objects.get_or_create(
        source=source, source_ref=str(source_ref),
        defaults={"person": person, "course": course, "attended_on": attended_on},
    )
    if created and now is not None:
        PracticeCredit.objects.filter(pk=credit.pk).update(created_at=now)
    certificate_issue_if_eligible(person=person, course=course, now=now)
    return credit


@transaction.atomic
def practice_credit_withdraw(*, source: str, source_ref: str) -> bool:
    """Attendance was corrected to absent: the credit no longer counts (certificates already issued stand)."""
    deleted, _ = PracticeCredit.objects.filter(source=source, source_ref=str(source_ref)).delete()
    return bool(deleted)


# -- sessions required for renewal (reported by the sessions app) -------------------------------

SESSION_TITLE_MAX = SessionCredit._meta.get_field("title").max_length


@transaction.atomic
def session_credit_record(*, person: Person, course_code: str, session_ref: str, title: str, held_on: date,
                          via: str, now: datetime | None = None) -> SessionCredit:
    """Record that `person` attended a session required for renewal, or made it up by its recording
    (`via`: SessionCredit.Via). Once per person, course and session: a second report of the same session
    (live after a make-up, or again) keeps the first. A renewal waiting only for it is completed at once."""
    if via not in SessionCredit.Via.values:
        raise errors.CertificateError(f"Unknown way of taking part: {via!r}.")
    course = course_by_code(course_code)
    credit, _created = SessionCredit.objects.get_or_create(
        person=person, course=course, session_ref=str(session_ref),
        defaults={"title": (title or "")[:SESSION_TITLE_MAX], "held_on": held_on, "via": via})
    certificate_issue_if_eligible(person=person, course=course, now=now)
    return credit


@transaction.atomic
def session_credit_withdraw(*, course_code: str, session_ref: str, person: Person | None = None,
                            via: str | None = None) -> int:
    """A session no longer counts (attendance corrected to absent: `person` and via=live; the session no longer
    required for renewal: everyone's). Certificates already renewed stand. Returns how many credits went."""
    found = SessionCredit.objects.filter(course__code=course_code, session_ref=str(session_ref))
    if person is not None:
        found = found.filter(person=person)
    if via is not None:
        found = found.filter(via=via)
    deleted, _ = found.delete()
    return deleted


# -- coach-observed role plays ------------------------------------------------------------------

def _observation_text(note) -> str:
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > Observation.NOTE_MAX_LENGTH:
        raise errors.InvalidObservation(_("The note is %(n)s characters; keep it to %(max)s.") % {
            "n": f"{len(note):,}", "max": f"{Observation.NOTE_MAX_LENGTH:,}"})
    if "\x00" in note or any(ord(c) < 32 and c not in "\n\r\t" for c in note):
        raise errors.InvalidObservation(_("The note contains a control character; remove it and save again."))
    return note


def _observation_marks(rubric: list[str], met) -> list[dict]:
    """[{"criterion", "met"}] for every rubric line, from the positions (0-based) the coach ticked."""
    try:
        ticked = {int(n) for n in (met or ())}
    except (TypeError, ValueError):
        raise errors.InvalidObservation(_("Those rubric marks could not be read.")) from None
    if any(not 0 <= n < len(rubric) for n in ticked):
        raise errors.InvalidObservation(_("Those rubric marks do not match the scenario's rubric."))
    return [{"criterion": line, "met": n in ticked} for n, line in enumerate(rubric)]


@transaction.atomic
def observation_record(*, by, participant_id, course_code: str, scenario_id, source: str, source_ref: str,
                       met=(), note: str = "", outcome: str, form_token=None, now: datetime | None = None
                       ) -> tuple[Observation, bool]:
    """A coach records a role play a participant played at a live practice: which scenario (one the course's
    modules use), each rubric criterion met or not yet (`met`: the positions ticked), a short note, and
    "ready" or "practise again". Then the certificate follows if this was the last thing missing.

    Refused, with the reason and nothing written: `by` is not a coach; the practice (`source`, `source_ref`,
    described by the app that runs it through `practice_source_register`) does not exist, is not one of this
    course's, was cancelled or has not started; the participant is not at it (a seat, not marked absent) or
    is the coach; the scenario is not in the course; an outcome, mark or note it cannot take. The same form
    sent twice (`form_token`) is the observation it made the first time. (observation, created)."""
    from hub.selectors import person_for

    coach = person_for(by) if may_coach(by) else None
    if coach is None:
        raise errors.NotACoach(_("Only coaches record role-play observations; a Hub trainer gives the coach role."))
    course = CoursePage.objects.filter(code=course_code).first()
    facts = practice_facts(source=source, source_ref=source_ref)
    if course is None or facts is None:
        raise errors.PracticeNotOfCourse(_("There is no such live practice."))
    if facts.course_code != course.code:
        raise errors.PracticeNotOfCourse(_("That live practice is not one of %(course)s's.") % {"course": course.title})
    if facts.cancelled:
        raise errors.PracticeNotOfCourse(_("That live practice was cancelled."))
    if not facts.started:
        raise errors.PracticeNotOfCourse(_("Record observations once the practice has started."))
    try:
        pid = int(participant_id)
    except (TypeError, ValueError):
        pid = None
    participant = Person.objects.filter(pk=pid).first() if pid and pid in facts.participant_ids else None
    if participant is None:
        raise errors.NotAtPractice(_("That person is not a participant of this live practice (registered, and not "
                                     "marked absent)."))
    if participant.pk == coach.pk:
        raise errors.NotAtPractice(_("A coach does not record an observation of their own role play."))
    try:
        sid = int(scenario_id)
    except (TypeError, ValueError):
        sid = None
    scenario = next((s for s in course_scenarios(course=course) if s.pk == sid), None)
    if scenario is None:
        raise errors.ScenarioNotInCourse(_("Choose one of %(course)s's role-play scenarios.") % {"course": course.title})
    if outcome not in Observation.Outcome.values:
        raise errors.InvalidObservation(_("Choose “ready” or “practise again”."))
    marks = _observation_marks(scenario.rubric_list, met)
    note = _observation_text(note)

    def record() -> Observation:
        observation = Observation.objects.create(
            coach=coach, participant=participant, course=course, scenario=scenario, source=source,
            source_ref=str(source_ref), practised_on=facts.held_on, marks=marks, note=note, outcome=outcome,
            form_token=form_token)
        if now is not None:
            Observation.objects.filter(pk=observation.pk).update(created_at=now)
        return observation

    observation, created = create_once(Observation, token=form_token, owner={"coach": coach}, create=record)
    if created:
        certificate_issue_if_eligible(person=participant, course=course, now=now)
    return observation, created


# -- certificates ----------------------------------------------------------------------------
#
# A certificate follows from what happened, in order, never from a request: the first completion of
# every required module, the live practice if the course asks for one, then — after it expires or is
# revoked — a renewal: the refresher modules completed again, with their checks passed again, in a
# renewal that opened after the certificate lapsed. A visitor opens their own renewal when their
# certificate has expired or expires soon; after a revocation only a trainer reinstates the certificate
# or opens a renewal. Nothing a visitor posts (a completion replayed, a module re-sent) can bring a
# revoked certificate back.


def _latest_certificate(person: Person, course: CoursePage) -> Certificate | None:
    return Certificate.objects.filter(person=person, course=course).order_by("-issued_at", "-pk").first()


def _current(certificate: Certificate | None, now: datetime) -> bool:
    return certificate is not None and not certificate.is_revoked and certificate.valid_until > now


def renewal_for(*, person: Person, course: CoursePage, start: bool = False, now: datetime | None = None):
    """The person's open renewal of the course, or None. With `start`, a visitor whose certificate has
    expired or expires within EXPIRING_SOON (and is not revoked) starts one here if none is open."""
    now = now or timezone.now()
    renewal = Renewal.objects.filter(person=person, course=course, closed_at__isnull=True).first()
    if renewal is not None or not start:
        return renewal
    latest = _latest_certificate(person, course)
    if latest is None or latest.is_revoked or latest.valid_until - now > EXPIRING_SOON:
        return None
    return Renewal.objects.create(person=person, course=course, opened_at=now)


def _status(*, person: Person, course: CoursePage):
    return certification_statuses_by_course(people=[person.pk], course_codes=[course.code],
                                            courses=[course])[course.code][person.pk]


def certificate_rule_met(*, person: Person, course: CoursePage) -> bool:
    """The certification rule's requirements all done (`CertificationStatus.rule_met`: every required module
    completed, checks passed, which completion needs, and the live practice if the course requires it):
    the same list My training shows and the gate reads, so they cannot disagree."""
    return _status(person=person, course=course).rule_met


@transaction.atomic
def certificate_issue_if_eligible(*, person: Person, course: CoursePage, now: datetime | None = None
                                  ) -> Certificate | None:
    """Issue a certificate when what happened earns one: the first, or a renewed one."""
    now = now or timezone.now()
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one issue at a time per person
    status = _status(person=person, course=course)
    if not status.rule_met:
        return None
    latest = _latest_certificate(person, course)
    renewal = None
    if latest is not None:
        renewal = Renewal.objects.select_for_update().filter(person=person, course=course,
                                                             closed_at__isnull=True).first()
        # `renewal_met`: the renewal path's modules done again in this renewal, and the sessions required for
        # renewal if the course asks for some (the list My training shows).
        if renewal is None or not status.renewal_met:
            return None
        if latest.is_revoked and (renewal.opened_by_id is None or renewal.opened_at < latest.revoked_at):
            return None  # after a revocation only a renewal a trainer opened since counts
    certificate = Certificate.objects.create(person=person, course=course, issued_at=now, renewal=renewal,
                                             valid_until=now + relativedelta(months=course.certificate_valid_months))
    if renewal is not None:
        renewal.closed_at = now
        renewal.save(update_fields=["closed_at", "updated_at"])
    _access_changed(person)
    return certificate


def _access_changed(person: Person) -> None:
    """What the person may see and do follows their certificate at once, on every open socket."""
    from hub.sockets import access_changed

    user_id = person.user_id
    transaction.on_commit(lambda: access_changed([user_id]))


LAPSE_LOOKBACK = timedelta(minutes=30)


def certificate_lapses_announce(*, now: datetime | None = None, lookback: timedelta = LAPSE_LOOKBACK) -> int:
    """Certificates expire by the clock, with no service call: the people whose certificate ran out in the
    last `lookback` (longer than the scheduled job's period, so a late run misses nobody) have their open
    sockets re-check what they may read (the practitioners' room leaves them at once). Rechecking twice is
    harmless. Returns how many people were told."""
    from hub.sockets import access_changed

    now = now or timezone.now()
    user_ids = sorted(set(Certificate.objects.filter(valid_until__gt=now - lookback, valid_until__lte=now)
                          .values_list("person__user_id", flat=True)))
    if user_ids:
        transaction.on_commit(lambda: access_changed(user_ids))
    return len(user_ids)


def _reason_clean(reason, *, what: str) -> str:
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise errors.CertificateError(f"Give a reason for {what}.")
    if len(reason) > 2000 or "\x00" in reason:
        raise errors.CertificateError(f"A reason is plain text of at most 2,000 characters; nothing was {what}.")
    return reason


def _require_certificate_manager(by) -> None:
    if by is not None and not may_manage_certificates(by):
        raise errors.CertificateError("Only Hub trainers and state staff revoke, reinstate or renew certificates.")


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    _require_certificate_manager(by)
    reason = _reason_clean(reason, what="revoking the certificate")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise errors.CertificateError("This certificate is already revoked.")
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    # An open renewal started before the revocation no longer leads anywhere: close it.
    Renewal.objects.filter(person_id=certificate.person_id, course_id=certificate.course_id,
                           closed_at__isnull=True).update(closed_at=certificate.revoked_at)
    _access_changed(certificate.person)
    return certificate


@transaction.atomic
def certificate_reinstate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """A trainer lifts a revocation: the certificate counts again until its own expiry date."""
    _require_certificate_manager(by)
    reason = _reason_clean(reason, what="reinstating the certificate")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.is_revoked:
        raise errors.CertificateError("This certificate is not revoked.")
    if _latest_certificate(certificate.person, certificate.course).pk != certificate.pk:
        raise errors.CertificateError("A newer certificate exists; reinstate that one instead.")
    certificate.reinstated_at = timezone.now()
    certificate.reinstated_by = by
    certificate.reinstate_reason = reason
    certificate.save(update_fields=["reinstated_at", "reinstated_by", "reinstate_reason", "updated_at"])
    _access_changed(certificate.person)
    return certificate


@transaction.atomic
def renewal_start(*, person: Person, course: CoursePage) -> Renewal:
    """The person starts renewing their own certificate (expired, or expiring within EXPIRING_SOON)."""
    renewal = renewal_for(person=person, course=course, start=True)
    if renewal is None:
        latest = _latest_certificate(person, course)
        if latest is not None and latest.is_revoked:
            raise errors.CertificateError("Your certificate was revoked: a Hub trainer reinstates it or opens a "
                                          "renewal for you.")
        raise errors.CertificateError("You can renew once your certificate expires or is within 60 days of it.")
    return renewal


@transaction.atomic
def renewal_open(*, person: Person, course: CoursePage, by, reason: str = "") -> Renewal:
    """A trainer opens a renewal (after a revocation, say): the person takes the refresher modules again,
    passing their checks again, and a new certificate follows. Idempotent: an open renewal is returned."""
    _require_certificate_manager(by)
    if by is None:
        raise errors.CertificateError("Only Hub trainers and state staff open a renewal for someone.")
    reason = _reason_clean(reason, what="opening a renewal")
    existing = Renewal.objects.select_for_update().filter(person=person, course=course, closed_at__isnull=True).first()
    if existing is not None and existing.opened_by_id is not None:
        return existing
    if existing is not None:  # the person's own renewal: the trainer's takes its place
        existing.opened_by, existing.reason, existing.opened_at = by, reason, timezone.now()
        existing.save(update_fields=["opened_by", "reason", "opened_at", "updated_at"])
        return existing
    return Renewal.objects.create(person=person, course=course, opened_at=timezone.now(), opened_by=by,
                                  reason=reason)


REMINDER_DAYS = (90, 30, 7)


# -- expiry reminders ---------------------------------------------------------------------------

# Apps above `courses` (coordinators) register a function here that, given person ids, returns
# {person id: [email addresses of people to tell]} for visitors who hold open cases; `courses` never
# imports them.
_lapse_watchers: list = []


def lapse_watcher_register(func) -> None:
    if func not in _lapse_watchers:
        _lapse_watchers.append(func)


def _reminder_mail(certificate: Certificate, days_left: int, renewal: list[str], *, audience: str,
                   address: str) -> dict:
    """A certificate notice (`templates/courses/email/certificate_reminder` to the visitor,
    `certificate_watch` to a coordinator of a visitor with open cases), as `mail_send`'s keywords, in
    the language of the person it goes to (`hub.selectors.language_of`; a coordinator is found by the
    address)."""
    from django.contrib.auth import get_user_model

    from hub.reasons import listing
    from hub.selectors import language_of

    if audience == "visitor":
        reader = certificate.person.user
    else:
        reader = get_user_model().objects.filter(email__iexact=address, is_active=True).order_by("pk").first()
    language = language_of(reader)
    person = certificate.person
    with translation.override(language):
        context = {"name": person.user.first_name or person.full_name, "visitor": person.full_name,
                   "code": certificate.course.code, "course": certificate.course.title, "days": days_left,
                   "until": day_label(certificate.valid_until, "full"), "modules": listing(renewal),
                   "link": absolute_url(reverse("courses:my_training"))}
        if audience == "visitor":
            subject = _("Your %(code)s certificate expires in %(days)d days") % context
        else:
            subject = _("%(visitor)s's %(code)s certificate expires in %(days)d days") % context
        context["subject"] = subject
        template = "certificate_reminder" if audience == "visitor" else "certificate_watch"
        text, html = mail_render(f"courses/email/{template}", context, language=language)
    return {"to": address, "subject": subject, "body": text, "html": html, "language": language}


@transaction.atomic
def certificate_reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Tell visitors 90, 30 and 7 days before their certificate expires (once each), and the
    coordinators of visitors who hold open cases. Idempotent: a sent reminder is recorded first."""
    from courses.models import CertificateReminder

    now = now or timezone.now()
    horizon = now + timedelta(days=max(REMINDER_DAYS))
    latest = {}
    for certificate in (Certificate.objects.filter(revoked_at__isnull=True, valid_until__gt=now,
                                                   valid_until__lte=horizon)
                        .select_related("person__user", "course").order_by("issued_at")):
        latest[(certificate.person_id, certificate.course_id)] = certificate
    # A renewed certificate supersedes the old one: remind only about a person's newest certificate.
    newer = set(Certificate.objects.filter(valid_until__gt=horizon, revoked_at__isnull=True)
                .values_list("person_id", "course_id"))
    due = [c for key, c in latest.items() if key not in newer]
    watchers = {}
    for watcher in _lapse_watchers:
        for person_id, emails in watcher([c.person_id for c in due]).items():
            watchers.setdefault(person_id, set()).update(emails)
    sent = {"visitor": 0, "coordinator": 0}
    paths: dict[int, list[str]] = {}
    for certificate in due:
        days_left = (certificate.valid_until - now).days
        threshold = min(d for d in REMINDER_DAYS if days_left <= d)
        recipients = [("visitor", certificate.person.user.email)]
        recipients += [("coordinator", email) for email in sorted(watchers.get(certificate.person_id, ()))]
        for audience, address in recipients:
            if not address:
                continue
            already = CertificateReminder.objects.filter(certificate=certificate, audience=audience,
                                                         sent_to=address, days_before__lte=threshold)
            if already.exists():
                continue
            reminder = CertificateReminder.objects.create(certificate=certificate, days_before=threshold,
                                                          audience=audience, sent_to=address)
            if certificate.course_id not in paths:  # the renewal's modules, by the renewal's own rule
                paths[certificate.course_id] = [m.title for m in renewal_path(
                    rule_modules(course=certificate.course))]
            mail_send(**_reminder_mail(certificate, days_left, paths[certificate.course_id], audience=audience,
                                       address=address),
                      kind="certificate", person=certificate.person, key=f"courses:certificate-reminder:{reminder.pk}",
                      about=certificate)
            sent[audience] += 1
    return sent
