"""Who may take a case: the requirements the assignment gate and the live board check, read-only.

`assignment_problems` is what `coordinators.services.assignment.case_assign` refuses on (and what the
case page shows beside each candidate); `volunteer_problems` is what the board checks before a visitor
volunteers. Both read the same facts: the family's choice, the district's settings, a current LEAP 101
certificate (from `courses.selectors`), and whether the visitor serves the district — as school staff
there, or through a community partner serving it with a data-sharing agreement in force.
"""

from datetime import date, datetime

from django.utils import timezone

from coordinators.models import (
    CaseEvent,
    CaseStatus,
    DataSharingAgreement,
    DistrictSettings,
    StudentCase,
)
from courses.selectors import certification_statuses
from hub.models import District, Partner, Person
from hub.program import CERTIFICATION_COURSE
from hub.roles import VISITOR, roles_of

COURSE_CODE = CERTIFICATION_COURSE  # the course whose certificate clears a visitor (hub.program)


def district_settings(district) -> DistrictSettings:
    district_id = district.pk if isinstance(district, District) else district
    found = DistrictSettings.objects.filter(district_id=district_id).first()
    return found or DistrictSettings(district_id=district_id)


def agreements_in_force(*, partner_ids, district_ids, on: date) -> set[tuple[int, int]]:
    """{(partner id, district id)} with a data-sharing agreement in force on `on`: one query."""
    from django.db.models import Q

    return set(DataSharingAgreement.objects.filter(
        partner_id__in=list(partner_ids), district_id__in=list(district_ids), signed_on__lte=on,
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on)).values_list("partner_id", "district_id"))


def family_choice(case: StudentCase) -> str | None:
    """The family's latest choice (offered, accepted, declined) or None."""
    latest = case.events.order_by("-at", "-pk").values_list("kind", flat=True).first()
    return latest


def serving(person: Person, district_id: int, partner_districts: set[tuple[int, int]]) -> tuple[bool, bool]:
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
        as_staff, as_partner = serving(person, district.pk, serves)
        if not as_staff and not as_partner:
            mine.append(f"does not serve {district} (not school staff there, and no community partner serving it)")
        elif as_partner and not as_staff and (person.partner_id, district.pk) not in agreements:
            mine.append(f"{person.partner} has no data-sharing agreement in force with {district}")
        if mine:
            problems.append(f"{person.full_name}: " + "; ".join(mine))
    return problems


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
    as_staff, as_partner = serving(person, district.pk, serves)
    if not as_staff and not as_partner:
        problems.append(f"You do not serve {district}.")
    elif as_partner and not as_staff and not agreements_in_force(
            partner_ids=[person.partner_id], district_ids=[district.pk], on=timezone.localdate(now)):
        problems.append(f"{person.partner} has no data-sharing agreement in force with {district}.")
    return problems
