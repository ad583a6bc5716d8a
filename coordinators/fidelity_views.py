"""The fidelity page (issue 16): every measure per district and school against the state's targets, as
small multiples with their tables, a CSV, and the targets' form for state staff.

The scope and period are read as the impact page reads them (`queries.FidelityQuery`, `views.scope_or_404`:
another district or region is a 404, audited as "fidelity.denied"); the figures are
`selectors.fidelity_report`; the targets change through `services.fidelity_targets_set`."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordinators import exports, selectors, services
from coordinators.charts import column_chart
from coordinators.errors import CoordinatorsError
from coordinators.forms import FidelityTargetsForm
from coordinators.queries import FidelityQuery
from coordinators.views import _staff_or_403, scope_or_404
from hub.exports import ExportAudit
from hub.queries import query_read


def _report(request, query_dict):
    _staff_or_403(request)
    query = query_read(FidelityQuery, query_dict)
    scope = scope_or_404(request, query["scope"], action="fidelity.denied")
    return selectors.fidelity_report(scope=scope, period=query["period"])


def _multiples(report) -> list[dict]:
    """One small chart per measure: a column per district (or school), the target as a line."""
    units = report.units
    multiples = []
    for m in report.measures:
        cells = [(u, u.cells[m.key]) for u in units]
        chart = column_chart([(u.label, c.period.value, c.period.text, c.met) for u, c in cells],
                             target=cells[0][1].target if cells else None,
                             top=100 if m.kind == "share" else None, unit="%" if m.kind == "share" else "")
        met = sum(1 for _u, c in cells if c.met)
        judged = sum(1 for _u, c in cells if c.met is not None)
        multiples.append({"measure": m, "chart": chart, "cells": cells, "met": met, "judged": judged,
                          "overall": report.overall.cells[m.key]})
    return multiples


def _page(request, report, *, form=None, status=200):
    may_set = selectors.may_set_fidelity_targets(request.user)
    if may_set and form is None:
        form = FidelityTargetsForm(instance=report.targets)
    query = {"scope": report.scope.key, "from": f"{report.period.first:%Y-%m}", "to": f"{report.period.last:%Y-%m}"}
    return render(request, "coordinators/fidelity.html", {
        "r": report, "multiples": _multiples(report),
        "summary": [(m, report.overall.cells[m.key]) for m in report.measures], "scopes": selectors.scope_choices(request.user),
        "from_value": query["from"], "to_value": query["to"], "export_query": urlencode(query),
        "form": form if may_set else None, "page_query": urlencode(query),
    }, status=status)


@login_required
def fidelity(request):
    return _page(request, _report(request, request.GET))


@login_required
def fidelity_export(request):
    report = _report(request, request.GET)
    rows = selectors.fidelity_rows(report)
    period = f"{report.period.first:%Y-%m}-{report.period.last:%Y-%m}"
    return exports.csv_response(
        filename=f"fidelity-{report.scope.key.replace(':', '-')}-{period}", header=selectors.FIDELITY_CSV_HEADER,
        rows=rows,
        audit=ExportAudit(actor=request.user, action="fidelity.export", object_type="fidelity", rows=len(rows),
                          object_id=report.scope.key, districts=report.scope.district_ids,
                          filters=f"scope={report.scope.key} from={report.period.first:%Y-%m} "
                                  f"to={report.period.last:%Y-%m}"))


@login_required
@require_POST
def fidelity_targets(request):
    """State staff save the targets; anyone else gets a 403 and nothing changes. A value the form cannot
    take comes back on the page, with the error, as a 400."""
    if not selectors.may_set_fidelity_targets(request.user):
        raise PermissionDenied(_("Only state staff set the fidelity targets."))
    form = FidelityTargetsForm(request.POST, instance=selectors.fidelity_targets())
    if form.is_valid():
        try:
            services.fidelity_targets_set(by=request.user, values={k: form.cleaned_data[k] for k in form.fields})
        except CoordinatorsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The fidelity targets are saved."))
            return redirect(reverse("coordinators:fidelity") + "#targets")
    return _page(request, _report(request, {}), form=form, status=400)
