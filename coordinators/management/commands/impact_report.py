"""`python manage.py impact_report --scope state|region:<id>|district:<id> --from YYYY-MM --to YYYY-MM
--format json|csv`: the impact table the page shows (`coordinators.selectors.impact`, the same selector,
the same suppression), printed for an operator. Bad input is a one-line error and exit status 1."""

import json

from django.core.management.base import BaseCommand, CommandError

from coordinators import selectors
from coordinators.selectors import BadImpactQuery, OutOfScope
from hub.exports import csv_lines


class Command(BaseCommand):
    help = "Print the impact table (attendance change after the first visit) as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--scope", default="state", help="state, region:<id> or district:<id>")
        parser.add_argument("--from", dest="first", default="", help="first month of first visits (YYYY-MM)")
        parser.add_argument("--to", dest="last", default="", help="last month of first visits (YYYY-MM)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--breakdown", default="", choices=["", *selectors.BREAKDOWN_KEYS],
                            help="only this breakdown (the page's choice); every one by default")

    def handle(self, *args, scope, first, last, format, breakdown, **options):
        try:
            period = selectors.period_read(first, last)
            chosen = selectors.scope_read(scope)
        except BadImpactQuery as exc:
            raise CommandError(f"--{exc.field}: {exc}") from None
        except OutOfScope:
            raise CommandError(f"--scope: there is no {scope.partition(':')[0]} with id "
                               f"{scope.partition(':')[2]!r}.") from None
        table = selectors.impact_table(scope=chosen, period=period)
        if format == "json":
            self.stdout.write(json.dumps(selectors.impact_data(table, breakdown), ensure_ascii=False, indent=2))
            return
        # The page's CSV, cell for cell (hub.exports: a negative change is written '-1.4, as every export
        # of the Hub writes a cell a spreadsheet would run as a formula); without the byte-order mark.
        for line in csv_lines(selectors.CSV_HEADER, selectors.impact_rows(table, breakdown)):
            self.stdout.write(line.lstrip("\ufeff"), ending="")
