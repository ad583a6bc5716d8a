from django.core.management.base import BaseCommand

from hub.outbox.services import sends_recover_stranded


class Command(BaseCommand):
    help = ("Queue again the send tasks whose worker stopped while running them (still running "
            "OUTBOX_TASK_STRANDED_SECONDS after they started), or fail their messages after too many runs.")

    def handle(self, *args, **options):
        counts = sends_recover_stranded()
        self.stdout.write(f"{counts['again']} stranded send tasks queued again, {counts['failed']} failed")
