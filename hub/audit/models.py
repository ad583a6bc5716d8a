"""An audit entry and the districts it concerns.

`AuditEntry` was `coordinators.AuditEntry`; it moved here with its table (`coordinators_auditentry`,
kept by name) so that roundtable, which sits beside coordinators, can audit its export too.
"""

from django.conf import settings
from django.db import models

from hub.models import District


class AuditEntry(models.Model):
    """Who did what to which object, when. Written for every case view, export, change and refusal.

    `district` is the district the object belongs to (a case's, a filtered export's, the district a
    refused request asked for). An entry about the people of several districts (an export of every
    district in a person's scope) also lists each of them in `districts`, so that each district's
    coordinators find it in their trail.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    districts = models.ManyToManyField(District, through="AuditEntryDistrict", related_name="+", blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="How many rows an export held.")
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        db_table = "coordinators_auditentry"
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["district", "-at"], name="audit_district_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


class AuditEntryDistrict(models.Model):
    """One district whose people an entry concerns (beyond its own `district`)."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="concerns")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "district"], name="audit_entry_district_once")]
        indexes = [models.Index(fields=["district", "entry"], name="audit_concerns_district")]

    def __str__(self) -> str:
        return f"entry {self.entry_id} concerns district {self.district_id}"
