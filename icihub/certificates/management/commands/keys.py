"""`icihub keys [--rotate]`: list the certificates' signing keys (the current one marked), or make a new
signing key. Old keys stay, so what they signed still verifies (docs/certificates.md)."""

from django.core.management.base import BaseCommand

from icihub.certificates.services import key_store


class Command(BaseCommand):
    help = "List the certificate signing keys, or rotate to a new one with --rotate."

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true", help="make a new key the signing key")

    def handle(self, *args, rotate, **options):
        store = key_store()
        if rotate:
            kid = store.rotate()
            self.stdout.write(f"New signing key {kid} in {store.directory}; older keys keep verifying.")
        current = store.current().id
        for kid in store.ids():
            self.stdout.write(f"{'*' if kid == current else ' '} {kid}")
