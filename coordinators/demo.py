"""Demo content: catalogues, district settings, a data-sharing agreement, and student cases in Hartford,
New Haven and Bridgeport at every stage (referred, offered, declined, accepted, assigned, visited), with
visit logs, barriers, referrals and monthly attendance. Built through the services; idempotent.

Hartford keeps two accepted, unassigned cases for the browser journey, and three more referred months ago
for the waiting list (`WAITING_CASES`). New Haven and Bridgeport have a
single certified visitor each (see courses.demo.STAGES), so they are set to allow one-visitor visits.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from coordinators import services
from coordinators.models import AttendanceMonth, Barrier, CaseEvent, Resource, StudentCase
from hub.demo import demo_step
from hub.models import District, Partner, Person, School

RESOURCES = {
    "Hartford": [("Hartford Behavioral Health", "health"), ("Foodshare Mobile Pantry", "food"),
                 ("CTtransit student passes", "transport"), ("City of Hartford interpreters", "interpreter"),
                 ("Connecticut 2-1-1", "info"), ("Hartford Public Library device lending", "tech")],
    "New Haven": [("Clifford Beers Community Care", "health"), ("Connecticut Food Bank pantry", "food"),
                  ("IRIS immigrant services", "immigration"), ("Connecticut 2-1-1", "info")],
    "Bridgeport": [("Bridgeport Rescue Mission", "shelter"), ("Bridgeport after-school programs", "programs"),
                   ("Connecticut 2-1-1", "info")],
}

# (district, ref, first, initial, grade, school, language, enrolled, absent, reason, stage, visitors, barriers)
CASES = [
    ("Hartford", "HFD-1001", "Jaylen", "R", "3", "Burns Latino Studies Academy", "Spanish", 62, 11,
     "Missed most Mondays since October", "referred", (), ()),
    ("Hartford", "HFD-1002", "Amara", "O", "5", "Parkville Community School", "English", 62, 9,
     "Late arrivals turning into absences", "offered", (), ()),
    ("Hartford", "HFD-1003", "Tomasz", "W", "7", "Parkville Community School", "Polish", 62, 14,
     "Frequent absences after a move", "declined", (), ()),
    ("Hartford", "HFD-1004", "Sofia", "M", "2", "Burns Latino Studies Academy", "Spanish", 62, 13,
     "Absent 13 days; younger siblings at home", "accepted", (), ()),
    ("Hartford", "HFD-1005", "Darnell", "J", "9", "Bulkeley High School", "English", 62, 16,
     "Disengaged since starting high school", "accepted", (), ()),
    ("Hartford", "HFD-1006", "Isabella", "C", "4", "Parkville Community School", "Portuguese", 62, 10,
     "Asthma flare-ups; worried family", "assigned", ("marcus", "luis"), ()),
    ("Hartford", "HFD-1007", "Kevin", "A", "6", "Burns Latino Studies Academy", "Spanish", 62, 18,
     "Walks a long way; bus pass lapsed", "visited", ("dana", "marcus"),
     ("transportation", "safe-route-to-school", "food-insecurity")),
    ("Hartford", "HFD-1008", "Nia", "B", "1", "Parkville Community School", "English", 62, 12,
     "Older brother walks her; his schedule changed", "visited", ("marcus", "luis"),
     ("childcare-for-siblings", "caring-for-family-or-working")),
    ("New Haven", "NHV-2001", "Mateo", "G", "3", "Fair Haven School", "Spanish", 60, 12,
     "Absences around family appointments", "visited", ("jordan",), ("language", "immigration-concerns")),
    ("New Haven", "NHV-2002", "Layla", "H", "8", "Clinton Avenue School", "Arabic", 60, 10,
     "Missing first period", "accepted", (), ()),
    ("New Haven", "NHV-2003", "Ethan", "P", "K", "Fair Haven School", "English", 60, 8,
     "Kindergarten absences add up", "offered", (), ()),
    ("Bridgeport", "BPT-3001", "Aaliyah", "S", "10", "Harding High School", "English", 58, 17,
     "Working evening shifts to help family", "visited", ("rosa",), ("caring-for-family-or-working",
                                                                     "disengagement-from-school")),
    ("Bridgeport", "BPT-3002", "Luca", "F", "4", "Barnum Elementary School", "Italian", 58, 9,
     "Housing changed twice this year", "assigned", ("rosa",), ()),
    ("Bridgeport", "BPT-3003", "Grace", "N", "2", "Barnum Elementary School", "English", 58, 7,
     "Family unsure about a visit", "declined", (), ()),
]

# Hartford students waiting for a first visit, referred months ago (the waiting list, /coordinators/waiting/:
# Mariana first — severe absence, the longest wait; Luis Ortega, free, speaks Spanish).
# (ref, first, initial, grade, school, language, enrolled, absent, reason, months since the referral)
WAITING_CASES = [
    ("HFD-1009", "Mariana", "L", "8", "Burns Latino Studies Academy", "Spanish", 62, 15,
     "Stopped coming after the winter break", 3),
    ("HFD-1010", "Omar", "K", "11", "Bulkeley High School", "Arabic", 62, 8, "Misses Mondays and Fridays", 2),
    ("HFD-1011", "Chloe", "T", "K", "Parkville Community School", "English", 62, 4,
     "Kindergarten absences adding up", 1),
]

COORDINATOR_OF = {"Hartford": "coordinator", "New Haven": "coordinator.nh", "Bridgeport": "coordinator.bpt"}


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _attendance(case: StudentCase, first_visit: date, absences: list[int]) -> None:
    """Months from three before the first visit's month to this month, improving after the visit."""
    start = first_visit.replace(day=1) - relativedelta(months=3)
    today = timezone.localdate().replace(day=1)
    month, n = start, 0
    while month <= today:
        absent = absences[min(n, len(absences) - 1)]
        AttendanceMonth.objects.get_or_create(case=case, month=month,
                                              defaults={"days_enrolled": 20, "days_absent": absent})
        month += relativedelta(months=1)
        n += 1


@demo_step(order=40)
def seed_coordinators() -> str | None:
    coordinator = _user("coordinator")
    if coordinator is None:
        return None
    services.barriers_ensure()
    for district_name, resources in RESOURCES.items():
        district = District.objects.get(name=district_name)
        for name, kind in resources:
            services.resource_create(district=district, name=name, kind=kind)
    hartford = District.objects.get(name="Hartford")
    for name, pairs in [("Hartford", True), ("New Haven", False), ("Bridgeport", False)]:
        services.district_settings_set(district=District.objects.get(name=name), by=None, visits_in_pairs=pairs)
    bureau = Partner.objects.filter(name="Capitol Region Youth Service Bureau").first()
    if bureau is not None:
        services.data_sharing_agreement_record(partner=bureau, district=hartford, signed_on=date(2024, 8, 15),
                                               expires_on=date(2027, 8, 14))
    now = timezone.now()
    created = 0
    for (district_name, ref, first, initial, grade, school_name, language, enrolled, absent, reason, stage,
         visitors, barriers) in CASES:
        district = District.objects.get(name=district_name)
        if StudentCase.objects.filter(district=district, student_ref=ref).exists():
            continue
        by = _user(COORDINATOR_OF[district_name])
        if by is None:
            continue
        case = services.case_create(district=district, by=by, data=services.CaseData(
            student_ref=ref, first_name=first, last_initial=initial, grade=grade,
            school=School.objects.get(district=district, name=school_name), home_language=language,
            days_enrolled=enrolled, days_absent=absent, referral_reason=reason))
        created += 1
        if stage == "referred":
            continue
        services.case_family_choice(case=case, kind=CaseEvent.Kind.OFFERED, by=by, at=now - timedelta(days=50))
        if stage == "offered":
            continue
        answer = CaseEvent.Kind.DECLINED if stage == "declined" else CaseEvent.Kind.ACCEPTED
        services.case_family_choice(case=case, kind=answer, by=by, at=now - timedelta(days=45),
                                    note="Prefers a visit after 5 pm" if answer == "accepted" else "")
        if stage in ("declined", "accepted"):
            continue
        people = [Person.objects.get(user__username=u) for u in visitors]
        services.case_assign(case=case, visitors=people, by=by, now=now - timedelta(days=40))
        if stage != "visited":
            continue
        first_visit = timezone.localdate() - timedelta(days=33)
        logger = people[0].user
        resources = list(Resource.objects.filter(district=district).order_by("pk")[:1])
        services.visit_log(case=case, by=logger, data=services.VisitData(
            visited_on=first_visit, kind="visit", place="home", wants_more="yes", attendees=people,
            barriers=list(Barrier.objects.filter(slug__in=barriers)), resources=resources,
            who_came="Mother and grandmother", next_step="Follow-up call in two weeks",
            notes="Warm welcome; the family asked about bus passes."))
        services.visit_log(case=case, by=logger, data=services.VisitData(
            visited_on=first_visit + timedelta(days=14), kind="call", place="phone", wants_more="yes",
            attendees=people[:1], barriers=list(Barrier.objects.filter(slug__in=barriers[:1])), resources=[],
            next_step="Second visit at school", notes="Attendance better this week."))
        _attendance(case, first_visit, [absent // 3 + 3, absent // 3 + 2, absent // 3 + 3, 2, 1, 1, 0])
    for ref, first, initial, grade, school_name, language, enrolled, absent, reason, months in WAITING_CASES:
        if StudentCase.objects.filter(district=hartford, student_ref=ref).exists():
            continue
        case = services.case_create(district=hartford, by=coordinator, data=services.CaseData(
            student_ref=ref, first_name=first, last_initial=initial, grade=grade,
            school=School.objects.get(district=hartford, name=school_name), home_language=language,
            days_enrolled=enrolled, days_absent=absent, referral_reason=reason,
            referral_month=timezone.localdate().replace(day=1) - relativedelta(months=months)))
        created += 1
        services.case_family_choice(case=case, kind=CaseEvent.Kind.OFFERED, by=coordinator,
                                    at=now - timedelta(days=30 * months - 5))
        services.case_family_choice(case=case, kind=CaseEvent.Kind.ACCEPTED, by=coordinator,
                                    at=now - timedelta(days=30 * months - 8))
    return f"{StudentCase.objects.count()} student cases ({created} new), {Barrier.objects.count()} barriers"


# -- the impact evaluation (issue 16) --------------------------------------------------------------

IMPACT_DEMO_STUDENTS = 1500
IMPACT_DEMO_SEED = 2026


@demo_step(order=45)
def seed_impact_evaluation() -> str | None:
    """Students with a known answer in Hartford, New Haven and Bridgeport, so that the impact page
    (/coordinators/impact/) has figures to show over the last two years: the set effects of
    `coordinators.impact_data`, plus a 2-point drift everyone gets (which the comparison takes out)."""
    from coordinators.impact_data import PREFIX, impact_data_generate

    districts = list(District.objects.filter(name__in=["Hartford", "New Haven", "Bridgeport"]).order_by("name"))
    if len(districts) < 3:
        return None
    if StudentCase.objects.filter(student_ref__startswith=f"{PREFIX}-{IMPACT_DEMO_SEED}-").exists():
        return "impact evaluation students already there"
    made = impact_data_generate(students=IMPACT_DEMO_STUDENTS, seed=IMPACT_DEMO_SEED, districts=districts,
                                trend=2.0)
    return f"impact evaluation: {made.summary}"


@demo_step(order=46)
def seed_district_need() -> str | None:
    """Last school year's district figures for the demo districts (the example file state staff can
    download from /coordinators/need/upload/), imported through the service as the `state` login, so the
    need index (/coordinators/need/) shows a ranking. This school year is left for the upload."""
    from coordinators.selectors.need import current_school_year

    state = _user("state")
    if state is None:
        return None
    with services.NEED_EXAMPLE_FILE.open("rb") as handle:
        result = services.need_figures_import(file=handle, school_year=current_school_year() - 1, by=state)
    return f"district need figures: {result.summary}"


@demo_step(order=98)
def refresh_impact_figures() -> str:
    """Every case's stored impact figures recomputed once the demo is built (the steps above wrote
    attendance and visits in bulk, some of it around the services), so the impact page's "Figures as of"
    is the demo's own time rather than the first hourly run."""
    result = services.impact_summary_refresh()
    return f"impact figures: {result.rows} students refreshed in {result.seconds:.1f} s"
