"""This app's scheduled job (hub.schedule), registered in CoordinatorsConfig.ready(): the retention purge of
closed cases, daily at 02:45, through the same service as `manage.py purge_closed_cases`."""

from datetime import time

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coordinators.selectors import case_retention_days
from coordinators.services import closed_cases_purge
from hub.schedule.registry import Daily, Job
from hub.schedule.tasks import scheduled_task

OPERATOR = "scheduled retention job"  # who ran it, for the privacy audit (as the command's default)


@scheduled_task
def closed_cases_retention() -> str:
    days = case_retention_days()
    counts = closed_cases_purge(days=days, operator=OPERATOR)
    return ngettext("%(n)s case closed more than %(days)s days ago purged",
                    "%(n)s cases closed more than %(days)s days ago purged",
                    counts["cases"]) % {"n": counts["cases"], "days": days}


JOBS = [Job("purge_closed_cases", closed_cases_retention, Daily(time(2, 45)), label=_("Closed cases purge"),
            description=_("Removes what identifies the student, and the free text, from cases closed longer "
                          "than the retention period; dashboard figures stay."))]
