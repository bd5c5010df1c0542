"""`icihub backup [--output FILE] [--include-keys]`: a consistent backup of the centre (operations/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from icihub.operations import backup


class Command(BaseCommand):
    help = "Write a consistent backup of the centre's data (and, if asked, its signing keys) to one file."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the file to write; default var/backups/icihub-<time>.tar.gz")
        parser.add_argument(
            "--include-keys", action="store_true", help="put the certificate signing keys in too (secret!)"
        )

    def handle(self, *args, output=None, include_keys=False, **options):
        path = (
            Path(output)
            if output
            else Path(settings.VAR_DIR) / "backups" / (f"icihub-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        )
        manifest = backup.create(path, include_keys=include_keys)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Backup written to {path}: {rows} rows of {len(manifest['counts'])} tables.")
        keys = manifest["keys"]
        if include_keys:
            self.stdout.write(f"It holds the signing keys {', '.join(keys['key_ids']) or '(none)'}: keep it secret.")
        else:
            self.stdout.write(
                f"The signing keys are not in it: back up {keys['directory']} (keys "
                f"{', '.join(keys['key_ids']) or 'none yet'}) separately, or use --include-keys."
            )
