"""A per-address limit on public sign-ups, in the shared cache (no captcha service).

The address is `hub.net.client_ip`: REMOTE_ADDR, or behind our proxy (TRUSTED_PROXY_COUNT) the entry
our proxy appended to X-Forwarded-For, so families behind one proxy are not one bucket.
"""

import time

from django.conf import settings
from django.core.cache import cache

from hub.net import client_ip

SIGNUPS_PER_WINDOW = settings.ROUNDTABLE_SIGNUPS_PER_WINDOW  # 5 unless the environment says otherwise
WINDOW_SECONDS = 10 * 60


def client_address(request) -> str:
    return client_ip(request)


def signup_allowed(request, *, now: float | None = None) -> bool:
    """Count this attempt; False once the address made more than 5 in the current 10-minute window.

    A fixed window with an atomic counter (cache.add then incr), so simultaneous requests cannot
    slip past it.
    """
    window = int((now if now is not None else time.time()) // WINDOW_SECONDS)
    key = f"roundtable:signup:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    return count <= SIGNUPS_PER_WINDOW
