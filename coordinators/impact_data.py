"""Students with a known answer: attendance histories whose true effect of the visits is set.

`impact_data_generate` builds referred students — most visited, the rest declined or still waiting —
with three months of attendance before the month of their first visit (or of their referral) and up to
nine after it. Each served student's attendance moves by a set amount:

- the reference effect (grades 6-12, not an English learner, first visit in person): +4 points in the
  first month after the first visit, +8 after three, +15 after six, +16 after nine;
- half as large for grades PK-5 (twice as large for 6-12), half for English learners, half when the
  first visit was virtual or by phone;
- `trend` points for everyone, served or not, from the first month on (students referred when their
  attendance was at its worst drift back up on their own: the comparison group is there to take that
  out, in the difference in differences).

Everything is written with `bulk_create` in batches (a benchmark builds 100,000 students). The demo
step (`coordinators.demo`) and the `generate_impact_data` command call it; the known-answer test checks
that the impact table recovers the effects within its confidence intervals. Attendance is 20 school
days a month; days absent are rounded at random (up or down, in proportion), so that rounding adds
noise but no bias.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from coordinators.models import (
    GRADES,
    Assignment,
    AssignmentMember,
    AttendanceMonth,
    CaseStatus,
    StudentCase,
    Visit,
    impact_grade_band,
)
from coordinators.months import month_add, month_index
from coordinators.services.impact import impact_summary_refresh
from hub.models import District, Partner, Person, School

REFERENCE_EFFECT = {1: 4.0, 3: 8.0, 6: 15.0, 9: 16.0}
PREFIX = "ZEV"  # student ids sort after the districts' own (HFD-, NHV-...): the case list shows those first
DAYS = 20
BATCH = 5000
PLACES = [("home", 50), ("school", 20), ("community", 10), ("virtual", 10), ("phone", 10)]


def true_effect(months: int, *, band: str, english_learner: bool, in_person: bool) -> float:
    """The set effect at a horizon (1, 3, 6, 9 months; other months in between, linearly)."""
    if months <= 0:
        return 0.0
    points = [(0, 0.0), *sorted(REFERENCE_EFFECT.items())]
    base = points[-1][1]
    for (m0, e0), (m1, e1) in zip(points, points[1:], strict=False):
        if m0 < months <= m1:
            base = e0 + (e1 - e0) * (months - m0) / (m1 - m0)
            break
    factor = (0.5 if band == "pk5" else 1.0) * (0.5 if english_learner else 1.0) * (1.0 if in_person else 0.5)
    return base * factor


@dataclass(frozen=True)
class Student:
    """What the known-answer test needs of a generated student."""

    served: bool
    band: str
    english_learner: bool
    in_person: bool
    place: str
    zero: date  # month of the first visit (served) or of referral
    months_after: int  # how many months after `zero` have attendance
    district_id: int
    pair: bool
    partner: bool


@dataclass
class Generated:
    students: list[Student] = field(default_factory=list)
    cases: int = 0
    visits: int = 0
    attendance_months: int = 0

    @property
    def summary(self) -> str:
        return (f"{self.cases:,} students, {self.visits:,} visits, {self.attendance_months:,} attendance months")


def _visitors(district: District, prefix: str) -> tuple[list[Person], list[Person]]:
    """Two school-staff and two community-partner visitors of the district, made for the data: they hold
    no role and cannot sign in, so no roster, board or visitor's page shows them or their cases."""
    school, partner = [], []
    User = get_user_model()
    made = []
    for kind, people in (("school", school), ("partner", partner)):
        for n in range(len(people), 2):
            username = f"{prefix.lower()}-{district.slug}-{kind}-{n + 1}"[:150]
            # get_or_create: a second run (or the demo seeded again) reuses them.
            user, created = User.objects.get_or_create(username=username, defaults={
                "first_name": "Evaluation", "last_name": f"{kind.title()} visitor {n + 1}", "is_active": False})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            made.append((kind, user))
    for kind, user in made:
        school_obj = School.objects.filter(district=district).first() if kind == "school" else None
        partner_obj = None
        if kind == "partner":
            partner_obj = Partner.objects.filter(districts=district).first()
            if partner_obj is None:
                partner_obj, _ = Partner.objects.get_or_create(name=f"{district.name} evaluation partner",
                                                               defaults={"kind": "ysb"})
                partner_obj.districts.add(district)
        person, _ = Person.objects.get_or_create(user=user, defaults={
            "home_district": district, "school": school_obj, "partner": partner_obj})
        (school if kind == "school" else partner).append(person)
    return school, partner


def impact_data_generate(*, students: int, seed: int, districts: list[District] | None = None,
                         today: date | None = None, comparison_share: float = 0.3, trend: float = 0.0,
                         extra_visits: int = 1, months_back: int = 24, prefix: str = PREFIX,
                         noise: float = 3.0) -> Generated:
    """Build `students` referred students over `districts` (every district with a school by default)."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    last_month = month_add(today.replace(day=1), -1)  # the last complete month
    districts = districts or list(District.objects.filter(schools__isnull=False).distinct().order_by("pk"))
    if not districts:
        raise ValueError("No district has a school to put students in.")
    schools = {d.pk: list(School.objects.filter(district=d).order_by("pk")) for d in districts}
    visitors = {d.pk: _visitors(d, prefix) for d in districts}
    result = Generated()
    taken = set(StudentCase.objects.filter(student_ref__startswith=f"{prefix}-{seed}-").values_list(
        "student_ref", flat=True))
    tz = timezone.get_current_timezone()
    for start in range(0, students, BATCH):
        count = min(BATCH, students - start)
        plans = []
        for n in range(start, start + count):
            ref = f"{prefix}-{seed}-{n:06d}"
            district = districts[rng.randrange(len(districts))]
            grade = rng.choice(GRADES)
            band = impact_grade_band(grade)
            el = rng.random() < 0.3
            served = rng.random() >= comparison_share
            zero = month_add(last_month, -rng.randrange(0, months_back))
            place = rng.choices([p for p, _ in PLACES], weights=[w for _, w in PLACES])[0]
            pair = rng.random() < 0.7
            partner = rng.random() < 0.4
            baseline = rng.uniform(50.0, 84.0)
            plans.append((ref, district, grade, band, el, served, zero, place, pair, partner, baseline))
        cases = []
        for ref, district, grade, _band, el, served, zero, *_rest in plans:
            if ref in taken:
                continue
            status = CaseStatus.VISITED if served else rng.choice(
                [CaseStatus.DECLINED, CaseStatus.REFERRED, CaseStatus.OFFERED, CaseStatus.ACCEPTED])
            cases.append(StudentCase(
                district=district, school=rng.choice(schools[district.pk]), student_ref=ref,
                first_name="Student", last_initial="E", grade=grade, english_learner=el,
                referral_month=month_add(zero, -1) if served else zero, days_enrolled=60, days_absent=18,
                status=status, referral_reason="Generated for the impact evaluation"))
        with transaction.atomic():
            StudentCase.objects.bulk_create(cases, batch_size=1000)
            ids = dict(StudentCase.objects.filter(student_ref__in=[c.student_ref for c in cases])
                       .values_list("student_ref", "pk"))
            # Each case was opened in its month of referral (not today): lists ordered newest first keep
            # showing the districts' own recent cases first.
            for month in {c.referral_month for c in cases}:
                StudentCase.objects.filter(pk__in=list(ids.values()), referral_month=month).update(
                    created_at=timezone.make_aware(datetime.combine(month, time(9)), tz))
            visits, months, assignments, members_of = [], [], [], []
            for ref, district, _grade, band, el, served, zero, place, pair, partner, baseline in plans:
                case_id = ids.get(ref)
                if case_id is None:
                    continue
                in_person = place in Visit.IN_PERSON
                after = max(0, min(9, month_index(last_month) - month_index(zero)))
                result.students.append(Student(served, band, el, in_person, place, zero, after, district.pk,
                                               pair, partner))
                for offset in range(-3, after + 1):
                    rate = baseline + rng.gauss(0.0, noise)
                    if offset >= 1:
                        rate += trend
                        if served:
                            rate += true_effect(offset, band=band, english_learner=el, in_person=in_person)
                    absent_days = DAYS * (100.0 - min(100.0, max(0.0, rate))) / 100.0
                    whole = int(absent_days)
                    absent = whole + (1 if rng.random() < absent_days - whole else 0)
                    months.append(AttendanceMonth(case_id=case_id, month=month_add(zero, offset),
                                                  days_enrolled=DAYS, days_absent=min(DAYS, absent)))
                if not served:
                    continue
                day = zero + timedelta(days=rng.randrange(0, 27))
                school_staff, partner_staff = visitors[district.pk]
                first = [rng.choice(partner_staff) if partner else rng.choice(school_staff)]
                if pair:
                    first.append(next(p for p in school_staff if p not in first))
                visits.append((Visit(case_id=case_id, number=1, visited_on=day, kind=Visit.Kind.HOME_VISIT,
                                     place=place, wants_more="yes"), first))
                for extra in range(extra_visits):
                    visits.append((Visit(case_id=case_id, number=2 + extra,
                                         visited_on=min(today, day + timedelta(days=14 * (extra + 1))),
                                         kind=Visit.Kind.FOLLOW_UP_CALL, place="phone", wants_more="yes"),
                                   first[:1]))
                started = timezone.make_aware(datetime.combine(day - timedelta(days=7), time(9)), tz)
                ended = timezone.make_aware(datetime.combine(month_add(zero, after + 1), time(9)), tz)
                assignments.append(Assignment(case_id=case_id, started_at=started, ended_at=ended,
                                              end_reason="Evaluation data: the visits ended."))
                members_of.append(first)
            Visit.objects.bulk_create([v for v, _ in visits], batch_size=1000)
            through = Visit.attendees.through
            through.objects.bulk_create([through(visit_id=v.pk, person_id=p.pk) for v, people in visits
                                         for p in people], batch_size=2000)
            Assignment.objects.bulk_create(assignments, batch_size=1000)
            AssignmentMember.objects.bulk_create(
                [AssignmentMember(assignment_id=a.pk, person_id=p.pk) for a, people in zip(assignments, members_of,
                                                                                         strict=True)
                 for p in people], batch_size=2000)
            AttendanceMonth.objects.bulk_create(months, batch_size=2000)
            # The stored figures of these students, in the same transaction (not on commit): whoever
            # generates them (the demo, a benchmark, a test inside its own transaction) reads the table next.
            impact_summary_refresh(case_ids=list(ids.values()))
        result.cases += len(cases)
        result.visits += len(visits)
        result.attendance_months += len(months)
    return result
