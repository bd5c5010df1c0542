"""`icihub reports refresh` makes the summary of the runs changed since the last report (run it with the
daily jobs, or after a bulk load); `icihub reports rebuild` makes every run's again from the rows and
says whether any run's summary had drifted from them."""

from django.core.management.base import BaseCommand

from icihub.reports import summary


class Command(BaseCommand):
    help = "Keep the reports' summary of the runs: refresh (the changed runs) or rebuild (every run)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("refresh", "rebuild"))

    def handle(self, *args, action: str, **options):
        if action == "refresh":
            made = summary.refresh()
            self.stdout.write(f"{made} run(s) summarised again.")
        else:
            made = summary.rebuild()
            self.stdout.write(f"{made} run(s) summarised from their rows.")
