"""The outbox's scheduled job (hub.schedule), registered in OutboxConfig.ready(): old sent and skipped
messages and finished task records deleted daily, through the same service as `manage.py outbox_prune`."""

from datetime import time

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hub.outbox.services import outbox_prune
from hub.schedule.registry import Daily, Job
from hub.schedule.tasks import scheduled_task


@scheduled_task
def outbox_history_prune() -> str:
    counts = outbox_prune()
    return gettext("%(messages)s old messages and %(tasks)s finished task records deleted") % counts


JOBS = [Job("outbox_prune", outbox_history_prune, Daily(time(3, 30)), label=_("Outbox clean-up"),
            description=_("Deletes messages sent or skipped long ago (OUTBOX_KEEP_DAYS), and the task queue's "
                          "records of finished tasks; queued and failed messages stay."))]
