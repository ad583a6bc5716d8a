"""The two-step pages (/accounts/two-step/...) with hostile codes: the form comes back (200) with the error
under "Code from your authenticator app", the session stays unverified, and nothing changes except the
device's count of wrong codes (django-otp's throttle), which is asserted instead."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.hostile import catalogue as cat
from tests.hostile.test_forms import assert_refused

pytestmark = pytest.mark.hostile_input

try:
    reverse("twofactor:verify")
except NoReverseMatch:  # two-step sign-in not installed
    pytest.skip("no two-step pages in this checkout", allow_module_level=True)

CODES = [("letters", "abcdef"), ("five-digits", "12345"), ("seven-digits", "1234567"), ("over-32", "9" * 33),
         ("1mb", "1" * cat.MB), ("wrong-code", "000000"), ("negative", "-12345"), ("nul", "12\x003456")] + \
    cat.SQL + cat.SCRIPT[:2] + [("rtl", "\u202e123456")]
OTP_TABLES = {"otp_totp_totpdevice", "otp_static_staticdevice", "otp_static_statictoken"}


def _unverified(user) -> Client:
    client = Client()
    client.force_login(user)
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.save()
    return client


def _failures(user) -> int:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return sum(TOTPDevice.objects.filter(user=user).values_list("throttling_failure_count", flat=True))


@pytest.mark.real_two_factor
@pytest.mark.parametrize("code", [pytest.param(v, id=i) for i, v in CODES])
def test_a_hostile_code_on_the_two_step_page_is_refused(w, unchanged, code):
    user = w.user("samira")
    client = _unverified(user)
    before = _failures(user)
    with unchanged(ignore=OTP_TABLES, fresh=True):
        response = client.post(reverse("twofactor:verify") + "?next=/coordinators/", {"otp_token": code})
        assert response.status_code == 200
        assert_refused(response, "form", ok_status=(200,), posted=code)
    assert _failures(user) >= before
    assert client.get("/coordinators/").status_code == 302  # still not past the second step


@pytest.mark.real_two_factor
@pytest.mark.parametrize("code", [pytest.param(v, id=i) for i, v in CODES[:6] + cat.SQL])
def test_a_hostile_code_on_the_setup_page_is_refused(w, unchanged, code):
    from hub.roles import TRAINER
    from hub.services import person_create
    from hub.twofactor import services

    person = person_create(username="newtrainer", email="new@example.org", first_name="New", last_name="Trainer",
                           password="a-long-test-password", roles=(TRAINER,))
    services.setup_device_for(person.user)  # the page makes the unconfirmed device on its first view
    from wagtail.users.models import UserProfile

    UserProfile.get_for_user(person.user)  # and Wagtail its preferences row
    client = _unverified(person.user)
    with unchanged(ignore=OTP_TABLES, fresh=True):
        response = client.post(reverse("twofactor:setup"), {"otp_token": code})
        assert_refused(response, "form", ok_status=(200,), posted=code)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not TOTPDevice.objects.filter(user=person.user, confirmed=True).exists()


@pytest.mark.parametrize("code", [pytest.param(v, id=i) for i, v in CODES[:6]])
def test_a_hostile_code_for_new_backup_codes_is_refused(w, unchanged, code):
    from django_otp.plugins.otp_static.models import StaticToken

    before = StaticToken.objects.count()
    with unchanged(ignore=OTP_TABLES):
        response = w.client("samira").post(reverse("twofactor:backup_codes"), {"otp_token": code})
        assert_refused(response, "form", ok_status=(200,), posted=code)
    assert StaticToken.objects.count() == before
