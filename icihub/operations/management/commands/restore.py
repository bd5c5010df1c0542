"""`icihub restore FILE [--replace]`: restore a backup (operations/backup.py), all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from icihub.operations import backup


class Command(BaseCommand):
    help = "Restore a backup into an empty database (or, with --replace, empty this one first)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="delete this database's data first")

    def handle(self, *args, file, replace=False, **options):
        try:
            manifest = backup.restore(Path(file), replace=replace)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Restored {rows} rows of {len(manifest['counts'])} tables from {manifest['database']}, "
            f"made {manifest['made_at']}; the audit trail verifies."
        )
