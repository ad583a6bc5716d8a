"""A per-address limit on public sign-ups, in the shared cache (no captcha service).

The address is `hub.net.client_ip`: REMOTE_ADDR, or behind our proxy (TRUSTED_PROXY_COUNT) the entry
our proxy appended to X-Forwarded-For, so families behind one proxy are not one bucket.
"""

from django.conf import settings

from hub.net import client_ip
from hub.ratelimit import fixed_window_hit

SIGNUPS_PER_WINDOW = settings.ROUNDTABLE_SIGNUPS_PER_WINDOW  # 5 unless the environment says otherwise
WINDOW_SECONDS = 10 * 60


def client_address(request) -> str:
    return client_ip(request)


def signup_allowed(request, *, now: float | None = None) -> bool:
    """Count this attempt; False once the address made more than 5 in the current 10-minute window.

    A fixed window on an atomic counter in the shared cache (`hub.ratelimit`), so simultaneous requests
    cannot slip past it.
    """
    return fixed_window_hit(f"roundtable:signup:{client_address(request)}", limit=SIGNUPS_PER_WINDOW,
                            window=WINDOW_SECONDS, now=now)
