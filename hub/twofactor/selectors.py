"""Who must use a second factor, and whether a session has passed the second step."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.roles import COACH, COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, roles_of

# Roles whose holders must use a second factor (besides any is_staff or is_superuser account). A coach's
# "ready" counts towards the certificate that clears a visitor for cases, so coaches are among them.
ROLES_REQUIRING_SECOND_FACTOR = frozenset({COORDINATOR, TRAINER, REGIONAL_STAFF, STATE_STAFF, COACH})


def second_factor_required(user) -> bool:
    """The one rule: coordinators, trainers, coaches, regional and state staff, and every staff or superuser
    account must pass the second step. Visitors and families need not (visitors may opt in)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(roles_of(user) & ROLES_REQUIRING_SECOND_FACTOR)


def totp_device_for(user, *, confirmed: bool = True) -> TOTPDevice | None:
    """The person's authenticator app (the oldest one, if there were ever several)."""
    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_authenticator(user) -> bool:
    return user is not None and user.is_authenticated and \
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_expected(user) -> bool:
    """Asked at sign-in: everyone who must use it, and visitors who turned it on."""
    return second_factor_required(user) or has_authenticator(user)


def backup_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device.token_set.count() if device else 0


def device_verifying(user, session) -> Device | None:
    """The confirmed device of this user that verified the session (what django_otp.login stored
    under `otp_device_id`, a device's persistent_id), or None."""
    if session is None or user is None or not user.is_authenticated:
        return None
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return None
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    return device


def session_verified(user, session) -> bool:
    """May this signed-in session act as its user? True when the user needs no second factor or the
    session passed the second step. For code outside the HTTP middleware (websocket consumers): call it
    in a thread (database_sync_to_async); it reads the database."""
    if user is None or not user.is_authenticated:
        return False
    if device_verifying(user, session) is not None:
        return True
    return not second_factor_expected(user)
