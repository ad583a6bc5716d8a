"""The HTTP gate of two-step sign-in. Install right after django_otp.middleware.OTPMiddleware.

A signed-in person who must use a second factor (or turned it on) and whose session has not passed the
second step is treated as not signed in: every request goes to the two-step page (or to the set-up
page when they have no authenticator yet), except signing out, the two-step pages themselves, static
and media files and the health check. The Wagtail and Django admins are also closed to everyone who
is not required to use a second factor (visitors, families), whatever permissions they hold.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse

from hub.twofactor.selectors import has_authenticator, second_factor_required

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class TwoStepMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def exempt_prefixes(self) -> tuple[str, ...]:
        if self._exempt is None:
            prefixes = [reverse("twofactor:verify"), reverse("logout"), reverse("hub:health")]
            prefixes += [p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p and p.startswith("/")]
            self._exempt = tuple(prefixes)
        return self._exempt

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        path = request.path_info
        if path.startswith(self.exempt_prefixes()):
            return self.get_response(request)
        verified = user.is_verified()
        required = second_factor_required(user)
        if not verified and (required or has_authenticator(user)):
            return self.redirect(request, setup=required and not has_authenticator(user))
        if path.startswith(ADMIN_PREFIXES) and not required:
            return self.admin_refusal(request, user, path)
        return self.get_response(request)

    def admin_refusal(self, request, user, path):
        """People who need no second factor get no admin: its pages send them to its sign-in form (as
        Wagtail does), which only offers to sign in as someone else. Should such a person hold the admin
        permission by mistake, the sign-in form refuses too (else it would send them back: a loop)."""
        login = next(prefix for prefix in ADMIN_PREFIXES if path.startswith(prefix)) + "login/"
        if not path.startswith(login):
            return HttpResponseRedirect(f"{login}?{urlencode({'next': path})}")
        if user.has_perm("wagtailadmin.access_admin"):
            raise PermissionDenied("The site admin is only for Hub staff.")
        return self.get_response(request)

    def redirect(self, request, *, setup: bool) -> HttpResponseRedirect:
        url = reverse("twofactor:setup" if setup else "twofactor:verify")
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)
