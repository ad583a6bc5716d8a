"""Export everything the Hub holds about one person, family or student, as the privacy registry lists it.

    manage.py export_person_data --username visitor --operator "Jo Lee, ticket 42" --output /tmp/exports
    manage.py export_person_data --email parent@example.org --operator "..."
    manage.py export_person_data --student 17 --operator "..."

Writes two files in --output (default: the current folder): an HTML page with one section per kind
of record (for the person to read) and the same data as JSON. Each run is recorded (privacy.PrivacyRequest).
"""

from django.core.management.base import BaseCommand, CommandError

from hub.privacy.errors import PrivacyError
from hub.privacy.management.commands._privacy_args import add_subject_arguments
from hub.privacy.selectors import subject_from_options
from hub.privacy.services import privacy_export


class Command(BaseCommand):
    help = "Export the data held about one account (--username), family (--email/--phone) or student (--student)."

    def add_arguments(self, parser):
        add_subject_arguments(parser)
        parser.add_argument("--output", default=".", help="An existing folder for the two files (default: here).")

    def handle(self, *args, username="", email="", phone="", student=None, operator="", output=".", **options):
        try:
            subject = subject_from_options(username=username, email=email, phone=phone, student=student)
            paths, export = privacy_export(subject=subject, operator=operator, directory=output)
        except PrivacyError as error:
            raise CommandError(str(error)) from None
        rows = sum(export.counts.values())
        self.stdout.write(f"Exported {rows} record(s) about {subject.label} in "
                          f"{sum(1 for s in export.sections if s.rows)} section(s):")
        for path in paths:
            self.stdout.write(f"  {path}")
