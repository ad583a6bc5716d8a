from django.core.management.base import BaseCommand

from courses.services import certificate_reminders_send


class Command(BaseCommand):
    help = "Email visitors 90, 30 and 7 days before their certificates expire (once each; safe to rerun)."

    def handle(self, *args, **options):
        sent = certificate_reminders_send()
        self.stdout.write(f"Sent {sent['visitor']} visitor reminder(s) and {sent['coordinator']} coordinator "
                          "notice(s).")
