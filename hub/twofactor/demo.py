"""Two-step sign-in in the demo: every demo account that must use a second factor gets a confirmed
"Demo authenticator" with a published key, so anyone trying the demo can sign in (`seed_demo` prints it).
Demo data only: `seed_demo` and `demo_code` refuse to run with DEBUG off unless HUB_ALLOW_DEMO_DATA=1.
"""

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.demo import DEMO_EMAIL_DOMAIN, PEOPLE, demo_step
from hub.twofactor.selectors import ROLES_REQUIRING_SECOND_FACTOR, second_factor_required

# Two-step sign-in for the demo accounts that need it: a confirmed "Demo authenticator" with this
# PUBLISHED key (the RFC 6238 test key; base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ). The current code:
# `manage.py demo_code <username>`, or f"{django_otp.oath.totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}".
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_KEY_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
DEMO_DEVICE_NAME = "Demo authenticator"


def demo_needs_code(username: str) -> bool:
    """Whether this demo login asks for a code from the demo authenticator."""
    spec = next((p for p in PEOPLE if p.username == username), None)
    return spec is not None and bool(set(spec.roles) & ROLES_REQUIRING_SECOND_FACTOR)


@demo_step(order=90)
def seed_demo_authenticators() -> str:
    """Every demo account that must use a second factor gets the published demo authenticator (after
    the apps' steps, which may add accounts). Idempotent: an existing device keeps its counters."""
    created = 0
    for user in get_user_model().objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}").order_by("pk"):
        if not second_factor_required(user):
            continue
        device, made = TOTPDevice.objects.get_or_create(
            user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY, "confirmed": True})
        if not made and (device.key != DEMO_TOTP_KEY or not device.confirmed):
            device.key, device.confirmed = DEMO_TOTP_KEY, True
            device.save(update_fields=["key", "confirmed"])
        created += made
    return f"{created} demo authenticators created ({TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME).count()} in all)"
