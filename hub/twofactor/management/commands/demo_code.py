import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.twofactor.demo import DEMO_DEVICE_NAME, DEMO_TOTP_KEY_BASE32


class Command(BaseCommand):
    help = "Print the current two-step sign-in code of a demo account's \"Demo authenticator\"."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.HUB_ALLOW_DEMO_DATA:
            raise CommandError(
                "demo_code refuses to run with DEBUG off: demo authenticators use a published key. "
                "Set HUB_ALLOW_DEMO_DATA=1 only for a throwaway database."
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is called {username!r}.")
        device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator: that account signs in with its "
                               "password only (or run seed_demo first).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
        now = time.time()
        totp.time = now
        left = device.step - int(now - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(f"valid for {left} more seconds; the demo key (base32) is {DEMO_TOTP_KEY_BASE32}")
