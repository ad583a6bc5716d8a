"""Student cases, their assignment to certified visitors, visit logs and catalogues.

Certification is never stored here: the gate and the roster ask `courses.selectors` every time. A case
keeps the minimum the school shares (first name and last initial, grade, school, language, attendance)
and is always district-scoped; every read of it is written to the audit trail
(`hub.audit`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy, pgettext_lazy

from hub.idempotency import form_token_field, form_token_unique
from hub.models import District, Partner, Person, Region, School, TimeStampedModel


class DistrictSettings(TimeStampedModel):
    """Per-district choices of the program (hub's District is not ours to extend)."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="coordinator_settings")
    visits_in_pairs = models.BooleanField(default=True, help_text="Visitors go to families in pairs.")

    class Meta:
        verbose_name_plural = "district settings"

    def __str__(self) -> str:
        return f"{self.district} settings"


class DataSharingAgreement(TimeStampedModel):
    """Makes a community partner's staff school officials for a district (FERPA)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="data_sharing_agreements")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="data_sharing_agreements")
    signed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["district__name", "partner__name", "-signed_on"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "district", "signed_on"], name="dsa_unique_per_day"),
            models.CheckConstraint(condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("signed_on")),
                                   name="dsa_expires_after_signing"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} – {self.district} (signed {self.signed_on})"


class Barrier(models.Model):
    """A barrier to attendance a visit can record (seeded from the program's list)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Resource(TimeStampedModel):
    """A community resource a visitor can offer or refer a family to, per district."""

    class Kind(models.TextChoices):
        BEHAVIOURAL_HEALTH = "health", "Behavioural health care"
        SHELTER = "shelter", "Shelter and housing"
        FOOD = "food", "Food pantry"
        TECHNOLOGY = "tech", "Devices and broadband help"
        TRANSPORT = "transport", "Transportation"
        INTERPRETER = "interpreter", "Interpreter"
        IMMIGRATION = "immigration", "Immigration advocate"
        PROGRAMS = "programs", "Summer and after-school programs"
        INFO_LINE = "info", "Information line"
        OTHER = "other", "Other"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    contact = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["district__name", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="resource_unique_per_district")]

    def __str__(self) -> str:
        return self.name


GRADES = ["PK", "K"] + [str(n) for n in range(1, 13)]

# The evaluation's grade bands (the program's report: PK-5, 6-8, 9-12; and PK-5 against 6-12).
IMPACT_GRADE_BANDS = (("pk5", "PK–5", ("PK", "K", "1", "2", "3", "4", "5")),
                      ("g68", "6–8", ("6", "7", "8")),
                      ("g912", "9–12", ("9", "10", "11", "12")))


def impact_grade_band(grade: str) -> str:
    """The evaluation's band of a grade: "pk5", "g68" or "g912" ("" for a grade not given)."""
    for code, _label, grades in IMPACT_GRADE_BANDS:
        if grade in grades:
            return code
    return ""


class CaseStatus(models.TextChoices):
    REFERRED = "referred", gettext_lazy("Referred")
    OFFERED = "offered", gettext_lazy("Visit offered")
    ACCEPTED = "accepted", gettext_lazy("Family said yes")
    DECLINED = "declined", gettext_lazy("Family declined")
    ASSIGNED = "assigned", gettext_lazy("Visitors assigned")
    VISITED = "visited", gettext_lazy("Visited")
    CLOSED = "closed", gettext_lazy("Closed")


# Attendance Works bands, most absent first: (level, from this share of days absent, in percent).
ABSENCE_BANDS = (("severe", 20), ("chronic", 10), ("at_risk", 5), ("satisfactory", 0))
# Most urgent first: the bands, then a case with no attendance yet.
ABSENCE_PRIORITY = tuple(level for level, _ in ABSENCE_BANDS) + ("unknown",)


def absence_level(days_enrolled: int, days_absent: int) -> str:
    """Attendance Works bands: satisfactory <5%, at risk 5-9%, chronic 10-19%, severe >=20% absent."""
    if not days_enrolled:
        return "unknown"
    for level, share in ABSENCE_BANDS:
        if 100 * days_absent >= share * days_enrolled:
            return level
    return "satisfactory"


def absence_priority(prefix: str = "") -> models.Case:
    """`absence_level` in SQL, as its place in ABSENCE_PRIORITY (0: severe ... 4: no attendance yet), for
    ordering and filtering cases by band in the database. The same thresholds (ABSENCE_BANDS), in whole
    numbers: 100 x days absent >= share x days enrolled."""
    enrolled, absent = models.F(f"{prefix}days_enrolled"), models.F(f"{prefix}days_absent")
    whens = [models.When(**{f"{prefix}days_enrolled": 0}, then=models.Value(ABSENCE_PRIORITY.index("unknown")))]
    whens += [models.When(GreaterThanOrEqual(absent * 100, enrolled * share),
                          then=models.Value(ABSENCE_PRIORITY.index(level))) for level, share in ABSENCE_BANDS if share]
    return models.Case(*whens, default=models.Value(ABSENCE_PRIORITY.index("satisfactory")),
                       output_field=models.IntegerField())


ABSENCE_LABELS = {"satisfactory": "Satisfactory", "at_risk": "At risk", "chronic": "Chronically absent",
                  "severe": "Severely chronically absent", "unknown": "No attendance yet"}


class StudentCase(TimeStampedModel):
    """A student the school referred for home visits, and where the case stands."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="student_cases")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="student_cases")
    student_ref = models.CharField("student id", max_length=40, help_text="The district's own student id.")
    first_name = models.CharField(max_length=60)
    last_initial = models.CharField(max_length=1)
    grade = models.CharField(max_length=2, choices=[(g, g) for g in GRADES])
    home_language = models.CharField(max_length=40, blank=True)
    english_learner = models.BooleanField("English learner", default=False,
                                          help_text="The school counts the student as an English learner.")
    referral_month = models.DateField("month of referral", null=True, blank=True,
                                      help_text="The first day of the month the school referred the student.")
    days_enrolled = models.PositiveSmallIntegerField()
    days_absent = models.PositiveSmallIntegerField()
    referral_reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.REFERRED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    form_token = form_token_field()

    class Meta:
        ordering = ["district__name", "student_ref"]
        constraints = [
            models.UniqueConstraint(fields=["district", "student_ref"], name="case_unique_student_per_district"),
            form_token_unique("district", "created_by", name="case_once_per_form"),
            models.CheckConstraint(condition=Q(days_absent__lte=models.F("days_enrolled")),
                                   name="case_absent_within_enrolled"),
        ]
        indexes = [models.Index(fields=["district", "status", "id"], name="case_district_status")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_initial}. ({self.student_ref})"

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_initial}."

    @property
    def absence_rate(self) -> float | None:
        return round(100 * self.days_absent / self.days_enrolled, 1) if self.days_enrolled else None

    @property
    def absence_level(self) -> str:
        return absence_level(self.days_enrolled, self.days_absent)

    @property
    def absence_label(self) -> str:
        return ABSENCE_LABELS[self.absence_level]


class CaseEvent(TimeStampedModel):
    """The family's choice, as it happened: offered, accepted, declined."""

    class Kind(models.TextChoices):
        OFFERED = "offered", gettext_lazy("Visit offered")
        ACCEPTED = "accepted", gettext_lazy("Family said yes")
        DECLINED = "declined", gettext_lazy("Family declined")

    case = models.ForeignKey(StudentCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    form_token = form_token_field()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [form_token_unique("case", "by", name="case_event_once_per_form")]


class Assignment(TimeStampedModel):
    """Visitors paired with a case. Reassigning ends the old row; nothing is deleted."""

    case = models.ForeignKey(StudentCase, on_delete=models.CASCADE, related_name="assignments")
    visitors = models.ManyToManyField(Person, through="AssignmentMember", related_name="case_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    # A visitor on it left the district or was deactivated (hub.membership): the case needs a new visitor.
    # Reassigning ends this row, and the flag with it.
    needs_new_visitor_at = models.DateTimeField(null=True, blank=True)
    needs_new_visitor_reason = models.CharField(max_length=200, blank=True)
    form_token = form_token_field()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(ended_at__isnull=True),
                                    name="one_open_assignment_per_case"),
            form_token_unique("case", "assigned_by", name="assignment_once_per_form"),
        ]

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class AssignmentMember(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignment_memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "person"], name="assignment_member_once")]

    def __str__(self) -> str:
        return f"{self.person} on assignment {self.assignment_id}"


class Visit(TimeStampedModel):
    class Kind(models.TextChoices):
        HOME_VISIT = "visit", gettext_lazy("Home visit")
        FOLLOW_UP_CALL = "call", gettext_lazy("Follow-up call")
        ATTEMPTED = "attempted", gettext_lazy("Attempted visit — family not home")
        OTHER = "other", gettext_lazy("Other contact")

    class Place(models.TextChoices):
        HOME = "home", pgettext_lazy("visit place", "Home")
        SCHOOL = "school", gettext_lazy("School")
        COMMUNITY = "community", gettext_lazy("Community place")
        VIRTUAL = "virtual", gettext_lazy("Virtual")
        PHONE = "phone", gettext_lazy("Phone")

    IN_PERSON = (Place.HOME, Place.SCHOOL, Place.COMMUNITY)

    class WantsMore(models.TextChoices):
        YES = "yes", gettext_lazy("Yes")
        NO = "no", gettext_lazy("No")
        UNSURE = "unsure", gettext_lazy("Not sure yet")

    case = models.ForeignKey(StudentCase, on_delete=models.CASCADE, related_name="visits")
    number = models.PositiveSmallIntegerField()
    visited_on = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    place = models.CharField(max_length=10, choices=Place.choices)
    attendees = models.ManyToManyField(Person, related_name="visits_made", blank=True)
    who_came = models.CharField("family members present", max_length=200, blank=True)
    barriers = models.ManyToManyField(Barrier, related_name="visits", blank=True)
    wants_more = models.CharField("family wants more visits", max_length=6, choices=WantsMore.choices)
    next_step = models.CharField(max_length=300, blank=True)
    notes = models.TextField("private notes", blank=True, max_length=5000)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    form_token = form_token_field()

    class Meta:
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="visit_number_once_per_case"),
                       form_token_unique("case", "logged_by", name="visit_once_per_form")]

    def __str__(self) -> str:
        return f"Visit #{self.number}"

    @property
    def in_person(self) -> bool:
        return self.place in self.IN_PERSON


class VisitRevision(models.Model):
    """The visit as it was before an edit (who changed it, when)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="revisions")
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField()
    before = models.JSONField()

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"Revision of visit {self.visit_id} at {self.edited_at:%Y-%m-%d %H:%M}"


class Referral(TimeStampedModel):
    class Outcome(models.TextChoices):
        PENDING = "pending", gettext_lazy("Not followed up yet")
        CONNECTED = "connected", gettext_lazy("Connected")
        NOT_CONNECTED = "not_connected", gettext_lazy("Not connected")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="referrals")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="referrals")
    outcome = models.CharField(max_length=14, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "resource"], name="referral_once_per_visit")]


class AttendanceMonth(TimeStampedModel):
    """A month of a case's attendance from the school (the first day of the month names it)."""

    case = models.ForeignKey(StudentCase, on_delete=models.CASCADE, related_name="attendance")
    month = models.DateField()
    days_enrolled = models.PositiveSmallIntegerField()
    days_absent = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["case", "month"]
        constraints = [
            models.UniqueConstraint(fields=["case", "month"], name="attendance_month_once"),
            models.CheckConstraint(condition=Q(days_absent__lte=models.F("days_enrolled")),
                                   name="attendance_absent_within_enrolled"),
        ]

    @property
    def rate(self) -> float | None:
        """Attendance rate in percent (days present / days enrolled)."""
        if not self.days_enrolled:
            return None
        return round(100 * (self.days_enrolled - self.days_absent) / self.days_enrolled, 1)


# -- the live case board (issue 7) ----------------------------------------------------------------

class BoardOpening(models.Model):
    """A case a coordinator put on the district's case board for volunteers, with what they chose to share.

    The board never shows the student's name or student id: only the grade band and the school if the
    coordinator chose so, and the coordinator's own note. Closing (or assigning) ends the row; nothing is
    deleted, and a case can be opened again later (a new row).
    """

    case = models.ForeignKey(StudentCase, on_delete=models.CASCADE, related_name="board_openings")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="board_openings")
    note = models.CharField("note for volunteers", max_length=300, blank=True)
    share_grade = models.BooleanField("show the grade band", default=True)
    share_school = models.BooleanField("show the school", default=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, blank=True)  # "closed" or "assigned"

    class Meta:
        ordering = ["opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(closed_at__isnull=True),
                                    name="board_one_open_per_case"),
        ]
        indexes = [models.Index(fields=["district", "closed_at"], name="board_district_open")]

    def __str__(self) -> str:
        return f"Case {self.case_id} on the board of district {self.district_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Volunteer(models.Model):
    """A certified visitor offering to take a case on the board, optionally naming their pair."""

    case = models.ForeignKey(StudentCase, on_delete=models.CASCADE, related_name="volunteers")
    visitor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="volunteerings")
    partner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text="The second visitor they would go with (optional).")
    created_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "visitor"], condition=Q(withdrawn_at__isnull=True),
                                    name="volunteer_once_active_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor} volunteers for case {self.case_id}"


# -- prioritisation: the district need index (issue 16) ----------------------------------------------

def _percent_between_0_and_100(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}) & Q(**{f"{name}__lte": 100}),
                                  name=f"need_{name}_0_to_100")


class DistrictNeedFigures(TimeStampedModel):
    """A district's figures for one school year, from the state's district data file (state staff upload
    it: `coordinators.services.need_figures_import`). The need index (`coordinators.selectors.need`) ranks
    districts by them. Rates and shares are percentages (0 to 100), written with two decimals at most."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="need_figures")
    school_year = models.PositiveSmallIntegerField(help_text="The year the school year starts (2025 = 2025–26).")
    enrollment = models.PositiveIntegerField(help_text="Students enrolled.")
    attendance_rate = models.DecimalField(max_digits=5, decimal_places=2, help_text="Attendance rate, %.")
    frl_share = models.DecimalField(max_digits=5, decimal_places=2,
                                    help_text="Share eligible for free or reduced-price lunch, %.")
    english_learner_share = models.DecimalField(max_digits=5, decimal_places=2,
                                                help_text="Share of English learners, %.")
    remote_share = models.DecimalField(max_digits=5, decimal_places=2,
                                       help_text="Share of time in remote learning, %.")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-school_year", "district__name"]
        verbose_name_plural = "district need figures"
        constraints = [
            models.UniqueConstraint(fields=["district", "school_year"], name="need_figures_once_per_year"),
            models.CheckConstraint(condition=Q(enrollment__gte=0), name="need_enrollment_not_negative"),
            models.CheckConstraint(condition=Q(school_year__gte=2000) & Q(school_year__lte=2100),
                                   name="need_school_year_2000_to_2100"),
            *(_percent_between_0_and_100(name) for name in
              ("attendance_rate", "frl_share", "english_learner_share", "remote_share")),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.school_year}–{(self.school_year + 1) % 100:02d}"


# -- fidelity: the targets the state sets (issue 16) -----------------------------------------------

class FidelityTargets(TimeStampedModel):
    """The state's fidelity targets, one row for every district (state staff edit it on the fidelity page
    through `coordinators.services.fidelity_targets_set`; until then the defaults below hold).

    Defaults (our design choice, in line with the program's model: contact within a week of the
    referral, a first visit within two weeks, visits in pairs and in person, several visits each,
    follow-up kept up between them, referrals followed to a connection, every visitor certified):
    average days to first contact <= 7 and to the first visit <= 14; >= 60% of cases visited twice or
    more; >= 80% of visits in pairs; >= 70% in person; >= 80% of contacts within 30 days of the one
    before; >= 90% of families offered a visit and >= 60% of those accepting; >= 50% of referrals
    connected; >= 90% of visitors holding a current certificate."""

    first_contact_days = models.PositiveSmallIntegerField(
        "days from referral to first contact (average, at most)", default=7)
    first_visit_days = models.PositiveSmallIntegerField(
        "days from referral to the first visit (average, at most)", default=14)
    two_visits_share = models.PositiveSmallIntegerField("cases with two or more visits (%, at least)", default=60)
    pairs_share = models.PositiveSmallIntegerField("visits made in pairs (%, at least)", default=80)
    in_person_share = models.PositiveSmallIntegerField("visits in person (%, at least)", default=70)
    follow_up_days = models.PositiveSmallIntegerField(
        "follow-up: days between one contact and the next (at most)", default=30)
    follow_up_share = models.PositiveSmallIntegerField(
        "contacts followed up within those days (%, at least)", default=80)
    offered_share = models.PositiveSmallIntegerField("families offered a visit (%, at least)", default=90)
    accepted_share = models.PositiveSmallIntegerField("families offered who accept (%, at least)", default=60)
    connected_share = models.PositiveSmallIntegerField("referrals connected to the service (%, at least)",
                                                       default=50)
    certified_share = models.PositiveSmallIntegerField("visitors with a current certificate (%, at least)",
                                                       default=90)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name_plural = "fidelity targets"
        constraints = [
            models.CheckConstraint(condition=Q(two_visits_share__lte=100) & Q(pairs_share__lte=100)
                                   & Q(in_person_share__lte=100) & Q(follow_up_share__lte=100)
                                   & Q(offered_share__lte=100) & Q(accepted_share__lte=100)
                                   & Q(connected_share__lte=100) & Q(certified_share__lte=100),
                                   name="fidelity_shares_within_100"),
        ]

    def __str__(self) -> str:
        return "Fidelity targets"


# -- the impact table's stored figures (issue 16) -------------------------------------------------

class ImpactStudent(models.Model):
    """One student's figures for the impact table, as `coordinators.services.impact_summary_refresh`
    computed them from the case, its visits and its attendance months (`coordinators.selectors.impact`'s
    live rules, in SQL).

    Why stored: the state-wide table over 100,000 students computed live takes seconds (each rate a
    correlated subquery over the attendance months); read from these rows it is one grouped query over one
    table. Every service that changes what a row depends on refreshes that case's row when its
    transaction commits, and an hourly job (`impact_refresh`) recomputes them all, catching any change
    made around the services. A case that is neither served (no first visit) nor in the comparison group
    has no row.

    The rates are attendance rates in percent (NULL: no attendance that month): `base` over the (up to)
    three months before the month of the first visit (or referral), `m0` … `m12` each month from three
    before it (m0) to nine after it (m12, so m3 is the month itself); `c1` … `c9` are the changes the
    table shows (the rate 1, 3, 6 and 9 months after, minus the baseline). The breakdown keys are never
    NULL ("" when not known), so that a grouped read can tell a group from a grouping set's total."""

    case = models.OneToOneField(StudentCase, on_delete=models.CASCADE, primary_key=True,
                                related_name="impact_figures")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+", db_index=False)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_index=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+", db_index=False)
    served = models.BooleanField(help_text="Visited (True) or in the comparison group: declined or still waiting.")
    zero_month = models.DateField(help_text="The month of the first visit (served) or of referral (comparison).")
    cohort = models.PositiveIntegerField(help_text="School-year cohort: year·10, or year·10 + 1 for the summer.")
    band = models.CharField("grade band", max_length=4, blank=True)
    english_learner = models.BooleanField(default=False)
    place = models.CharField("first visit's place", max_length=10, blank=True)
    who = models.CharField("who went", max_length=8, blank=True, help_text="school or partner (served only).")
    pair = models.CharField("pair or single", max_length=6, blank=True)
    prior = models.CharField("prior attendance band", max_length=12, blank=True)
    base = models.FloatField(null=True)
    m0 = models.FloatField(null=True)
    m1 = models.FloatField(null=True)
    m2 = models.FloatField(null=True)
    m3 = models.FloatField(null=True)
    m4 = models.FloatField(null=True)
    m5 = models.FloatField(null=True)
    m6 = models.FloatField(null=True)
    m7 = models.FloatField(null=True)
    m8 = models.FloatField(null=True)
    m9 = models.FloatField(null=True)
    m10 = models.FloatField(null=True)
    m11 = models.FloatField(null=True)
    m12 = models.FloatField(null=True)
    c1 = models.FloatField(null=True)
    c3 = models.FloatField(null=True)
    c6 = models.FloatField(null=True)
    c9 = models.FloatField(null=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["case"]
        indexes = [models.Index(fields=["district", "zero_month"], name="impact_district_month"),
                   models.Index(fields=["zero_month"], name="impact_month")]

    def __str__(self) -> str:
        return f"Impact figures of case {self.case_id}"


class ImpactRefresh(models.Model):
    """When the stored impact figures were last recomputed: one row for the full refresh (every case:
    the hourly job, the command) and one for the partial ones (the cases a service just changed)."""

    class Kind(models.TextChoices):
        FULL = "full", "Every case"
        PARTIAL = "partial", "Changed cases"

    kind = models.CharField(max_length=8, choices=Kind.choices, unique=True)
    at = models.DateTimeField()
    rows = models.PositiveIntegerField(default=0, help_text="Rows written.")
    seconds = models.FloatField(default=0.0)

    class Meta:
        verbose_name_plural = "impact refreshes"

    def __str__(self) -> str:
        return f"Impact figures refreshed ({self.kind}) at {self.at:%Y-%m-%d %H:%M}"
