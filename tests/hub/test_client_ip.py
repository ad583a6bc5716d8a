"""hub.net.client_ip: the real client address behind our proxy, and nobody else's say-so."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from hub.net import client_ip
from roundtable import ratelimit


@pytest.fixture
def req(rf):
    def make(remote="10.0.0.5", forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return rf.get("/", **extra)

    return make


def test_without_a_trusted_proxy_a_spoofed_forwarded_header_is_ignored(req, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(req("203.0.113.7", forwarded="198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_rightmost_entry_is_the_client(req, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx ($proxy_add_x_forwarded_for) appended 203.0.113.7, the address it saw.
    assert client_ip(req("10.0.0.5", forwarded="203.0.113.7")) == "203.0.113.7"


def test_a_client_prepending_fake_entries_cannot_change_the_result(req, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    honest = client_ip(req("10.0.0.5", forwarded="203.0.113.7"))
    forged = client_ip(req("10.0.0.5", forwarded="1.2.3.4, 127.0.0.1, 198.51.100.9, 203.0.113.7"))
    assert honest == forged == "203.0.113.7"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(req, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(req("10.0.0.5", forwarded="6.6.6.6, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"


@pytest.mark.parametrize("garbage", ["", "   ", "not-an-ip", "203.0.113.7:4431", "<script>", "999.1.1.1", ",,,",
                                     "203.0.113.7 198.51.100.1", "unknown"])
def test_a_garbage_header_falls_back_to_remote_addr(req, settings, garbage):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(req("10.0.0.5", forwarded=garbage)) == "10.0.0.5"


def test_fewer_entries_than_trusted_proxies_falls_back_to_remote_addr(req, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(req("10.0.0.5", forwarded="203.0.113.7")) == "10.0.0.5"
    assert client_ip(req("10.0.0.5")) == "10.0.0.5"


def test_ipv6_addresses_are_normalised(req, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(req("10.0.0.5", forwarded="2001:DB8:0:0::1")) == "2001:db8::1"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(req("2001:db8:0::2")) == "2001:db8::2"


def test_no_usable_remote_addr_is_one_shared_unknown_address(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_ip(request) == "0.0.0.0"


def test_the_roundtable_limit_counts_families_behind_the_proxy_apart(req, settings):
    """Two families behind our proxy are two buckets; one family forging entries stays one."""
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    start = 1_000_000 * ratelimit.WINDOW_SECONDS
    family_a = [req("10.0.0.5", forwarded=f"9.9.9.{n}, 203.0.113.7") for n in range(6)]
    assert all(ratelimit.signup_allowed(r, now=start) for r in family_a[:5])
    assert not ratelimit.signup_allowed(family_a[5], now=start), "forged left entries must not reset the count"
    assert ratelimit.signup_allowed(req("10.0.0.5", forwarded="198.51.100.2"), now=start)


@pytest.fixture
def roundtable(orgs, home_page, make_person):
    from datetime import timedelta

    from django.utils import timezone

    from hub.roles import TRAINER
    from roundtable import services
    from roundtable.models import Format

    organiser = make_person("tomas", roles=[TRAINER])
    starts = timezone.now() + timedelta(days=7)
    return services.roundtable_create(
        by=organiser.user, starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=20,
        title_en="Getting to school every day", title_es="Llegar a la escuela cada día",
        description_en="Tell us what helps.", description_es="Cuéntenos qué ayuda.",
        format=Format.IN_PERSON, address="195 Putnam Street, Hartford", languages=["en", "es"],
    )


def test_the_roundtable_signup_page_uses_the_forwarded_address(client, settings, roundtable):
    """Through the view: one family behind our proxy is refused at the sixth sign-up however it forges
    the header, while another family behind the same proxy still gets through (before: one bucket)."""
    from tests.roundtable.test_views import form_data

    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("roundtable:signup", args=[roundtable.pk])
    for n in range(ratelimit.SIGNUPS_PER_WINDOW):
        ok = client.post(url, form_data(email=f"f{n}@example.org"), REMOTE_ADDR="10.0.0.5",
                         HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.7")
        assert ok.status_code == 302
    refused = client.post(url, form_data(email="f9@example.org"), REMOTE_ADDR="10.0.0.5",
                          HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.7")
    assert refused.status_code == 429
    other = client.post(url, form_data(email="other@example.org"), REMOTE_ADDR="10.0.0.5",
                        HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302
