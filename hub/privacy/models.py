"""Privacy requests: every export, erasure (dry runs and refusals too) and retention purge, with who
asked and how many rows of each model. The subject is a keyed hash, never an email or a name.

First made in the `hub` app; it moved here with its table (`db_table`), so a database made before the
move keeps every row (migration `privacy.0001_initial` only tells Django's state where it lives now).
"""

from django.db import models


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
        db_table = "hub_privacyrequest"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.subject_kind} ({self.get_outcome_display()})"
