"""`icihub privacy export|erase|retain`: a person's personal data (operations/privacy.py).

    icihub privacy export PERSON [--output FILE]   everything held on a person, as JSON
    icihub privacy erase PERSON --reason TEXT      anonymise a person (audited)
    icihub privacy retain [--today DATE]           erase everyone past the retention period (daily job)

PERSON is a person's id or e-mail."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from icihub.operations import privacy


class Command(BaseCommand):
    help = "Export or erase a person's personal data, or apply the retention rule."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export")
        export.add_argument("person")
        export.add_argument("--output")
        erase = sub.add_parser("erase")
        erase.add_argument("person")
        erase.add_argument("--reason", required=True)
        retain = sub.add_parser("retain")
        retain.add_argument("--today")

    def handle(self, *args, action, **options):
        if action == "retain":
            try:
                today = datetime.date.fromisoformat(options["today"]) if options.get("today") else timezone.localdate()
            except ValueError:
                raise CommandError(f"--today {options['today']!r} is not a date (YYYY-MM-DD).") from None
            self.stdout.write(f"{privacy.apply_retention(today)} persons erased under the retention rule.")
            return
        try:
            person = privacy.find(options["person"])
        except LookupError as error:
            raise CommandError(str(error)) from None
        if action == "export":
            text = json.dumps(privacy.export(person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            if options.get("output"):
                Path(options["output"]).write_text(text, encoding="utf-8")
                self.stdout.write(f"Personal data of {person.public_id} written to {options['output']}.")
            else:
                self.stdout.write(text)
        else:
            try:
                privacy.erase(actor=None, person=person, reason=options["reason"], source="command")
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"Person {person.public_id} erased.")
