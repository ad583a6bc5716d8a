"""The scheduled jobs page: each job's schedule, last run, next time due and whether a slot was missed,
with "run now"; and the latest runs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.schedule import errors, services
from hub.schedule.registry import job_named, program_zone
from hub.schedule.selectors import job_statuses, may_see_schedule, recent_runs


def _reader_or_403(request) -> None:
    if not may_see_schedule(request.user):
        raise PermissionDenied(_("Only the Hub's staff and state staff see the scheduled jobs."))


@login_required
def job_list(request):
    _reader_or_403(request)
    return render(request, "scheduled/job_list.html", {
        "statuses": job_statuses(), "runs": recent_runs(), "zone": program_zone().key,
    })


@login_required
@require_POST
def job_run_now(request, name: str):
    _reader_or_403(request)
    job = job_named(name)
    if job is None:
        raise Http404(_("There is no such job."))
    try:
        services.run_now(job_name=job.name, by=request.user)
    except errors.ScheduleError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("%(job)s is queued: a worker runs it shortly.") % {"job": job.title})
    return redirect(f"{reverse('scheduled:list')}#job-{job.name}")
