"""A visitor's departure from a district: left it, moved to another one, or deactivated.

A move waits (`pending`) until a coordinator of the receiving district accepts or declines it; until
then the person stays where they were (in their old district, on its roster, keeping their cases). A
leave or a deactivation is `done` at once. The role, district and active changes these make (and any
other, in the admin or by an invitation) are written to the audit trail by `hub.membership.recording`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.idempotency import form_token_field, form_token_unique
from hub.models import District, Person, TimeStampedModel


class Departure(TimeStampedModel):
    class Kind(models.TextChoices):
        LEFT = "left", _("Left the district")
        MOVED = "moved", _("Moved to another district")
        DEACTIVATED = "deactivated", _("Deactivated")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the other district")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="departures")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices)
    from_district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    to_district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    help_text="A move's receiving district.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    form_token = form_token_field()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(state="pending"),
                                    name="departure_one_pending_move_per_person"),
            models.CheckConstraint(condition=Q(kind="moved", to_district__isnull=False)
                                   | (~Q(kind="moved") & Q(to_district__isnull=True)),
                                   name="departure_move_has_a_destination"),
            models.CheckConstraint(condition=~Q(to_district=models.F("from_district")),
                                   name="departure_move_to_another_district"),
            form_token_unique("requested_by", name="departure_once_per_form"),
        ]
        indexes = [models.Index(fields=["to_district", "state"], name="departure_incoming")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} from {self.from_district_id} ({self.state})"
