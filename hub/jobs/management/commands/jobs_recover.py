from django.core.management.base import BaseCommand

from hub.jobs.services import jobs_recover_stale


class Command(BaseCommand):
    help = ("Resume (or, after JOB_MAX_ATTEMPTS, fail) the jobs whose worker stopped: running, with no "
            "progress for JOB_STALE_SECONDS.")

    def handle(self, *args, **options):
        self.stdout.write(f"{jobs_recover_stale()} stopped jobs resumed or failed")
