"""Prioritisation pages for state and regional staff (issue 16): the district need index, its CSV, and the
district data file (upload, template, example). The index is `selectors.need_index`; the upload is
`services.need_figures_import`. Coordinators and visitors get a 403 (the page compares districts);
regional staff asking for another region, by address, get a 404 that is audited, as on the impact page."""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coordinators import selectors, services
from coordinators.errors import NotAllowed
from coordinators.need_forms import NeedQuery, NeedUploadForm, weight_param
from coordinators.selectors import OutOfScope
from coordinators.views import _denied
from hub import exports
from hub.exports import ExportAudit
from hub.queries import query_read


def _reader_or_403(request):
    if not selectors.may_see_need_index(request.user):
        raise PermissionDenied(_("The district need index is for state and regional staff."))


def _scope(request, scope_text):
    try:
        return selectors.scope_read(scope_text or None, user=request.user)
    except OutOfScope as exc:
        _denied(request, "need.denied", "district", (scope_text or "").partition(":")[2], districts=exc.districts)


def _index(request, data):
    scope = _scope(request, data["scope"])
    district_ids = None if scope.kind == "state" else scope.district_ids
    return scope, selectors.need_index(district_ids=district_ids, year=data["year"], weights=data["weights"])


def _move_text(move) -> str:
    if move["direction"] == "none":
        return _("nothing left to rank by")
    if move["direction"] == "same":
        words = _("no change")
    elif move["direction"] == "up":
        words = ngettext("moved it up %(n)s place", "moved it up %(n)s places", move["places"]) % {"n": move["places"]}
    else:
        words = ngettext("moved it down %(n)s place", "moved it down %(n)s places",
                         move["places"]) % {"n": move["places"]}
    return f"{move['rank_without']} · {words}"


def _shown_rows(index):
    """The ranking as the page draws it, its words and numbers made here once (a page of 200 districts
    renders in a fraction of the time a template loop with filters and plural tags takes): each
    district's stacked bar (one segment per input, its points as its width: the index is 0 to 100), its
    row of points with the figures, and its row of moves."""
    shown = []
    for row in index.rows:
        x, segments = 0.0, []
        for s in row.inputs:
            if s.points > 0:
                segments.append((s.key, round(x, 3), round(s.points, 3)))
                x += s.points
        shown.append({"code": row.code, "name": row.name, "rank": row.rank,
                      "index": number_format(row.index, 1), "segments": segments,
                      "points": [(s.key, number_format(s.points, 1), s.shown) for s in row.inputs],
                      "moves": [(m["key"], _move_text(m)) for m in row.moves]})
    return shown


def _page(request, form, *, status=200, scope=None, index=None):
    def shown(need_input):
        raw = form[weight_param(need_input.key)].value()
        if raw not in (None, ""):
            return raw
        return index.weights[need_input.key] if index is not None else need_input.default_weight

    weights = [(i, weight_param(i.key), form[weight_param(i.key)], shown(i)) for i in selectors.NEED_INPUTS]
    context = {
        "form": form, "weights": weights, "scope": scope, "index": index,
        "scopes": [c for c in selectors.scope_choices(request.user) if not c[0].startswith("district:")],
        "years": [(y, selectors.school_year_label(y)) for y in selectors.need_years()], "inputs": selectors.NEED_INPUTS,
        "shown_rows": _shown_rows(index) if index is not None else [],
        "may_upload": selectors.may_upload_need_figures(request.user),
        "problems": [(name, str(form.fields[name].label or name) if name in form.fields else "",
                      [str(m) for m in errors]) for name, errors in form.errors.items()],
    }
    if index is not None:
        query = {"scope": scope.key, "year": index.year or ""}
        query.update({weight_param(k): str(w) for k, w in index.weights.items()})
        context["export_query"] = urlencode(query)
    return render(request, "coordinators/need_index.html", context, status=status)


@login_required
def need_index(request):
    _reader_or_403(request)
    form = NeedQuery(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    scope, index = _index(request, form.cleaned_data)
    return _page(request, form, scope=scope, index=index)


@login_required
def need_export(request):
    _reader_or_403(request)
    data = query_read(NeedQuery, request.GET)
    scope, index = _index(request, data)
    rows = selectors.need_rows(index)
    weights = " ".join(f"{k}={w}" for k, w in index.weights.items())
    return exports.csv_response(
        filename=f"district-need-{scope.key.replace(':', '-')}-{index.year or 'none'}",
        header=selectors.need_csv_header(), rows=rows,
        audit=ExportAudit(actor=request.user, action="need.export", object_type="need_index", rows=len(rows),
                          object_id=scope.key, districts=[r.district_id for r in index.rows],
                          filters=f"scope={scope.key} year={index.year} {weights}"))


@login_required
def need_upload(request):
    if not selectors.may_upload_need_figures(request.user):
        raise PermissionDenied(_("The district data file is uploaded by state staff."))
    form = NeedUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.need_figures_import(file=form.cleaned_data["file"],
                                                  school_year=form.cleaned_data["school_year"], by=request.user)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        if result.applied:
            messages.success(request, result.summary)
            return redirect(reverse("coordinators:need_index") + f"?year={result.school_year}")
        if result.fatal:
            form.add_error("file", result.fatal)
    status = 400 if form.errors or (result and not result.applied) else 200
    return render(request, "coordinators/need_upload.html", {
        "form": form, "result": result, "columns": selectors.NEED_FILE_COLUMNS,
        "optional": selectors.NEED_FILE_OPTIONAL_COLUMNS, "inputs": selectors.NEED_INPUTS,
    }, status=status)


@login_required
def need_template(request):
    """A CSV to fill in: the header and one row per district (code and name), the figures empty."""
    if not selectors.may_upload_need_figures(request.user):
        raise PermissionDenied(_("The district data file is uploaded by state staff."))
    return exports.csv_response(filename="district-need-template",
                                header=[*selectors.NEED_FILE_COLUMNS, *selectors.NEED_FILE_OPTIONAL_COLUMNS],
                                rows=selectors.need_template_rows(), audit=None)


@login_required
def need_example(request):
    """The demo district data file (made-up figures for the demo districts), to try the upload with."""
    if not selectors.may_upload_need_figures(request.user):
        raise PermissionDenied(_("The district data file is uploaded by state staff."))
    with services.NEED_EXAMPLE_FILE.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return exports.csv_response(filename="district-need-example", header=header, rows=rows, audit=None)

