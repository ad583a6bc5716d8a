from django.core.management.base import BaseCommand, CommandError

from courses import errors
from courses.badge_selectors import published_keys
from courses.badge_services import badge_key_active, badge_key_rotate, badge_key_withdraw
from courses.models import BadgeSigningKey


class Command(BaseCommand):
    help = ("The Hub's Open Badges signing keys. list: every key and its state; rotate: a new key signs from "
            "now on, the old one stays published so what it signed keeps verifying; withdraw KID: stop "
            "publishing a retired key (it leaked): what it signed stops verifying.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "rotate", "withdraw"])
        parser.add_argument("kid", nargs="?", help="withdraw: the key's id")

    def handle(self, *args, action, kid=None, **options):
        if action == "rotate":
            key = badge_key_rotate()
            self.stdout.write(f"Signing with the new key {key.kid}; earlier keys stay published.")
            return
        if action == "withdraw":
            if not kid:
                raise CommandError("Name the key to withdraw: badge_keys withdraw KID")
            try:
                badge_key_withdraw(kid=kid)
            except errors.CertificateError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"Withdrew {kid}: it is no longer published.")
            return
        if not BadgeSigningKey.objects.exists():
            badge_key_active()
        published = set(published_keys().values_list("pk", flat=True))
        for key in BadgeSigningKey.objects.all():
            state = "active" if key.active else ("retired" if key.pk in published else "withdrawn")
            self.stdout.write(f"{key.kid}\t{state}\tmade {key.created_at:%Y-%m-%d %H:%M}"
                              + (f"\tretired {key.retired_at:%Y-%m-%d %H:%M}" if key.retired_at else ""))
