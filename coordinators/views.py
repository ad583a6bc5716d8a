"""Coordinators' and visitors' pages. Views read through `coordinators.selectors`, write through
`coordinators.services`, and turn a refusal into a message. A case, roster row or export outside the
person's scope answers 404 (as if it did not exist) and the attempt is audited."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordinators import csv_import, exports, jobs, selectors, services
from coordinators.errors import AssignmentRefused, CoordinatorsError, NotFound, OutsideScope
from coordinators.forms import (
    AssignForm,
    CaseForm,
    FamilyChoiceForm,
    ImportForm,
    ReferralOutcomeForm,
    VisitForm,
)
from coordinators.models import CaseStatus, Referral, Visit
from coordinators.queries import DistrictQuery, ImpactQuery, PageQuery
from coordinators.selectors import CaseFilters, OutOfScope, RosterFilters
from courses.selectors import State
from hub.audit.services import audit_record
from hub.exports import ExportAudit
from hub.jobs import registry as job_registry
from hub.jobs.services import job_start
from hub.models import Person
from hub.queries import query_read
from hub.selectors import person_for, scope_for


def _staff_or_403(request):
    if not selectors.is_staff_reader(request.user):
        raise PermissionDenied("Only coordinators and regional or state staff see this page.")


def _manager_or_403(request):
    if not selectors.may_manage_cases(request.user):
        raise PermissionDenied("Only district coordinators change student cases.")


def _denied(request, action: str, object_type: str, object_id, detail: str = "", districts=None):
    """Audit an attempt to reach something outside the person's scope, then answer 404.

    The entry is filed in the trail of each district that owns what was asked for (when it exists),
    else in the trail of the person's own district; the person sees it in their own trail either way
    (`hub.audit.selectors.entries_concerning`)."""
    if districts is None:
        districts = selectors.owner_districts(object_type, object_id)
    if not districts:
        person = person_for(request.user)
        districts = [person.home_district_id] if person and person.home_district_id else []
    audit_record(actor=request.user, action=action, object_type=object_type, object_id=str(object_id or "")[:40],
                 districts=districts, detail=(detail or request.get_full_path())[:500])
    raise Http404("Not found.")


def _filter_denied(request, action: str, error: OutOfScope):
    """A filter named a district, school or partner outside the person's scope: audited, 404."""
    field = str(error)
    _denied(request, action, field, request.GET.get(field, ""), districts=error.districts)


def _form_problems(form) -> str:
    """The errors of a form that is not shown again, as one sentence per field."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append((f"{label}: " if label else "") + " ".join(errors))
    return " ".join(parts)


def _case_or_404(request, case_id):
    case = selectors.case_for(user=request.user, case_id=case_id)
    if case is None:
        _denied(request, "case.denied", "studentcase", case_id)
    return case


def _home_district(request, value=None):
    """The district a coordinator works on: the one asked for (in scope) or their home district."""
    scope = scope_for(request.user)
    if value:
        district_id = selectors.query_int(value)  # None for text, NUL or a number no id column holds
        district = scope.filter(pk=district_id).first() if district_id is not None else None
        if district is None:
            _denied(request, "district.denied", "district", value)
        return district
    person = person_for(request.user)
    if person is not None and person.home_district_id and scope.filter(pk=person.home_district_id).exists():
        return person.home_district
    district = scope.order_by("name").first()
    if district is None:
        raise PermissionDenied("You have no district.")
    return district


# -- roster -----------------------------------------------------------------------------------------

@login_required
def roster(request):
    _staff_or_403(request)
    filters = RosterFilters.from_query(request.GET)
    try:
        page = selectors.roster(user=request.user, filters=filters)
    except OutOfScope as exc:
        _filter_denied(request, "roster.denied", exc)
    return render(request, "coordinators/roster.html", {
        "roster": page, "filters": filters, "states": State.ORDER, "labels": State.LABELS,
        "sorts": RosterFilters.SORTS, "export_query": filters.query_string(),
        "page_query": filters.query_string(),
    })


@login_required
def roster_export(request):
    _staff_or_403(request)
    filters = RosterFilters.from_query(request.GET)
    try:
        export = selectors.roster_export(user=request.user, filters=filters)
    except OutOfScope as exc:
        _filter_denied(request, "export.denied", exc)
    big = _export_job_or_none(request, kind=jobs.ROSTER_EXPORT, export=export, filters=filters,
                              title="Download this list (CSV)")
    if big is not None:
        return big
    return exports.csv_response(
        filename=exports.filename("who-is-trained", filters.district), header=exports.ROSTER_HEADER,
        rows=exports.roster_csv_rows(export.rows),
        audit=ExportAudit(actor=request.user, action="roster.export", object_type="roster", district=filters.district,
                          districts=export.districts, rows=export.count,
                          filters=filters.query_string() or "all visitors in scope"))


@login_required
def roster_person(request, person_id: int):
    _staff_or_403(request)
    row = selectors.roster_person(user=request.user, person_id=person_id)
    if row is None:
        _denied(request, "roster.denied", "person", person_id)
    audit_record(actor=request.user, action="roster.view", object_type="person", object_id=person_id,
                 district=row.person.home_district_id)
    return render(request, "coordinators/roster_person.html", {"row": row})


# -- cases ------------------------------------------------------------------------------------------

@login_required
def case_list(request):
    _staff_or_403(request)
    filters = CaseFilters.from_query(request.GET)
    try:
        page, counts = selectors.case_list(user=request.user, filters=filters)
    except OutOfScope as exc:
        _filter_denied(request, "cases.denied", exc)
    scope = scope_for(request.user)
    from hub.models import School

    return render(request, "coordinators/case_list.html", {
        "page": page, "counts": counts, "filters": filters, "statuses": CaseStatus.choices,
        "page_query": filters.query_string(),
        "schools": School.objects.filter(district__in=scope).order_by("name"),
        "districts": scope.order_by("name"), "manager": selectors.may_manage_cases(request.user),
    })


@login_required
def case_export(request):
    _staff_or_403(request)
    filters = CaseFilters.from_query(request.GET)
    try:
        export = selectors.case_export(user=request.user, filters=filters)
    except OutOfScope as exc:
        _filter_denied(request, "export.denied", exc)
    big = _export_job_or_none(request, kind=jobs.CASES_EXPORT, export=export, filters=filters,
                              title="Download these cases (CSV)")
    if big is not None:
        return big
    return exports.csv_response(
        filename=exports.filename("student-cases", filters.district), header=exports.CASE_HEADER,
        rows=exports.case_csv_rows(export.rows),
        audit=ExportAudit(actor=request.user, action="cases.export", object_type="studentcase",
                          district=filters.district, districts=export.districts, rows=export.count,
                          filters=filters.query_string() or "all cases in scope"))


@login_required
def case_new(request):
    _manager_or_403(request)
    district = _home_district(request, request.GET.get("district") or request.POST.get("district"))
    form = CaseForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        data = services.CaseData(
            student_ref=form.cleaned_data["student_ref"].strip(), first_name=form.cleaned_data["first_name"].strip(),
            last_initial=form.cleaned_data["last_initial"].strip(), grade=form.cleaned_data["grade"],
            school=form.cleaned_data["school"], home_language=form.cleaned_data["home_language"].strip(),
            days_enrolled=form.cleaned_data["days_enrolled"], days_absent=form.cleaned_data["days_absent"],
            referral_reason=form.cleaned_data["referral_reason"].strip(),
            english_learner=form.cleaned_data["english_learner"], referral_month=form.cleaned_data["referral_month"])
        try:
            case = services.case_create(district=district, data=data, by=request.user,
                                        form_token=form.cleaned_data["form_token"])
        except CoordinatorsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Case for %(student)s added.") % {"student": case.display_name})
            return redirect("coordinators:case_detail", case_id=case.pk)
    return render(request, "coordinators/case_form.html", {"form": form, "district": district},
                  status=400 if form.errors else 200)


def _import(request, *, kind: str):
    """The file is checked here (UTF-8, columns: refused whole at once, nothing queued), then imported by
    the task worker as a job (hub.jobs): the coordinator is sent to its page (progress, then row errors)."""
    _manager_or_403(request)
    district = _home_district(request, request.GET.get("district") or request.POST.get("district"))
    form = ImportForm(request.POST or None, request.FILES or None)
    job_kind = jobs.CASES_IMPORT if kind == "cases" else jobs.ATTENDANCE_IMPORT
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        fatal = job_registry.kind_get(job_kind).check(upload)
        if fatal:
            form.add_error("file", fatal)
        else:
            job = job_start(kind=job_kind, owner=request.user, district=district, file=upload)
            return redirect("jobs:detail", pk=job.pk)
    columns = csv_import.CASE_COLUMNS if kind == "cases" else csv_import.ATTENDANCE_COLUMNS
    return render(request, "coordinators/import.html", {
        "form": form, "district": district, "kind": kind, "columns": columns,
    }, status=400 if form.errors else 200)


def _export_job_or_none(request, *, kind: str, export, filters, title: str):
    """A large export (more than JOB_EXPORT_DIRECT_ROWS rows) is made by the task worker as a job: a POST
    starts it and redirects to its page; a GET (a link) answers a page with that POST button. A small
    one returns None: it is downloaded at once, as before."""
    from django.conf import settings

    if export.count <= settings.JOB_EXPORT_DIRECT_ROWS:
        return None
    if request.method == "POST":
        job = job_start(kind=kind, owner=request.user, district=_district_or_none(filters.district),
                        params={"query": filters.query_string()})
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "coordinators/export_job.html", {"count": export.count, "title": title,
                                                            "query": filters.query_string()})


def _district_or_none(district_id):
    from hub.models import District

    return District.objects.filter(pk=district_id).first() if district_id is not None else None


@login_required
def case_import(request):
    return _import(request, kind="cases")


@login_required
def attendance_import(request):
    return _import(request, kind="attendance")


def _case_page(request, case, *, status=200, **extra):
    view = selectors.case_view(user=request.user, case=case)
    context = {"v": view, "case": case}
    if view.can_manage:
        context.setdefault("choice_form", FamilyChoiceForm())
        context.setdefault("assign_form", AssignForm(candidates=view.candidates, pairs=view.pairs,
                                                     initial={"reassign": view.current is not None}))
    context.update(extra)
    return render(request, "coordinators/case_detail.html", context, status=status)


@login_required
def case_detail(request, case_id: int):
    case = _case_or_404(request, case_id)
    audit_record(actor=request.user, action="case.view", obj=case)
    return _case_page(request, case)


@login_required
@require_POST
def case_choice(request, case_id: int):
    case = _case_or_404(request, case_id)
    form = FamilyChoiceForm(request.POST)
    if form.is_valid():
        try:
            services.case_family_choice(case=case, kind=form.cleaned_data["kind"], by=request.user,
                                        note=form.cleaned_data["note"], form_token=form.cleaned_data["form_token"])
        except OutsideScope:
            _denied(request, "case.denied", "studentcase", case_id)
        except CoordinatorsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The family's answer is recorded."))
    else:
        messages.error(request, _("Nothing was recorded: %(problems)s") % {"problems": _form_problems(form)})
    return redirect("coordinators:case_detail", case_id=case.pk)


def assign_posted(request, case):
    """The posted assignment form through the gate (`services.case_assign`: lock, audit, form token), for
    every page that assigns from a form (the case page, the waiting list). Returns (form, refusal):
    refusal None when the visitors were assigned (a success message is queued), the gate's reasons when
    it refused (audited), [] when the form itself was wrong (its errors are on the form)."""
    view = selectors.case_view(user=request.user, case=case)
    form = AssignForm(request.POST, candidates=view.candidates, pairs=view.pairs)
    if not form.is_valid():
        return form, []
    ids = [form.cleaned_data["visitor_1"]] + ([form.cleaned_data["visitor_2"]]
                                               if form.cleaned_data.get("visitor_2") else [])
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("user")}
    try:
        services.case_assign(case=case, visitors=[people[i] for i in ids if i in people], by=request.user,
                             reassign=form.cleaned_data["reassign"], form_token=form.cleaned_data["form_token"])
    except OutsideScope:
        _denied(request, "case.denied", "studentcase", case.pk)
    except AssignmentRefused as exc:
        audit_record(actor=request.user, action="case.assign_refused", obj=case, detail=" | ".join(exc.reasons))
        return form, exc.reasons
    messages.success(request, _("Visitors assigned: %(names)s.") % {
        "names": get_text_list([people[i].full_name for i in ids], _("and"))})
    return form, None


@login_required
@require_POST
def case_assign(request, case_id: int):
    case = _case_or_404(request, case_id)
    _manager_or_403(request)
    form, refusal = assign_posted(request, case)
    if refusal is None:
        return redirect("coordinators:case_detail", case_id=case.pk)
    if refusal:
        return _case_page(request, case, status=409, assign_form=form, assign_refusal=refusal)
    return _case_page(request, case, status=400, assign_form=form)


def _visit_data(form) -> services.VisitData:
    data = form.cleaned_data
    attendees = list(Person.objects.filter(pk__in=[int(i) for i in data["attendees"]]))
    return services.VisitData(
        visited_on=data["visited_on"], kind=data["kind"], place=data["place"], wants_more=data["wants_more"],
        attendees=attendees, barriers=list(data["barriers"]), resources=list(data["resources"]),
        who_came=data["who_came"], next_step=data["next_step"], notes=data["notes"])


@login_required
def visit_new(request, case_id: int):
    case = _case_or_404(request, case_id)
    if not selectors.may_log_visits(request.user, case):
        _denied(request, "visit.denied", "studentcase", case_id)
    view = selectors.case_view(user=request.user, case=case)
    visitors = list(view.current.visitors.all()) if view.current else []
    form = VisitForm(request.POST or None, case=case, visitors=visitors)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_log(case=case, by=request.user, data=_visit_data(form),
                                       form_token=form.cleaned_data["form_token"])
        except CoordinatorsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Visit #%(number)s is logged.") % {"number": visit.number})
            return redirect("coordinators:case_detail", case_id=case.pk)
    return render(request, "coordinators/visit_form.html", {"form": form, "case": case, "visit": None},
                  status=400 if form.errors else 200)


@login_required
def visit_edit(request, visit_id: int):
    visit = Visit.objects.filter(pk=visit_id).select_related("case").first()
    case = _case_or_404(request, visit.case_id if visit else None)
    if not selectors.may_log_visits(request.user, case):
        _denied(request, "visit.denied", "visit", visit_id)
    visitors = list(Person.objects.filter(
        assignment_memberships__assignment__case=case).select_related("user").distinct())
    initial = {"visited_on": visit.visited_on, "kind": visit.kind, "place": visit.place,
               "attendees": [str(p) for p in visit.attendees.values_list("pk", flat=True)],
               "who_came": visit.who_came, "barriers": list(visit.barriers.all()),
               "resources": [r.resource for r in visit.referrals.select_related("resource")],
               "wants_more": visit.wants_more, "next_step": visit.next_step, "notes": visit.notes}
    form = VisitForm(request.POST or None, case=case, visitors=visitors, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_edit(visit=visit, by=request.user, data=_visit_data(form))
        except CoordinatorsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Visit #%(number)s is updated; the earlier version is kept.") % {
                "number": visit.number})
            return redirect("coordinators:case_detail", case_id=case.pk)
    return render(request, "coordinators/visit_form.html", {"form": form, "case": case, "visit": visit},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def referral_outcome(request, referral_id: int):
    referral = Referral.objects.filter(pk=referral_id).select_related("visit").first()
    case = _case_or_404(request, referral.visit.case_id if referral else None)
    form = ReferralOutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.referral_outcome_set(referral=referral, by=request.user, outcome=form.cleaned_data["outcome"])
        except OutsideScope:
            _denied(request, "referral.denied", "referral", referral_id)
        except CoordinatorsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Referral outcome saved."))
    else:
        messages.error(request, _("Nothing was saved: %(problems)s") % {"problems": _form_problems(form)})
    return redirect(reverse("coordinators:case_detail", kwargs={"case_id": case.pk}) + "#visits")


# -- visitors, dashboards, audit ------------------------------------------------------------------

@login_required
def my_cases(request):
    cases = selectors.my_cases(user=request.user)
    return render(request, "coordinators/my_cases.html", {"cases": cases})


@login_required
def dashboard(request):
    _staff_or_403(request)
    district_id = query_read(DistrictQuery, request.GET)["district"]
    try:
        board = selectors.dashboard(user=request.user, district_id=district_id)
    except OutOfScope:
        _denied(request, "dashboard.denied", "district", district_id)
    return render(request, "coordinators/dashboard.html", {"d": board})


def _impact(request):
    """The impact table the page, its CSV and its chart show: the parameters read (400 when unreadable),
    the scope checked (another district or region: 404, audited)."""
    _staff_or_403(request)
    query = query_read(ImpactQuery, request.GET)
    scope = scope_or_404(request, query["scope"], action="impact.denied")
    table = selectors.impact_table(scope=scope, period=query["period"])
    return query, table


def scope_or_404(request, text: str, *, action: str):
    """The scope a figures page asked for (state, region:<id>, district:<id>; empty: the person's own), as
    the person may see it: another district or region, or the state asked by someone who does not see it
    whole, is a 404, audited under `action` (the impact and fidelity pages share this)."""
    try:
        return selectors.scope_read(text or None, user=request.user)
    except OutOfScope as exc:
        _denied(request, action, "district", (text or "").partition(":")[2], districts=exc.districts)


def _impact_chart(table):
    from coordinators.charts import Series, line_chart

    def points(attr):
        return [(p.offset, getattr(p, attr).mean) for p in table.chart if not getattr(p, attr).hidden]

    series = [Series("served", "Students visited", points("served")),
              Series("comparison", "Comparison: declined or still waiting", points("comparison"))]
    return line_chart(series, x_values=[p.offset for p in table.chart],
                      x_label=lambda x: "visit" if x == 0 else f"{x:+d}")


@login_required
def impact(request):
    query, table = _impact(request)
    shown = [b for b in table.breakdowns if not query["breakdown"] or b.key == query["breakdown"]]
    export_query = urlencode({"scope": table.scope.key, "from": f"{table.period.first:%Y-%m}",
                              "to": f"{table.period.last:%Y-%m}", "breakdown": query["breakdown"]})
    return render(request, "coordinators/impact.html", {
        "t": table, "breakdowns": shown, "breakdown": query["breakdown"], "horizons": selectors.HORIZONS,
        "scopes": selectors.scope_choices(request.user), "breakdown_choices": selectors.breakdown_choices(),
        "chart": _impact_chart(table), "export_query": export_query,
        "from_value": f"{table.period.first:%Y-%m}", "to_value": f"{table.period.last:%Y-%m}",
    })


@login_required
def impact_export(request):
    query, table = _impact(request)
    rows = selectors.impact_rows(table, query["breakdown"])
    filters = (f"scope={table.scope.key} from={table.period.first:%Y-%m} to={table.period.last:%Y-%m} "
               f"breakdown={query['breakdown'] or 'all'}")
    return exports.csv_response(
        filename=f"impact-{table.scope.key.replace(':', '-')}-{table.period.first:%Y-%m}-{table.period.last:%Y-%m}",
        header=selectors.CSV_HEADER, rows=rows,
        audit=ExportAudit(actor=request.user, action="impact.export", object_type="impact", rows=len(rows),
                          object_id=table.scope.key, districts=table.scope.district_ids, filters=filters))


@login_required
def audit_trail(request):
    """The person's audit trail: their scope's events (staff) and their own actions (everyone)."""
    number = query_read(PageQuery, request.GET)["page"] or 1
    return render(request, "coordinators/audit.html", {
        "page": selectors.audit_trail(user=request.user, page=number),
        "staff": selectors.is_staff_reader(request.user)})


# -- the live case board (issue 7) ----------------------------------------------------------------

def _posted_id(request, name: str) -> int | None:
    try:
        value = int(request.POST.get(name) or 0)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


@login_required
def board_home(request):
    """The board of the person's district (their home district, else the first in their scope)."""
    from hub.roles import VISITOR, roles_of

    if not (selectors.may_manage_cases(request.user) or VISITOR in roles_of(request.user)):
        raise PermissionDenied("The case board is for home visitors and district coordinators.")
    district = _home_district(request)
    if not selectors.may_see_board(request.user, district.pk):
        raise PermissionDenied("The case board is for home visitors and district coordinators.")
    return redirect("coordinators:board", district_id=district.pk)


def _posted_ids(request, *names: str) -> list[int]:
    """Each named field that was sent, as a whole number (anything else becomes 0, which names nothing, so
    the service refuses it exactly as the socket refuses an unknown id)."""
    return [_posted_id(request, name) or 0 for name in names if request.POST.get(name)]


@login_required
def board(request, district_id: int):
    """Open cases of one district; volunteer, withdraw, open, close and assign post here (no JS needed),
    through `services.board_act`, the socket's entry point too."""
    if not selectors.may_see_board(request.user, district_id):
        _denied(request, "board.denied", "district", district_id)
    district = scope_for(request.user).get(pk=district_id)
    status, refusal = 200, None
    if request.method == "POST":
        partner = _posted_ids(request, "partner")
        try:
            _case, done = services.board_act(
                district_id=district.pk, by=request.user, action=request.POST.get("action", ""),
                case_id=_posted_id(request, "case"), partner_id=partner[0] if partner else None,
                visitor_ids=_posted_ids(request, "visitor_1", "visitor_2"), note=request.POST.get("note", ""),
                share_school=bool(request.POST.get("share_school")), share_grade=bool(request.POST.get("share_grade")))
        except AssignmentRefused as exc:
            audit_record(actor=request.user, action="case.assign_refused", object_type="studentcase",
                         object_id=_posted_id(request, "case"), district=district.pk, detail=" | ".join(exc.reasons))
            status, refusal = 409, exc.reasons
        except NotFound as exc:
            status, refusal = 400, [str(exc)]
        except CoordinatorsError as exc:
            status, refusal = 409, [str(exc)]
        else:
            messages.success(request, done)
            return redirect("coordinators:board", district_id=district.pk)
    else:
        audit_record(actor=request.user, action="board.view", object_type="district",
                     object_id=district.pk, district=district.pk, detail="case board")
    page = selectors.board_page(user=request.user, district=district)
    return render(request, "coordinators/board.html", {"b": page, "refusal": refusal}, status=status)
