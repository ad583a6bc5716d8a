"""Family Roundtables: evenings where parents and guardians tell the program what helps and what gets
in the way, the families' sign-ups (no account: a private link instead) and what the organisers learn.

A sign-up holds a seat through the shared rule in ``hub.capacity`` (one implementation for live
sessions and roundtables). Families' contact details are kept only until a set number of days after the
roundtable (``purge_roundtable_contacts``); counts and insights stay.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hub.capacity import ACTIVE, Seat
from hub.idempotency import form_token_field, form_token_unique
from hub.models import District, TimeStampedModel

# Languages a family may read or need an interpreter for. The site itself is in English and Spanish.
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ht", _("Haitian Creole")),
    ("pl", _("Polish")),
    ("ar", _("Arabic")),
    ("vi", _("Vietnamese")),
    ("asl", _("American Sign Language")),
    ("other", _("Another language")),
]
LANGUAGE_NAMES = dict(LANGUAGES)
SITE_LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Online (video call)")


class HeardFrom(models.TextChoices):
    SCHOOL = "school", _("My child's school")
    HOME_VISITOR = "home_visitor", _("A home visitor")
    FAMILY_FRIEND = "family_friend", _("Family or a friend")
    SOCIAL_MEDIA = "social_media", _("Social media")
    FLYER = "flyer", _("A flyer or poster")
    COMMUNITY = "community", _("A community organisation")
    OTHER = "other", _("Somewhere else")


def _in_spanish() -> bool:
    return (get_language() or "en").startswith("es")


class Roundtable(TimeStampedModel):
    title_en = models.CharField(max_length=200)
    title_es = models.CharField(max_length=200, blank=True)
    description_en = models.TextField(blank=True, help_text="What the evening is about.")
    description_es = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.IN_PERSON)
    address = models.TextField(blank=True, help_text="Where it meets (in person).")
    address_es = models.TextField(blank=True, help_text="The place in Spanish, where it reads differently.")
    join_link = models.URLField(blank=True, help_text="Video call link (online); shown to confirmed families only.")
    held_in = models.CharField(max_length=5, choices=SITE_LANGUAGES, default="en",
                               help_text="The language the conversation is held in.")
    languages = models.JSONField(default=list, blank=True,
                                 help_text="Language codes supported (held in, or with an interpreter).")
    capacity = models.PositiveIntegerField(default=20)
    childcare = models.BooleanField(default=True, help_text="Free childcare during the roundtable.")
    is_draft = models.BooleanField(default=False, help_text="A draft is seen by organisers only.")
    cancelled_at = models.DateTimeField(null=True, blank=True, help_text="Who cancelled it is in the audit log.")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="roundtables", help_text="Host district, if one.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    form_token = form_token_field()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="roundtable_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="roundtable_capacity_positive"),
            form_token_unique("created_by", name="roundtable_once_per_form"),
        ]

    def __str__(self) -> str:
        return f"{self.title_en} ({self.starts_at:%Y-%m-%d})"

    @property
    def title(self) -> str:
        return self.title_es if _in_spanish() and self.title_es else self.title_en

    @property
    def description(self) -> str:
        return self.description_es if _in_spanish() and self.description_es else self.description_en

    @property
    def place(self) -> str:
        return self.address_es if _in_spanish() and self.address_es else self.address

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def offers_spanish(self) -> bool:
        return self.held_in == "es" or "es" in (self.languages or [])

    @property
    def language_names(self) -> list[str]:
        return [str(LANGUAGE_NAMES.get(code, code)) for code in self.languages]

    @property
    def is_virtual(self) -> bool:
        return self.format == Format.VIRTUAL


class FamilySignup(Seat):
    """One family's place (or waitlist place) at a roundtable. Reached by the family only through the
    private link, whose token is stored as a SHA-256 hash (``token_hash``)."""

    roundtable = models.ForeignKey(Roundtable, on_delete=models.CASCADE, related_name="signups")
    # Contact details: blanked by purge_roundtable_contacts after the retention period.
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True, help_text="Lower-cased.")
    phone = models.CharField(max_length=10, blank=True, help_text="Ten digits, US.")
    accessibility_needs = models.TextField(blank=True)
    # Kept for the counts after the purge.
    preferred_language = models.CharField(max_length=5, choices=SITE_LANGUAGES, default="en")
    interpretation_language = models.CharField(max_length=8, choices=LANGUAGES, blank=True)
    children_count = models.PositiveSmallIntegerField(default=0)
    accessibility_requested = models.BooleanField(default=False)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    heard_from = models.CharField(max_length=16, choices=HeardFrom.choices, blank=True)
    consented_at = models.DateTimeField()
    token_hash = models.CharField(max_length=64, unique=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    contact_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta(Seat.Meta):
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["roundtable", "email"], condition=Q(status__in=ACTIVE) & ~Q(email=""),
                                    name="roundtable_one_active_signup_per_email"),
            models.UniqueConstraint(fields=["roundtable", "phone"], condition=Q(status__in=ACTIVE) & ~Q(phone=""),
                                    name="roundtable_one_active_signup_per_phone"),
            models.CheckConstraint(condition=Q(children_count__lte=10), name="roundtable_signup_children_0_10"),
        ]

    def __str__(self) -> str:
        return f"{self.name or 'Family'} · {self.roundtable_id} · {self.status}"


class Insight(TimeStampedModel):
    """What the organisers took away from a roundtable: a theme, or a short anonymous quote."""

    class Tag(models.TextChoices):
        BARRIER = "barrier", _("Barriers")
        HELPS = "helps", _("What helps")
        IDEA = "idea", _("Ideas for the program")

    class Kind(models.TextChoices):
        THEME = "theme", _("Theme")
        QUOTE = "quote", _("Anonymous quote")

    roundtable = models.ForeignKey(Roundtable, on_delete=models.CASCADE, related_name="insights")
    tag = models.CharField(max_length=10, choices=Tag.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.THEME)
    text = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    form_token = form_token_field()

    class Meta:
        ordering = ["tag", "created_at", "pk"]
        constraints = [form_token_unique("recorded_by", name="insight_once_per_form")]

    def __str__(self) -> str:
        return f"{self.get_tag_display()}: {self.text[:40]}"
