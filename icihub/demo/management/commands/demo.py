"""`icihub demo [--port PORT] [--no-serve]`: migrate, load the demo data, then serve."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from icihub.demo.loader import DEMO_PASSWORD, load_demo
from icihub.demo.management.commands.serve import compile_translations, serve


class Command(BaseCommand):
    help = "Migrate, load the demo data (idempotent) and serve icihub on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Stop after loading the data.")

    def handle(self, *args, port: int, no_serve: bool, **options):
        compile_translations(self.stdout)
        call_command("migrate", interactive=False, verbosity=0)
        # Loading the demo nominates people, which e-mails their points of contact; keep those messages
        # off the console. E-mails sent while the demo runs are printed as usual.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
            summary = load_demo()
        self.stdout.write(f"Demo data loaded: {summary}.")
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for user in summary.users:
            scope = user.nation.code if user.nation else (user.organisation.code if user.organisation else "")
            self.stdout.write(f"  {user.username:<12} {user.get_role_display()}{f' ({scope})' if scope else ''}")
        if not no_serve:
            self.stdout.write(
                f"Catalogue in English: http://127.0.0.1:{port}/en/  in Arabic: http://127.0.0.1:{port}/ar/"
            )
            serve(port, "127.0.0.1", self.stdout)
