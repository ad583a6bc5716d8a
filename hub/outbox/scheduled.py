"""The outbox's scheduled jobs (hub.schedule), registered in OutboxConfig.ready(), through the same services
as their commands: old sent and skipped messages and finished task records deleted daily (`manage.py
outbox_prune`); send tasks whose worker was killed queued again, or their messages failed, every five
minutes (`manage.py outbox_recover`)."""

from datetime import time

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from hub.outbox.services import outbox_prune, sends_recover_stranded
from hub.schedule.registry import Daily, Every, Job
from hub.schedule.tasks import scheduled_task


@scheduled_task
def outbox_history_prune() -> str:
    counts = outbox_prune()
    return gettext("%(messages)s old messages and %(tasks)s finished task records deleted") % counts


@scheduled_task
def stranded_sends_recover() -> str:
    counts = sends_recover_stranded()
    return (ngettext("%(n)s send task whose worker stopped queued again", "%(n)s send tasks whose worker stopped "
                     "queued again", counts["again"]) % {"n": counts["again"]} + "; "
            + ngettext("%(n)s failed after too many tries", "%(n)s failed after too many tries", counts["failed"])
            % {"n": counts["failed"]})


JOBS = [Job("outbox_prune", outbox_history_prune, Daily(time(3, 30)), label=_("Outbox clean-up"),
            description=_("Deletes messages sent or skipped long ago (OUTBOX_KEEP_DAYS), and the task queue's "
                          "records of finished tasks; queued and failed messages stay.")),
        Job("outbox_recover", stranded_sends_recover, Every(minutes=5), label=_("Stopped mail sending"),
            description=_("Queues again the sending of messages whose worker was stopped in the middle (killed, "
                          "or its machine lost), or fails them with the reason after too many tries."))]
