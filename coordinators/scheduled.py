"""This app's scheduled jobs (hub.schedule), registered in CoordinatorsConfig.ready(): the retention purge of
closed cases, daily at 02:45, through the same service as `manage.py purge_closed_cases`; and the impact
table's stored figures recomputed every hour (`manage.py impact_refresh`), which mends whatever changed
around the services that refresh a case's figures as they commit."""

from datetime import time

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coordinators.selectors import case_retention_days
from coordinators.services import closed_cases_purge, impact_summary_refresh
from hub.schedule.registry import Daily, Every, Job
from hub.schedule.tasks import scheduled_task

OPERATOR = "scheduled retention job"  # who ran it, for the privacy audit (as the command's default)


@scheduled_task
def closed_cases_retention() -> str:
    days = case_retention_days()
    counts = closed_cases_purge(days=days, operator=OPERATOR)
    return ngettext("%(n)s case closed more than %(days)s days ago purged",
                    "%(n)s cases closed more than %(days)s days ago purged",
                    counts["cases"]) % {"n": counts["cases"], "days": days}


@scheduled_task
def impact_refresh() -> str:
    result = impact_summary_refresh()
    # How long it took is the run's own record (started, finished): the summary says what it did.
    return ngettext("impact figures of %(n)s student refreshed", "impact figures of %(n)s students refreshed",
                    result.rows) % {"n": result.rows}


JOBS = [Job("purge_closed_cases", closed_cases_retention, Daily(time(2, 45)), label=_("Closed cases purge"),
            description=_("Removes what identifies the student, and the free text, from cases closed longer "
                          "than the retention period; dashboard figures stay.")),
        Job("impact_refresh", impact_refresh, Every(minutes=60), label=_("Impact figures"),
            description=_("Recomputes every student's stored figures for the impact table (attendance change "
                          "after the first visit), so that the page is fast and reflects every change."))]
