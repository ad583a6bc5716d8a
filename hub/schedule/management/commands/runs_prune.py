from django.core.management.base import BaseCommand

from hub.schedule.services import runs_prune


class Command(BaseCommand):
    help = ("Delete the scheduled jobs' runs finished more than SCHEDULE_RUNS_KEEP_DAYS ago (each job's latest "
            "run stays).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="instead of SCHEDULE_RUNS_KEEP_DAYS")

    def handle(self, *args, **options):
        if options["days"] is not None and options["days"] < 1:
            self.stderr.write("--days must be 1 or more")
            raise SystemExit(2)
        self.stdout.write(f"{runs_prune(days=options['days'])} old runs deleted")
