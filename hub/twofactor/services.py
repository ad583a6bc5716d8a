"""Writes of two-step sign-in: enrolment, verification, backup codes.

Throttling is django-otp's own (ThrottlingMixin: after n wrong codes the device refuses every code for
OTP_*_THROTTLE_FACTOR * 2**(n-1) seconds). A code sent while a device is locked is refused here without
asking the device, so waiting is enough to recover and nothing else changes.
"""

import math
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.twofactor.errors import NotAllowed, Throttled, WrongCode
from hub.twofactor.selectors import second_factor_required, totp_device_for

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"

_TOTP_CODE = re.compile(r"^\d{6}$")
_BACKUP_CODE = re.compile(r"^[a-z2-7]{8}$")


def normalise(token: str) -> str:
    """People type codes with spaces or dashes ("123 456", "abcd-efgh"); compare without them."""
    return re.sub(r"[\s-]", "", token or "").lower()


def _check_allowed(device) -> None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return
    locked_until = (data or {}).get("locked_until")
    seconds = math.ceil((locked_until - timezone.now()).total_seconds()) if locked_until else 1
    raise Throttled(max(seconds, 1))


def _verify_locked(device_model, pk: int, token: str):
    """Verify on a row locked for update (concurrent submissions cannot both pass or both count).

    The refusal is raised only after the transaction committed, so the throttle's count of wrong codes
    is kept; callers must therefore not wrap this in a transaction of their own."""
    with transaction.atomic():
        device = device_model.objects.select_for_update().get(pk=pk)
        _check_allowed(device)
        verified = device.verify_token(token)
    if not verified:
        raise WrongCode()
    return device


def code_verify(*, user, token: str, backup_allowed: bool = True):
    """The confirmed device that accepts `token` (a 6-digit app code, or a backup code when allowed).
    Raises WrongCode or Throttled; a refused code only counts towards the device's throttle."""
    token = normalise(token)
    if _TOTP_CODE.match(token):
        device = totp_device_for(user)
        if device is None:
            raise WrongCode(_("You have no authenticator app set up yet."))
        return _verify_locked(TOTPDevice, device.pk, token)
    if backup_allowed and _BACKUP_CODE.match(token):
        device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise WrongCode()
        return _verify_locked(StaticDevice, device.pk, token)
    if backup_allowed:
        raise WrongCode(_("Enter the 6-digit code from your authenticator app, or one of your backup codes."))
    raise WrongCode(_("Enter the 6-digit code from your authenticator app."))


def session_verify(request, device) -> None:
    """Mark this session as having passed the second step with `device` (django_otp.login: the
    session key `otp_device_id` holds the device's persistent_id). Rotates the session key."""
    request.session.cycle_key()
    otp_login(request, device)


def session_unverify(request) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)


@transaction.atomic
def setup_device_for(user) -> TOTPDevice:
    """The authenticator being set up: an unconfirmed TOTP device with a fresh random key (reused
    until confirmed, so that reloading the page does not change the QR code)."""
    device = totp_device_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def backup_codes_replace(user) -> list[str]:
    """A fresh set of single-use backup codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def setup_confirm(*, user, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with a code from it. Returns the device and the new backup
    codes (shown once). Raises WrongCode or Throttled and then changes nothing but the throttle.
    (Like every verifying service here it has no outer transaction: see _verify_locked.)"""
    pending = totp_device_for(user, confirmed=False)
    if pending is None:
        raise WrongCode(_("Start again: open the set-up page to get a new QR code."))
    token = normalise(token)
    if not _TOTP_CODE.match(token):
        raise WrongCode(_("Enter the 6-digit code your authenticator app shows."))
    device = _verify_locked(TOTPDevice, pending.pk, token)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return device, backup_codes_replace(user)


def backup_codes_regenerate(*, user, token: str) -> list[str]:
    """New backup codes, after a fresh code from the authenticator app (not a backup code)."""
    code_verify(user=user, token=token, backup_allowed=False)
    return backup_codes_replace(user)


def authenticator_remove(*, user, token: str) -> None:
    """Turn two-step sign-in off (only for people who opted in): needs a fresh app code."""
    if second_factor_required(user):
        raise NotAllowed(_("Your role needs two-step sign-in: it cannot be turned off."))
    code_verify(user=user, token=token, backup_allowed=False)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
