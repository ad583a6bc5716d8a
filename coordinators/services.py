"""Rules that change cases, assignments, visits and the audit trail.

`case_assign` is the single gate between a family and its visitors: every path that pairs visitors
with a case (the case page today, the live case board later) calls it. A refusal raises a
`coordinators.errors` error naming every unmet requirement and writes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from coordinators import errors
from coordinators.models import (
    Assignment,
    AssignmentMember,
    AuditEntry,
    Barrier,
    CaseEvent,
    CaseStatus,
    DataSharingAgreement,
    DistrictSettings,
    Referral,
    Resource,
    StudentCase,
    Visit,
    VisitRevision,
)
from courses.selectors import certification_statuses
from hub.models import District, Partner, Person, School
from hub.roles import COORDINATOR, VISITOR, roles_of
from hub.selectors import person_for, scope_for

COURSE_CODE = "LEAP-101"


# -- audit ----------------------------------------------------------------------------------

def audit_record(*, actor, action: str, obj=None, object_type: str = "", object_id="", district=None,
                 detail: str = "") -> AuditEntry:
    """Write one audit entry (who, what, when, which object). Never raises for a missing object."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
        if district is None and hasattr(obj, "district_id"):
            district = obj.district_id
    district_id = district.pk if isinstance(district, District) else district
    return AuditEntry.objects.create(
        at=timezone.now(), actor=actor if actor is not None and actor.is_authenticated else None,
        action=action[:40], object_type=object_type[:40],
        # What a refused request asked for is recorded as text; PostgreSQL text holds no NUL bytes.
        object_id=str(object_id or "").replace("\x00", "")[:40],
        district_id=district_id, detail=detail.replace("\x00", "")[:500],
    )


# -- who may do what --------------------------------------------------------------------------

def may_manage_cases(user) -> bool:
    """Coordinators create, import and assign cases (in their scope); staff roles only read."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or COORDINATOR in roles_of(user)))


def _case_in_scope(user, case: StudentCase) -> bool:
    return scope_for(user).filter(pk=case.district_id).exists()


def _require_manager(user, district_id: int) -> None:
    if not may_manage_cases(user):
        raise errors.NotAllowed("Only district coordinators change student cases.")
    if not scope_for(user).filter(pk=district_id).exists():
        raise errors.OutsideScope("That case is not in your district.")


def district_settings(district) -> DistrictSettings:
    district_id = district.pk if isinstance(district, District) else district
    found = DistrictSettings.objects.filter(district_id=district_id).first()
    return found or DistrictSettings(district_id=district_id)


@transaction.atomic
def district_settings_set(*, district: District, by, visits_in_pairs: bool) -> DistrictSettings:
    if by is not None:
        _require_manager(by, district.pk)
    found, _ = DistrictSettings.objects.update_or_create(district=district,
                                                         defaults={"visits_in_pairs": visits_in_pairs})
    return found


@transaction.atomic
def data_sharing_agreement_record(*, partner: Partner, district: District, signed_on: date,
                                  expires_on: date | None = None) -> DataSharingAgreement:
    if expires_on is not None and expires_on <= signed_on:
        raise errors.CoordinatorsError("An agreement must expire after the day it was signed.")
    agreement, _ = DataSharingAgreement.objects.update_or_create(
        partner=partner, district=district, signed_on=signed_on, defaults={"expires_on": expires_on})
    return agreement


def agreements_in_force(*, partner_ids, district_ids, on: date) -> set[tuple[int, int]]:
    """{(partner id, district id)} with a data-sharing agreement in force on `on`: one query."""
    from django.db.models import Q

    return set(DataSharingAgreement.objects.filter(
        partner_id__in=list(partner_ids), district_id__in=list(district_ids), signed_on__lte=on,
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on)).values_list("partner_id", "district_id"))


# -- cases ----------------------------------------------------------------------------------

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

    FIELDS = ("first_name", "last_initial", "grade", "school_id", "home_language", "days_enrolled",
              "days_absent", "referral_reason")


def case_validate(data: CaseData, *, district: District) -> list[str]:
    """Every problem with the data, in a coordinator's words (empty: fine)."""
    from coordinators.models import GRADES

    problems = []
    if not data.student_ref or len(data.student_ref) > 40:
        problems.append("The student id is missing or longer than 40 characters.")
    if not data.first_name or len(data.first_name) > 60:
        problems.append("The first name is missing or longer than 60 characters.")
    if len(data.last_initial) != 1 or not data.last_initial.isalpha():
        problems.append("Give only the last initial (one letter), not the whole last name.")
    if data.grade not in GRADES:
        problems.append(f"The grade {data.grade!r} is not one of PK, K, 1-12.")
    if data.school is None or data.school.district_id != district.pk:
        problems.append(f"The school is not a school of {district}.")
    if len(data.home_language) > 40:
        problems.append("The home language is longer than 40 characters.")
    if not 0 < data.days_enrolled <= 366:
        problems.append("Days enrolled must be between 1 and 366.")
    elif not 0 <= data.days_absent <= data.days_enrolled:
        problems.append("Days absent must be between 0 and the days enrolled.")
    if len(data.referral_reason) > 500:
        problems.append("The reason for referral is longer than 500 characters.")
    texts = (data.student_ref, data.first_name, data.last_initial, data.home_language, data.referral_reason)
    if any("\x00" in text for text in texts):
        problems.append("The text contains a NUL character; remove it.")
    return problems


@transaction.atomic
def case_create(*, district: District, data: CaseData, by) -> StudentCase:
    _require_manager(by, district.pk)
    problems = case_validate(data, district=district)
    if StudentCase.objects.filter(district=district, student_ref=data.student_ref).exists():
        problems.append(f"{district} already has a case for student id {data.student_ref}.")
    if problems:
        raise errors.InvalidCase(" ".join(problems))
    case = StudentCase.objects.create(
        district=district, student_ref=data.student_ref, first_name=data.first_name,
        last_initial=data.last_initial.upper(), grade=data.grade, school=data.school,
        home_language=data.home_language, days_enrolled=data.days_enrolled, days_absent=data.days_absent,
        referral_reason=data.referral_reason, created_by=by)
    audit_record(actor=by, action="case.create", obj=case)
    return case


def _locked_case(case: StudentCase) -> StudentCase:
    return StudentCase.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_family_choice(*, case: StudentCase, kind: str, by, note: str = "", at: datetime | None = None
                       ) -> CaseEvent:
    """Record the family's choice: offered, accepted or declined. Declining ends any assignment."""
    _require_manager(by, case.district_id)
    case = _locked_case(case)
    if kind not in CaseEvent.Kind.values:
        raise errors.InvalidCase("Choose offered, accepted or declined.")
    if case.status == CaseStatus.CLOSED:
        raise errors.InvalidCase("This case is closed.")
    at = at or timezone.now()
    event = CaseEvent.objects.create(case=case, kind=kind, at=at, by=by, note=note[:300])
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
    return event


def family_choice(case: StudentCase) -> str | None:
    """The family's latest choice (offered, accepted, declined) or None."""
    latest = case.events.order_by("-at", "-pk").values_list("kind", flat=True).first()
    return latest


# -- the assignment gate ------------------------------------------------------------------------

def _serving(person: Person, district_id: int, partner_districts: set[tuple[int, int]]) -> tuple[bool, bool]:
    """(serves as district staff, serves through a community partner)."""
    as_staff = (person.school_id is not None and person.school.district_id == district_id) or (
        person.school_id is None and person.partner_id is None and person.home_district_id == district_id)
    as_partner = person.partner_id is not None and (person.partner_id, district_id) in partner_districts
    return as_staff, as_partner


def assignment_problems(*, case: StudentCase, visitors: list[Person], by, now: datetime | None = None
                        ) -> list[str]:
    """Every unmet requirement for pairing `visitors` with `case`, per person (empty: allowed).

    A fixed number of queries whatever the number of visitors; the gate and the case page share it.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    district = case.district
    problems: list[str] = []
    choice = family_choice(case)
    if case.status == CaseStatus.CLOSED:
        problems.append("The case is closed.")
    if choice == CaseEvent.Kind.DECLINED:
        problems.append("The family declined a visit; participation is voluntary, so nobody is assigned.")
    elif choice != CaseEvent.Kind.ACCEPTED:
        problems.append("The family has not said yes to a visit yet: record their answer first.")
    pairs = district_settings(case.district_id).visits_in_pairs
    ids = [v.pk for v in visitors]
    if not visitors:
        problems.append("Choose the visitors.")
    elif len(set(ids)) != len(ids):
        for person in {v.pk: v for v in visitors}.values():
            if ids.count(person.pk) > 1:
                problems.append(f"{person.full_name} is chosen twice: a pair needs two different visitors")
    duplicated = len(set(ids)) != len(ids)
    if pairs and len(set(ids)) != 2 and visitors and not duplicated:
        problems.append(f"{district} sends visitors in pairs: choose two different visitors "
                        f"({len(set(ids))} chosen)")
    if not pairs and len(set(ids)) > 2:
        problems.append("Choose one or two visitors.")
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("user", "school", "partner")}
    statuses = certification_statuses(people=list(people), course_code=COURSE_CODE, now=now)
    partner_ids = {p.partner_id for p in people.values() if p.partner_id}
    serves = set(Partner.districts.through.objects.filter(partner_id__in=partner_ids, district_id=district.pk)
                 .values_list("partner_id", "district_id"))
    agreements = agreements_in_force(partner_ids=partner_ids, district_ids=[district.pk], on=today)
    visitor_ids = set(Person.objects.filter(pk__in=ids, user__groups__name=VISITOR).values_list("pk", flat=True))
    for pid in dict.fromkeys(ids):
        person = people.get(pid)
        if person is None:
            problems.append("One of the chosen visitors no longer exists.")
            continue
        mine = []
        if not person.user.is_active:
            mine.append("account is not active")
        if pid not in visitor_ids:
            mine.append("is not a home visitor")
        status = statuses[pid]
        if not status.is_current:
            mine.append(status.describe())
        as_staff, as_partner = _serving(person, district.pk, serves)
        if not as_staff and not as_partner:
            mine.append(f"does not serve {district} (not school staff there, and no community partner serving it)")
        elif as_partner and not as_staff and (person.partner_id, district.pk) not in agreements:
            mine.append(f"{person.partner} has no data-sharing agreement in force with {district}")
        if mine:
            problems.append(f"{person.full_name}: " + "; ".join(mine))
    return problems


@transaction.atomic
def case_assign(*, case: StudentCase, visitors: list[Person], by, reassign: bool = False,
                now: datetime | None = None) -> Assignment:
    """Pair certified visitors with a case: the one gate (see module docstring).

    Locks the case row, so two coordinators assigning the same case at once cannot both succeed: the
    second finds the first's open assignment and is refused unless it asked to reassign (and the
    database's "one open assignment per case" constraint holds even without the lock).
    """
    now = now or timezone.now()
    _require_manager(by, case.district_id)
    case = StudentCase.objects.select_for_update().select_related("district").get(pk=case.pk)
    current = Assignment.objects.filter(case=case, ended_at__isnull=True).first()
    if current is not None and not reassign:
        names = ", ".join(p.full_name for p in current.visitors.select_related("user"))
        raise errors.CaseAlreadyAssigned([f"The case is already assigned to {names}; reassign it instead"])
    problems = assignment_problems(case=case, visitors=list(visitors), by=by, now=now)
    if problems:
        raise errors.AssignmentRefused(problems)
    if current is not None:
        current.ended_at = now
        current.end_reason = f"Reassigned by {by.get_full_name() or by.username}"
        current.save(update_fields=["ended_at", "end_reason", "updated_at"])
    assignment = Assignment.objects.create(case=case, assigned_by=by, started_at=now)
    AssignmentMember.objects.bulk_create([AssignmentMember(assignment=assignment, person_id=v.pk)
                                          for v in visitors])
    if case.status != CaseStatus.VISITED:
        case.status = CaseStatus.ASSIGNED
        case.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="case.reassign" if current else "case.assign", obj=case,
                 detail="Visitors: " + ", ".join(v.full_name for v in visitors))
    return assignment


@transaction.atomic
def case_close(*, case: StudentCase, by, reason: str = "Closed") -> StudentCase:
    _require_manager(by, case.district_id)
    case = _locked_case(case)
    now = timezone.now()
    Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now, end_reason=reason[:200])
    case.status = CaseStatus.CLOSED
    case.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="case.close", obj=case, detail=reason)
    return case


# -- visits ---------------------------------------------------------------------------------------

def may_log_visits(user, case: StudentCase) -> bool:
    """The case's assigned visitors (open assignment) and its district's coordinators."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if may_manage_cases(user) and _case_in_scope(user, case):
        return True
    person = person_for(user)
    return person is not None and AssignmentMember.objects.filter(
        assignment__case=case, assignment__ended_at__isnull=True, person=person).exists()


@dataclass
class VisitData:
    visited_on: date
    kind: str
    place: str
    wants_more: str
    attendees: list[Person]
    barriers: list[Barrier]
    resources: list[Resource]
    who_came: str = ""
    next_step: str = ""
    notes: str = ""


def _visit_problems(case: StudentCase, data: VisitData, now: datetime) -> list[str]:
    problems = []
    if data.kind not in Visit.Kind.values:
        problems.append("Choose what kind of contact this was.")
    if data.place not in Visit.Place.values:
        problems.append("Choose where it happened.")
    if data.wants_more not in Visit.WantsMore.values:
        problems.append("Say whether the family wants more visits.")
    if data.visited_on > timezone.localdate(now):
        problems.append("The date is in the future.")
    if any(r.district_id != case.district_id for r in data.resources):
        problems.append("A resource is not one of this district's.")
    if len(data.notes) > 5000:
        problems.append("The notes are longer than 5,000 characters.")
    return problems


@transaction.atomic
def visit_log(*, case: StudentCase, by, data: VisitData, now: datetime | None = None) -> Visit:
    """Log a visit (or a call, or an attempt); numbers follow on per case."""
    now = now or timezone.now()
    case = _locked_case(case)
    if not may_log_visits(by, case):
        raise errors.OutsideScope("Only the case's visitors and coordinators log its visits.")
    if family_choice(case) == CaseEvent.Kind.DECLINED or case.status == CaseStatus.DECLINED:
        raise errors.FamilyDeclined("The family declined visits: nothing more is logged for this case.")
    if not Assignment.objects.filter(case=case, ended_at__isnull=True).exists():
        raise errors.InvalidVisit("Assign visitors to the case before logging visits.")
    problems = _visit_problems(case, data, now)
    if problems:
        raise errors.InvalidVisit(" ".join(problems))
    number = (case.visits.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    visit = Visit.objects.create(
        case=case, number=number, visited_on=data.visited_on, kind=data.kind, place=data.place,
        who_came=data.who_came[:200], wants_more=data.wants_more, next_step=data.next_step[:300],
        notes=data.notes, logged_by=by)
    visit.attendees.set(data.attendees)
    visit.barriers.set(data.barriers)
    Referral.objects.bulk_create([Referral(visit=visit, resource=r) for r in data.resources])
    if data.kind != Visit.Kind.ATTEMPTED and case.status in (CaseStatus.ASSIGNED, CaseStatus.ACCEPTED):
        case.status = CaseStatus.VISITED
        case.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="visit.log", obj=visit, district=case.district_id,
                 detail=f"Case {case.pk}, visit #{number}")
    return visit


def _visit_snapshot(visit: Visit) -> dict:
    return {
        "visited_on": visit.visited_on.isoformat(), "kind": visit.kind, "place": visit.place,
        "who_came": visit.who_came, "wants_more": visit.wants_more, "next_step": visit.next_step,
        "notes": visit.notes,
        "attendees": sorted(visit.attendees.values_list("pk", flat=True)),
        "barriers": sorted(visit.barriers.values_list("slug", flat=True)),
        "resources": sorted(visit.referrals.values_list("resource_id", flat=True)),
    }


@transaction.atomic
def visit_edit(*, visit: Visit, by, data: VisitData, now: datetime | None = None) -> Visit:
    """Change a logged visit; the earlier version is kept as a revision."""
    now = now or timezone.now()
    case = _locked_case(visit.case)
    if not may_log_visits(by, case):
        raise errors.OutsideScope("Only the case's visitors and coordinators edit its visits.")
    problems = _visit_problems(case, data, now)
    if problems:
        raise errors.InvalidVisit(" ".join(problems))
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    VisitRevision.objects.create(visit=visit, edited_by=by, edited_at=now, before=_visit_snapshot(visit))
    for name in ("visited_on", "kind", "place", "who_came", "wants_more", "next_step", "notes"):
        setattr(visit, name, getattr(data, name))
    visit.save()
    visit.attendees.set(data.attendees)
    visit.barriers.set(data.barriers)
    wanted = {r.pk for r in data.resources}
    visit.referrals.exclude(resource_id__in=wanted).delete()
    have = set(visit.referrals.values_list("resource_id", flat=True))
    Referral.objects.bulk_create([Referral(visit=visit, resource_id=r) for r in wanted - have])
    audit_record(actor=by, action="visit.edit", obj=visit, district=case.district_id,
                 detail=f"Case {case.pk}, visit #{visit.number}")
    return visit


@transaction.atomic
def referral_outcome_set(*, referral: Referral, by, outcome: str) -> Referral:
    referral = Referral.objects.select_related("visit__case").select_for_update(of=("self",)).get(pk=referral.pk)
    if not may_log_visits(by, referral.visit.case):
        raise errors.OutsideScope("Only the case's visitors and coordinators follow up its referrals.")
    if outcome not in Referral.Outcome.values:
        raise errors.InvalidVisit("Choose connected or not connected.")
    referral.outcome = outcome
    referral.outcome_at = timezone.now() if outcome != Referral.Outcome.PENDING else None
    referral.save(update_fields=["outcome", "outcome_at", "updated_at"])
    audit_record(actor=by, action="referral.outcome", obj=referral, district=referral.visit.case.district_id,
                 detail=outcome)
    return referral


# -- catalogues -----------------------------------------------------------------------------------

BARRIERS = [
    "Transportation", "Housing instability", "Physical health", "Mental and behavioural health",
    "Food insecurity", "Technology and internet", "Childcare for siblings", "Caring for family or working",
    "Language", "Immigration concerns", "Bullying and school climate", "Safe route to school",
    "Disengagement from school", "Misconceptions about absence",
]


@transaction.atomic
def barriers_ensure() -> int:
    from django.utils.text import slugify

    for order, name in enumerate(BARRIERS):
        Barrier.objects.update_or_create(slug=slugify(name), defaults={"name": name, "order": order})
    return len(BARRIERS)


@transaction.atomic
def resource_create(*, district: District, name: str, kind: str, contact: str = "") -> Resource:
    if kind not in Resource.Kind.values:
        raise errors.CoordinatorsError("Unknown kind of resource.")
    resource, _ = Resource.objects.update_or_create(district=district, name=name,
                                                    defaults={"kind": kind, "contact": contact})
    return resource


# -- lapse watcher (courses tells the coordinators of visitors holding open cases) ----------------

def coordinators_of_open_cases(person_ids) -> dict[int, list[str]]:
    """{visitor id: [emails of the coordinators of the districts where they hold open cases]}: 2 queries."""
    from django.contrib.auth import get_user_model

    held = set(AssignmentMember.objects.filter(person_id__in=list(person_ids), assignment__ended_at__isnull=True)
               .values_list("person_id", "assignment__case__district_id"))
    if not held:
        return {}
    districts = {d for _, d in held}
    emails: dict[int, list[str]] = {}
    for email, district_id in (get_user_model().objects.filter(
            is_active=True, groups__name=COORDINATOR, person__home_district_id__in=districts)
            .exclude(email="").values_list("email", "person__home_district_id")):
        emails.setdefault(district_id, []).append(email)
    found: dict[int, list[str]] = {}
    for person_id, district_id in held:
        found.setdefault(person_id, [])
        for email in emails.get(district_id, []):
            if email not in found[person_id]:
                found[person_id].append(email)
    return {pid: sorted(e) for pid, e in found.items() if e}


# -- the live case board (issue 7) -----------------------------------------------------------------
#
# A coordinator opens a case for volunteers (choosing what the board shows), certified visitors who serve
# the district volunteer (optionally naming their pair), and the coordinator confirms a pair through
# `case_assign`, the same gate as the case page. Each change is broadcast to `board.district.<id>` after
# its transaction commits; the frames are built by `coordinators.board_selectors` and documented in
# `coordinators.consumers`.

def board_group(district_id: int) -> str:
    return f"board.district.{district_id}"


def _board_send(district_id: int, frame: dict) -> None:
    import logging

    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(board_group(district_id), {"type": "board.event", "frame": frame})
    except Exception:  # a lost broadcast must not undo what was stored; a reload shows the truth
        logging.getLogger(__name__).exception("board broadcast to district %s failed", district_id)


def _board_broadcast_on_commit(district_id: int, frame: dict) -> None:
    transaction.on_commit(lambda: _board_send(district_id, frame))


def _open_board_case(case: StudentCase, *, lock: bool = False):
    from coordinators.models import BoardOpening

    openings = BoardOpening.objects.filter(case=case, closed_at__isnull=True)
    if lock:
        openings = openings.select_for_update()
    return openings.first()


def volunteer_problems(*, person: Person | None, district: District, now: datetime | None = None) -> list[str]:
    """Why this person may not volunteer in `district` (empty: they may). Shared by the service and the board.

    A home visitor, active, serving the district (school staff there or a community partner serving it
    with a data-sharing agreement in force) and holding a current LEAP 101 certificate.
    """
    from courses.selectors import certification_status

    if person is None:
        return ["Only home visitors volunteer for cases."]
    now = now or timezone.now()
    problems = []
    if not person.user.is_active:
        problems.append("Your account is not active.")
    if VISITOR not in roles_of(person.user):
        problems.append("Only home visitors volunteer for cases.")
    status = certification_status(person=person, course_code=COURSE_CODE, now=now)
    if not status.is_current:
        remaining = max(status.total - status.completed, 0)
        still = []
        if status.state in ("not_started", "in_progress"):
            if remaining:
                still.append(f"{remaining} module{'s' if remaining != 1 else ''}")
            if not status.practice_attended:
                still.append("a live practice session")
        left = f" (still to do: {' and '.join(still)})" if still else ""
        problems.append(f"You can volunteer once you hold a current LEAP 101 certificate: "
                        f"{status.describe()}{left}.")
    serves = set(Partner.districts.through.objects.filter(partner_id=person.partner_id, district_id=district.pk)
                 .values_list("partner_id", "district_id")) if person.partner_id else set()
    as_staff, as_partner = _serving(person, district.pk, serves)
    if not as_staff and not as_partner:
        problems.append(f"You do not serve {district}.")
    elif as_partner and not as_staff and not agreements_in_force(
            partner_ids=[person.partner_id], district_ids=[district.pk], on=timezone.localdate(now)):
        problems.append(f"{person.partner} has no data-sharing agreement in force with {district}.")
    return problems


@transaction.atomic
def case_open_for_volunteers(*, case: StudentCase, by, note: str, share_school: bool = True,
                             share_grade: bool = True):
    """Put a case on its district's board (or change what an open one shares). Broadcasts `case.opened`."""
    from coordinators import board_selectors
    from coordinators.models import BoardOpening

    _require_manager(by, case.district_id)
    case = StudentCase.objects.select_for_update().select_related("school").get(pk=case.pk)
    note = (note or "").strip()
    if len(note) > 300:
        raise errors.InvalidCase("The note for volunteers is longer than 300 characters.")
    if case.status in (CaseStatus.CLOSED, CaseStatus.DECLINED):
        raise errors.BoardError("A closed or declined case can't go on the board.")
    if Assignment.objects.filter(case=case, ended_at__isnull=True).exists():
        raise errors.BoardError("This case already has visitors assigned.")
    opening = _open_board_case(case, lock=True)
    if opening is None:
        opening = BoardOpening.objects.create(case=case, district_id=case.district_id, note=note,
                                              share_school=share_school, share_grade=share_grade, opened_by=by,
                                              opened_at=timezone.now())
    else:
        opening.note, opening.share_school, opening.share_grade = note, share_school, share_grade
        opening.save(update_fields=["note", "share_school", "share_grade"])
    audit_record(actor=by, action="board.open", obj=case,
                 detail=f"Shares: grade band {'yes' if share_grade else 'no'}, school {'yes' if share_school else 'no'}")
    data = board_selectors.board_case_data(opening, case=case, volunteers=board_selectors.active_volunteers(case))
    _board_broadcast_on_commit(case.district_id, {"type": "case.opened", "case": data})
    return opening


def _board_close(case: StudentCase, *, reason: str, now: datetime) -> bool:
    from coordinators.models import BoardOpening, Volunteer

    closed = BoardOpening.objects.filter(case=case, closed_at__isnull=True).update(closed_at=now,
                                                                                    close_reason=reason)
    Volunteer.objects.filter(case=case, withdrawn_at__isnull=True).update(withdrawn_at=now)
    return bool(closed)


@transaction.atomic
def case_close_for_volunteers(*, case: StudentCase, by) -> StudentCase:
    """Take a case off the board (its volunteers are released). Broadcasts `case.closed`."""
    _require_manager(by, case.district_id)
    case = _locked_case(case)
    if not _board_close(case, reason="closed", now=timezone.now()):
        raise errors.BoardError("This case is not on the board.")
    audit_record(actor=by, action="board.close", obj=case)
    _board_broadcast_on_commit(case.district_id, {"type": "case.closed", "case": case.pk})
    return case


def _volunteers_changed(case: StudentCase) -> None:
    from coordinators import board_selectors

    opening = _open_board_case(case)
    data = board_selectors.board_case_data(opening, case=case, volunteers=board_selectors.active_volunteers(case))
    _board_broadcast_on_commit(case.district_id, {"type": "case.volunteered", "case": data})


@transaction.atomic
def case_volunteer(*, case: StudentCase, visitor: Person, partner: Person | None = None):
    """A certified visitor serving the district offers to take a case on the board (again: updates the pair).

    A visitor who is not yet certified is refused (`NotCertified`) with the training that remains.
    Broadcasts `case.volunteered` with the case's volunteers.
    """
    from coordinators.models import Volunteer

    case = StudentCase.objects.select_for_update().select_related("district", "school").get(pk=case.pk)
    if _open_board_case(case) is None:
        raise errors.BoardError("This case is not open for volunteers.")
    problems = volunteer_problems(person=visitor, district=case.district)
    if problems:
        error = errors.NotCertified if any("LEAP 101" in p for p in problems) else errors.NotAllowed
        raise error(" ".join(problems))
    if partner is not None:
        if partner.pk == visitor.pk:
            raise errors.BoardError("Name someone else as your pair.")
        theirs = volunteer_problems(person=partner, district=case.district)
        if theirs:
            raise errors.BoardError(f"{partner.full_name} can't be your pair: " + " ".join(
                p.replace("You can volunteer once you hold", "they need").replace("You do not", "they do not")
                .replace("Your account", "their account") for p in theirs))
    now = timezone.now()
    volunteer = Volunteer.objects.filter(case=case, visitor=visitor, withdrawn_at__isnull=True).first()
    if volunteer is None:
        volunteer = Volunteer.objects.create(case=case, visitor=visitor, partner=partner, created_at=now)
    else:
        volunteer.partner = partner
        volunteer.save(update_fields=["partner"])
    audit_record(actor=visitor.user, action="board.volunteer", obj=case,
                 detail=f"Pair: {partner.full_name}" if partner else "")
    _volunteers_changed(case)
    return volunteer


@transaction.atomic
def volunteer_withdraw(*, case: StudentCase, visitor: Person):
    """The visitor takes back their offer. Broadcasts `case.volunteered` with the remaining volunteers."""
    from coordinators.models import Volunteer

    case = _locked_case(case)
    volunteer = Volunteer.objects.filter(case=case, visitor=visitor, withdrawn_at__isnull=True).first()
    if volunteer is None:
        raise errors.BoardError("You have not volunteered for this case.")
    volunteer.withdrawn_at = timezone.now()
    volunteer.save(update_fields=["withdrawn_at"])
    audit_record(actor=visitor.user, action="board.withdraw", obj=case)
    if _open_board_case(case) is not None:
        _volunteers_changed(case)
    return volunteer


@transaction.atomic
def board_case_assign(*, case: StudentCase, visitors: list[Person], by, reassign: bool = False) -> Assignment:
    """The coordinator confirms a pair from the board: `case_assign` decides (same gate, same refusals);
    on success the case leaves the board. Broadcasts `case.assigned`."""
    assignment = case_assign(case=case, visitors=visitors, by=by, reassign=reassign)
    _board_close(case, reason="assigned", now=assignment.started_at)
    _board_broadcast_on_commit(case.district_id, {"type": "case.assigned", "case": case.pk})
    return assignment


# -- retention of closed cases (hub.privacy; `manage.py purge_closed_cases`) ---------------------------------

DEFAULT_CASE_RETENTION_DAYS = 365


def case_retention_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "CASE_RETENTION_DAYS", DEFAULT_CASE_RETENTION_DAYS))


def closed_cases_due(*, now: datetime | None = None, days: int | None = None):
    """Closed cases, not purged yet, closed more than `days` ago. When a case closed is its latest
    `case.close` audit entry (the case's last change if it has none)."""
    from datetime import timedelta

    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast, Coalesce

    now = now or timezone.now()
    days = case_retention_days() if days is None else days
    closed_at = (AuditEntry.objects.filter(action="case.close", object_type="studentcase",
                                           object_id=Cast(OuterRef("pk"), CharField()))
                 .order_by("-at").values("at")[:1])
    return (StudentCase.objects.filter(status=CaseStatus.CLOSED).exclude(student_ref__startswith="removed-")
            .annotate(closed_at=Coalesce(Subquery(closed_at), "updated_at"))
            .filter(closed_at__lte=now - timedelta(days=days)).order_by("pk"))


def closed_cases_purge(*, operator: str, now: datetime | None = None, days: int | None = None,
                       dry_run: bool = False) -> dict[str, int]:
    """Remove what identifies the student, and the free text, from cases closed more than `days`
    (CASE_RETENTION_DAYS) ago, as the privacy registry's student erasure says; what the dashboards count
    stays. One audit entry per case, one privacy.PrivacyRequest per run (dry runs too). Returns rows per model
    (with "cases": how many cases)."""
    from hub.privacy import selectors as privacy_selectors
    from hub.privacy import services as privacy

    now = now or timezone.now()
    days = case_retention_days() if days is None else days
    if days < 0:
        raise ValueError("days must be 0 or more")
    operator = privacy.operator_clean(operator)
    due = list(closed_cases_due(now=now, days=days).values_list("pk", "district_id"))
    counts: dict[str, int] = {"cases": len(due)}
    with transaction.atomic():
        if not dry_run:
            for case_id, district_id in due:
                subject = privacy_selectors.subject_for_student(case_id=case_id)
                for model, n in privacy.privacy_erase_apply(subject, now=now).items():
                    counts[model] = counts.get(model, 0) + n
                audit_record(actor=None, action="case.purge", object_type="studentcase", object_id=case_id,
                             district=district_id, detail=f"Retention: closed more than {days} days ago.")
        privacy.privacy_request_record(
            kind="retention", subject=None, subject_kind="cases", reference=f"closed-before-{days}-days",
            operator=operator, counts=counts, now=now, outcome="dry_run" if dry_run else "done",
            detail=f"{len(due)} closed case(s) past {days} days.")
    return counts
