"""Live sessions on django-scheduler, registrations with a waitlist, attendance, feeds, recordings.

- A ``Series`` is our settings (kind, audience, capacity, join link, the recurrence as a trainer
  typed it) around one ``schedule.Event``, whose ``schedule.Rule`` and ``end_recurring_period`` make
  django-scheduler's occurrence engine expand the dates (always in America/New_York).
- Occurrences stay virtual until something needs a row (a registration, a cancellation, a move). Then
  ``SessionOccurrence`` pairs our row with a persisted ``schedule.Occurrence``. Its unique constraint on
  (series, original_start) is the guard django-scheduler lacks against duplicate occurrences, and it
  is the parent row locked for the capacity rule (``hub.capacity``).
- Everything here is written by ``sessions.services`` only.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from filer.fields.file import FilerFileField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from schedule.models import Event, Occurrence
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from hub.capacity import Seat, SeatStatus
from hub.idempotency import form_token_field, form_token_unique
from hub.models import District, Person, TimeStampedModel
from hub.text import normalise_name


class Kind(models.TextChoices):
    LEAP101_PRACTICE = "leap101", "LEAP 101 live practice"
    CONNECTION = "connection", "Connection Session"
    TALK_TUESDAY = "talk_tuesday", "Talk Tuesday"
    COORDINATOR_MEETING = "coordinators", "District Coordinator Meeting"
    WELLNESS = "wellness", "Social-emotional health and wellness"
    MHFA = "mhfa", "Mental Health First Aid training"
    DISTRICT_TRAINING = "district", "District training"


class Audience(models.TextChoices):
    ALL = "all", "All members"
    CERTIFIED = "certified", "Certified visitors only"
    COORDINATORS = "coordinators", "Coordinators only"
    DISTRICT = "district", "One district"


class Repeat(models.TextChoices):
    ONCE = "once", "Does not repeat"
    WEEKLY = "weekly", "Every week"
    BIWEEKLY = "biweekly", "Every other week"
    MONTHLY_NTH = "monthly_nth", "Monthly on the nth weekday"
    DAILY = "daily", "Every day (multi-day training)"


WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"),
            (5, "Saturday"), (6, "Sunday")]
NTH = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last")]


class Series(TimeStampedModel):
    """A session series (or a single session): our settings around one django-scheduler Event."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="training_series")
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    facilitators = models.ManyToManyField(Person, blank=True, related_name="facilitated_series")
    scenarios = models.ManyToManyField("courses.Scenario", blank=True, related_name="+",
                                       help_text="Role plays used at a LEAP 101 live practice.")
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.ALL)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="training_series")
    capacity = models.PositiveIntegerField(help_text="Seats per session.")
    join_link = models.URLField(blank=True, help_text="Shown only to people with a confirmed seat.")
    repeat = models.CharField(max_length=20, choices=Repeat.choices, default=Repeat.ONCE)
    weekday = models.PositiveSmallIntegerField(null=True, blank=True, choices=WEEKDAYS)
    nth = models.SmallIntegerField(null=True, blank=True, choices=NTH)
    first_date = models.DateField()
    last_date = models.DateField(null=True, blank=True)
    start_time = models.TimeField()
    duration_minutes = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    form_token = form_token_field()

    class Meta:
        ordering = ["kind", "slug"]
        verbose_name_plural = "series"
        constraints = [
            form_token_unique("created_by", name="series_once_per_form"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="series_capacity_positive"),
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="series_duration_positive"),
            models.CheckConstraint(condition=~Q(audience="district") | Q(district__isnull=False),
                                   name="series_district_audience_has_district"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.event.title

    @property
    def description(self) -> str:
        return self.event.description

    @property
    def repeat_label(self) -> str:
        day = dict(WEEKDAYS).get(self.weekday, "")
        if self.repeat == Repeat.WEEKLY:
            return f"Every {day}"
        if self.repeat == Repeat.BIWEEKLY:
            return f"Every other {day}"
        if self.repeat == Repeat.MONTHLY_NTH:
            return f"{dict(NTH).get(self.nth, '')} {day} of the month"
        if self.repeat == Repeat.DAILY:
            return "Every day"
        return "Once"

    @property
    def audience_label(self) -> str:
        if self.audience == Audience.DISTRICT and self.district_id:
            return f"{self.district} only"
        return self.get_audience_display()


class SessionOccurrence(TimeStampedModel):
    """One persisted date of a series: the parent row of its registrations."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="occurrences")
    occurrence = models.OneToOneField(Occurrence, on_delete=models.CASCADE, related_name="training")
    original_start = models.DateTimeField(help_text="When the rule placed it (moves keep this).")
    required_for_renewal = models.BooleanField(
        default=False, help_text="Counts toward a LEAP 101 renewal: attended live, or made up by watching its "
                                 "recording and answering its question.")

    class Meta:
        ordering = ["original_start"]
        constraints = [models.UniqueConstraint(fields=["series", "original_start"],
                                               name="session_occurrence_once")]

    def __str__(self) -> str:
        return f"{self.series.title} on {self.original_start:%Y-%m-%d %H:%M}"

    @property
    def start(self):
        return self.occurrence.start

    @property
    def end(self):
        return self.occurrence.end

    @property
    def cancelled(self) -> bool:
        return self.occurrence.cancelled


class Registration(Seat):
    """A member's seat (or waitlist place) at one occurrence."""

    occurrence = models.ForeignKey(SessionOccurrence, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="session_registrations")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["occurrence", "person"], name="registration_once")]
        indexes = [models.Index(fields=["occurrence", "status", "created_at"]),
                   models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} at {self.occurrence} ({self.status})"

    @property
    def confirmed(self) -> bool:
        return self.status == SeatStatus.CONFIRMED


class Attendance(TimeStampedModel):
    """Whether a registrant attended, as the trainer marked it."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    def __str__(self) -> str:
        return f"{self.registration.person}: {'attended' if self.present else 'absent'}"


def feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(TimeStampedModel):
    """The secret address of a person's iCal feed. Regenerating it makes the old address a 404."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="session_feed")
    token = models.CharField(max_length=64, unique=True, default=feed_token)


class ReminderSent(models.Model):
    """At most one day-before reminder per registration and start time (the marker of the command)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="reminders")
    for_start = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "for_start"], name="reminder_once")]

    def __str__(self) -> str:
        return f"Reminder to {self.registration.person} for {self.for_start:%Y-%m-%d %H:%M}"


# -- the recordings archive (Wagtail pages) ---------------------------------------------------------

class RecordingIndexPage(Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["training_sessions.RecordingPage"]
    max_count = 1
    template = "sessions/recording_index_page.html"
    # `sessions.selectors.recordings_page`, given by SessionsConfig.ready(): the selectors read these
    # models, so the models do not import the selectors (no circle between the two modules).
    recordings_page = None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.recordings_page(index_page=self, params=request.GET))  # q, topic: a 400 if unusable
        return context


class RecordingPageTag(TaggedItemBase):
    content_object = ParentalKey("training_sessions.RecordingPage", on_delete=models.CASCADE,
                                 related_name="tagged_items")


class RecordingPage(Page):
    """A recorded session: a video from django-filer or an external address, and what was said."""

    recorded_on = models.DateField()
    presenters = models.CharField(max_length=300, blank=True)
    topics = ClusterTaggableManager(through=RecordingPageTag, blank=True)
    video = FilerFileField(null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                           help_text="An uploaded video or audio file (checked on save).")
    video_url = models.URLField("external video address", blank=True)
    summary = RichTextField(blank=True)
    transcript = models.TextField(blank=True)
    occurrence = models.ForeignKey(SessionOccurrence, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="recordings")
    duration_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="How long the uploaded recording plays, in seconds. Needed for watching "
                                         "it to count as a make-up of a session required for renewal.")
    reflection_question = models.CharField(
        max_length=300, blank=True, default="What will you do differently on your next visit after this session?",
        help_text="The short question someone making up the session answers after watching.")

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("recorded_on"), FieldPanel("presenters"), FieldPanel("topics"),
                         FieldPanel("occurrence")], heading="Session"),
        MultiFieldPanel([FieldPanel("video"), FieldPanel("video_url"), FieldPanel("duration_seconds"),
                         FieldPanel("reflection_question")], heading="Recording"),
        FieldPanel("summary"), FieldPanel("transcript"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"), index.SearchField("transcript"), index.SearchField("presenters"),
        index.FilterField("recorded_on"),
    ]
    parent_page_types = ["training_sessions.RecordingIndexPage"]
    subpage_types: list[str] = []
    template = "sessions/recording_page.html"

    # `sessions.selectors.recording_makeup`, given by SessionsConfig.ready() (as RecordingIndexPage's).
    recording_makeup = None

    class Meta:
        ordering = ["-recorded_on"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["makeup"] = self.recording_makeup(user=request.user, recording=self)
        return context

    def clean(self):
        super().clean()
        # Title and presenters in NFC (hub.text), so that a search typed on any keyboard finds them.
        self.title, self.presenters = normalise_name(self.title), normalise_name(self.presenters)
        if self.video_id:
            from sessions.errors import RecordingRejected
            from sessions.media import recording_filer_file_check

            try:
                recording_filer_file_check(self.video)
            except RecordingRejected as error:
                raise ValidationError({"video": str(error)}) from None


class RecordingWatch(TimeStampedModel):
    """How much of one recording one person has played, as a make-up of the session it recorded: the parts
    played at a believable pace (merged, so a replay adds nothing), the last position the player reported,
    the reflection, and when it counted. Written only by `sessions.services.recording_progress` and
    `recording_reflection_save`."""

    REFLECTION_MIN_LENGTH = 20
    REFLECTION_MAX_LENGTH = 2000

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="recording_watches")
    recording = models.ForeignKey(RecordingPage, on_delete=models.CASCADE, related_name="watches")
    played = models.JSONField(default=list, help_text="[[from, to], ...] seconds played, merged and in order.")
    played_seconds = models.FloatField(default=0)
    position = models.FloatField(null=True, blank=True, help_text="Where the player last said it was.")
    reported_at = models.DateTimeField(null=True, blank=True)
    reflection = models.TextField(blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "recording"], name="recording_watch_once")]

    def __str__(self) -> str:
        return f"{self.person} watching {self.recording_id}"
