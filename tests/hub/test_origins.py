"""Which origins may open a websocket (hub/origins.py): the page's scheme, host and port must be the
address the browser connected to, or one of CSRF_TRUSTED_ORIGINS."""

import pytest

from hub.origins import origin_parse, scope_origin_allowed, socket_origin_allowed

HOST = "localhost:8000"  # what the browser connected to (ALLOWED_HOSTS has localhost in the tests)


@pytest.mark.parametrize("origin", [
    "http://localhost:8000", "HTTP://LOCALHOST:8000", "http://LocalHost:8000",
])
def test_the_page_of_the_same_scheme_host_and_port_may_open_a_socket(origin):
    assert socket_origin_allowed(origin=origin, host=HOST, secure=False)


@pytest.mark.parametrize(("origin", "why"), [
    ("http://localhost:8001", "same host, another port"),
    ("http://localhost", "same host, the default port"),
    ("https://localhost:8000", "another scheme"),
    ("ws://localhost:8000", "not a page's scheme"),
    ("http://127.0.0.1:8000", "another name for the machine"),
    ("http://localhost.evil.com:8000", "a host that starts like ours"),
    ("http://evillocalhost:8000", "a host that ends like ours"),
    ("http://evil.com#localhost:8000", "our host in a fragment"),
    ("http://evil.com/?localhost:8000", "our host in a query"),
    ("http://localhost@evil.com", "our host as userinfo"),
    ("http://localhost:8000@evil.com", "our host and port as userinfo"),
    ("http://localhost:8000/", "a path after the origin"),
    ("http://localhost:8000 ", "a space after the origin"),
    (" http://localhost:8000", "a space before the origin"),
    ("http://localhost:99999", "no such port"),
    ("http://localhost:0", "port zero"),
    ("http://lócalhost:8000", "a look-alike IDN host, not in punycode"),
    ("http://xn--lcalhost-9za:8000", "a look-alike IDN host in punycode"),
    ("null", "a sandboxed frame or a file: page"),
    ("", "an empty Origin"),
    (None, "no Origin at all"),
    ("localhost:8000", "no scheme"),
    ("http://", "no host"),
])
def test_any_other_origin_is_refused(origin, why):
    assert not socket_origin_allowed(origin=origin, host=HOST, secure=False), why


def test_a_default_port_is_the_same_as_none():
    assert socket_origin_allowed(origin="http://localhost", host="localhost", secure=False)
    assert socket_origin_allowed(origin="http://localhost:80", host="localhost", secure=False)
    assert socket_origin_allowed(origin="https://localhost", host="localhost:443", secure=True)
    assert not socket_origin_allowed(origin="http://localhost", host="localhost", secure=True)


def test_a_host_outside_allowed_hosts_is_never_its_own_origin():
    """DNS rebinding: evil.example resolves to us; its page's Origin matches its Host, both evil."""
    assert not socket_origin_allowed(origin="http://evil.example:8000", host="evil.example:8000", secure=False)
    assert not socket_origin_allowed(origin="http://localhost:8000", host=None, secure=False)


def test_a_trusted_origin_is_allowed_whatever_host_the_proxy_sends(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://hub.example.org", "https://*.schools.example.org:8443"]
    # nginx's `Host $host` drops the public port: the trusted origin is how the deployment names it.
    assert socket_origin_allowed(origin="https://hub.example.org", host="127.0.0.1", secure=False)
    assert socket_origin_allowed(origin="https://hartford.schools.example.org:8443", host="127.0.0.1", secure=True)
    for refused in ("https://hub.example.org:8443", "http://hub.example.org", "https://evilhub.example.org",
                    "https://hub.example.org.evil.com", "https://schools.example.org:8443",
                    "https://hartford.schools.example.org", "https://x.evilschools.example.org:8443"):
        assert not socket_origin_allowed(origin=refused, host="127.0.0.1", secure=True), refused


def _scope(*headers, scheme="ws"):
    return {"type": "websocket", "scheme": scheme,
            "headers": [(name.encode(), value.encode()) for name, value in headers]}


def test_behind_a_proxy_the_forwarded_scheme_counts_only_when_the_settings_trust_it(settings):
    headers = [("host", "localhost"), ("origin", "https://localhost"), ("x-forwarded-proto", "https")]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # BEHIND_PROXY=1
    assert scope_origin_allowed(_scope(*headers))
    assert not scope_origin_allowed(_scope(("host", "localhost"), ("origin", "https://localhost"),
                                           ("x-forwarded-proto", "http")))
    settings.SECURE_PROXY_SSL_HEADER = None  # not behind a proxy: anyone could send the header
    assert not scope_origin_allowed(_scope(*headers))
    assert scope_origin_allowed(_scope(("host", "localhost"), ("origin", "https://localhost"), scheme="wss"))


def test_two_origin_or_host_headers_are_refused():
    assert not scope_origin_allowed(_scope(("host", "localhost"), ("origin", "http://localhost"),
                                           ("origin", "http://localhost")))
    assert not scope_origin_allowed(_scope(("host", "localhost"), ("host", "evil.example"),
                                           ("origin", "http://localhost")))
    assert scope_origin_allowed(_scope(("host", "localhost"), ("origin", "http://localhost")))


def test_origins_are_parsed_into_scheme_host_and_port():
    assert origin_parse("https://Hub.Example.org") == ("https", "hub.example.org", 443)
    assert origin_parse("http://[::1]:8000") == ("http", "[::1]", 8000)
    assert origin_parse("http://localhost@evil.com") is None
