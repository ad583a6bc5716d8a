"""This app's scheduled jobs (hub.schedule), registered in JobsConfig.ready(), through the same services as
their commands: jobs whose worker stopped are resumed (or failed after JOB_MAX_ATTEMPTS) every five
minutes, and finished jobs' files are removed once they expire (JOB_RESULT_DAYS), daily."""

from datetime import time

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hub.jobs.services import jobs_purge_expired, jobs_recover_stale
from hub.schedule.registry import Daily, Every, Job
from hub.schedule.tasks import scheduled_task


@scheduled_task
def stopped_jobs_recover() -> str:
    n = jobs_recover_stale()
    return ngettext("%(n)s stopped job resumed or failed", "%(n)s stopped jobs resumed or failed", n) % {"n": n}


@scheduled_task
def expired_jobs_purge() -> str:
    n = jobs_purge_expired()
    return ngettext("%(n)s expired job removed with its files", "%(n)s expired jobs removed with their files",
                    n) % {"n": n}


JOBS = [
    Job("jobs_recover", stopped_jobs_recover, Every(minutes=5), label=_("Stopped imports and exports"),
        description=_("Starts again the imports and exports whose worker stopped (they resume without "
                      "importing a row twice), or fails them with a message after too many tries.")),
    Job("jobs_purge_expired", expired_jobs_purge, Daily(time(3, 0)), label=_("Expired import and export files"),
        description=_("Removes the files and row errors of imports and exports kept past their time.")),
]
