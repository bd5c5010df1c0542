"""`icihub serve [--port PORT]`: serve the centre on 127.0.0.1 with waitress."""

import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def compile_translations(stdout) -> None:
    """Build the Arabic message catalogue when GNU gettext is there (it is a set-up step)."""
    try:
        call_command("compilemessages", verbosity=0)
    except CommandError as error:
        stdout.write(f"Arabic interface strings not compiled ({error}); install gettext.")


def serve(port: int, host: str, stdout) -> None:
    from waitress import serve as waitress_serve

    from icihub.wsgi import application

    stdout.write(f"icihub is at http://{host}:{port}/ (Ctrl+C to stop)")
    sys.stdout.flush()
    waitress_serve(application, host=host, port=port, threads=8, ident="icihub")


class Command(BaseCommand):
    help = "Serve icihub on 127.0.0.1 (without loading any data)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")

    def handle(self, *args, port: int, host: str, **options):
        compile_translations(self.stdout)
        serve(port, host, self.stdout)
