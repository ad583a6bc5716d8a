"""Family Roundtable pages. Families: the list, the sign-up form and the private page (no login on
their path). Organisers: sign-ups, needs, check-in, CSV and insights. Views read through
`roundtable.selectors` and write through `roundtable.services`."""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.exports import ExportAudit, csv_response
from roundtable import errors, exports, ratelimit, selectors, services
from roundtable.forms import CopyForm, InsightCreateForm, InsightForm, RoundtableForm, SignupForm
from roundtable.models import FamilySignup, Roundtable

SESSION_KEY = "roundtable_links"  # roundtable id -> private token of sign-ups made in this browser


def _private(response):
    """Private pages: never cached, never indexed, no token in a Referer sent to another site."""
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "same-origin"  # not no-referrer: POSTs need a real Origin for CSRF
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _remember(request, roundtable_id: int, token: str) -> None:
    links = dict(request.session.get(SESSION_KEY, {}))
    links[str(roundtable_id)] = token
    request.session[SESSION_KEY] = links


# -- families ----------------------------------------------------------------------------------------

def upcoming(request):
    return render(request, "roundtable/upcoming.html", {"roundtables": selectors.upcoming()})


def signup(request, pk: int):
    roundtable = selectors.roundtable_public(pk=pk)
    if roundtable is None:
        raise Http404()
    if roundtable.is_over:
        return render(request, "roundtable/signup.html", {"roundtable": roundtable, "closed": True})
    if roundtable.is_cancelled:
        return render(request, "roundtable/signup.html", {"roundtable": roundtable, "cancelled": True},
                      status=410 if request.method == "POST" else 200)
    language = (get_language() or "en")[:2]
    form = SignupForm(initial={"preferred_language": "es" if language == "es" else "en"},
                      childcare=roundtable.childcare)
    status = 200
    if request.method == "POST":
        form = SignupForm(request.POST, childcare=roundtable.childcare)
        if form.is_valid():
            if not ratelimit.signup_allowed(request):
                form.add_error(None, _("Too many sign-ups from this connection. Please wait ten minutes and "
                                       "try again."))
                status = 429
            elif form.is_spam:
                # Pretend success and store nothing: the robot learns nothing to adapt to.
                return render(request, "roundtable/thanks.html", {"roundtable": roundtable})
            else:
                try:
                    result = services.signup_create(roundtable=roundtable, **form.service_kwargs())
                except errors.InvalidSignup as error:
                    form.add_service_error(error)
                except errors.RoundtableError as error:
                    form.add_error(None, str(error))
                else:
                    return _after_signup(request, roundtable, result)
        if status == 200:
            status = 400
        form.describe_errors()
    return render(request, "roundtable/signup.html", {"roundtable": roundtable, "form": form}, status=status)


def _after_signup(request, roundtable: Roundtable, result: services.SignupResult):
    if result.token:
        # New, or this very form sent again (a double tap, a resend): the same confirmation page, since
        # the family may never have seen the first one.
        _remember(request, roundtable.pk, result.token)
        request.session["roundtable_new"] = result.token
        return redirect("roundtable:private", result.token)
    # Already signed up with this email or phone. In the browser that signed up, show that sign-up;
    # elsewhere, say so without revealing it (an email address is no proof of being that family).
    token = request.session.get(SESSION_KEY, {}).get(str(roundtable.pk))
    existing = selectors.signup_by_token(token=token) if token else None
    if existing is not None and existing.pk == result.signup.pk:
        messages.info(request, _("You are already signed up for this roundtable. Here is your sign-up."))
        return redirect("roundtable:private", token)
    return _private(render(request, "roundtable/already.html", {"roundtable": roundtable}))


def _in_family_language(view):
    """Every page of a family's private link is in the language they chose at sign-up, whatever the
    browser or the session says (a link opened on another phone, a shared computer)."""
    @wraps(view)
    def wrapped(request, token: str):
        signup = selectors.signup_by_token(token=token)
        if signup is None:
            raise Http404()
        with translation.override(signup.preferred_language):
            response = view(request, signup, token)
            response["Content-Language"] = signup.preferred_language
            return response

    return wrapped


@_in_family_language
def private(request, signup: FamilySignup, token: str):
    just_signed_up = request.session.get("roundtable_new") == token
    if just_signed_up:
        del request.session["roundtable_new"]
    context = {
        "signup": signup, "roundtable": signup.roundtable, "token": token, "just_signed_up": just_signed_up,
        "position": selectors.position_of(signup), "private_link": request.build_absolute_uri(),
        "is_over": signup.roundtable.ends_at <= timezone.now(),
    }
    return _private(render(request, "roundtable/private.html", context))


@require_POST
@_in_family_language
def cancel(request, signup: FamilySignup, token: str):
    try:
        services.signup_cancel(signup=signup)
    except errors.RoundtableError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your sign-up is cancelled. Thank you for letting us know."))
    return redirect("roundtable:private", token)


# -- organisers --------------------------------------------------------------------------------------

def _organiser_or_403(request) -> None:
    if not selectors.may_organise(request.user):
        raise PermissionDenied(_("Only Family Roundtable organisers (trainers and state staff) can see this page."))


@login_required
def organise(request):
    _organiser_or_403(request)
    upcoming_rows, past_rows = selectors.organiser_roundtables()
    return render(request, "roundtable/organise.html", {"upcoming": upcoming_rows, "past": past_rows})


def _organise_page(request, roundtable: Roundtable, *, insight_form=None, names_warning=None, status=200):
    context = {
        "roundtable": roundtable, "needs": selectors.needs_summary(roundtable=roundtable),
        "signups": selectors.signups_for(roundtable=roundtable),
        "insights": roundtable.insights.all(), "insight_form": insight_form or InsightCreateForm(),
        "names_warning": names_warning, "is_over": roundtable.ends_at <= timezone.now(),
    }
    return render(request, "roundtable/organise_detail.html", context, status=status)


@login_required
def organise_detail(request, pk: int):
    _organiser_or_403(request)
    return _organise_page(request, get_object_or_404(Roundtable, pk=pk))


def _organised(request, pk: int) -> Roundtable:
    _organiser_or_403(request)
    return get_object_or_404(Roundtable, pk=pk)


def _detail(roundtable: Roundtable):
    return redirect("roundtable:organise_detail", pk=roundtable.pk)


@login_required
def roundtable_new(request):
    """A new roundtable: its details in English and Spanish, the date, seats and childcare."""
    _organiser_or_403(request)
    form = RoundtableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            roundtable = services.roundtable_create(by=request.user, must_be_upcoming=True,
                                                    form_token=form.cleaned_data.get("form_token"),
                                                    **form.service_kwargs())
        except errors.RoundtableError as error:
            form.add_service_error(error)
        else:
            state = (_("It is a draft: families cannot see it yet.") if roundtable.is_draft
                     else _("Families can sign up now."))
            messages.success(request, _("%(title)s is saved.") % {"title": roundtable.title_en} + " " + state)
            return _detail(roundtable)
    return render(request, "roundtable/roundtable_form.html", {"form": form, "roundtable": None},
                  status=400 if form.errors else 200)


@login_required
def roundtable_edit(request, pk: int):
    roundtable = _organised(request, pk)
    if roundtable.is_cancelled and request.method != "POST":
        return render(request, "roundtable/roundtable_form.html", {"roundtable": roundtable, "form": None})
    form = RoundtableForm(request.POST or None, initial=RoundtableForm.initial_for(roundtable))
    if request.method == "POST" and form.is_valid():
        try:
            roundtable = services.roundtable_edit(roundtable=roundtable, by=request.user, **form.service_kwargs())
        except errors.RoundtableCancelled as error:
            return render(request, "roundtable/roundtable_form.html",
                          {"roundtable": roundtable, "form": None, "error": str(error)}, status=409)
        except errors.RoundtableError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Changes saved."))
            return _detail(roundtable)
    elif request.method == "POST" and roundtable.is_cancelled:
        # A crafted or stale POST with bad fields to a cancelled roundtable: the cancellation is the answer.
        return render(request, "roundtable/roundtable_form.html", {"roundtable": roundtable, "form": None},
                      status=409)
    return render(request, "roundtable/roundtable_form.html", {"form": form, "roundtable": roundtable},
                  status=400 if form.errors else 200)


@login_required
def roundtable_copy(request, pk: int):
    """A copy of a roundtable on a new date, saved as a draft (the organiser checks it, then publishes)."""
    roundtable = _organised(request, pk)
    starts, ends = timezone.localtime(roundtable.starts_at), timezone.localtime(roundtable.ends_at)
    day = max(starts.date(), timezone.localdate()) + timedelta(days=7)
    form = CopyForm(request.POST or None, initial={"date": day, "start_time": starts.time(), "end_time": ends.time()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            copy = services.roundtable_copy(roundtable=roundtable, by=request.user, starts_at=data["starts_at"],
                                            ends_at=data["ends_at"], form_token=data.get("form_token"))
        except errors.RoundtableError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The copy is saved as a draft: check it, then tick “Open for sign-up”."))
            return redirect("roundtable:roundtable_edit", pk=copy.pk)
    return render(request, "roundtable/roundtable_copy.html", {"form": form, "roundtable": roundtable},
                  status=400 if form.errors else 200)


@login_required
def roundtable_cancel(request, pk: int):
    """GET asks to confirm (and says who will be told); POST cancels and tells the families."""
    roundtable = _organised(request, pk)
    context = {"roundtable": roundtable, "reach": selectors.cancellation_reach(roundtable=roundtable)}
    if request.method == "POST":
        try:
            done = services.roundtable_cancel(roundtable=roundtable, by=request.user)
        except errors.RoundtableError as error:
            context["error"] = str(error)
            return render(request, "roundtable/roundtable_cancel.html", context, status=409)
        messages.success(request, _("The roundtable is cancelled. %(emailed)d families were told by email; "
                                    "%(phone)d gave only a phone number: please call them.")
                         % {"emailed": done.emailed, "phone": done.phone_only})
        return _detail(roundtable)
    return render(request, "roundtable/roundtable_cancel.html", context)


@login_required
@require_POST
def check_in(request, pk: int, signup_id: int):
    _organiser_or_403(request)
    signup = get_object_or_404(FamilySignup, pk=signup_id, roundtable_id=pk)
    present = request.POST.get("present", "1")
    if present not in ("0", "1"):
        messages.error(request, _("Choose an answer from the list."))
        return redirect(reverse("roundtable:organise_detail", args=[pk]) + f"#signup-{signup_id}")
    present = present == "1"
    try:
        services.signup_check_in(signup=signup, by=request.user, present=present)
    except errors.RoundtableError as error:
        messages.error(request, str(error))
    return redirect(reverse("roundtable:organise_detail", args=[pk]) + f"#signup-{signup_id}")


@login_required
def export_csv(request, pk: int):
    _organiser_or_403(request)
    roundtable = get_object_or_404(Roundtable, pk=pk)
    export = selectors.signups_export(roundtable=roundtable)
    return _private(csv_response(
        filename=exports.filename(roundtable), header=exports.HEADER, rows=exports.signup_rows(export.rows),
        audit=ExportAudit(actor=request.user, action="roundtable.export", object_type="roundtable",
                          object_id=str(roundtable.pk), district=roundtable.district_id, districts=export.districts,
                          rows=export.count, filters="every sign-up of the roundtable")))


@login_required
@require_POST
def insight_add(request, pk: int):
    _organiser_or_403(request)
    roundtable = get_object_or_404(Roundtable, pk=pk)
    form = InsightCreateForm(request.POST)
    if form.is_valid():
        try:
            services.insight_record(roundtable=roundtable, by=request.user, **form.service_kwargs())
        except errors.InsightNamesFamily as warning:
            # Shown again with the text kept, the warning and the box to tick: nothing is recorded.
            return _organise_page(request, roundtable, insight_form=form, names_warning=warning, status=400)
        except errors.RoundtableError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Insight recorded."))
    else:
        messages.error(request, _("Choose a tag and write the theme or quote (at most 500 characters)."))
    return redirect(reverse("roundtable:organise_detail", args=[pk]) + "#insights")


def _insight_or_404(request, pk: int, insight_id: int):
    _organiser_or_403(request)
    insight = selectors.insight_for(roundtable_id=pk, insight_id=insight_id)
    if insight is None:
        raise Http404()
    return insight


@login_required
def insight_edit(request, pk: int, insight_id: int):
    insight = _insight_or_404(request, pk, insight_id)
    form = InsightForm(request.POST or None, initial={"tag": insight.tag, "kind": insight.kind, "text": insight.text})
    warning = None
    if request.method == "POST" and form.is_valid():
        try:
            services.insight_edit(insight=insight, by=request.user, **form.service_kwargs())
        except errors.InsightNamesFamily as error:
            warning = error
        except errors.RoundtableError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Insight saved."))
            return redirect(reverse("roundtable:organise_detail", args=[pk]) + "#insights")
    return render(request, "roundtable/insight_edit.html",
                  {"roundtable": insight.roundtable, "insight": insight, "form": form, "names_warning": warning},
                  status=400 if (warning or form.errors) else 200)


@login_required
def insight_delete(request, pk: int, insight_id: int):
    """GET asks to confirm; POST deletes (audited)."""
    insight = _insight_or_404(request, pk, insight_id)
    if request.method == "POST":
        try:
            services.insight_delete(insight=insight, by=request.user)
        except errors.RoundtableError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Insight deleted."))
        return redirect(reverse("roundtable:organise_detail", args=[pk]) + "#insights")
    return render(request, "roundtable/insight_delete.html", {"roundtable": insight.roundtable, "insight": insight})


@login_required
def insights(request):
    if not selectors.may_read_insights(request.user):
        raise PermissionDenied(_("Family insights are for program leads: trainers, regional and state staff."))
    return render(request, "roundtable/insights.html", {"groups": selectors.insights_summary()})
