"""Remove student-identifying data and free text from cases closed more than CASE_RETENTION_DAYS (default
365) days ago; the dashboards' counts stay. Run it daily, e.g. from cron: `python manage.py purge_closed_cases`."""

from django.core.management.base import BaseCommand, CommandError

from coordinators.selectors import case_retention_days
from coordinators.services import closed_cases_purge
from hub.privacy.errors import PrivacyError


class Command(BaseCommand):
    help = ("Remove names, student ids, languages, referral reasons, notes and visit-log text of cases closed "
            "more than CASE_RETENTION_DAYS (default 365) days ago, keeping what the dashboards count.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Override the retention period for this run (days after the case closed).")
        parser.add_argument("--dry-run", action="store_true", help="Count the cases due and change nothing.")
        parser.add_argument("--operator", default="scheduled retention job",
                            help="Who runs it, for the privacy audit (default: scheduled retention job).")

    def handle(self, *args, days=None, dry_run=False, operator="", **options):
        days = case_retention_days() if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        try:
            counts = closed_cases_purge(days=days, dry_run=dry_run, operator=operator)
        except PrivacyError as error:
            raise CommandError(str(error)) from None
        if dry_run:
            self.stdout.write(f"Dry run: {counts['cases']} case(s) closed more than {days} days ago would be "
                              "purged. Nothing was changed.")
            return
        detail = ", ".join(f"{model}: {n}" for model, n in sorted(counts.items()) if model != "cases")
        self.stdout.write(f"Purged {counts['cases']} case(s) closed more than {days} days ago"
                          f"{' (' + detail + ')' if detail else ''}.")
