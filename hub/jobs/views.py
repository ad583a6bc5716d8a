"""A job's page (progress bar, then its row errors or its file), its status for the page's script, its
download, and "my recent jobs". Only the job's owner reaches any of them; anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hub.exports import csv_file_response
from hub.jobs import selectors, services
from hub.jobs.models import State
from hub.jobs.registry import kinds


def _mine_or_404(request, pk: int):
    job = selectors.job_for(request.user, pk)
    if job is None:
        raise Http404("No such job among yours.")
    return job


def _recovered(request, job):
    """A job whose worker stopped is resumed (or failed) when its owner looks at it."""
    stale = job.state == State.RUNNING and job.updated_at < timezone.now() - services.stale_after()
    if stale and services.job_recover_if_stale(job_id=job.pk):
        return _mine_or_404(request, job.pk)
    return job


@login_required
@require_GET
def job_list(request):
    jobs = selectors.recent_jobs(request.user)
    return render(request, "jobs/job_list.html", {
        "jobs": [(job, selectors.kind_label(job), selectors.progress_text(job)) for job in jobs]})


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _recovered(request, _mine_or_404(request, pk))
    kind = kinds().get(job.kind)
    return render(request, "jobs/job_detail.html", {
        "job": job, "label": selectors.kind_label(job), "progress": selectors.progress_text(job),
        "listed_caption": kind.listed_caption if kind else "", "listed_columns": kind.listed_columns if kind else (),
        "errors_hidden": max(0, job.errors_count - len(job.errors)) if job.state == State.FINISHED else 0})


@login_required
@require_GET
def job_status(request, pk: int):
    job = _recovered(request, _mine_or_404(request, pk))
    response = JsonResponse(selectors.job_status(job))
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def job_download(request, pk: int):
    job = _mine_or_404(request, pk)
    if job.state != State.FINISHED or not job.result_file.name or not job.result_file.storage.exists(
            job.result_file.name):
        raise Http404("This job has no file (or it expired).")
    return csv_file_response(job.result_file.open("rb"), filename=job.result_name or "export.csv")
