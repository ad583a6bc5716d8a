"""May this person visit families in this district? One rule, asked by every path.

`visit_eligibility` answers it for any number of people in a fixed number of queries, as reason codes
(`hub.reasons.Reason`), never sentences: an active account, the home-visitor role, a current
certificate of the program's course (`courses.selectors.certification_statuses`, whose own reasons —
modules left, the live practice, a revoked certificate and who to ask — come along), the district's own
required modules of that course on top of it (`courses.selectors.district_requirements`: modules a
trainer limited to the district or its region), and serving the
district: school staff there, or staff of a community partner serving it with a data-sharing agreement
in force. The assignment gate (`assignment_refusals`, which adds what the case itself needs), the case
board (volunteering and "why not"), the roster's "can take cases now" and the case page's candidates
all ask it, so they cannot disagree. Each path words the reasons for its reader with
`hub.reasons.describe` (coordinators/reasons.py): "you" for the visitor, the name for a coordinator.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from coordinators.models import (
    CaseEvent,
    CaseStatus,
    DataSharingAgreement,
    DistrictSettings,
    StudentCase,
)
from courses.reasons import MESSAGES as CERTIFICATION_MESSAGES
from courses.selectors import certification_statuses, district_requirements
from hub.models import District, Partner, Person
from hub.program import CERTIFICATION_COURSE
from hub.reasons import Reason, describe
from hub.roles import VISITOR

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


def latest_family_choice(case_ref: str = "pk") -> Subquery:
    """`family_choice` in SQL, to annotate cases with: the kind of the case's latest event (None: not asked)."""
    return Subquery(CaseEvent.objects.filter(case_id=OuterRef(case_ref)).order_by("-at", "-pk").values("kind")[:1])


def serving(person: Person, district_id: int, partner_districts: set[tuple[int, int]]) -> tuple[bool, bool]:
    """(serves as district staff, serves through a community partner)."""
    as_staff = (person.school_id is not None and person.school.district_id == district_id) or (
        person.school_id is None and person.partner_id is None and person.home_district_id == district_id)
    as_partner = person.partner_id is not None and (person.partner_id, district_id) in partner_districts
    return as_staff, as_partner


@dataclass(frozen=True)
class Eligibility:
    """Whether one person may visit families in one district now, and if not, every reason why."""

    person: Person | None
    reasons: tuple[Reason, ...]
    as_staff: bool = False
    as_partner: bool = False

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def certified(self) -> bool:
        return not any(r.code in CERTIFICATION_CODES for r in self.reasons)

    def describe(self, *, about: str | None = None) -> list[str]:
        return describe(self.reasons, about=about)


# The reasons that are training (courses), not the district's other rules (serving it, agreements): every
# code the certification rule words (courses/reasons.py: a hand-written list here once missed
# "observation_missing", so a visitor lacking only a coach's "ready" counted as certified), and the
# district's own required modules ("certified" means trained for here).
CERTIFICATION_CODES = frozenset(CERTIFICATION_MESSAGES) | {"district_modules_missing"}


def visit_eligibility(*, people, district=None, district_of: dict | None = None, now: datetime | None = None,
                      statuses=None) -> dict[int, Eligibility]:
    """{person id: Eligibility} for `people` (Person objects, fetched with user, school and partner) in
    `district`, or each in their own district (`district_of`: {person id: district id}, for the roster):
    a fixed number of queries however many people and districts. Statuses may be passed when read."""
    now = now or timezone.now()
    people = [p for p in people if p is not None]
    ids = [p.pk for p in people]
    if district_of is None:
        district_id = district.pk if isinstance(district, District) else district
        district_of = {pid: district_id for pid in ids}
    regions = {pk: (name, region) for pk, name, region in District.objects.filter(
        pk__in={d for d in district_of.values() if d}).values_list("pk", "name", "region_id")}
    names = {pk: name for pk, (name, _) in regions.items()}
    if statuses is None or any(pid not in statuses for pid in ids):
        statuses = certification_statuses(people=ids, course_code=COURSE_CODE, now=now)
    partner_ids = {p.partner_id for p in people if p.partner_id}
    serves = set(Partner.districts.through.objects.filter(partner_id__in=partner_ids, district_id__in=names)
                 .values_list("partner_id", "district_id")) if partner_ids else set()
    agreements = agreements_in_force(partner_ids=partner_ids, district_ids=list(names),
                                     on=timezone.localdate(now)) if partner_ids else set()
    visitors = set(Person.objects.filter(pk__in=ids, user__groups__name=VISITOR).values_list("pk", flat=True))
    own_modules = district_requirements(people=ids, district_ids=list(names), course_codes=[COURSE_CODE],
                                        districts=regions)
    found = {}
    for person in people:
        where = district_of.get(person.pk)
        reasons = []
        if not person.user.is_active:
            reasons.append(Reason("account_inactive"))
        if person.pk not in visitors:
            reasons.append(Reason("not_a_visitor"))
        reasons += statuses[person.pk].reasons
        missing = tuple(r.title for r in own_modules.get((person.pk, where), ()) if not r.done)
        if missing:
            reasons.append(Reason("district_modules_missing", {"district": names.get(where, ""), "modules": missing,
                                                               "count": len(missing)}))
        as_staff, as_partner = serving(person, where, serves) if where else (False, False)
        if not as_staff and not as_partner:
            reasons.append(Reason("not_serving_district", {"district": names.get(where, "")}))
        elif as_partner and not as_staff and (person.partner_id, where) not in agreements:
            reasons.append(Reason("no_data_sharing_agreement", {"partner": str(person.partner),
                                                                "district": names.get(where, "")}))
        found[person.pk] = Eligibility(person, tuple(reasons), as_staff, as_partner)
    return found


def person_eligibility(*, person: Person | None, district, now: datetime | None = None) -> Eligibility:
    """One person's `visit_eligibility`; a signed-in user with no profile is "not a home visitor"."""
    if person is None:
        return Eligibility(None, (Reason("not_a_visitor"),))
    return visit_eligibility(people=[person], district=district, now=now)[person.pk]


def assignment_refusals(*, case: StudentCase, visitors: list[Person], by, now: datetime | None = None
                        ) -> list[tuple[str | None, Reason]]:
    """Every unmet requirement for pairing `visitors` with `case`: (whose, reason) pairs, whose being
    the visitor's name or None for the case itself. Empty: allowed. A fixed number of queries."""
    now = now or timezone.now()
    district = case.district
    refusals: list[tuple[str | None, Reason]] = []
    choice = family_choice(case)
    if case.status == CaseStatus.CLOSED:
        refusals.append((None, Reason("case_closed")))
    if choice == CaseEvent.Kind.DECLINED:
        refusals.append((None, Reason("family_declined")))
    elif choice != CaseEvent.Kind.ACCEPTED:
        refusals.append((None, Reason("family_not_asked")))
    pairs = district_settings(case.district_id).visits_in_pairs
    ids = [v.pk for v in visitors]
    chosen = len(set(ids))
    if not visitors:
        refusals.append((None, Reason("choose_visitors")))
    elif chosen != len(ids):
        for person in {v.pk: v for v in visitors}.values():
            if ids.count(person.pk) > 1:
                refusals.append((None, Reason("chosen_twice", {"visitor": person.full_name})))
    elif pairs and chosen != 2:
        refusals.append((None, Reason("pairs_required", {"district": district.name, "count": chosen})))
    if not pairs and chosen > 2:
        refusals.append((None, Reason("one_or_two")))
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("user", "school", "partner")}
    if any(pid not in people for pid in ids):
        refusals.append((None, Reason("visitor_missing")))
    eligible = visit_eligibility(people=list(people.values()), district=district, now=now)
    for pid in dict.fromkeys(ids):
        if pid in eligible:
            refusals += [(people[pid].full_name, reason) for reason in eligible[pid].reasons]
    return refusals


def assignment_problems(*, case: StudentCase, visitors: list[Person], by, now: datetime | None = None
                        ) -> list[str]:
    """`assignment_refusals` in a coordinator's words, one sentence each (the case page, the gate)."""
    return [describe([reason], about=whose)[0] for whose, reason in
            assignment_refusals(case=case, visitors=visitors, by=by, now=now)]
