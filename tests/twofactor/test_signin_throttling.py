"""Sign-in throttling (django-axes, hub.twofactor.throttle): wrong passwords lock a (user, address) pair after 5
tries and an address after 30 across accounts, for 15 minutes, with a friendly page in the person's
language; the password reset keeps working."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail

from hub.roles import TRAINER, VISITOR

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
HOME = "198.51.100.20"
ELSEWHERE = "203.0.113.66"


@pytest.fixture
def ana(orgs, home_page, make_person):
    return make_person("ana", roles=[VISITOR], home_district=orgs["Hartford"])


def sign_in(client, username, password, address=HOME, url="/accounts/login/", **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username, times, address=HOME, url="/accounts/login/"):
    return [sign_in(client, username, "wrong-password", address, url).status_code for _ in range(times)]


def test_the_configured_limits_are_five_per_person_and_address_thirty_per_address_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 30
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)


def test_five_wrong_passwords_lock_the_person_at_that_address_with_a_friendly_page(client, ana):
    assert fail(client, "ana", 4) == [200, 200, 200, 200]
    fifth = sign_in(client, "ana", "wrong-password")
    assert fifth.status_code == 429
    body = fifth.content.decode()
    assert "Too many sign-in attempts" in body
    assert "Please wait 15 minutes, then try again." in body
    assert "contact your district LEAP coordinator" in body
    assert 'href="/accounts/password_reset/"' in body
    assert "Traceback" not in body and "AxesBackend" not in body
    # Even the right password is refused while locked, and nobody is signed in.
    right = sign_in(client, "ana", PASSWORD)
    assert right.status_code == 429
    assert not signed_in(client)


def test_the_locked_page_is_in_spanish_for_a_spanish_reader(client, ana):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    locked = fail(client, "ana", 5)[-1]
    response = sign_in(client, "ana", "wrong-password")
    assert locked == response.status_code == 429
    body = response.content.decode()
    assert '<html lang="es">' in body
    assert "Demasiados intentos de inicio de sesión" in body
    assert "Espere 15 minutos y vuelva a intentarlo." in body
    assert "coordinador" in body
    assert "Too many sign-in attempts" not in body


def test_someone_guessing_from_elsewhere_does_not_lock_the_person_out_at_their_own_desk(client, ana):
    assert fail(client, "ana", 5, address=ELSEWHERE)[-1] == 429
    assert sign_in(client, "ana", PASSWORD, address=HOME).status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_resets_the_count(client, ana):
    assert fail(client, "ana", 4) == [200] * 4
    assert sign_in(client, "ana", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    assert fail(client, "ana", 4) == [200] * 4, "the four earlier failures were forgotten"
    assert sign_in(client, "ana", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, ana):
    assert fail(client, "ana", 5)[-1] == 429
    assert sign_in(client, "ana", PASSWORD).status_code == 429
    # Tries while locked do not make the wait longer: the attempt was not recorded.
    assert AccessAttempt.objects.get(username="ana").failures_since_start == 5
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert sign_in(client, "ana", PASSWORD).status_code == 302
    assert signed_in(client)


def test_one_address_spraying_many_accounts_is_locked_after_thirty_failures(client, orgs, home_page, make_person):
    for n in range(8):
        make_person(f"visitor{n}", roles=[VISITOR], home_district=orgs["Hartford"])
    codes = []
    for attempt in range(30):  # never more than 4 per account: no pair reaches its own limit
        codes.append(sign_in(client, f"visitor{attempt % 8}", "wrong-password").status_code)
    assert codes[:29] == [200] * 29 and codes[29] == 429
    # Every account, even one never tried, is refused from that address, even with the right password...
    make_person("fresh", roles=[VISITOR], home_district=orgs["Hartford"])
    assert sign_in(client, "fresh", PASSWORD).status_code == 429
    assert not signed_in(client)
    # ...but not from anywhere else.
    assert sign_in(client, "visitor1", PASSWORD, address=ELSEWHERE).status_code == 302


def test_the_password_reset_still_works_while_locked(client, ana):
    assert fail(client, "ana", 5)[-1] == 429
    assert client.get("/accounts/password_reset/", REMOTE_ADDR=HOME).status_code == 200
    response = client.post("/accounts/password_reset/", {"email": "ana@example.org"}, REMOTE_ADDR=HOME)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, REMOTE_ADDR=HOME)["Location"]
    new_password = "a-brand-new-long-passphrase"
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password}, REMOTE_ADDR=HOME)
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    ana.user.refresh_from_db()
    assert ana.user.check_password(new_password)


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/"])
def test_the_wagtail_and_django_admin_sign_in_pages_are_throttled_too(client, orgs, home_page, make_person, url):
    tomas = make_person("tomas", roles=[TRAINER])
    tomas.user.is_staff = True
    tomas.user.save()
    codes = fail(client, "tomas", 5, url=url)
    assert codes[:4] == [200] * 4 and codes[4] == 429
    assert "Too many sign-in attempts" in sign_in(client, "tomas", PASSWORD, url=url).content.decode()
    assert not signed_in(client)


def test_the_account_locked_on_one_sign_in_page_is_locked_on_the_others(client, orgs, home_page, make_person):
    tomas = make_person("tomas", roles=[TRAINER])
    tomas.user.is_staff = True
    tomas.user.save()
    fail(client, "tomas", 5, url="/admin/login/")
    assert sign_in(client, "tomas", PASSWORD, url="/accounts/login/").status_code == 429
    assert sign_in(client, "tomas", PASSWORD, url="/django-admin/login/").status_code == 429


def test_behind_the_proxy_the_forwarded_client_is_counted_and_forged_entries_do_not_help(client, ana, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(5):  # the attacker adds a new fake address on the left every time
        last = sign_in(client, "ana", "wrong-password", address=proxy, HTTP_X_FORWARDED_FOR=f"7.7.7.{n}, {ELSEWHERE}")
    assert last.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ELSEWHERE}
    # Ana, behind the same proxy from her own address, is not locked out.
    ok = sign_in(client, "ana", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=HOME)
    assert ok.status_code == 302
