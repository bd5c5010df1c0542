"""Faults: a whole-iteration certificate run made by a real `icihub db_worker --queue-name certificates`
process, killed (SIGKILL, no clean-up) while the third of four certificates is being issued, leaves the
two issued before it whole and verifying, nothing of the third, and no ZIP; the run it left "running"
is taken as dead at once (its process on this machine is gone: background.owner_gone), shown stopped
with its half-written file removed, and the next run issues what is missing and makes the whole ZIP (SQLite and
PostgreSQL). So with the PDFs rendered in the run's own process and in two worker processes; the workers
of the killed process end by themselves."""

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from icihub import faultkit, testing
from icihub.audit.models import AuditEvent
from icihub.audit.services import verify_trail
from icihub.certificates import batch, services
from icihub.certificates.models import Certificate, CertificateRun
from icihub.certificates.tests.test_batch import _graduated

WORKER = ["icihub", "db_worker", "--batch", "--queue-name", "certificates", "--no-startup-delay"]
JOB = f"from icihub.cli import main\nsys.argv = {WORKER!r}\nmain()\n"


@pytest.fixture
def worker_env(settings, tmp_path):
    """The worker process's settings: the test database, and the parent's keys, files, address and anchor."""
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    settings.VAR_DIR = tmp_path / "var"
    settings.ICIHUB_PUBLIC_URL = "https://icihub.example"
    settings.ICIHUB_BACKGROUND = "worker"
    return {
        "ICIHUB_KEY_DIR": str(settings.ICIHUB_KEY_DIR),
        "ICIHUB_VAR_DIR": str(settings.VAR_DIR),
        "ICIHUB_PUBLIC_URL": settings.ICIHUB_PUBLIC_URL,
        "ICIHUB_AUDIT_ANCHOR": str(settings.ICIHUB_AUDIT_ANCHOR),
        "ICIHUB_BACKGROUND": "worker",
    }


def _all_valid() -> list[str]:
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert all(services.verify(number).status == "valid" for number in numbers), numbers
    return numbers


def _processes_with(variable: str) -> set[int]:
    """The processes whose environment holds `variable` ("NAME=value")."""
    found = set()
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if variable.encode() in environ.read_bytes().split(b"\0"):
                found.add(int(environ.parent.name))
        except OSError:  # gone, or not ours
            continue
    return found


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_certificate_run_killed_half_way_leaves_whole_certificates_and_runs_again(
    processes, personas, client_for, worker_env, tmp_path
):
    worker_env["ICIHUB_CERTIFICATE_PROCESSES"] = processes
    registrar = personas["registrar"]
    iteration, _people = _graduated(personas, count=4, failed=1)
    dead = batch.start(actor=registrar, iteration=iteration, source="test")  # queued for a worker

    faultkit.kill_half_way(JOB, hook="icihub.certificates.services:record", at=3, folder=tmp_path, env=worker_env)

    dead.refresh_from_db()
    if processes == "1":
        assert (dead.state, dead.done, dead.issued) == ("running", 2, 2)
    else:  # the PDFs come back from the workers a little behind the issuing
        assert (dead.state, dead.issued) == ("running", 2) and dead.done <= 2
        if Path("/proc/self/environ").exists():
            ours = f"ICIHUB_VAR_DIR={worker_env['ICIHUB_VAR_DIR']}"
            assert _processes_with(ours), "the killed run had started its workers"
            deadline = time.monotonic() + 30
            while _processes_with(ours) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not _processes_with(ours), "a worker of the killed run is still there"
    assert len(_all_valid()) == 2  # the third's transaction died with the process
    assert AuditEvent.objects.filter(action="certificate.issued").count() == 2
    assert not list(batch.archive_dir().glob("*.zip"))  # a half-made ZIP is never under its final name
    url = f"/en/staff/iterations/{iteration.code}/certificates/"
    page = client_for(registrar).get(url).content.decode()  # its process is gone: stopped at once
    assert "stopped without finishing" in page and 'http-equiv="refresh"' not in page
    dead.refresh_from_db()
    assert (dead.state, dead.error) == ("failed", batch.STOPPED)
    assert list(batch.archive_dir().iterdir()) == []  # its half-written file went with it

    assert client_for(registrar).post(url, {"action": "start"}).status_code == 302
    worker = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "icihub.cli", *WORKER[1:]],
        env={**os.environ, "DATABASE_URL": testing.worker_database_url(), **worker_env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    run = CertificateRun.objects.exclude(pk=dead.pk).get()
    assert (run.state, run.done, run.issued) == ("done", 4, 2), run.error
    numbers = _all_valid()
    assert len(numbers) == 4 and AuditEvent.objects.filter(action="certificate.issued").count() == 4
    assert [path.name for path in batch.archive_dir().iterdir()] == [run.archive]
    with zipfile.ZipFile(batch.archive_path(run)) as archive:
        assert sorted(archive.namelist()) == sorted(f"{number}.pdf" for number in numbers)
        assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
    assert verify_trail().intact
