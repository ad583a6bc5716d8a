"""Courses as Wagtail pages, the role-play scenario library, and each person's progress.

Page tree: CourseIndexPage → CoursePage (e.g. LEAP-101) → ModulePage (ordered as in the tree).
Progress, attempts, reflections, practice credits and certificates are plain models written only by
`courses.services`; certification is read only through `courses.selectors`.
"""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from courses.blocks import ModuleBodyBlock
from hub.idempotency import form_token_field, form_token_unique
from hub.models import District, Person, Region, TimeStampedModel

# The course pages are served by `courses.views`, which read through `courses.selectors`; both import
# this module. So that no module of the app imports one that imports it back, the views are handed to
# the page models once, from `CoursesConfig.ready()`, instead of being imported here.
_page_views: dict[str, Callable] = {}


def page_views_register(*, index_rows: Callable, course: Callable, module: Callable) -> None:
    """Give the pages their views: `index_rows(request)` lists the course index's rows, `course(request,
    page)` and `module(request, page)` serve a course and a module page."""
    _page_views.update(index_rows=index_rows, course=course, module=module)


class Scenario(index.Indexed, TimeStampedModel):
    """A role play for LEAP 101 and its live practice sessions (a Wagtail snippet)."""

    class Stage(models.TextChoices):
        FIRST_VISIT = "first_visit", "First visit"
        FOLLOW_UP_CALL = "follow_up_call", "Follow-up call"
        SECOND_VISIT = "second_visit", "Second visit"
        LATER_VISIT = "later_visit", "Later visits (#3, #4, #5…)"

    STAGE_GOALS = {
        Stage.FIRST_VISIT: "Begin a positive relationship; learn about the family and the student; offer resources if needed.",
        Stage.FOLLOW_UP_CALL: "Keep up what visit #1 began: the relationship, learning about the family, resources.",
        Stage.SECOND_VISIT: "Build the relationship; connect the student to teacher and school; helpful attendance and school resources.",
        Stage.LATER_VISIT: "Deepen the relationship; check on the student's well-being, especially if still chronically absent; ask whether the family wants to continue.",
    }

    slug = models.SlugField(unique=True, max_length=120)
    title = models.CharField(max_length=200)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    setting = models.TextField()
    family_situation = models.TextField()
    role_visitor_a = models.TextField("first visitor's brief")
    role_visitor_b = models.TextField("second visitor's brief")
    role_parent = models.TextField("parent or guardian's brief")
    role_student = models.TextField("student's brief")
    opening = models.TextField("how to open")
    coach_prompts = models.TextField(help_text="One prompt per line.")
    debrief_questions = models.TextField(help_text="One question per line.")
    culture_language_notes = models.TextField("culture and language notes", blank=True)
    rubric = models.TextField(blank=True, help_text="What a coach looks for when observing this role play: one "
                                                    "criterion per line (each is marked met or not yet).")

    panels = [
        FieldPanel("title"), FieldPanel("slug"), FieldPanel("stage"), FieldPanel("setting"),
        FieldPanel("family_situation"),
        MultiFieldPanel([FieldPanel("role_visitor_a"), FieldPanel("role_visitor_b"), FieldPanel("role_parent"),
                         FieldPanel("role_student")], heading="Roles"),
        FieldPanel("opening"), FieldPanel("coach_prompts"), FieldPanel("debrief_questions"),
        FieldPanel("culture_language_notes"), FieldPanel("rubric"),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("family_situation"),
                     index.FilterField("stage")]

    class Meta:
        ordering = ["stage", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_stage_display()})"

    @property
    def stage_goals(self) -> str:
        return self.STAGE_GOALS[self.stage]

    @property
    def coach_prompt_list(self) -> list[str]:
        return [line.strip() for line in self.coach_prompts.splitlines() if line.strip()]

    @property
    def debrief_question_list(self) -> list[str]:
        return [line.strip() for line in self.debrief_questions.splitlines() if line.strip()]

    @property
    def rubric_list(self) -> list[str]:
        """The rubric's criteria, in order (a coach's marks are kept by this position)."""
        return [line.strip() for line in self.rubric.splitlines() if line.strip()]


# "Who it is for": a course or module may be limited to one district, or to one region's districts.
# PROTECT, not SET_NULL: a district's own module whose district went away must not quietly become a
# module for everyone (it would join LEAP 101's rule for every visitor in the state); the district
# cannot be deleted while pages name it, and the trainer moves or unpublishes them first.
LIMIT_HELP = {
    "district": "Leave empty for everyone. Choose a district to show this only to its school staff, to people "
                "whose home district it is, and to staff of community partners serving it. A required module "
                "limited to a district is that district's own requirement: its visitors need it before they "
                "take cases there, and it does not change the certificate everyone else earns.",
    "region": "Or, instead of a district, a region: everyone in any district of the region (and the region's "
              "staff). Choose a district or a region, not both.",
}


def limit_fields(related_name: str) -> tuple[models.ForeignKey, models.ForeignKey]:
    return (models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name=related_name,
                              verbose_name="only for the district", help_text=LIMIT_HELP["district"]),
            models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name=related_name,
                              verbose_name="only for the region", help_text=LIMIT_HELP["region"]))


def limit_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(district__isnull=True) | Q(region__isnull=True), name=name)


class LimitedPage:
    """The "Who it is for" limit of a course or module page (`district` and `region`, at most one set).
    Who a limited page is open to is `courses.selectors.training_audience`'s to say."""

    who_panel = MultiFieldPanel([FieldPanel("district"), FieldPanel("region")], heading="Who it is for")

    @property
    def for_everyone(self) -> bool:
        """No limit: the page is everyone's (the SQL form is `courses.selectors.FOR_EVERYONE`)."""
        return self.district_id is None and self.region_id is None

    def clean(self):
        super().clean()
        if self.district_id is not None and self.region_id is not None:
            raise ValidationError({"region": "Choose a district or a region, not both: a district is already "
                                             "chosen. Clear one of them."})


class CourseIndexPage(Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    template = "courses/course_index_page.html"

    def route(self, request, path_components):
        """Courses and modules have no sub-routes: find the target by its url_path in one query
        instead of Wagtail's two per level (the module page is on every visitor's hot path)."""
        if 1 <= len(path_components) <= 2:
            model = CoursePage if len(path_components) == 1 else ModulePage
            page = model.objects.filter(url_path=f"{self.url_path}{'/'.join(path_components)}/").first()
            if page is None or not page.live:
                raise Http404
            return RouteResult(page)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["rows"] = _page_views["index_rows"](request)
        return context


class CoursePage(LimitedPage, Page):
    code = models.CharField(max_length=30, unique=True, help_text="e.g. LEAP-101")
    summary = models.TextField()
    audience = models.CharField(max_length=300)
    estimated_minutes = models.PositiveIntegerField(default=60)
    sequential = models.BooleanField(default=True, help_text="Modules unlock one after another.")
    # The certification rule.
    requires_live_practice = models.BooleanField(
        default=False, help_text="A certificate also needs attendance at a live practice session."
    )
    requires_coach_observation = models.BooleanField(
        default=False, help_text="A certificate also needs a coach's \u201cready\u201d after observing one of the "
                                 "course's role plays at a live practice.")
    certificate_valid_months = models.PositiveSmallIntegerField(default=24)
    renewal_sessions_required = models.PositiveSmallIntegerField(
        default=0, help_text="How many sessions marked \u201crequired for renewal\u201d a renewal needs, held since the "
                             "certificate was issued: attended live, or made up by watching the recording and "
                             "answering its question. 0: none.")
    district, region = limit_fields("courses")

    content_panels = Page.content_panels + [
        FieldPanel("code"), FieldPanel("summary"), FieldPanel("audience"), FieldPanel("estimated_minutes"),
        MultiFieldPanel([FieldPanel("sequential"), FieldPanel("requires_live_practice"),
                         FieldPanel("requires_coach_observation"),
                         FieldPanel("certificate_valid_months"), FieldPanel("renewal_sessions_required")],
                        heading="Progress and certification rule"),
        LimitedPage.who_panel,
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    template = "courses/course_page.html"

    class Meta:
        constraints = [limit_constraint("course_district_or_region")]

    def serve(self, request, *args, **kwargs):
        return _page_views["course"](request, self)


class ModulePage(LimitedPage, Page):
    estimated_minutes = models.PositiveIntegerField(default=20)
    required = models.BooleanField(default=True, help_text="Needed for the certificate (for a module limited to "
                                                           "a district or region: needed to take cases there).")
    in_refresher = models.BooleanField(default=False, help_text="Part of the refresher path for renewals.")
    body = StreamField(ModuleBodyBlock(), use_json_field=True)
    district, region = limit_fields("modules")

    content_panels = Page.content_panels + [
        FieldPanel("estimated_minutes"), FieldPanel("required"), FieldPanel("in_refresher"), FieldPanel("body"),
        LimitedPage.who_panel,
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/module_page.html"

    class Meta:
        constraints = [limit_constraint("module_district_or_region")]

    def serve(self, request, *args, **kwargs):
        return _page_views["module"](request, self)

    def knowledge_checks(self) -> list:
        return [block for block in self.body if block.block_type == "knowledge_check"]


class Enrollment(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrollments")
    last_module = models.ForeignKey(ModulePage, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text="Where to resume.")
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "course"], name="enrollment_once_per_course")]


class ModuleCompletion(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="module_completions")
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="completions")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="module_completions")
    completed_at = models.DateTimeField(help_text="When the module was first completed; never rewritten (a "
                                                  "renewal records its own completions).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "module"], name="module_completed_once")]
        indexes = [models.Index(fields=["course", "person"])]


class KnowledgeCheckAttempt(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="check_attempts")
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="check_attempts")
    check_id = models.CharField(max_length=64, help_text="The StreamField block id of the knowledge check.")
    answers = models.JSONField(help_text="{question number: [choice numbers]}")
    score = models.PositiveSmallIntegerField(help_text="Percent correct.")
    passed = models.BooleanField()
    form_token = form_token_field()

    class Meta:
        indexes = [models.Index(fields=["person", "module", "check_id"])]
        constraints = [form_token_unique("person", "module", "check_id", name="check_attempt_once_per_form")]


class Reflection(TimeStampedModel):
    """A visitor's answer to a reflection prompt: private to them."""

    MAX_LENGTH = 5000

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reflections")
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="reflections")
    block_id = models.CharField(max_length=64)
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "module", "block_id"], name="reflection_once")]


class PracticeCredit(TimeStampedModel):
    """Attendance at a live practice session, reported by the sessions app through a service."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="practice_credits")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="practice_credits")
    source = models.CharField(max_length=60, help_text="Who reported it, e.g. training_sessions.attendance")
    source_ref = models.CharField(max_length=100, help_text="The reporter's own id for the attendance.")
    attended_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_ref"], name="practice_credit_once")]
        indexes = [models.Index(fields=["course", "person"])]


class SessionCredit(TimeStampedModel):
    """A session required for renewal, attended live or made up by its recording, as the app that runs the
    sessions reported it through `courses.services.session_credit_record`. One per person, course and
    session: making up a session attended live (or the reverse) adds nothing."""

    class Via(models.TextChoices):
        LIVE = "live", "Attended live"
        RECORDING = "recording", "Watched the recording"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="session_credits")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="session_credits")
    session_ref = models.CharField(max_length=100, help_text="The reporter's own id for the session.")
    title = models.CharField(max_length=255)
    held_on = models.DateField()
    via = models.CharField(max_length=20, choices=Via.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "course", "session_ref"], name="session_credit_once")]
        indexes = [models.Index(fields=["course", "person", "held_on"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.title} ({self.get_via_display()})"


class Observation(TimeStampedModel):
    """A coach's record of one role play a participant played at a live practice: the scenario, a mark per
    rubric criterion, a short note and the outcome. Written only by `courses.services.observation_record`;
    the practice is named by the app that runs it (source, source_ref), as a PracticeCredit's is."""

    NOTE_MAX_LENGTH = 1000

    class Outcome(models.TextChoices):
        READY = "ready", "Ready"
        PRACTISE_AGAIN = "practise_again", "Practise again"

    coach = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="observations_made")
    participant = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="observations")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="observations")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="observations")
    source = models.CharField(max_length=60, help_text="Who runs the practice, e.g. training_sessions.occurrence")
    source_ref = models.CharField(max_length=100, help_text="The practice's id there.")
    practised_on = models.DateField()
    marks = models.JSONField(default=list, help_text='[{"criterion": text, "met": bool}] in rubric order, as the '
                                                      "rubric read when the coach recorded it.")
    note = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    form_token = form_token_field()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["course", "participant", "-created_at"]),
                   models.Index(fields=["course", "scenario"])]
        constraints = [
            form_token_unique("coach", name="observation_once_per_form"),
            models.CheckConstraint(condition=Q(outcome__in=["ready", "practise_again"]), name="observation_outcome"),
            models.CheckConstraint(condition=~Q(coach=models.F("participant")), name="observation_not_of_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario.title}: {self.participant} {self.outcome} ({self.practised_on})"

    @property
    def ready(self) -> bool:
        return self.outcome == self.Outcome.READY


def certificate_code() -> str:
    return secrets.token_urlsafe(16)


class Certificate(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(max_length=40, unique=True, default=certificate_code, editable=False)
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoke_reason = models.TextField(blank=True)
    reinstated_at = models.DateTimeField(null=True, blank=True,
                                         help_text="A trainer lifted the revocation (a later revocation counts again).")
    reinstated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    reinstate_reason = models.TextField(blank=True)
    renewal = models.OneToOneField("Renewal", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="certificate", help_text="The renewal that issued it, if any.")
    # Its place in the Hub's revocation status lists (Open Badges, `courses.badge_services`): drawn once,
    # when its first digital badge is issued, and never reused.
    status_index = models.PositiveIntegerField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["course", "person", "-issued_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("issued_at")),
                                   name="certificate_valid_after_issue"),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                                   name="certificate_revocation_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} certificate of {self.person}"

    @property
    def is_revoked(self) -> bool:
        """Revoked, and not reinstated since (`courses.selectors.certification_state_of` asks this)."""
        return self.revoked_at is not None and (self.reinstated_at is None or self.reinstated_at < self.revoked_at)


class Renewal(TimeStampedModel):
    """A second round of a course's refresher modules, after which a new certificate is issued.

    A visitor opens their own when their certificate has expired or expires soon; after a revocation only
    a trainer opens one (`courses.services.renewal_open`). Modules completed in the renewal count only
    with their knowledge checks passed again after it opened: a completion recorded before cannot be
    replayed into a new certificate.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="renewals")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="renewals")
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", help_text="The trainer who opened it (empty: the person, after expiry).")
    reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When it issued its certificate.")

    class Meta:
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["person", "course"], condition=Q(closed_at__isnull=True),
                                               name="renewal_one_open_per_course")]

    def __str__(self) -> str:
        return f"{self.course.code} renewal of {self.person} ({self.opened_at:%Y-%m-%d})"


class RenewalCompletion(TimeStampedModel):
    renewal = models.ForeignKey(Renewal, on_delete=models.CASCADE, related_name="completions")
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="renewal_completions")
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["renewal", "module"], name="renewal_module_once")]


class CertificateReminder(TimeStampedModel):
    """A reminder sent ahead of expiry: at most one per certificate, audience and lead time."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    audience = models.CharField(max_length=20, default="visitor")  # visitor | coordinator
    sent_to = models.CharField(max_length=254)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["certificate", "days_before", "audience", "sent_to"],
                                               name="certificate_reminder_once")]


class BadgeSigningKey(TimeStampedModel):
    """A key the Hub signs its Open Badges credentials and status lists with (`courses.badge_services`).

    One key is active (it signs); a rotated key is retired: it signs nothing more but stays published in
    /.well-known/jwks.json, so credentials it signed keep verifying. A withdrawn key (compromised) is no
    longer published, and what it signed stops verifying. The private half is stored sealed (a JWE, A256KW
    + A256GCM) under a key derived from settings.BADGE_KEY_SECRET: the database alone does not give it away.
    """

    kid = models.CharField(max_length=64, unique=True)
    public_jwk = models.JSONField()
    private_jwk_sealed = models.TextField()
    active = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="badge_key_one_active"),
            models.CheckConstraint(condition=Q(active=False) | Q(retired_at__isnull=True, withdrawn_at__isnull=True),
                                   name="badge_key_active_not_retired"),
        ]

    def __str__(self) -> str:
        return self.kid
