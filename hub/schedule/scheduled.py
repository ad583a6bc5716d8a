"""The schedule's own job, registered in ScheduleConfig.ready(): old runs deleted daily (each job's latest
stays), through the same service as `manage.py runs_prune`."""

from datetime import time

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hub.schedule.registry import Daily, Job
from hub.schedule.services import runs_prune
from hub.schedule.tasks import scheduled_task


@scheduled_task
def old_runs_prune() -> str:
    n = runs_prune()
    return ngettext("%(n)s old run deleted", "%(n)s old runs deleted", n) % {"n": n}


JOBS = [Job("runs_prune", old_runs_prune, Daily(time(3, 40)), label=_("Scheduled runs clean-up"),
            description=_("Deletes the record of runs finished long ago (SCHEDULE_RUNS_KEEP_DAYS); each "
                          "job's latest run stays."))]
