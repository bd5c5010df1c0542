"""`icihub audit verify [--anchor FILE ...]`: walk the whole audit chain and compare its end with the
head and the anchor kept outside the database, and check that it still holds the events named by the
exported anchors given; exit status 1 on any problem.
`icihub audit export [--action PREFIX] [--since DATE] ... > file.csv`: the events as CSV, oldest first
(the export is recorded in the trail, like a download from the staff page).
`icihub audit export-anchor [--output PATH]`: the head of the chain, signed by the centre, to send off
the machine (docs/audit.md, "Exported anchors")."""

import datetime
from argparse import ArgumentTypeError
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from icihub.audit import exported_anchor, services
from icihub.audit.queries import AuditFilters
from icihub.audit.transfer import csv_lines


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date such as 2026-11-29") from None


class Command(BaseCommand):
    help = (
        "Verify the audit chain (`audit verify`), export the audit trail as CSV (`audit export`) or its "
        "signed head (`audit export-anchor`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,export,export-anchor}")
        verify = commands.add_parser("verify", help="walk the chain; exit status 1 when anything was changed")
        verify.add_argument(
            "--anchor",
            nargs="+",
            action="extend",
            default=[],
            type=Path,
            metavar="FILE",
            help="exported anchors: each must be signed by the centre and name an event the trail still holds",
        )
        export = commands.add_parser("export", help="write the events as CSV to standard output")
        export.add_argument("--action", default="", help='actions starting with this, e.g. "nomination."')
        export.add_argument("--actor", default="", help="events by this user name")
        export.add_argument("--object-type", default="", help='e.g. "nominations.Nomination"')
        export.add_argument("--object-id", default="")
        export.add_argument("--source", default="", help="web, api, import, admin, command…")
        export.add_argument("--since", type=_date, help="from this UTC date (YYYY-MM-DD)")
        export.add_argument("--until", type=_date, help="up to and including this UTC date")
        export_anchor = commands.add_parser(
            "export-anchor", help="write the head of the chain, signed by the centre, to send off the machine"
        )
        export_anchor.add_argument(
            "--output",
            metavar="PATH",
            help="where to write it (- for standard output); default: a new file in VAR_DIR/audit-anchors/",
        )

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "verify":
            self.verify(options)
        elif subcommand == "export-anchor":
            self.export_anchor(options)
        else:
            self.export(options)

    def verify(self, options: dict) -> None:
        verification = services.verify_trail(exported_anchors=options["anchor"])
        if verification.warnings or not verification.intact or options["verbosity"] > 1:
            self.stderr.write(f"anchor file: {verification.anchor_path}")
        for warning in verification.warnings:
            self.stderr.write(f"warning: {warning}")
        for problem in verification.problems:
            self.stdout.write(problem)
        for file, held in verification.exported_anchors_held:
            self.stdout.write(
                f"the trail holds event #{held.event_id} {held.hash[:12]} at place {held.seq}, "
                f"as the anchor exported at {held.exported_at} says ({file})"
            )
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

    def export_anchor(self, options: dict) -> None:
        try:
            document = services.export_anchor()
        except services.AnchorExportRefused as error:
            raise CommandError(f"no anchor exported: {error}") from None
        if options["output"] == "-":
            self.stdout.write(exported_anchor.to_text(document), ending="")
            return
        try:
            path = services.write_exported_anchor(document, Path(options["output"]) if options["output"] else None)
        except FileExistsError as error:
            raise CommandError(f"no anchor exported: {error.filename} is already there (one a second)") from None
        except OSError as error:
            raise CommandError(f"no anchor exported: {error.filename or ''}: {error.strerror or error}") from None
        self.stdout.write(
            f"{path}: event #{document['event_id']} {document['hash'][:12]}, {document['events']} events, "
            f"signed with key {document['key_id']}"
        )
