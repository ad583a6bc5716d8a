"""Which pages may open a websocket to the Hub: the rule Django's CSRF check applies to a POST.

A browser sends the page's origin (scheme, host and port) with every websocket handshake, and any page
on the web can open a socket to any address, with the Hub's session cookie attached. So a socket is
accepted only when its Origin is exactly

- the address the browser connected to: the request's own scheme (`wss`, or `https` from
  X-Forwarded-Proto when `BEHIND_PROXY` sets SECURE_PROXY_SSL_HEADER, as Django's `is_secure` reads it),
  its Host header (which must be in ALLOWED_HOSTS) and its port; or
- one of CSRF_TRUSTED_ORIGINS (`https://*.example.org` trusts that domain's subdomains), which is how
  a proxy that sends `Host` without the public port (nginx's `$host`) is configured.

Scheme, host and port all count: Channels' `AllowedHostsOriginValidator`, used before, checked the host
name only, so a page served by anything else on the same machine (another port) was trusted. An Origin
that is not a plain serialised origin is refused: none at all, `null` (sandboxed frames, file: pages),
a path, userinfo (`http://localhost@evil.com`), a fragment, a non-ASCII host (browsers send IDNs as
punycode) or more than one Origin header. Host names compare case-insensitively and a default port
(`:80` for http, `:443` for https) is the same as none, as browsers treat them.
"""

import re

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

_ORIGIN = re.compile(r"(?P<scheme>https?)://(?P<host>[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])"
                     r"(?::(?P<port>[0-9]{1,5}))?", re.IGNORECASE | re.ASCII)
_WILDCARD = re.compile(r"(?P<scheme>https?)://\*\.(?P<host>[a-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?",
                       re.IGNORECASE | re.ASCII)
DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]  # (scheme, host, port), lower case, the default port filled in


def _origin(match) -> Origin | None:
    scheme = match["scheme"].lower()
    port = int(match["port"]) if match["port"] else DEFAULT_PORTS[scheme]
    if not 0 < port < 65536:
        return None
    return scheme, match["host"].lower().rstrip("."), port


def origin_parse(value: str) -> Origin | None:
    """(scheme, host, port) of a serialised origin such as `https://hub.example.org:8443`, else None."""
    match = _ORIGIN.fullmatch(value or "")
    return _origin(match) if match else None


def _trusted(origin: Origin) -> bool:
    for entry in settings.CSRF_TRUSTED_ORIGINS:
        wildcard = _WILDCARD.fullmatch(entry)
        if wildcard:
            base = _origin(wildcard)
            if base and origin[0] == base[0] and origin[2] == base[2] and origin[1].endswith("." + base[1]):
                return True
        elif origin_parse(entry) == origin:
            return True
    return False


def socket_origin_allowed(*, origin: str | None, host: str | None, secure: bool) -> bool:
    """May a page of `origin` open a socket that reached us at `host` (over TLS if `secure`)?"""
    asked = origin_parse(origin or "")
    if asked is None:
        return False
    allowed_hosts = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    if host and validate_host(split_domain_port(host)[0], allowed_hosts):  # as Django's get_host()
        if asked == origin_parse(f"{'https' if secure else 'http'}://{host}"):
            return True
    return _trusted(asked)


def _header(scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope.get("headers", []) if key.lower() == name]


def scope_is_secure(scope) -> bool:
    """Django's `request.is_secure()` for a websocket scope: the proxy's header when SECURE_PROXY_SSL_HEADER
    names one and it is present, else the connection's own scheme."""
    if settings.SECURE_PROXY_SSL_HEADER:
        meta_name, secure_value = settings.SECURE_PROXY_SSL_HEADER
        name = meta_name.removeprefix("HTTP_").lower().replace("_", "-").encode()
        values = _header(scope, name)
        if values:
            return values[-1].split(",", 1)[0].strip() == secure_value
    return scope.get("scheme", "ws") in ("wss", "https")


def scope_origin_allowed(scope) -> bool:
    origins, hosts = _header(scope, b"origin"), _header(scope, b"host")
    if len(origins) != 1 or len(hosts) > 1:
        return False
    return socket_origin_allowed(origin=origins[0], host=hosts[0] if hosts else None, secure=scope_is_secure(scope))


class SameOriginValidator:
    """ASGI middleware: a websocket whose Origin is not allowed (`socket_origin_allowed`) is refused at
    the handshake (HTTP 403), before the session or the consumer is looked at."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not scope_origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
