from django.core.management.base import BaseCommand

from hub.jobs.services import jobs_purge_expired


class Command(BaseCommand):
    help = "Remove the jobs (imports, exports) past their expiry, with their files (JOB_RESULT_DAYS)."

    def handle(self, *args, **options):
        self.stdout.write(f"{jobs_purge_expired()} expired jobs removed")
