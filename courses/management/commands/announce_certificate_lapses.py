from django.core.management.base import BaseCommand

from courses.services import certificate_lapses_announce


class Command(BaseCommand):
    help = ("Tell the open pages and chats of people whose certificate ran out in the last 30 minutes to re-check "
            "what they may read (safe to rerun; the scheduler runs it every 10 minutes).")

    def handle(self, *args, **options):
        told = certificate_lapses_announce()
        self.stdout.write(f"Told {told} person(s) whose certificate ran out.")
