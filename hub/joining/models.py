"""Invitations: a person asked by email to join the Hub with a role, a district and an organisation.

The link carries a random token; only its SHA-256 hash is stored, so a copy of the database opens no
invitation. "Expired" is not stored: a pending invitation past `expires_at` is expired (`status`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.idempotency import form_token_field, form_token_unique
from hub.models import District, Partner, School, TimeStampedModel
from hub.roles import INVITATION_ROLES

ROLE_CHOICES = [(role, role) for role in INVITATION_ROLES]
LANGUAGE_CHOICES = [("en", "English"), ("es", "Español")]

# Why a link cannot be used (the page says which).
LINK_UNKNOWN = "unknown"  # altered, mistyped, or replaced by a resend
LINK_USED = "used"
LINK_EXPIRED = "expired"
LINK_WITHDRAWN = "withdrawn"

# Why a single sign-on is refused (hub.joining.services.sso_account_for; the refusal page says which).
SSO_UNVERIFIED = "unverified"  # the provider does not vouch for the address
SSO_UNKNOWN = "unknown"  # no account and no invitation for the address: ask your coordinator
SSO_INVITED = "invited"  # an invitation waits for the address: open its link to accept it
SSO_WRONG_INVITATION = "wrong_invitation"  # the invitation was sent to another address
SSO_OTHER_ACCOUNT = "other_account"  # this provider account is linked to another Hub account
SSO_FAILED = "failed"  # the provider said no, or the answer could not be trusted (state, token)
SSO_NOT_OFFERED = "not_offered"  # linking accounts by hand is not offered


class Invitation(TimeStampedModel):
    class State(models.TextChoices):
        PENDING = "pending", _("Not accepted yet")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    email = models.EmailField(help_text="Normalised: trimmed and casefolded (hub.joining.services.email_normalise).")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=40, choices=ROLE_CHOICES)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="invitations")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations")
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="invitations")
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, default="en")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="invitations_sent")
    expires_at = models.DateTimeField()
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="invitations_accepted",
                                help_text="The account this invitation created or was linked to.")
    send_count = models.PositiveSmallIntegerField(default=1)
    last_sent_at = models.DateTimeField(default=timezone.now)
    form_token = form_token_field()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per address: a re-import or a second form finds it instead.
            models.UniqueConstraint(fields=["email"], condition=Q(state="pending"),
                                    name="invitation_one_pending_per_email"),
            form_token_unique("invited_by", name="invitation_once_per_form"),
            models.CheckConstraint(condition=~Q(state="accepted") | Q(accepted_at__isnull=False),
                                   name="invitation_accepted_has_time"),
        ]
        indexes = [models.Index(fields=["district", "state"], name="invitation_district_state")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.role})"

    @property
    def is_expired(self) -> bool:
        return self.state == self.State.PENDING and self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        """pending, expired, accepted or withdrawn: what the inviter's list shows."""
        return "expired" if self.is_expired else self.state

    @property
    def organisation(self):
        return self.school or self.partner


class LearnerRequest(TimeStampedModel):
    """Someone from outside the program's districts (another state, another country) asking to take LEAP
    101 (`/join/leap-101/`). The account is made at sign-up, inactive and without a role; approving it
    (a trainer or state staff, or at once when LEARNER_SIGNUP_APPROVAL is "open") activates it with the
    Learner role (`hub.roles.LEARNER`); refusing keeps it inactive. One request per address."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="learner_request")
    email = models.EmailField(unique=True,
                              help_text="Normalised: trimmed and casefolded (hub.joining.services.email_normalise).")
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=160)
    region = models.CharField(max_length=100, help_text="State, province or region.")
    country = models.CharField(max_length=100)
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, default="en")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="learner_decisions",
                                   help_text="Empty for an approval the open sign-up made by itself.")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True, help_text="Why it was refused (not sent to the person).")
    form_token = form_token_field()  # the sign-up form's (a double tap makes one request)
    decision_token = models.UUIDField(null=True, blank=True, editable=False,
                                      help_text="The one-time token of the form that decided (hub.idempotency).")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form_token"], condition=Q(form_token__isnull=False),
                                    name="learner_request_once_per_form"),
            models.CheckConstraint(condition=Q(state="pending") | Q(decided_at__isnull=False),
                                   name="learner_request_decided_has_time"),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="learner_request_state")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.region}, {self.country}: {self.state})"
