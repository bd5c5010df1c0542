"""`icihub serve [--port PORT] [--host HOST] [--workers N] [--threads N] [--access-log FILE]`: gunicorn.

gunicorn is the pre-fork WSGI server most Django sites run: several worker processes use every core
(one Python process is held to about one by its interpreter lock), a master process restarts a worker
that dies, and it is pure Python, packaged on PyPI, with no service to install on a closed network.
Each worker runs `--threads` threads (the gthread worker), so a slow export does not hold up the
others. Workers share nothing in memory: rate limits, lock-outs and the other counters kept in Django's
cache need a cache they share (ICIHUB_CACHE_URL, Redis), so more than one worker without it is refused.
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def compile_translations(stdout) -> None:
    """Build the Arabic message catalogue when GNU gettext is there (it is a set-up step)."""
    try:
        call_command("compilemessages", verbosity=0)
    except CommandError as error:
        stdout.write(f"Arabic interface strings not compiled ({error}); install gettext.")


def cache_is_shared() -> bool:
    return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def default_workers() -> int:
    """ICIHUB_WEB_WORKERS; else one a core plus one where the cache is shared, one where it is not."""
    if settings.ICIHUB_WEB_WORKERS:
        return settings.ICIHUB_WEB_WORKERS
    return (os.cpu_count() or 1) + 1 if cache_is_shared() else 1


# One line a request: client, time, request line, status, bytes, seconds, and the worker's process id.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(L)s pid=%(p)s'


def gunicorn_options(*, host: str, port: int, workers: int, threads: int, access_log: str | None = None) -> dict:
    if workers > 1 and not cache_is_shared():
        raise CommandError(
            f"{workers} worker processes need a cache they share, or each would keep its own rate limits "
            "and log-in lock-outs: set ICIHUB_CACHE_URL=redis://HOST:6379/0, or serve with --workers 1."
        )
    bind = f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "proc_name": "icihub",
        # The application is loaded in each worker, after the fork: no database connection, thread or
        # cache client is ever shared between processes.
        "preload_app": False,
        "timeout": 120,  # a worker silent this long (not a long request: threads answer the master) is restarted
        "graceful_timeout": 30,
        "keepalive": 5,
        # The scheme (https) is taken from X-Forwarded-Proto only from these addresses (settings.py says why).
        "forwarded_allow_ips": settings.ICIHUB_TRUSTED_PROXIES,
        "accesslog": access_log,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "loglevel": "warning",
    }


def serve(
    port: int,
    host: str,
    stdout,
    *,
    workers: int | None = None,
    threads: int | None = None,
    access_log: str | None = None,
) -> None:
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(
        host=host,
        port=port,
        workers=workers or default_workers(),
        threads=threads or settings.ICIHUB_WEB_THREADS,
        access_log=access_log,
    )

    class Server(BaseApplication):
        def load_config(self):
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self):
            from icihub.wsgi import application

            return application

    stdout.write(
        f"icihub is at http://{host}:{port}/ ({options['workers']} worker processes x {options['threads']} "
        "threads; Ctrl+C to stop)"
    )
    sys.stdout.flush()
    Server().run()


class Command(BaseCommand):
    help = "Serve icihub with gunicorn (without loading any data)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument(
            "--workers",
            type=int,
            help="Worker processes (default ICIHUB_WEB_WORKERS, else one a core plus one with a shared cache, "
            "one without).",
        )
        parser.add_argument("--threads", type=int, help="Threads a worker (default ICIHUB_WEB_THREADS, 4).")
        parser.add_argument("--access-log", help="Write one line a request to this file ('-': standard output).")

    def handle(self, *args, port, host, workers, threads, access_log, **options):
        if workers is not None and workers < 1 or threads is not None and threads < 1:
            raise CommandError("--workers and --threads are at least 1.")
        compile_translations(self.stdout)
        serve(port, host, self.stdout, workers=workers, threads=threads, access_log=access_log)
