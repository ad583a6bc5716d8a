"""Pages of joining: the inviter's list, invite one person, import a staff list, resend and withdraw; the
invitee's page behind the link (`/join/<token>/`); and LEAP 101 for learners from elsewhere: their
sign-up (`/join/leap-101/`) and the trainers' queue (`/join/learners/`). Views ask the selectors and call the services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.jobs import registry as jobs
from hub.jobs.services import job_start
from hub.joining import selectors, services, sso
from hub.joining.errors import HasAccount, InvalidLearnerRequest, JoiningError, LinkUnusable
from hub.joining.forms import AcceptForm, ImportForm, InviteForm, LearnerDecisionForm, LearnerSignupForm
from hub.joining.jobs import STAFF_IMPORT
from hub.joining.models import LINK_UNKNOWN
from hub.net import client_ip
from hub.ratelimit import fixed_window_hit


def _rights_or_403(request):
    rights = selectors.invite_rights(request.user)
    if not rights.may_invite:
        raise PermissionDenied(_("Only coordinators, trainers and state staff invite people."))
    return rights


@login_required
def invitation_list(request):
    _rights_or_403(request)
    invitations = selectors.invitations_for(request.user)
    return render(request, "joining/invitation_list.html", {
        "invitations": invitations[:500], "counts": selectors.invitation_counts(invitations),
    })


@login_required
def invite(request):
    rights = _rights_or_403(request)
    form = InviteForm(request.POST or None, rights=rights)
    if request.method == "POST" and form.is_valid():
        data = services.InvitationData(
            email=form.cleaned_data["email"], name=form.cleaned_data["name"], role=form.cleaned_data["role"],
            district=form.cleaned_data["district"], organisation=form.cleaned_data["organisation"].strip(),
            language=form.cleaned_data["language"])
        try:
            invitation = services.invitation_create(data=data, by=request.user,
                                                     form_token=form.cleaned_data["form_token"])
        except JoiningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("joining:invitations")
    organisations = services.Organisations.load(rights.districts()) if not rights.all_districts else None
    if organisations:
        form.fields["organisation"].widget.attrs["list"] = "organisation-names"
    return render(request, "joining/invite.html", {
        "form": form,
        "organisation_names": sorted({o.name for o in [*organisations.schools.values(),
                                                       *organisations.partners.values()]}) if organisations else [],
    }, status=400 if form.errors else 200)


@login_required
def invite_import(request):
    """The staff list is checked here (UTF-8, columns, row limit: refused whole at once), then imported by
    the task worker as a job: the person is sent to its page (progress, then the row errors)."""
    rights = _rights_or_403(request)
    form = ImportForm(request.POST or None, request.FILES or None, rights=rights)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        fatal = jobs.kind_get(STAFF_IMPORT).check(upload)
        if fatal:
            form.add_error("file", fatal)
        else:
            job = job_start(kind=STAFF_IMPORT, owner=request.user, district=form.cleaned_data["district"],
                            file=upload)
            return redirect("jobs:detail", pk=job.pk)
    return render(request, "joining/import.html", {
        "form": form, "columns": services.IMPORT_COLUMNS, "max_rows": settings.INVITATION_IMPORT_MAX_ROWS,
    }, status=400 if form.errors else 200)


def _mine_or_404(request, invitation_id: int):
    _rights_or_403(request)
    invitation = selectors.invitations_for(request.user).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404(_("No such invitation among yours."))
    return invitation


@login_required
@require_POST
def resend(request, invitation_id: int):
    invitation = _mine_or_404(request, invitation_id)
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except JoiningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("A new link was sent to %(email)s; the old one no longer works.") % {
            "email": invitation.email})
    return redirect("joining:invitations")


@login_required
@require_POST
def withdraw(request, invitation_id: int):
    invitation = _mine_or_404(request, invitation_id)
    try:
        services.invitation_withdraw(invitation=invitation, by=request.user)
    except JoiningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The invitation to %(email)s was withdrawn; its link no longer works.") % {
            "email": invitation.email})
    return redirect("joining:invitations")


def _unusable(request, exc: LinkUnusable):
    return render(request, "joining/link_unusable.html", {"message": str(exc), "reason": exc.reason},
                  status=404 if exc.reason == LINK_UNKNOWN else 410)


@require_POST
def sso_start(request, token: str, provider_id: str):
    """"Sign in with your school account" on the invitation's page: the provider's verified address must
    be the invitation's (hub.joining.sso); the person then starts on LEAP 101."""
    try:
        services.invitation_for_token(token)
    except LinkUnusable as exc:
        return _unusable(request, exc)
    return sso.sign_in_start(request, provider_id=provider_id, next_url=selectors.landing_url(),
                             invitation_token=token)


def accept(request, token: str):
    """The link in the email. Anyone may open it; only a pending, unexpired invitation opens a form."""
    try:
        invitation = services.invitation_for_token(token)
    except LinkUnusable as exc:
        return _unusable(request, exc)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:  # the language the inviter chose for them
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    here = reverse("joining:accept", args=[token])
    existing = selectors.account_for_email(invitation.email)
    signed_in = request.user.is_authenticated
    if existing is not None or signed_in:
        mine = signed_in and services.email_normalise(request.user.email) == invitation.email
        if request.method == "POST" and mine:
            try:
                services.invitation_accept_existing(token=token, user=request.user)
            except LinkUnusable as exc:
                return _unusable(request, exc)
            except JoiningError as exc:
                messages.error(request, str(exc))
                return redirect(here)
            messages.success(request, _("Welcome: your account now has the role %(role)s.") % {
                "role": invitation.role})
            return redirect(selectors.landing_url())
        return render(request, "joining/existing_account.html", {
            "invitation": invitation, "existing": existing, "mine": mine, "here": here, "token": token,
            "login_url": f"{reverse('login')}?next={here}",
        }, status=400 if request.method == "POST" else 200)
    form = AcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, name=form.cleaned_data["name"],
                                              language=form.cleaned_data["language"],
                                              password=form.cleaned_data["password1"])
        except LinkUnusable as exc:
            return _unusable(request, exc)
        except HasAccount as exc:
            messages.error(request, str(exc))
            return redirect(here)
        except JoiningError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            language = form.cleaned_data["language"]
            translation.activate(language)
            messages.success(request, _("Welcome to the Home Visit Hub. Your user name is %(username)s.") % {
                "username": user.username})
            response = redirect(selectors.landing_url())
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
            return response
    return render(request, "joining/accept.html", {"form": form, "invitation": invitation, "token": token},
                  status=400 if form.errors else 200)


# -- learners from elsewhere --------------------------------------------------------------------------

LEARNER_SIGNUPS_PER_WINDOW = 5  # per client address, as for the families' roundtable sign-up
LEARNER_WINDOW_SECONDS = 10 * 60
WAITING_SESSION_KEY = "learner_signup_email"


def learner_signup(request):
    """LEAP 101 for people outside the program's districts: anyone may ask; the honeypot, a per-address
    rate limit (the shared `hub.ratelimit`) and a one-time form token keep robots and double taps out."""
    if request.user.is_authenticated:
        messages.info(request, _("You are signed in already: here is LEAP 101."))
        return redirect(selectors.landing_url())
    form = LearnerSignupForm(request.POST or None, language=(translation.get_language() or "en")[:2])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if not fixed_window_hit(f"joining:learner:{client_ip(request)}", limit=LEARNER_SIGNUPS_PER_WINDOW,
                                    window=LEARNER_WINDOW_SECONDS):
                form.add_error(None, _("Too many sign-ups from this connection. Please wait ten minutes and "
                                       "try again."))
                status = 429
            elif form.is_spam:  # pretend success and keep nothing: the robot learns nothing to adapt to
                return _waiting(request, form.cleaned_data["email"])
            else:
                data = form.cleaned_data
                try:
                    result = services.learner_signup(form_token=data["form_token"], data=services.LearnerData(
                        name=data["name"], email=data["email"], organisation=data["organisation"],
                        region=data["region"], country=data["country"], language=data["language"],
                        password=data["password1"]))
                except InvalidLearnerRequest as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                else:
                    return _after_learner_signup(request, result, data)
        if status == 200:
            status = 400
        form.describe_errors()
    return render(request, "joining/learner_signup.html", {"form": form}, status=status)


def _after_learner_signup(request, result: services.LearnerSignupResult, data: dict):
    account = result.request.account if result.request is not None else None
    if result.approved and account.check_password(data["password1"]):  # open sign-up: in at once
        login(request, account, backend="django.contrib.auth.backends.ModelBackend")
        translation.activate(result.request.language)
        messages.success(request, _("Welcome to LEAP 101. Your user name is %(username)s.") % {
            "username": account.username})
        response = redirect(selectors.landing_url())
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, result.request.language, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE)
        return response
    # A new request, this very form again, or an address known already (its owner was emailed): the
    # same page, so that it tells nobody which.
    request.session[WAITING_SESSION_KEY] = data["email"].strip().casefold()[:254]
    return redirect("joining:learner_waiting")


def _waiting(request, email: str):
    request.session[WAITING_SESSION_KEY] = (email or "").strip().casefold()[:254]
    return redirect("joining:learner_waiting")


def learner_waiting(request):
    """After a sign-up: "waiting for approval", and what the email will say."""
    return render(request, "joining/learner_waiting.html", {"email": request.session.get(WAITING_SESSION_KEY, "")})


def _decider_or_403(request):
    if not selectors.may_decide_learners(request.user):
        raise PermissionDenied(_("Only trainers and state staff approve learners."))


@login_required
def learner_queue(request):
    _decider_or_403(request)
    return render(request, "joining/learner_queue.html", {**selectors.learner_queue(request.user),
                                                          "form": LearnerDecisionForm()})


def _decide(request, request_id: int, decide):
    _decider_or_403(request)
    learner_request = selectors.learner_requests_for(request.user).filter(pk=request_id).first()
    if learner_request is None:
        raise Http404(_("No such request."))
    form = LearnerDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("joining:learners")
    try:
        decided = decide(learner_request=learner_request, by=request.user, form_token=form.cleaned_data["form_token"],
                         reason=form.cleaned_data["reason"])
    except JoiningError as exc:
        messages.error(request, str(exc))
    else:
        if decided.state == decided.State.APPROVED:
            messages.success(request, _("%(name)s is approved: we emailed them a sign-in link.") % {
                "name": decided.name})
        else:
            messages.success(request, _("%(name)s’s request was refused: we emailed them.") % {"name": decided.name})
    return redirect("joining:learners")


@login_required
@require_POST
def learner_approve(request, request_id: int):
    return _decide(request, request_id, lambda *, reason, **kwargs: services.learner_approve(**kwargs))


@login_required
@require_POST
def learner_refuse(request, request_id: int):
    return _decide(request, request_id, services.learner_refuse)


def learner_sign_in_failed(sender, credentials=None, request=None, **kwargs):
    """`user_login_failed`: when the failed sign-in is a learner's whose request waits or was refused (and
    the password was theirs), say so beside the sign-in form's own error. The sign-in view is not ours:
    this only adds a message to the page it draws."""
    if request is None or request.method != "POST" or not isinstance(credentials, dict):
        return
    state = selectors.learner_sign_in_refusal(username=str(credentials.get("username") or ""),
                                              password=request.POST.get("password") or "")
    if state == "pending":
        messages.warning(request, _("Your request to take LEAP 101 is waiting for approval, so you cannot sign "
                                    "in yet. We will email you as soon as a trainer has looked at it."),
                         fail_silently=True)
    elif state == "refused":
        messages.error(request, _("Your request to take LEAP 101 was not approved, so this account cannot sign "
                                  "in. We sent you an email about it."), fail_silently=True)
