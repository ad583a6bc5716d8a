"""One row per run of a scheduled job: which slot (the scheduled time it is for) it ran, when, and what it
did. (job, slot) is unique: the idempotency key, so two beats, a catch-up and a "run now" never run the
same slot twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    QUEUED = "queued", _("Queued")  # its task waits for a worker
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")  # the work raised; `error` says what. Not retried: the next slot runs


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", _("On schedule")
    CATCH_UP = "catch_up", _("Caught up late")  # the beat found the slot passed (it was not running)
    MANUAL = "manual", _("Run now")


class Run(models.Model):
    job = models.CharField(max_length=100)  # the unique (job, slot) index serves "this job's runs"
    slot = models.DateTimeField(help_text="The scheduled time this run is for (for 'run now': the minute asked).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE)
    missed_before = models.PositiveIntegerField(
        default=0, help_text="Slots since the previous run that were skipped (caught up once, not each).")
    requested_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", help_text="Who pressed 'run now'.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.CharField(max_length=500, blank=True, help_text="What it did, e.g. '12 reminders queued'.")
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker started it.")

    class Meta:
        ordering = ["-slot", "-pk"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_one_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M} ({self.state})"

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None
