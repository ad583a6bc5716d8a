"""What student cases, visits and the audit trail (`hub.audit`) hold about students and about people (registered into
hub.privacy from CoordinatorsConfig.ready()).

Students: a case keeps the minimum the school shares (first name, last initial, grade, school, language,
attendance). Erasing a student (on a family's request through the district, or by the retention purge
of closed cases, `purge_closed_cases`) removes what identifies the student and every free text about
the family, and keeps what the dashboards count: the case's district, school, grade, status and
attendance figures, visits' dates, places and barriers, assignments and referral outcomes.

People: a visitor's or coordinator's acts on cases stay, attached to the anonymised account.
"""

from hub.privacy.registry import (
    PERSON,
    REMOVED,
    STUDENT,
    anonymise,
    blocker_register,
    delete,
    field_note_register,
    holding_register,
    keep,
    name_mentions_in,
    student_finder_register,
)

COUNTS = "Kept for the dashboards' anonymous counts."
STAFF_ACT = "Who did it, for the record; the account is anonymised."


def _case_label(case_id: int) -> str | None:
    from coordinators.models import StudentCase

    case = StudentCase.objects.filter(pk=case_id).select_related("district").first()
    return None if case is None else f"case {case.pk} ({case.district})"


student_finder_register(_case_label)


def _open_case(subject) -> str | None:
    from coordinators.models import CaseStatus, StudentCase

    case = StudentCase.objects.filter(pk=subject.case_id).first()
    if case is not None and case.status != CaseStatus.CLOSED:
        return (f"Case {case.pk} is still open ({case.get_status_display()}): close it first (the coordinator's "
                "case page), then erase. Closed cases are also purged automatically (purge_closed_cases).")
    return None


def _open_assignments(subject) -> str | None:
    from coordinators.models import AssignmentMember

    cases = list(AssignmentMember.objects.filter(person__user=subject.user, assignment__ended_at__isnull=True)
                 .values_list("assignment__case_id", flat=True))
    if cases:
        return (f"This person is assigned to open case(s) {', '.join(map(str, sorted(cases)))}: ask the "
                "coordinator to reassign or close them first, then erase.")
    return None


blocker_register(STUDENT, _open_case)
blocker_register(PERSON, _open_assignments)


def _audit_about_case(subject):
    from django.db.models import Q

    from coordinators.models import Visit
    from hub.audit.models import AuditEntry

    visits = [str(pk) for pk in Visit.objects.filter(case_id=subject.case_id).values_list("pk", flat=True)]
    return AuditEntry.objects.filter(Q(object_type="studentcase", object_id=str(subject.case_id))
                                     | Q(object_type="visit", object_id__in=visits))


def _audit_about_person(subject):
    from hub.audit.models import AuditEntry

    if subject.person is None:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(object_type="person", object_id=str(subject.person.pk))


def _actor_name(row) -> str:
    return row.actor.get_full_name() or row.actor.username if row.actor_id else ""


# -- students -------------------------------------------------------------------------------------------------
holding_register(
    "coordinators.StudentCase", subject=STUDENT, find="pk", section="The student's case",
    fields=[("Case", "pk"), ("Student id", "student_ref"), ("First name", "first_name"),
            ("Last initial", "last_initial"), ("Grade", "grade"), ("School", "school"), ("District", "district"),
            ("Home language", "home_language"), ("Days enrolled", "days_enrolled"), ("Days absent", "days_absent"),
            ("Why referred", "referral_reason"), ("Status", "get_status_display"), ("Referred", "created_at")],
    erase=anonymise(student_ref=lambda row, subject: f"removed-{row.pk}", first_name=REMOVED, last_initial="",
                    home_language="", referral_reason=""),
    order=90, reason="The case: what identifies the student goes; district, school, grade, status and "
                     "attendance figures stay for the dashboards.")
holding_register(
    "coordinators.CaseEvent", subject=STUDENT, find="case_id", section="The family's choices",
    fields=[("Choice", "get_kind_display"), ("When", "at"), ("Note", "note")],
    erase=anonymise(note=""), reason="Offered, accepted, declined are counted; the note goes.")
holding_register(
    "coordinators.Assignment", subject=STUDENT, find="case_id", section="Visitors assigned",
    fields=[("From", "started_at"), ("Until", "ended_at"), ("Visitors", "visitors")],
    erase=keep(), reason=COUNTS + " (days from assignment to first visit)")
holding_register(
    "coordinators.AssignmentMember", subject=STUDENT, find="assignment__case_id", erase=keep(),
    reason="Which visitors were paired; nothing about the student.")
holding_register(
    "coordinators.Visit", subject=STUDENT, find="case_id", section="Visits and calls",
    fields=[("Number", "number"), ("Date", "visited_on"), ("Kind", "get_kind_display"),
            ("Place", "get_place_display"), ("Family members present", "who_came"), ("Barriers", "barriers"),
            ("Wants more visits", "get_wants_more_display"), ("Next step", "next_step"), ("Notes", "notes")],
    erase=anonymise(who_came="", next_step="", notes=""),
    reason="Date, kind, place and barriers are counted; what was written about the family goes.")
holding_register(
    "coordinators.VisitRevision", subject=STUDENT, find="visit__case_id", section="Earlier versions of visit logs",
    fields=[("Visit", "visit.number"), ("Edited", "edited_at")],
    erase=delete(), reason="Old copies of the visit text.")
holding_register(
    "coordinators.Referral", subject=STUDENT, find="visit__case_id", section="Referrals",
    fields=[("Resource", "resource"), ("Outcome", "get_outcome_display")],
    erase=keep(), reason=COUNTS + " (referral outcomes)")
holding_register(
    "coordinators.AttendanceMonth", subject=STUDENT, find="case_id", section="Attendance by month",
    fields=[("Month", "month"), ("Days enrolled", "days_enrolled"), ("Days absent", "days_absent")],
    erase=keep(), reason=COUNTS + " (attendance change after the first visit)")
holding_register(
    "coordinators.ImpactStudent", subject=STUDENT, find="case_id", section="Figures for the impact evaluation",
    fields=[("Visited", "served"), ("Month of the first visit or referral", "zero_month"),
            ("Attendance before (%)", "base"), ("Change after 1 month", "c1"), ("Change after 3 months", "c3"),
            ("Change after 6 months", "c6"), ("Change after 9 months", "c9")],
    erase=keep(), reason=COUNTS + " (computed from the case's visits and attendance, which stay; recomputed "
                                  "every hour, deleted with the case)")
holding_register(
    "coordinators.BoardOpening", subject=STUDENT, find="case_id", section="On the case board",
    fields=[("Opened", "opened_at"), ("Closed", "closed_at"), ("Note for volunteers", "note")],
    erase=anonymise(note=""), reason="When the case was offered to volunteers; the note goes.")
holding_register(
    "coordinators.Volunteer", subject=STUDENT, find="case_id", erase=keep(),
    reason="Visitors who offered to take the case; nothing about the student.")
holding_register(
    "audit.AuditEntry", subject=STUDENT, find=_audit_about_case, section="Who read or changed the record",
    fields=[("When", "at"), ("Who", _actor_name), ("What", "action")],
    erase=keep(), reason="The record of access to an education record (FERPA) stays.")

# -- people -------------------------------------------------------------------------------------------------
holding_register(
    "coordinators.AssignmentMember", subject=PERSON, find="person__user", section="Cases you were assigned",
    fields=[("Student", "assignment.case.display_name"), ("Grade", "assignment.case.grade"),
            ("School", "assignment.case.school"), ("From", "assignment.started_at"),
            ("Until", "assignment.ended_at")],
    erase=keep(), reason=COUNTS + " Erasure waits until none is open.")
field_note_register("coordinators.Assignment", "visitors", reason="Through AssignmentMember, registered.")
holding_register(
    "coordinators.Assignment", subject=PERSON, find="assigned_by", erase=keep(), reason=STAFF_ACT)
name_find, name_erase = name_mentions_in("coordinators.Assignment", "end_reason")
holding_register("coordinators.Assignment", subject=PERSON, find=name_find, erase=name_erase,
                 reason="'Reassigned by <name>': the name goes.")
holding_register(
    "coordinators.Visit", subject=PERSON, find="logged_by", section="Visit logs you wrote",
    fields=[("Student", "case.display_name"), ("Number", "number"), ("Date", "visited_on"),
            ("Kind", "get_kind_display"), ("Place", "get_place_display"), ("Family members present", "who_came"),
            ("Next step", "next_step"), ("Notes", "notes")],
    erase=keep(), reason="The visit log is the student's record (purged with the case); the account is anonymised.")
holding_register(
    "coordinators.Visit", subject=PERSON, find="attendees__user", section="Visits you made",
    fields=[("Student", "case.display_name"), ("Number", "number"), ("Date", "visited_on")],
    erase=keep(), reason=COUNTS)
holding_register("coordinators.VisitRevision", subject=PERSON, find="edited_by", erase=keep(), reason=STAFF_ACT)
holding_register("coordinators.StudentCase", subject=PERSON, find="created_by", erase=keep(), reason=STAFF_ACT)
holding_register("coordinators.CaseEvent", subject=PERSON, find="by", erase=keep(), reason=STAFF_ACT)
holding_register("coordinators.BoardOpening", subject=PERSON, find="opened_by", erase=keep(), reason=STAFF_ACT)
holding_register("coordinators.FidelityTargets", subject=PERSON, find="updated_by", erase=keep(), reason=STAFF_ACT)
holding_register("coordinators.DistrictNeedFigures", subject=PERSON, find="imported_by", erase=keep(),
                 reason=STAFF_ACT)
holding_register(
    "coordinators.Volunteer", subject=PERSON, find="visitor__user", section="Cases you volunteered for",
    fields=[("Offered", "created_at"), ("Withdrawn", "withdrawn_at")],
    erase=anonymise(withdrawn_at=lambda row, subject: row.withdrawn_at or _now()),
    reason="Offers on the case board: open offers are withdrawn.")
holding_register("coordinators.Volunteer", subject=PERSON, find="partner__user", erase=keep(),
                 reason="Named as someone's visiting partner; the account is anonymised.")
# What a person did (the actor) and names in the entries' text: registered by hub.audit.privacy.
holding_register(
    "audit.AuditEntry", subject=PERSON, find=_audit_about_person, section="Who looked at your record",
    fields=[("When", "at"), ("Who", _actor_name), ("What", "action")], erase=keep(),
    reason="Coordinators' views of your training record, for the record.")


def _now():
    from django.utils import timezone

    return timezone.now()

