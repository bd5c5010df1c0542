"""`icihub seat_jobs`: the scheduled seat job. Run it daily (cron, systemd timer or a task scheduler):
expires undecided nominations past their deadline and, from six weeks before each start, returns
unfilled allocations to the pool and offers them to the waiting list. Running it twice does nothing
more the second time."""

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date

from icihub.nominations.services import run_seat_jobs


class Command(BaseCommand):
    help = "Expire undecided nominations and reallocate unfilled seats six weeks before the start."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = parse_date(options["today"]) if options["today"] else None
        counts = run_seat_jobs(today=today)
        self.stdout.write(f"expired={counts['expired']} reallocated={counts['reallocated']}")
