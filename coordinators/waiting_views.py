"""The waiting list (issue 16, prioritisation): a coordinator's students waiting for a first or next
visit, most urgent first (`coordinators.selectors.waiting`), beside the certified visitors free to take
them, with a small assignment form per case.

Assigning from the list goes through `views.assign_posted`, the case page's own path to the gate
(`services.case_assign`: lock, audit, form token), then back to the list with the same filters; a
refusal shows the gate's reasons at the case's row (409). Another district or school by parameter: a
404, audited, as the case views do.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordinators import selectors, views
from coordinators.forms import AssignForm
from coordinators.selectors import OutOfScope, WaitingFilters


def _row_form(page, row, *, data=None):
    """The row's assignment form: the free visitors, those who speak the home language first."""
    notes = {f.person.pk: " · " + _("speaks %(language)s") % {"language": row.case.home_language}
             for f in row.speakers}
    initial = {"reassign": row.flagged, **(data or {})}
    return AssignForm(initial=initial, candidates=[f.row for f in row.visitors], pairs=page.pairs, notes=notes,
                      auto_id=f"w{row.case.pk}-%s")


def _render(request, filters: WaitingFilters, *, status: int = 200, case=None, refusal=None, posted=None):
    district = views._home_district(request, filters.district)  # another district: 404, audited
    try:
        page = selectors.waiting_page(user=request.user, district=district, filters=filters)
    except OutOfScope as exc:
        views._filter_denied(request, "waiting.denied", exc)
    if page is None:
        raise PermissionDenied("Only coordinators and regional or state staff see the waiting list.")
    forms = {}
    for row in page.rows if page.can_assign else []:
        again = case is not None and row.case.pk == case.pk
        forms[row.case.pk] = _row_form(page, row, data=posted if again else None)
    query = filters.query_string()
    here = "&".join(part for part in (query, f"page={page.page.number}" if page.page.number > 1 else "") if part)
    return render(request, "coordinators/waiting.html", {
        "w": page, "filters": filters, "rows": [(row, forms.get(row.case.pk)) for row in page.rows],
        "page_query": query, "return_query": here, "refused_case": case, "refusal": refusal or [],
    }, status=status)


@login_required
def waiting(request):
    views._staff_or_403(request)
    return _render(request, WaitingFilters.from_query(request.GET))


@login_required
@require_POST
def waiting_assign(request, case_id: int):
    """Assign visitors to one case of the list; the list's filters ride along in the query string."""
    case = views._case_or_404(request, case_id)
    views._manager_or_403(request)
    filters = WaitingFilters.from_query(request.GET)
    views._home_district(request, filters.district)  # the list to return to is theirs, before anything changes
    form, refusal = views.assign_posted(request, case)
    if refusal is None:
        query = "&".join(part for part in (filters.query_string(),
                                           f"page={filters.page}" if filters.page > 1 else "") if part)
        return redirect(reverse("coordinators:waiting") + (f"?{query}" if query else ""))
    posted = {name: request.POST.get(name) for name in ("visitor_1", "visitor_2")}
    reasons = refusal or [views._form_problems(form)]
    return _render(request, filters, status=409 if refusal else 400, case=case, refusal=reasons, posted=posted)
