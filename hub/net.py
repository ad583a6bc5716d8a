"""The client's real address, the same way everywhere (sign-in throttling, public sign-up limits).

Behind our own proxy every request comes from the proxy, so REMOTE_ADDR alone would put every family
and every visitor in one bucket. The proxy appends the address it saw to X-Forwarded-For
(nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`). Entries further left were
sent by the client and can say anything, so only the entries our own proxies appended are believed:
with `TRUSTED_PROXY_COUNT=N` the N-th entry from the right. With 0 (the default: no proxy) the header
is ignored altogether.
"""

import ipaddress

from django.conf import settings

# Used when not even REMOTE_ADDR is an address (e.g. a unix socket): such clients share one bucket.
UNKNOWN_ADDRESS = "0.0.0.0"


def _address(value: str | None) -> str | None:
    """`value` as a normalised IP address, or None if it is not exactly one address."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the client that sent `request` (see the module docstring for the rule)."""
    remote = _address(request.META.get("REMOTE_ADDR")) or UNKNOWN_ADDRESS
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted < 1:
        return remote
    entries = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [part for part in entries if part]
    if len(entries) < trusted:
        return remote
    return _address(entries[-trusted]) or remote
