"""Friendly error pages (403, 404, 500) and the small shared views."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_POST

from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, has_role, roles_of
from hub.selectors import districts_overview, person_for, scope_for, sessions_of
from hub.services import sessions_end_all


def error_400(request, exception=None):
    """A request we could not read. For a page's parameters (`hub.queries.BadQuery`), each one named with
    what was wrong with it; the link goes back to the same page without them."""
    problems = getattr(exception, "problems", [])
    return render(request, "400.html", {"problems": problems, "back": request.path}, status=400)


def error_403(request, exception=None):
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # Rendered without a request context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({}))


@login_required
def profile(request):
    person = person_for(request.user)
    return render(
        request,
        "hub/profile.html",
        {"person": person, "roles": sorted(roles_of(request.user)), "scope": scope_for(request.user),
         "sessions": sessions_of(request.user).count()},
    )


@login_required
@require_POST
def sign_out_everywhere(request):
    """Every session of the person ends (this one too) and every open socket of theirs closes."""
    from django.contrib import messages
    from django.contrib.auth import logout
    from django.utils.translation import gettext as _

    ended = sessions_end_all(user=request.user)
    logout(request)
    messages.success(request, _("You are signed out everywhere (%(count)d sessions ended).") % {"count": ended})
    return redirect("login")


@login_required
def district_list(request):
    """Districts in the person's scope with their schools and partners (coordinators and staff)."""
    if not has_role(request.user, COORDINATOR, REGIONAL_STAFF, STATE_STAFF) and not request.user.is_superuser:
        raise PermissionDenied("Only coordinators and regional or state staff see the district directory.")
    return render(request, "hub/district_list.html", {"districts": districts_overview(user=request.user)})


def health(request):
    """Liveness for the proxy and the benchmarks: a template render, no database."""
    return render(request, "health.html", {"status": "ok"})
