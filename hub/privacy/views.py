"""The record of privacy requests, for state staff: every export, erasure (dry runs and refusals too) and
retention purge, with who asked and how many rows of each kind. The requests themselves are made at the
command line (`export_person_data`, `erase_person_data`, `purge_closed_cases`): they act on one person's
whole record and are run by an operator who has checked who is asking."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from hub.privacy.selectors import may_read_privacy_requests, privacy_requests
from hub.queries import PageQuery, query_read

PAGE_SIZE = 50


@login_required
def request_list(request):
    if not may_read_privacy_requests(request.user):
        raise PermissionDenied("Only state staff see the record of privacy requests.")
    number = query_read(PageQuery, request.GET)["page"] or 1  # not a page number: a 400 naming it
    page = Paginator(privacy_requests(), PAGE_SIZE).get_page(number)
    return render(request, "privacy/request_list.html", {"page": page})
