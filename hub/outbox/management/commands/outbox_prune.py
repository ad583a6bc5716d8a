from django.core.management.base import BaseCommand

from hub.outbox.services import outbox_prune


class Command(BaseCommand):
    help = ("Delete messages sent or skipped more than OUTBOX_KEEP_DAYS ago, and the task queue's records of "
            "tasks finished as long ago (queued and failed messages stay).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="instead of OUTBOX_KEEP_DAYS")

    def handle(self, *args, **options):
        if options["days"] is not None and options["days"] < 1:
            self.stderr.write("--days must be 1 or more")
            raise SystemExit(2)
        counts = outbox_prune(days=options["days"])
        self.stdout.write(f"{counts['messages']} old messages and {counts['tasks']} finished task records deleted")
