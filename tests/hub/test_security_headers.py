"""Security headers (CSP, Permissions-Policy, COOP), no inline code in our pages, session lifetime and
cookie flags. The browser proof that nothing is blocked is tests/e2e (every page records violations)."""

import secrets
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from hub.models import UserSession as Session
from hub.roles import TRAINER, VISITOR
from tests.support import clean_env, manage

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


STRICT = {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"],
    "media-src": ["'self'"], "connect-src": ["'self'"], "font-src": ["'self'"], "object-src": ["'none'"],
    "base-uri": ["'self'"], "form-action": ["'self'"], "frame-ancestors": ["'none'"],
}


@pytest.fixture
def visitor(orgs, home_page, make_person):
    return make_person("ana", roles=[VISITOR], home_district=orgs["Hartford"])


@pytest.fixture
def trainer(orgs, home_page, make_person):
    tomas = make_person("tomas", roles=[TRAINER])
    tomas.user.is_staff = True
    tomas.user.save()
    return tomas


@pytest.mark.parametrize("url", ["/", "/roundtables/", "/accounts/login/", "/accounts/password_reset/",
                                 "/recordings/", "/no-such-page/"])
def test_public_pages_get_the_strict_policy(client, home_page, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert policy(response) == STRICT


def test_a_signed_in_staff_member_still_gets_the_strict_policy_outside_the_admin(client, trainer):
    client.force_login(trainer.user)
    for url in ["/", "/me/", "/roundtables/organise/", "/sessions/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        found = policy(response)
        assert found == STRICT, url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/django-admin/", "/django-admin/login/",
                                 "/admin/login/"])
def test_only_the_two_admin_sites_get_their_looser_policy(client, trainer, url):
    client.force_login(trainer.user)
    response = client.get(url)
    assert response.status_code in (200, 302), url
    found = policy(response)
    assert found["script-src"] == ["'self'", "'unsafe-inline'"]
    assert found["style-src"] == ["'self'", "'unsafe-inline'"]
    # Everything else stays as strict as the public pages.
    for directive in ("default-src", "object-src", "base-uri", "form-action", "connect-src"):
        assert found[directive] == STRICT[directive], directive
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_a_path_that_merely_starts_like_admin_is_not_loosened(client, home_page):
    for url in ["/administration/", "/admin", "/django-administrators/"]:
        assert policy(client.get(url)) == STRICT, url


@pytest.mark.parametrize("url", ["/", "/admin/login/", "/roundtables/", "/no-such-page/"])
def test_permissions_policy_and_cross_origin_opener_policy_on_every_page(client, home_page, url):
    response = client.get(url)
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


class InlineCode(HTMLParser):
    """Collects what a strict CSP blocks: style attributes, <style>, inline <script>, on* handlers,
    javascript: links."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.found.append(f'<{tag} style="{attrs["style"]}">')
        if tag == "style":
            self.found.append("<style> block")
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in ("application/json",):
            self.found.append("inline <script>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_inline_code_detector_finds_what_it_should():
    assert inline_code('<span style="width: 3%"></span><script>x()</script><a onclick="y()">') == [
        '<span style="width: 3%">', "inline <script>", "<a onclick=...>"]
    assert inline_code('<script src="/static/a.js" defer></script><svg><rect width="30%"/></svg>') == []


def test_our_pages_have_no_inline_styles_or_scripts(client, visitor, trainer):
    pages = ["/", "/roundtables/", "/accounts/login/", "/accounts/password_reset/", "/recordings/", "/nope/"]
    for url in pages:
        response = client.get(url)
        assert not inline_code(response.content.decode()), (url, inline_code(response.content.decode()))
    client.force_login(visitor.user)
    for url in ["/", "/me/", "/training/", "/sessions/", "/discussion/", "/coordinators/mine/"]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert not inline_code(response.content.decode()), (url, inline_code(response.content.decode()))


def test_the_dashboard_bars_are_drawn_without_inline_styles():
    from django.template.loader import render_to_string

    from coordinators.selectors import Bar, Cell

    html = render_to_string("coordinators/_bars.html", {
        "title": "Cases by status", "key": "cases", "unit": "Cases",
        "bars": [Bar("Open", Cell(8, 8), 100), Bar("Closed", Cell(3, 3), 38)],
    })
    assert not inline_code(html)
    assert 'width="100%"' in html and 'width="38%"' in html


# -- sessions and cookies ----------------------------------------------------------------------------

def test_a_session_older_than_the_cookie_age_is_signed_out(client, visitor, settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    client.force_login(visitor.user)
    assert client.get("/me/").status_code == 200
    key = client.session.session_key
    row = Session.objects.get(session_key=key)
    assert abs(row.expire_date - (timezone.now() + timedelta(hours=12))) < timedelta(minutes=1)
    # The sign-in happened 12 hours and a minute ago: its session expired a minute ago.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/me/")


def test_sign_in_cookies_are_httponly_samesite_lax_and_secure_in_production(client, visitor, settings):
    # What production (DEBUG off, no overrides) sets; test.py turns the Secure flags off for plain HTTP.
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    login = client.get("/accounts/login/", secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post("/accounts/login/", {"username": "ana", "password": "a-long-test-password"},
                           secure=True)
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 12 * 60 * 60
    raw = cookie.OutputString()
    assert "HttpOnly" in raw and "Secure" in raw and "SameSite=Lax" in raw


def test_production_settings_make_cookies_secure_without_being_told():
    env = clean_env(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="hub.example.org")
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.TRUSTED_PROXY_COUNT)")
    result = manage("shell", "-c", code, env=env, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "True True True Lax 0"
