"""A job: one run of long work (an import, a large export) by the task worker, with its progress, its
row errors and its file, kept for its owner until `expires_at`."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.jobs.storage import job_storage
from hub.models import District, TimeStampedModel


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


DONE = (State.FINISHED, State.FAILED)


def _input_name(instance, filename: str) -> str:
    return f"input/{uuid.uuid4().hex}.csv"


def _result_name(instance, filename: str) -> str:
    return f"result/{uuid.uuid4().hex}.csv"


class Job(TimeStampedModel):
    """`updated_at` is the heartbeat: every progress write sets it, so a job `running` whose heartbeat is
    older than JOB_STALE_SECONDS lost its worker (`hub.jobs.services.job_recover_if_stale`). `attempt`
    numbers the runs: a run whose attempt is not the job's any more stops (a resumed job runs once)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=40)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    params = models.JSONField(default=dict, blank=True, help_text="What the kind needs besides the file "
                              "(an export's filters).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempt = models.PositiveSmallIntegerField(default=1)
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="Known once the file is read.")
    rows_done = models.PositiveIntegerField(default=0)
    errors_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="The first JOB_ERRORS_KEPT [line, reason].")
    listed = models.JSONField(default=list, blank=True, help_text="Rows the kind lists that are not errors "
                              "(a staff list's addresses that already have an account).")
    summary = models.TextField(blank=True, help_text="The outcome in a sentence, or why it failed.")
    notice = models.TextField(blank=True, help_text="What happened on the way (the worker stopped and it resumed).")
    input_file = models.FileField(storage=job_storage, upload_to=_input_name, blank=True)
    input_name = models.CharField(max_length=200, blank=True, help_text="The uploaded file's name, as shown.")
    input_sha256 = models.CharField(max_length=64, blank=True)
    result_file = models.FileField(storage=job_storage, upload_to=_result_name, blank=True)
    result_name = models.CharField(max_length=120, blank=True, help_text="The download's file name.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True,
                                      help_text="When its files and row errors are removed (JOB_RESULT_DAYS).")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "created_at"], name="jobs_owner_created_idx"),
                   models.Index(fields=["state", "updated_at"], name="jobs_state_updated_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(rows_done__gte=0) & models.Q(errors_count__gte=0),
                                   name="jobs_counts_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def done(self) -> bool:
        return self.state in DONE
