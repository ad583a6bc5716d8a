"""`python manage.py generate_impact_data --students N --seed S`: students with a known answer (the set
effects of `coordinators.impact_data`), bulk-created, for benchmarks and for trying the impact page."""

from django.core.management.base import BaseCommand, CommandError

from coordinators.impact_data import impact_data_generate
from hub.models import District


class Command(BaseCommand):
    help = "Generate referred students with attendance histories whose true effect of the visits is set."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--district", action="append", default=[], help="district slug (repeatable)")
        parser.add_argument("--trend", type=float, default=0.0,
                            help="points everyone gains anyway from the first month on")
        parser.add_argument("--extra-visits", type=int, default=1, help="follow-up contacts per visited student")

    def handle(self, *args, students, seed, district, trend, extra_visits, **options):
        if not 0 < students <= 1_000_000:
            raise CommandError("--students must be between 1 and 1,000,000.")
        districts = None
        if district:
            districts = list(District.objects.filter(slug__in=district))
            missing = set(district) - {d.slug for d in districts}
            if missing:
                raise CommandError(f"No district with slug {', '.join(sorted(missing))}.")
        try:
            made = impact_data_generate(students=students, seed=seed, districts=districts, trend=trend,
                                        extra_visits=max(0, extra_visits))
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(made.summary)
