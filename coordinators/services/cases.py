"""Student cases: creating one (from the case form or, through `case_validate`, an import) and
recording the family's choice (offered, accepted, declined)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordinators import errors
from coordinators.models import Assignment, CaseEvent, CaseStatus, StudentCase
from coordinators.selectors.access import require_manager
from coordinators.services.impact import impact_summary_refresh_on_commit
from hub.audit.services import audit_record
from hub.idempotency import create_once
from hub.models import District, School
from hub.text import normalise_name


@dataclass
class CaseData:
    """A case's fields as a coordinator or an import gives them, validated by `case_validate`."""

    student_ref: str
    first_name: str
    last_initial: str
    grade: str
    school: School
    home_language: str
    days_enrolled: int
    days_absent: int
    referral_reason: str = ""
    english_learner: bool = False
    referral_month: date | None = None  # the first day of the month; None: this month (`case_create`)

    FIELDS = ("first_name", "last_initial", "grade", "school_id", "home_language", "days_enrolled",
              "days_absent", "referral_reason", "english_learner", "referral_month")

    def __post_init__(self):
        # The name in NFC (hub.text), whichever path brings it (the case form, an import).
        self.first_name = normalise_name(self.first_name)


def case_validate(data: CaseData, *, district: District) -> list[str]:
    """Every problem with the data, in a coordinator's words (empty: fine)."""
    from coordinators.models import GRADES
    from coordinators.months import FIRST_MONTH

    problems = []
    if not data.student_ref or len(data.student_ref) > 40:
        problems.append(_("The student id is missing or longer than 40 characters."))
    if not data.first_name or len(data.first_name) > 60:
        problems.append(_("The first name is missing or longer than 60 characters."))
    if len(data.last_initial) != 1 or not data.last_initial.isalpha():
        problems.append(_("Give only the last initial (one letter), not the whole last name."))
    if data.grade not in GRADES:
        problems.append(_("The grade %(grade)s is not one of PK, K, 1-12.") % {"grade": repr(data.grade)})
    if data.school is None or data.school.district_id != district.pk:
        problems.append(_("The school is not a school of %(district)s.") % {"district": district})
    if len(data.home_language) > 40:
        problems.append(_("The home language is longer than 40 characters."))
    if not 0 < data.days_enrolled <= 366:
        problems.append(_("Days enrolled must be between 1 and 366."))
    elif not 0 <= data.days_absent <= data.days_enrolled:
        problems.append(_("Days absent must be between 0 and the days enrolled."))
    if len(data.referral_reason) > 500:
        problems.append(_("The reason for referral is longer than 500 characters."))
    if data.referral_month is not None:
        this_month = timezone.localdate().replace(day=1)
        if data.referral_month.day != 1 or not FIRST_MONTH <= data.referral_month <= this_month:
            problems.append(_("The month of referral must be a month from %(first)s to this month.")
                            % {"first": f"{FIRST_MONTH:%Y-%m}"})
    texts = (data.student_ref, data.first_name, data.last_initial, data.home_language, data.referral_reason)
    if any("\x00" in text for text in texts):
        problems.append(_("The text contains a NUL character; remove it."))
    return problems


@transaction.atomic
def case_create(*, district: District, data: CaseData, by, form_token=None) -> StudentCase:
    """A new case. The same form sent again (its one-time token) returns the case it added, not the
    "already has a case" refusal a second, freshly drawn form for the same student gets."""
    require_manager(by, district.pk)
    case, _created = create_once(StudentCase, token=form_token, owner={"district": district, "created_by": by},
                          create=lambda: _case_create(district=district, data=data, by=by, form_token=form_token))
    return case


def _case_create(*, district: District, data: CaseData, by, form_token) -> StudentCase:
    problems = case_validate(data, district=district)
    duplicate = _("%(district)s already has a case for student id %(student_ref)s.") % {
        "district": district, "student_ref": data.student_ref}
    if StudentCase.objects.filter(district=district, student_ref=data.student_ref).exists():
        problems.append(duplicate)
    if problems:
        raise errors.InvalidCase(" ".join(problems))
    try:
        with transaction.atomic():
            case = StudentCase.objects.create(
                district=district, student_ref=data.student_ref, first_name=data.first_name,
                last_initial=data.last_initial.upper(), grade=data.grade, school=data.school,
                home_language=data.home_language, days_enrolled=data.days_enrolled, days_absent=data.days_absent,
                referral_reason=data.referral_reason, english_learner=data.english_learner,
                referral_month=data.referral_month or timezone.localdate().replace(day=1),
                created_by=by, form_token=form_token)
    except IntegrityError:
        # Another form added this student a moment ago (or this very form did: `create_once` looks again).
        if form_token is not None and StudentCase.objects.filter(form_token=form_token, district=district,
                                                                 created_by=by).exists():
            raise
        raise errors.InvalidCase(duplicate) from None
    audit_record(actor=by, action="case.create", obj=case)
    impact_summary_refresh_on_commit([case.pk])  # a referred student joins the comparison group
    return case


def locked_case(case: StudentCase) -> StudentCase:
    """The case's row, locked until the transaction ends (every service that changes a case starts here)."""
    return StudentCase.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_family_choice(*, case: StudentCase, kind: str, by, note: str = "", at: datetime | None = None,
                       form_token=None) -> CaseEvent:
    """Record the family's choice: offered, accepted or declined. Declining ends any assignment.
    The same form sent again (its one-time token) returns the answer it recorded."""
    require_manager(by, case.district_id)
    case = locked_case(case)
    event, _created = create_once(CaseEvent, token=form_token, owner={"case": case, "by": by},
                           create=lambda: _family_choice_record(case=case, kind=kind, by=by, note=note, at=at,
                                                                form_token=form_token))
    return event


def _family_choice_record(*, case: StudentCase, kind: str, by, note: str, at: datetime | None, form_token
                          ) -> CaseEvent:
    if kind not in CaseEvent.Kind.values:
        raise errors.InvalidCase(_("Choose offered, accepted or declined."))
    if case.status == CaseStatus.CLOSED:
        raise errors.InvalidCase(_("This case is closed."))
    at = at or timezone.now()
    event = CaseEvent.objects.create(case=case, kind=kind, at=at, by=by, note=note[:300], form_token=form_token)
    if kind == CaseEvent.Kind.DECLINED:
        Assignment.objects.filter(case=case, ended_at__isnull=True).update(
            ended_at=at, end_reason="The family declined further visits.")
        case.status = CaseStatus.DECLINED
    elif kind == CaseEvent.Kind.ACCEPTED:
        case.status = (CaseStatus.VISITED if case.visits.exists() else
                       CaseStatus.ASSIGNED if case.assignments.filter(ended_at__isnull=True).exists()
                       else CaseStatus.ACCEPTED)
    elif case.status in (CaseStatus.REFERRED, CaseStatus.DECLINED):
        case.status = CaseStatus.OFFERED
    case.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action=f"case.{kind}", obj=case)
    impact_summary_refresh_on_commit([case.pk])  # the status decides the comparison group
    return event
