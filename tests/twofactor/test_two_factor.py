"""Two-step sign-in (django-otp): who is asked, the verify and set-up pages, backup codes, throttling, the
admin and the websockets. These tests use Django's own force_login (`real_two_factor`): nothing passes
the second step for them."""

import re
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.demo import PEOPLE, seed_site_and_people
from hub.roles import ALL_ROLES, COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, VISITOR
from hub.services import roles_ensure
from hub.twofactor import services
from hub.twofactor.demo import DEMO_DEVICE_NAME, DEMO_TOTP_KEY, seed_demo_authenticators
from hub.twofactor.selectors import second_factor_required, session_verified
from tests.sockets import socket_open

pytestmark = pytest.mark.real_two_factor

PASSWORD = "a-long-test-password"
# Templates only the admins' own pages (dashboard, page explorer, Django admin index) render.
ADMIN_PAGES = {"wagtailadmin/home.html", "wagtailadmin/pages/index.html",
               "admin/index.html", "admin/app_index.html"}
WRONG = "Wrong code"


def code_for(device, steps_ahead: int = 0) -> str:
    """The code an authenticator app with this device's key shows (steps_ahead: the next ones)."""
    t = TOTP(device.bin_key, device.step, device.t0, device.digits)
    t.time = time.time() + steps_ahead * device.step
    return f"{t.token():06d}"


def not_the_code(device) -> str:
    valid = {code_for(device, n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


@pytest.fixture
def hartford(orgs):
    return orgs["Hartford"]


@pytest.fixture
def carla(make_person, hartford):
    """A Hartford coordinator with an authenticator app set up."""
    person = make_person("carla", roles=(COORDINATOR,), home_district=hartford)
    TOTPDevice.objects.create(user=person.user, name="Phone", confirmed=True)
    return person


def device_of(person) -> TOTPDevice:
    return TOTPDevice.objects.get(user=person.user, confirmed=True)


def signed_in(person) -> Client:
    """Past the password step only (Django's own force_login)."""
    client = Client()
    client.force_login(person.user)
    return client


def two_step_url(next_path: str) -> str:
    from urllib.parse import urlencode

    return "/accounts/two-step/?" + urlencode({"next": next_path})


# --- who is asked -----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_rule_covers_staff_roles_and_staff_accounts_but_not_visitors(make_person, hartford, orgs):
    people = {
        COORDINATOR: make_person(roles=(COORDINATOR,), home_district=hartford),
        TRAINER: make_person(roles=(TRAINER,)),
        REGIONAL_STAFF: make_person(roles=(REGIONAL_STAFF,), region=hartford.region),
        STATE_STAFF: make_person(roles=(STATE_STAFF,)),
        VISITOR: make_person(roles=(VISITOR,), home_district=hartford),
        "none": make_person(),
    }
    assert {role for role, p in people.items() if second_factor_required(p.user)} == {
        COORDINATOR, TRAINER, REGIONAL_STAFF, STATE_STAFF}
    superuser = people["none"].user
    superuser.is_superuser = True
    assert second_factor_required(superuser)


@pytest.mark.django_db
def test_a_coordinator_with_a_password_only_is_sent_to_the_two_step_page(carla):
    client = Client()
    response = client.post("/accounts/login/", {"username": "carla", "password": PASSWORD,
                                                "next": "/coordinators/"})
    assert response.status_code == 302 and response["Location"] == "/coordinators/"
    response = client.get("/coordinators/")
    assert response.status_code == 302 and response["Location"] == two_step_url("/coordinators/")
    for path in ("/me/", "/coordinators/cases/", "/discussion/", "/training/"):
        assert client.get(path)["Location"].startswith("/accounts/two-step/?next="), path
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert '<label for="id_otp_token">Code from your authenticator app' in html
    assert 'name="otp_token"' in html and ">Verify</button>" in html
    assert "Hartford" not in html  # nothing of the coordinator's work shows before the second step


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_the_session_stays_unverified(carla):
    client = signed_in(carla)
    response = client.post("/accounts/two-step/", {"otp_token": not_the_code(device_of(carla)),
                                                   "next": "/coordinators/"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/coordinators/").status_code == 302
    for nonsense in ("", "12345", "not a code at all!"):
        response = client.post("/accounts/two-step/", {"otp_token": nonsense})
        assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_the_right_code_lets_them_through_and_honours_a_safe_next(carla):
    client = signed_in(carla)
    device = device_of(carla)
    response = client.post("/accounts/two-step/", {"otp_token": code_for(device), "next": "/coordinators/"})
    assert response.status_code == 302 and response["Location"] == "/coordinators/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    roster = client.get("/coordinators/")
    assert roster.status_code == 200
    # once verified, the two-step page just sends them on
    assert client.get(two_step_url("/me/"))["Location"] == "/me/"


@pytest.mark.django_db
@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_an_unsafe_next_is_ignored(carla, unsafe):
    client = signed_in(carla)
    response = client.post("/accounts/two-step/", {"otp_token": code_for(device_of(carla)), "next": unsafe})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session[DEVICE_ID_SESSION_KEY]


@pytest.mark.django_db
def test_a_backup_code_works_once_only(carla):
    codes = services.backup_codes_replace(carla.user)
    assert len(codes) == 10 and len(set(codes)) == 10
    first = signed_in(carla)
    typed = f"{codes[3][:4].upper()} {codes[3][4:].upper()}"  # as printed, in capitals: still accepted
    response = first.post("/accounts/two-step/", {"otp_token": typed, "next": "/coordinators/"}, follow=True)
    assert response.redirect_chain[0] == ("/coordinators/", 302)
    assert "You used a backup code; 9 left" in response.content.decode()
    second = signed_in(carla)
    response = second.post("/accounts/two-step/", {"otp_token": codes[3]})
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in second.session
    assert StaticDevice.objects.get(user=carla.user).token_set.count() == 9


@pytest.mark.django_db
def test_repeated_wrong_codes_are_throttled_even_for_the_right_code(carla, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 30  # 30 s after the first wrong code (default 1 s, doubling)
    client = signed_in(carla)
    device = device_of(carla)
    client.post("/accounts/two-step/", {"otp_token": not_the_code(device)})
    response = client.post("/accounts/two-step/", {"otp_token": code_for(device)})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"Too many wrong codes\. Wait (29|30) seconds", html), html
    assert DEVICE_ID_SESSION_KEY not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a refused attempt while locked does not lengthen the wait
    device.throttling_failure_timestamp -= __import__("datetime").timedelta(seconds=31)
    device.save()
    response = client.post("/accounts/two-step/", {"otp_token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


@pytest.mark.django_db
def test_setup_end_to_end_from_the_page(make_person, hartford, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # throttling has its own test; here a typo must not lock setup
    person = make_person("newcoord", roles=(COORDINATOR,), home_district=hartford)
    client = signed_in(person)
    response = client.get("/coordinators/")
    assert response["Location"] == "/accounts/two-step/setup/?next=%2Fcoordinators%2F"
    assert client.get("/accounts/two-step/")["Location"] == "/accounts/two-step/setup/?next=%2F"
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and 'class="qr-code"' in page and 'role="img"' in page
    key = re.search(r'<code class="otp-key"[^>]*>([A-Z2-7 ]+)</code>', page).group(1)
    groups = key.split(" ")
    assert all(len(g) == 4 for g in groups[:-1]) and len(groups) == 8
    from base64 import b32decode

    secret = b32decode(key.replace(" ", ""))
    assert client.get("/accounts/two-step/setup/").content.decode().count(key) == 1  # reload: same key
    wrong = client.post("/accounts/two-step/setup/", {"otp_token": "000000" if totp(secret) else "111111"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=person.user, confirmed=True).exists()
    response = client.post("/accounts/two-step/setup/", {"otp_token": f"{totp(secret):06d}",
                                                         "next": "/coordinators/"})
    html = response.content.decode()
    assert response.status_code == 200 and "Your backup codes" in html
    shown = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", html)
    assert len(shown) == 10
    assert 'href="/coordinators/"' in html
    device = TOTPDevice.objects.get(user=person.user)
    assert device.confirmed and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/coordinators/").status_code == 200
    # the codes are shown once: the profile offers a new set, never the old ones
    profile = client.get("/me/").content.decode()
    assert "10 backup codes left" in profile and shown[0] not in profile
    # a backup code from the page works at the next sign-in
    later = signed_in(person)
    assert later.post("/accounts/two-step/", {"otp_token": shown[0]}).status_code == 302


@pytest.mark.django_db
def test_visitors_are_not_asked_and_may_opt_in_then_are_asked(make_person, hartford):
    ana = make_person("ana", roles=(VISITOR,), home_district=hartford)
    client = signed_in(ana)
    assert client.get("/me/").status_code == 200
    assert "Turn on two-step sign-in" in client.get("/me/").content.decode()
    assert client.get("/accounts/two-step/?next=/me/")["Location"] == "/me/"
    page = client.get("/accounts/two-step/setup/?next=/me/").content.decode()
    key = re.search(r'<code class="otp-key"[^>]*>([A-Z2-7 ]+)</code>', page).group(1)
    from base64 import b32decode

    secret = b32decode(key.replace(" ", ""))
    assert client.post("/accounts/two-step/setup/", {"otp_token": f"{totp(secret):06d}"}).status_code == 200
    profile = client.get("/me/").content.decode()
    assert "Turn off two-step sign-in" in profile
    again = signed_in(ana)
    assert again.get("/me/")["Location"] == two_step_url("/me/")
    # she may turn it off again, with a fresh code (the one used at set-up is spent: the next one)
    device = TOTPDevice.objects.get(user=ana.user)
    refused = again.post("/accounts/two-step/turn-off/", {"otp_token": code_for(device, 1)})
    assert refused["Location"].startswith("/accounts/two-step/?next=")  # not before the second step
    assert TOTPDevice.objects.filter(user=ana.user).exists()
    turned_off = client.post("/accounts/two-step/turn-off/", {"otp_token": code_for(device, 1)})
    assert turned_off["Location"] == "/me/"
    assert not TOTPDevice.objects.filter(user=ana.user).exists()
    assert not StaticDevice.objects.filter(user=ana.user).exists()
    assert signed_in(ana).get("/me/").status_code == 200


@pytest.mark.django_db
def test_new_backup_codes_need_a_fresh_app_code(carla):
    client = signed_in(carla)
    device = device_of(carla)
    old = services.backup_codes_replace(carla.user)
    # the two-step pages are open before the second step, but this one needs it passed first
    assert client.get("/accounts/two-step/backup-codes/")["Location"].startswith("/accounts/two-step/?next=")
    client.post("/accounts/two-step/", {"otp_token": code_for(device)})
    refused = client.post("/accounts/two-step/backup-codes/", {"otp_token": old[0]})
    assert refused.status_code == 200 and "Enter the 6-digit code" in refused.content.decode()
    # the code just used is spent; the app's next code is accepted (tolerance of one step)
    response = client.post("/accounts/two-step/backup-codes/", {"otp_token": code_for(device, 1)})
    new = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", response.content.decode())
    assert len(new) == 10
    assert not StaticDevice.objects.get(user=carla.user).token_set.filter(token__in=old).exists()


# --- the admin ----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_admins_require_a_verified_session(make_person, home_page):
    state = make_person("samira", roles=(STATE_STAFF,))
    device = TOTPDevice.objects.create(user=state.user, name="Phone", confirmed=True)
    client = signed_in(state)
    assert state.user.is_staff
    for path in ("/admin/", "/django-admin/", "/admin/pages/"):
        assert client.get(path)["Location"] == two_step_url(path), path
    client.post("/accounts/two-step/", {"otp_token": code_for(device)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


@pytest.mark.django_db
def test_no_demo_visitor_or_visitor_group_can_reach_the_wagtail_admin(orgs, home_page):
    seed_site_and_people()
    groups = roles_ensure()
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    assert set(groups) == set(ALL_ROLES)
    for name, group in groups.items():
        holds = group.permissions.filter(pk=access_admin.pk).exists()
        assert holds == (name in {TRAINER, STATE_STAFF}), name
    visitors = [p for p in PEOPLE if set(p.roles) == {VISITOR}]
    assert len(visitors) >= 10
    from django.contrib.auth import get_user_model

    for spec in visitors:
        user = get_user_model().objects.get(username=spec.username)
        assert not user.is_staff and not user.is_superuser, spec.username
        assert not user.has_perm("wagtailadmin.access_admin"), spec.username
    visitor = get_user_model().objects.get(username="visitor")
    client = Client()
    client.force_login(visitor)
    for path, login in (("/admin/", "/admin/login/"), ("/admin/pages/", "/admin/login/"),
                        ("/django-admin/", "/django-admin/login/")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(login + "?next="), path
        form = client.get(login)
        assert form.status_code == 200 and b'name="password"' in form.content  # a sign-in form, no more
        assert not {t.name for t in form.templates} & ADMIN_PAGES
    # even a visitor given the permission by mistake gets no admin, and no redirect loop: 403
    visitor.user_permissions.add(access_admin)
    client = Client()
    client.force_login(visitor)
    assert client.get("/admin/")["Location"] == "/admin/login/?next=%2Fadmin%2F"
    for login in ("/admin/login/", "/django-admin/login/"):
        response = client.get(login)
        assert response.status_code == 403
        assert not {t.name for t in response.templates} & ADMIN_PAGES


@pytest.mark.django_db
def test_the_visitor_group_cannot_keep_admin_access(orgs, home_page):
    groups = roles_ensure()
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    Group.objects.get(name=VISITOR).permissions.add(access_admin)
    roles_ensure()
    assert not groups[VISITOR].permissions.filter(pk=access_admin.pk).exists()


# --- demo data --------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_demo_accounts_that_need_it_get_the_published_authenticator(orgs, home_page, settings, capsys):
    seed_site_and_people()
    seed_demo_authenticators()
    seed_demo_authenticators()  # idempotent
    devices = TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME, confirmed=True, key=DEMO_TOTP_KEY)
    owners = set(devices.values_list("user__username", flat=True))
    assert {"state", "regional", "trainer", "trainer2", "coordinator", "coordinator.nh",
            "coordinator.bpt"} == owners
    assert devices.count() == len(owners)
    settings.HUB_ALLOW_DEMO_DATA = True
    before = f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"
    call_command("demo_code", "coordinator")
    printed = capsys.readouterr()
    assert printed.out.strip() in {before, f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"}
    assert "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in printed.err
    with pytest.raises(CommandError, match="password only"):
        call_command("demo_code", "visitor")
    settings.HUB_ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="refuses to run"):
        call_command("demo_code", "coordinator")


# --- websockets ----------------------------------------------------------------------------------------------

async def connect(path: str, key: str):
    return await socket_open(path, key)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_sockets_refuse_an_unverified_session_with_4401(fresh_layer, carla, hartford):
    from channels.db import database_sync_to_async

    client = await database_sync_to_async(signed_in)(carla)
    key = client.cookies["sessionid"].value
    for path in ("/ws/discussion/", f"/ws/board/{hartford.pk}/"):
        comm, connected, code = await connect(path, key)
        assert (connected, code) == (False, 4401), path

    @database_sync_to_async
    def verify():
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device_of(carla).persistent_id
        session.save()
        return session_verified(carla.user, client.session)

    assert await verify()
    for path in ("/ws/discussion/", f"/ws/board/{hartford.pk}/"):
        comm, connected, code = await connect(path, key)
        assert connected, (path, code)
        await comm.disconnect()
