from datetime import timedelta

from django.core.management.base import BaseCommand

from sessions.services import reminders_send


class Command(BaseCommand):
    help = ("E-mail each confirmed registrant about a session starting 24 to 30 hours from now, once "
            "(run it hourly; running it again sends nothing twice).")

    def add_arguments(self, parser):
        parser.add_argument("--from-hours", type=float, default=24.0)
        parser.add_argument("--to-hours", type=float, default=30.0)

    def handle(self, *args, **options):
        sent = reminders_send(lead_from=timedelta(hours=options["from_hours"]),
                              lead_to=timedelta(hours=options["to_hours"]))
        self.stdout.write(f"{sent} reminder{'s' if sent != 1 else ''} sent.")
