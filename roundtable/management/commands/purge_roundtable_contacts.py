"""Delete families' contact details a set number of days after each roundtable (counts and insights
stay). Run it daily, e.g. from cron: `python manage.py purge_roundtable_contacts`."""

from django.core.management.base import BaseCommand, CommandError

from roundtable.services import contacts_purge, retention_days


class Command(BaseCommand):
    help = ("Remove names, emails, phone numbers and accessibility notes of families signed up for roundtables "
            "that ended more than ROUNDTABLE_CONTACT_RETENTION_DAYS (default 90) days ago.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Override the retention period for this run (days after the roundtable).")

    def handle(self, *args, days=None, **options):
        days = retention_days() if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        purged = contacts_purge(days=days)
        self.stdout.write(f"Removed the contact details of {purged} sign-up(s) to roundtables that ended more "
                          f"than {days} days ago.")
