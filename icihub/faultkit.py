"""Helpers for the fault tests (issue 7): kill a real process half-way through a job, and have
PostgreSQL end a request's connection in the middle of its transaction. Used by the test_faults.py
files only; nothing in the product imports it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.apps import apps
from django.db import connection, connections

from icihub import testing

# What the child runs before the job: Django set up, and the hooked function wrapped so that its
# `at`-th call, once it has done its work, says so in the marker file and waits to be killed (inside
# the job's open transaction when the function is called inside one).
_PRELUDE = """
import importlib, os, sys, time
from pathlib import Path
import django
django.setup()
module_name, _, name = os.environ["FAULT_HOOK"].partition(":")
module, at, marker = importlib.import_module(module_name), int(os.environ["FAULT_AT"]), Path(os.environ["FAULT_MARKER"])
real, calls = getattr(module, name), []
def hooked(*args, **kwargs):
    result = real(*args, **kwargs)
    calls.append(1)
    if len(calls) == at:
        marker.write_text(f"call {at} of {name} done, not committed")
        time.sleep(600)
    return result
setattr(module, name, hooked)
"""


def kill_half_way(job: str, *, hook: str, at: int, folder: Path, argv=(), env=None, timeout: float = 120) -> None:
    """Run `job` (Python source, after django.setup(); sys.argv[1:] is `argv`) in a process of its own on
    the test database, with `hook` ("module:function") wrapped so that its `at`-th call, once done, waits;
    then SIGKILL the process there: no clean-up of any kind, as when the machine loses power."""
    marker, log = folder / "fault-marker", folder / "fault-child.log"
    marker.unlink(missing_ok=True)
    connection.close()  # the child must not wait on a lock this process holds (SQLite)
    with log.open("wb") as output:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", "import os; exec(os.environ['FAULT_PRELUDE'] + os.environ['FAULT_JOB'])", *argv],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "icihub.settings",
                "DATABASE_URL": testing.worker_database_url(),
                "FAULT_PRELUDE": _PRELUDE,
                "FAULT_JOB": job,
                "FAULT_HOOK": hook,
                "FAULT_AT": str(at),
                "FAULT_MARKER": str(marker),
                **(env or {}),
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout
            while not marker.exists():
                if child.poll() is not None:
                    raise AssertionError(f"the job ended before call {at} of {hook}:\n{log.read_text()}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"the job never reached call {at} of {hook}:\n{log.read_text()}")
                time.sleep(0.05)
            os.kill(child.pid, signal.SIGKILL)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, log.read_text()


def end_connection() -> None:
    """PostgreSQL ends this process's connection, as when the server restarts or the network drops: a
    second connection asks for it (pg_terminate_backend) and waits until the backend is gone."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0], "the connection was not ended"
    finally:
        other.close()


def end_connection_after(monkeypatch, target, name: str) -> list:
    """Wrap `target.name` so that the first time it returns, the connection is ended (end_connection):
    what it wrote stays in an open transaction, and the next statement or the commit fails. The list
    returned gets an item when that happened."""
    real, fired = getattr(target, name), []

    def then_the_connection_drops(*args, **kwargs):
        result = real(*args, **kwargs)
        if not fired:
            fired.append(name)
            end_connection()
        return result

    monkeypatch.setattr(target, name, then_the_connection_drops)
    return fired


def row_counts() -> dict[str, int]:
    """Rows of every model of icihub (and the task queue), by model: what a failed write must leave as it
    found it. Sessions are not icihub's and may change with any request."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith(("icihub.", "django_tasks_db."))
    }
