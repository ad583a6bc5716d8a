"""Sign-in throttling (django-axes) with two limits instead of axes' one.

- A (user name, address) pair is locked after AXES_FAILURE_LIMIT failures (5): someone guessing a
  colleague's password from elsewhere cannot lock the colleague out of their own computer.
- An address is locked after AXES_ADDRESS_FAILURE_LIMIT failures across all user names (30): one
  address cannot try a few passwords on every account.

Both last AXES_COOLOFF_TIME (15 minutes). Axes counts failures per AXES_LOCKOUT_PARAMETERS (the pair);
this handler adds the per-address count on top. Addresses come from `hub.net.client_ip`.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum

# axes keeps the user name of a failed sign-in in a varchar(255): a longer one (or a NUL, which
# PostgreSQL refuses) from a form that doesn't limit it (Django admin's) was a 500 on PostgreSQL.
USERNAME_MAX = 255


def attempted_username(request, credentials=None) -> str | None:
    """The user name a sign-in tried, as axes stores and compares it (AXES_USERNAME_CALLABLE)."""
    if credentials:
        name = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        name = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    if name is None:
        return None
    return str(name).replace("\x00", "")[:USERNAME_MAX]


def address_failures(request) -> int:
    """Failures from the request's address within the cool-off, across every user name."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_locked(request) -> bool:
    return address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT


class HubAxesHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or (
            settings.AXES_LOCK_OUT_AT_FAILURE and address_locked(request)
        )

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or not settings.AXES_LOCK_OUT_AT_FAILURE:
            return
        if address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request, username=None, ip_address=request.axes_ip_address)
