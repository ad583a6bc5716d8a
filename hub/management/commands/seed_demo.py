from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from hub.demo import demo_checks, demo_logins, demo_steps
from hub.errors import HubError
from hub.twofactor.demo import DEMO_TOTP_KEY_BASE32, demo_needs_code


class Command(BaseCommand):
    help = "Load the demo site (idempotent): organisations, people in every role, and each app's content."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, **options):
        if not settings.HUB_ALLOW_DEMO_DATA:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates accounts with published passwords. "
                "Set HUB_ALLOW_DEMO_DATA=1 only for a throwaway database."
            )
        autodiscover_modules("demo")
        try:
            # The checks first: each step commits on its own, so a refusal in a later step would
            # leave the earlier ones written. A refusal (HubError) ends the command with its
            # one-line message, e.g. the content file and field to fix, not a traceback.
            for check in demo_checks():
                check()
            for name, step in demo_steps():
                with transaction.atomic():
                    summary = step()
                self.stdout.write(f"  {name}: {summary or 'done'}")
        except HubError as error:
            raise CommandError(f"seed_demo stopped: {error}") from error
        if not options["quiet_logins"]:
            self.stdout.write(self.style.SUCCESS("\nDemo logins (user name, password, what they see):"))
            logins = demo_logins()
            width = max(len(username) for username, _password, _note in logins)
            for username, password, note in logins:
                code = "+ code" if demo_needs_code(username) else ""
                self.stdout.write(f"  {username:<{width}} {password:<16} {code:<7} {note}")
            self.stdout.write(
                "\n  '+ code': two-step sign-in. Get the current code with `DEBUG=1 .venv/bin/python manage.py demo_code <user name>`,\n"
                f"  or add the published demo key {DEMO_TOTP_KEY_BASE32} to an authenticator app\n"
                "  (time-based, 6 digits, 30 seconds). Demo data only: never use this key for real accounts."
            )
