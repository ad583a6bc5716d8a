"""`python manage.py impact_refresh`: recompute every student's stored impact figures
(`coordinators.services.impact_summary_refresh`) and say how many rows and how long. The hourly scheduled
job of the same name does the same; run it by hand after a bulk change made around the services, or
after migrating to the stored figures."""

from django.core.management.base import BaseCommand

from coordinators.services import impact_summary_refresh


class Command(BaseCommand):
    help = "Recompute the impact table's stored figures of every student (what the hourly job does)."

    def handle(self, *args, **options):
        result = impact_summary_refresh()
        self.stdout.write(f"Impact figures refreshed: {result.rows} student row(s) written, {result.deleted} "
                          f"removed, in {result.seconds:.2f} s.")
