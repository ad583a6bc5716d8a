"""People and organisations, and the Wagtail home page.

Regions are Connecticut's six regional education service centers (RESCs); districts belong to one
region; schools to one district; community partners (Youth Service Bureaus, Boys & Girls Clubs…) serve
one or more districts. A Person is the profile of a user: roles (Django groups), where they work and
the languages they speak.
"""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
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


class UserSession(AbstractBaseSession):
    """A signed-in browser: Django's database session with the account it signs in, indexed, so that the
    Hub can end every session of a person at once ("Sign out everywhere", deactivation, erasure) without
    reading every session there is. The session engine is `hub.session_store` (SESSION_ENGINE)."""

    user_id = models.IntegerField(null=True, blank=True, db_index=True)

    @classmethod
    def get_session_store_class(cls):
        return UserSessionStore

    class Meta:
        verbose_name = "signed-in session"


class UserSessionStore(DatabaseSessionStore):
    """Django's database session store, writing `UserSession` with its account (the session engine is
    `hub.session_store`, which names this class)."""

    @classmethod
    def get_model_class(cls):
        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            session.user_id = None
        return session
