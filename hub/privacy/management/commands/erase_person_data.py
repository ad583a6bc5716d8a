"""Erase one person's, family's or student's data as the privacy registry says (delete, anonymise, keep
as an anonymous count).

    manage.py erase_person_data --username dana --operator "Jo Lee, ticket 42"            # what would go
    manage.py erase_person_data --username dana --operator "Jo Lee, ticket 42" --confirm  # do it

Without --confirm it prints what would be erased and changes nothing. With it, everything happens in
one transaction, or nothing does: erasure is refused while the subject has something that must be
handled first (an open case assignment, an upcoming roundtable seat, a student case still open).
Every run, dry runs and refusals included, is recorded (privacy.PrivacyRequest).
"""

from django.core.management.base import BaseCommand, CommandError

from hub.privacy.errors import ErasureRefused, PrivacyError
from hub.privacy.management.commands._privacy_args import add_subject_arguments
from hub.privacy.selectors import subject_from_options
from hub.privacy.services import privacy_erase


class Command(BaseCommand):
    help = "Erase the data held about one account (--username), family (--email/--phone) or student (--student)."

    def add_arguments(self, parser):
        add_subject_arguments(parser)
        parser.add_argument("--confirm", action="store_true", help="Really erase (without it: a dry run).")

    def handle(self, *args, username="", email="", phone="", student=None, operator="", confirm=False, **options):
        try:
            subject = subject_from_options(username=username, email=email, phone=phone, student=student)
            plan = privacy_erase(subject=subject, operator=operator, confirm=confirm)
        except ErasureRefused as error:
            raise CommandError(f"Nothing was erased. {error}") from None
        except PrivacyError as error:
            raise CommandError(str(error)) from None
        if not confirm:
            self.stdout.write(f"Dry run: nothing was changed. With --confirm, for {subject.label}:")
            for line in plan.describe():
                self.stdout.write(f"  {line}")
            for blocker in plan.blockers:
                self.stdout.write(self.style.WARNING(f"  Refused until done: {blocker}"))
            return
        self.stdout.write(self.style.SUCCESS(f"Erased {subject.label} (reference {subject.ref[:12]}):"))
        for model, n in sorted(plan.counts.items()):
            self.stdout.write(f"  {model}: {n} row(s) changed")
