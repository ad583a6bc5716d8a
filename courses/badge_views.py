"""Open Badges 3.0 pages: what the Hub publishes at stable addresses (issuer profile, JWKS, achievements,
status lists), the holder's download, and the public check of a pasted or uploaded credential.

Views only call `courses.badge_services` (signing, status indexes) and `courses.badge_selectors` (reads).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from courses import badge_services, errors
from courses.badge_forms import CredentialForm
from courses.badge_selectors import (
    MEDIA_TYPE,
    absolute,
    achievement,
    credential_verify,
    issuer_id,
    issuer_profile,
    jwks,
    status_lists_in_use,
)
from courses.models import Certificate, CoursePage
from courses.selectors import may_manage_certificates
from hub.net import client_ip
from hub.ratelimit import fixed_window_hit

LD_JSON = "application/ld+json"
# Public checks per address in ten minutes: plenty for a person, a wall for a script.
CHECKS_PER_WINDOW = 60


def _json(document: dict, content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(document, content_type=content_type, json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"  # any verifier, from any page, may read what is public
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def issuer(request):
    return _json(issuer_profile(), LD_JSON)


@require_GET
@cache_control(public=True, max_age=300)
def jwks_document(request):
    return _json(jwks(), "application/jwk-set+json")


@require_GET
@cache_control(public=True, max_age=3600)
def achievement_document(request, course_code: str):
    course = CoursePage.objects.live().filter(code=course_code[:40]).first()
    if course is None:
        raise Http404("No course has that code.")
    return _json(achievement(course), LD_JSON)


@require_GET
@cache_control(public=True, max_age=60)  # a revocation shows to verifiers within a minute
def status_list(request, number: int):
    if not 1 <= number <= status_lists_in_use():
        raise Http404("No status list has that number.")
    response = HttpResponse(badge_services.status_list_credential(number=number), content_type=MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def certificate_badge(request, code: str):
    """The holder's certificate as a signed Open Badges 3.0 credential (`<code>.jwt`)."""
    certificate = get_object_or_404(Certificate.objects.select_related("person__user", "course"), code=code[:40])
    if not (certificate.person.user_id == request.user.pk or may_manage_certificates(request.user)):
        raise Http404("No certificate has that code.")
    try:
        token = badge_services.badge_credential_issue(certificate=certificate)
    except errors.CertificateError as error:
        return render(request, "courses/refused.html", {"message": str(error), "back": reverse("courses:my_training")}, status=409)
    response = HttpResponse(token, content_type=MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{certificate.code}.jwt"'
    return response


def credential_check(request):
    """Public: paste or upload a credential and see whether it is valid, expired, revoked or not ours."""
    verdict, status = None, 200
    if request.method == "POST":
        form = CredentialForm(request.POST, request.FILES)
        if not fixed_window_hit(f"badges:check:{client_ip(request)}", limit=CHECKS_PER_WINDOW, window=600):
            form.is_valid()
            form.add_error(None, _("Too many badges checked from your address: try again in ten minutes."))
            status = 429
        elif form.is_valid():
            verdict = credential_verify(form.cleaned_data["token"])
            form = CredentialForm()  # an empty form under the verdict, for the next badge
        else:
            status = 400
    else:
        form = CredentialForm()
    return render(request, "courses/credential_check.html", {
        "form": form, "verdict": verdict, "issuer_url": issuer_id(), "jwks_url": absolute(reverse("badges:jwks")),
    }, status=status)
