"""People and organisations, and the Wagtail home page.

Regions are Connecticut's six regional education service centers (RESCs); districts belong to one
region; schools to one district; community partners (Youth Service Bureaus, Boys & Girls Clubs…) serve
one or more districts. A Person is the profile of a user: roles (Django groups), where they work and
the languages they speak.
"""

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Region(TimeStampedModel):
    code = models.SlugField(unique=True, help_text="Short name, e.g. crec")
    name = models.CharField(max_length=40, unique=True, help_text="e.g. CREC")
    full_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts")
    leap_since = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="School year the district joined LEAP (e.g. 2021)"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=160)
    grades = models.CharField(max_length=20, blank=True, help_text="e.g. K-5, 6-8, 9-12")

    class Meta:
        ordering = ["district__name", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="school_unique_name_per_district")]

    def __str__(self) -> str:
        return self.name


class Partner(TimeStampedModel):
    """A community agency whose staff may visit families in the districts it serves."""

    class Kind(models.TextChoices):
        YOUTH_SERVICE_BUREAU = "ysb", "Youth Service Bureau"
        BOYS_GIRLS_CLUB = "bgc", "Boys & Girls Club"
        COMMUNITY_AGENCY = "agency", "Community agency"
        PARENT_ADVOCACY = "parent", "Parent advocacy center"

    name = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    districts = models.ManyToManyField(District, related_name="partners", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(max_length=12, unique=True, help_text="BCP 47 code, e.g. es, pt-BR")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """The Hub's profile of a user. Roles are the user's Django groups (`hub.roles`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person")
    job_title = models.CharField(max_length=120, blank=True, help_text="e.g. Family liaison, Grade 3 teacher")
    home_district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="people",
        help_text="For regional staff: the region whose districts they support.",
    )
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    languages = models.ManyToManyField(Language, blank=True, related_name="speakers")

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.username

    @property
    def roles(self) -> frozenset[str]:
        from hub.roles import roles_of

        return roles_of(self.user)


class HomePage(Page):
    intro = RichTextField(
        blank=True, help_text="Welcome text on the front page, written for visitors, coordinators and families."
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    template = "hub/home_page.html"

    class Meta:
        verbose_name = "home page"


# --- The discussion space (rooms, memberships, messages). Rules live in hub.discussion and
# hub.discussion_selectors; the websocket protocol is in hub/discussion_protocol.md.


class Room(TimeStampedModel):
    """A place to talk. Who may read and post is `hub.discussion_selectors.room_can_read`."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", "Community"
        REGION = "region", "Region"
        DISTRICT = "district", "District"
        SESSION = "session", "Live session"
        TRAINERS = "trainers", "Trainers"
        COORDINATORS = "coordinators", "Coordinators"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.CharField(max_length=300, blank=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="rooms")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE, related_name="rooms")
    external_ref = models.CharField(
        max_length=80, blank=True, default="",
        help_text="For session rooms: what the room belongs to, e.g. occurrence:123.",
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["region"], condition=models.Q(kind="region"),
                                    name="room_one_per_region"),
            models.UniqueConstraint(fields=["district"], condition=models.Q(kind="district"),
                                    name="room_one_per_district"),
            models.UniqueConstraint(fields=["external_ref"], condition=~models.Q(external_ref=""),
                                    name="room_one_per_external_ref"),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True) | models.Q(closes_at__isnull=True)
                | models.Q(opens_at__lt=models.F("closes_at")),
                name="room_opens_before_it_closes",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoomMembership(TimeStampedModel):
    """What a person has read in a room (the unread count is messages after `last_read_id`)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_memberships")
    last_read_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="room_membership_once")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id} (read to {self.last_read_id})"


class Message(TimeStampedModel):
    """A message in a room. Deleting keeps a tombstone; hiding (moderation) keeps the text and a reason."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages")
    client_id = models.CharField(max_length=64, help_text="Chosen by the sender's client: a resend is stored once.")
    body = models.TextField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="message_once_per_client_id"),
        ]
        indexes = [models.Index(fields=["room", "id"], name="message_room_id")]

    def __str__(self) -> str:
        return f"{self.author_id} in {self.room_id}: {self.body[:40]}"


class Mention(models.Model):
    """An @mention of a person who may read the room; `emailed` when they were away."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")
    emailed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="mention_once_per_message")]

    def __str__(self) -> str:
        return f"@{self.user_id} in message {self.message_id}"


# --- Privacy requests (hub.privacy): every export, erasure (dry runs and refusals too) and retention
# purge, with who asked and how many rows of each model. The subject is a keyed hash, never an email.


class PrivacyRequest(models.Model):
    class Kind(models.TextChoices):
        EXPORT = "export", "Export"
        ERASE = "erase", "Erasure"
        RETENTION = "retention", "Retention purge"

    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        DRY_RUN = "dry_run", "Dry run (nothing changed)"
        REFUSED = "refused", "Refused"

    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject_kind = models.CharField(max_length=12, help_text="person, family, student, or cases (retention)")
    subject_ref = models.CharField(max_length=64, db_index=True,
                                   help_text="Keyed hash of the subject (hub.privacy.subject_ref).")
    operator = models.CharField(max_length=200, help_text="Who asked for it (name, ticket).")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.DONE)
    counts = models.JSONField(default=dict, blank=True, help_text="Rows per model (app_label.Model).")
    detail = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.subject_kind} ({self.get_outcome_display()})"
