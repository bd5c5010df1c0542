"""`icihub audit verify`: walk the whole audit chain and compare its end with the head and the anchor
kept outside the database; exit status 1 on any problem.
`icihub audit export [--action PREFIX] [--since DATE] ... > file.csv`: the events as CSV, oldest first
(the export is recorded in the trail, like a download from the staff page)."""

import datetime
from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError, CommandParser

from icihub.audit import services
from icihub.audit.queries import AuditFilters
from icihub.audit.transfer import csv_lines


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date such as 2026-11-29") from None


class Command(BaseCommand):
    help = "Verify the audit chain (`audit verify`) or export the audit trail as CSV (`audit export`)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,export}")
        commands.add_parser("verify", help="walk the chain; exit status 1 when anything was changed")
        export = commands.add_parser("export", help="write the events as CSV to standard output")
        export.add_argument("--action", default="", help='actions starting with this, e.g. "nomination."')
        export.add_argument("--actor", default="", help="events by this user name")
        export.add_argument("--object-type", default="", help='e.g. "nominations.Nomination"')
        export.add_argument("--object-id", default="")
        export.add_argument("--source", default="", help="web, api, import, admin, command…")
        export.add_argument("--since", type=_date, help="from this UTC date (YYYY-MM-DD)")
        export.add_argument("--until", type=_date, help="up to and including this UTC date")

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "verify":
            self.verify(options)
        else:
            self.export(options)

    def verify(self, options: dict) -> None:
        verification = services.verify_trail()
        if verification.warnings or not verification.intact or options["verbosity"] > 1:
            self.stderr.write(f"anchor file: {verification.anchor_path}")
        for warning in verification.warnings:
            self.stderr.write(f"warning: {warning}")
        for problem in verification.problems:
            self.stdout.write(problem)
        if not verification.intact:
            raise CommandError(verification.summary())
        self.stdout.write(verification.summary())

    def export(self, options: dict) -> None:
        filters = AuditFilters(
            action=options["action"],
            actor=options["actor"],
            object_type=options["object_type"],
            object_id=options["object_id"],
            source=options["source"],
            since=options["since"],
            until=options["until"],
        )
        if filters.since and filters.until and filters.until < filters.since:
            raise CommandError("--until is before --since")
        events = services.export_events(filters, actor=None, source="command")
        for line in csv_lines(events.iterator(chunk_size=services.CHUNK)):
            self.stdout.write(line, ending="")
