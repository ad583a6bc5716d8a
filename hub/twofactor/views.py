"""Pages of two-step sign-in (staff pages, English; strings go through gettext all the same)."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hub.twofactor import services
from hub.twofactor.errors import TwoFactorError
from hub.twofactor.forms import CodeForm
from hub.twofactor.selectors import (
    backup_codes_left,
    has_authenticator,
    second_factor_expected,
    second_factor_required,
)


def safe_next(request) -> str:
    """The `next` parameter if it is a path on this site, else the default landing page. Only a path: a
    bare word would be taken for a URL name by `redirect` (`next=a` was a NoReverseMatch, a 500)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and not candidate.startswith(reverse("twofactor:verify")):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i:i + size] for i in range(0, len(text), size))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    next_url = safe_next(request)
    if user.is_verified() or not second_factor_expected(user):
        return redirect(next_url)
    if not has_authenticator(user):
        return redirect(f"{reverse('twofactor:setup')}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.code_verify(user=user, token=form.cleaned_data["otp_token"])
        except TwoFactorError as exc:
            form.add_error("otp_token", str(exc))
        else:
            services.session_verify(request, device)
            if device.name == services.BACKUP_DEVICE_NAME:
                left = backup_codes_left(user)
                messages.warning(request, _("You used a backup code; %(left)s left. Make new ones on your "
                                            "profile page if you are running low.") % {"left": left})
            return redirect(next_url)
    return render(request, "twofactor/verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    next_url = safe_next(request)
    if has_authenticator(user):
        if user.is_verified():
            messages.info(request, _("Two-step sign-in is already on for your account."))
            return redirect("hub:profile")
        return redirect(f"{reverse('twofactor:verify')}?{urlencode({'next': next_url})}")
    device = services.setup_device_for(user)
    form = CodeForm(request.POST or None, backup_allowed=False)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.setup_confirm(user=user, token=form.cleaned_data["otp_token"])
        except TwoFactorError as exc:
            form.add_error("otp_token", str(exc))
        else:
            services.session_verify(request, device)
            return render(request, "twofactor/backup_codes.html",
                          {"codes": [_grouped(c) for c in codes], "next": next_url, "new_setup": True})
    qr = segno.make(device.config_url, error="m")
    return render(request, "twofactor/setup.html", {
        "form": form, "next": next_url, "required": second_factor_required(user),
        "qr_svg": qr.svg_inline(scale=4, border=2, svgclass="qr-code", omitsize=False, light="#fff"),
        "key_groups": _grouped(b32encode(device.bin_key).decode()),
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """New backup codes (the old ones stop working), after a fresh code from the app."""
    user = request.user
    if not has_authenticator(user):
        return redirect("twofactor:setup")
    if not user.is_verified():
        return redirect(f"{reverse('twofactor:verify')}?{urlencode({'next': request.path})}")
    form = CodeForm(request.POST or None, backup_allowed=False)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.backup_codes_regenerate(user=user, token=form.cleaned_data["otp_token"])
        except TwoFactorError as exc:
            form.add_error("otp_token", str(exc))
        else:
            return render(request, "twofactor/backup_codes.html",
                          {"codes": [_grouped(c) for c in codes], "next": reverse("hub:profile")})
    return render(request, "twofactor/regenerate.html", {"form": form, "left": backup_codes_left(user)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def turn_off(request):
    """Visitors who turned two-step sign-in on may turn it off again (with a fresh code)."""
    user = request.user
    if second_factor_required(user) or not has_authenticator(user):
        return redirect("hub:profile")
    if not user.is_verified():
        return redirect(f"{reverse('twofactor:verify')}?{urlencode({'next': request.path})}")
    form = CodeForm(request.POST or None, backup_allowed=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.authenticator_remove(user=user, token=form.cleaned_data["otp_token"])
        except TwoFactorError as exc:
            form.add_error("otp_token", str(exc))
        else:
            services.session_unverify(request)
            messages.success(request, _("Two-step sign-in is off. You sign in with your password only."))
            return redirect("hub:profile")
    return render(request, "twofactor/turn_off.html", {"form": form})


def locked_out(request, *args, **kwargs):
    """Too many failed sign-ins (django-axes' AXES_LOCKOUT_CALLABLE): a friendly page, status 429.

    Axes calls this with (request, response, credentials) or, on the async path, a shorter list;
    only the request is used. The page is in the person's language (LocaleMiddleware runs first).
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    return render(request, "twofactor/locked_out.html", {"minutes": minutes}, status=429)
