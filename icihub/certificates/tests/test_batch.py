"""Certificates for a whole iteration as a background job: every graduate gets a certificate, the valid
ones' PDFs come as one ZIP, progress is recorded, one run at a time, and a run that fails half-way
leaves whole certificates and no file, and the next run finishes the work. Staff revoke from the page."""

import io
import threading
import time
import zipfile

import pytest
from django.db import connection

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.certificates import batch, services
from icihub.certificates.models import Certificate, CertificateRun
from icihub.delivery.models import Completion
from icihub.errors import Conflict
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def places(settings, tmp_path):
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    settings.VAR_DIR = tmp_path / "var"
    settings.ICIHUB_PUBLIC_URL = "https://icihub.example"


def _graduated(personas, count: int = 3, failed: int = 1):
    iteration = testing.make_iteration(capacity=count + failed)
    testing.seats_for(iteration, {"KWT": count + failed}, personas=personas)
    people = [
        nominations.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
        )
        for _ in range(count + failed)
    ]
    Iteration.objects.filter(pk=iteration.pk).update(status=Iteration.Status.COMPLETED)
    iteration.refresh_from_db()
    for n, nomination in enumerate(people):
        Completion.objects.create(nomination=nomination, completed=n < count, attendance_pct=100 if n < count else 20)
    return iteration, people


@pytest.fixture
def graduated(personas):
    return _graduated(personas)


def _names(path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return sorted(archive.namelist())


def test_a_run_issues_what_is_missing_and_zips_the_valid_pdfs(personas, graduated):
    iteration, (first, second, third, _failed) = graduated
    registrar = personas["registrar"]
    already = services.issue(actor=registrar, nomination=first, source="test")
    revoked = services.issue(actor=registrar, nomination=second, source="test")
    services.revoke(actor=registrar, certificate=revoked, reason="Issued in error", source="test")
    run = batch.start(actor=registrar, iteration=iteration, source="test", background=False)
    run.refresh_from_db()
    assert (run.state, run.total, run.done, run.issued, run.percent) == ("done", 3, 3, 1, 100)
    newest = Certificate.objects.get(nomination=third)
    path = batch.archive_path(run)
    assert _names(path) == sorted([f"{already.number}.pdf", f"{newest.number}.pdf"])  # not the revoked one
    with zipfile.ZipFile(path) as archive:
        assert archive.read(f"{newest.number}.pdf").startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="certificate.run_started").count() == 1
    assert AuditEvent.objects.filter(action="certificate.issued").count() == 3


def test_a_run_that_fails_half_way_leaves_whole_certificates_and_no_file(personas, graduated, monkeypatch, settings):
    iteration, _people = graduated
    from icihub.certificates import rendering

    settings.ICIHUB_CERTIFICATE_PROCESSES = 1  # rendered here, where the stand-in below is seen
    real, calls = rendering.html_to_pdf, []

    def fails_on_the_second(html):
        calls.append(html)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(html)

    monkeypatch.setattr(rendering, "html_to_pdf", fails_on_the_second)
    run = batch.start(actor=personas["registrar"], iteration=iteration, source="test", background=False)
    run.refresh_from_db()
    assert (run.state, run.done, run.error) == ("failed", 1, batch.FAILED)
    assert Certificate.objects.count() == 2  # each issued whole, in its own transaction
    assert list(batch.archive_dir().iterdir()) == []  # no ZIP and no partial file
    monkeypatch.setattr(rendering, "html_to_pdf", real)
    again = batch.start(actor=personas["registrar"], iteration=iteration, source="test", background=False)
    again.refresh_from_db()
    assert (again.state, again.done, again.issued) == ("done", 3, 1)
    assert Certificate.objects.count() == 3 and len(_names(batch.archive_path(again))) == 3


def test_one_run_at_a_time_and_a_dead_one_does_not_block(personas, graduated):
    iteration, _people = graduated
    registrar = personas["registrar"]
    working = CertificateRun.objects.create(
        iteration=iteration, total=3, state=CertificateRun.State.RUNNING, created_by=registrar
    )
    with pytest.raises(Conflict, match="being made already"):
        batch.start(actor=registrar, iteration=iteration, source="test", background=False)
    CertificateRun.objects.filter(pk=working.pk).update(updated_at=working.updated_at - batch.STALE_AFTER * 2)
    run = batch.start(actor=registrar, iteration=iteration, source="test", background=False)
    working.refresh_from_db()
    run.refresh_from_db()
    assert working.state == "failed" and working.error == batch.STOPPED
    assert run.state == "done"


def test_a_dead_run_does_not_keep_the_page_waiting(personas, graduated, client_for):
    iteration, _people = graduated
    registrar = personas["registrar"]
    dead = CertificateRun.objects.create(
        iteration=iteration, total=3, state=CertificateRun.State.RUNNING, created_by=registrar
    )
    CertificateRun.objects.filter(pk=dead.pk).update(updated_at=dead.updated_at - batch.STALE_AFTER * 2)
    page = client_for(registrar).get(f"/en/staff/iterations/{iteration.code}/certificates/").content.decode()
    assert 'http-equiv="refresh"' not in page and 'value="start"' in page
    assert "stopped without finishing" in page


def test_nothing_to_make_before_completion_or_before_the_course(personas):
    iteration, _people = _graduated(personas, count=0, failed=2)
    with pytest.raises(Conflict, match="work out completion first"):
        batch.start(actor=personas["registrar"], iteration=iteration, source="test", background=False)
    later = testing.make_iteration(capacity=2)
    with pytest.raises(Conflict, match="once the course has run"):
        batch.start(actor=personas["registrar"], iteration=later, source="test", background=False)
    assert CertificateRun.objects.count() == 0


def test_the_page_starts_a_run_shows_progress_and_gives_the_zip(personas, graduated, client_for):
    iteration, _people = graduated
    client = client_for(personas["registrar"])
    url = f"/en/staff/iterations/{iteration.code}/certificates/"
    assert client.post(url, {"action": "start"}).status_code == 302
    run = CertificateRun.objects.get()
    page = client.get(url).content.decode()
    assert 'http-equiv="refresh"' in page and "A run is working" in page
    batch.execute(run.pk)  # what the background thread or worker does
    page = client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page and "3 / 3" in page
    download = client.get(f"{url}{run.public_id}.zip")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert len(zipfile.ZipFile(io.BytesIO(content)).namelist()) == 3
    for persona in ("poc_kwt", "participant", "instructor", "hq_observer"):
        other = client_for(personas[persona])
        assert other.get(url).status_code in (403, 404), persona
        assert other.get(f"{url}{run.public_id}.zip").status_code in (403, 404), persona
    # Downloading every graduate's certificate is a sensitive read: recorded once, by whom, and only when given.
    downloads = AuditEvent.objects.filter(action="certificates.archive_downloaded")
    assert downloads.count() == 1 and downloads.get().actor == personas["registrar"]


def test_staff_revoke_from_the_page_with_a_reason(personas, graduated, client_for):
    iteration, (first, *_rest) = graduated
    certificate = services.issue(actor=personas["registrar"], nomination=first, source="test")
    url = f"/en/staff/iterations/{iteration.code}/certificates/"
    client = client_for(personas["registrar"])
    client.post(url, {"action": "revoke", "number": certificate.number, "reason": "  "})
    certificate.refresh_from_db()
    assert not certificate.revoked
    client.post(url, {"action": "revoke", "number": certificate.number, "reason": "Attendance record corrected"})
    certificate.refresh_from_db()
    assert certificate.revoked and certificate.revocation_reason == "Attendance record corrected"
    assert services.verify(certificate.number).status == "revoked"
    assert AuditEvent.objects.filter(action="certificate.revoked").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_makes_them(personas, client_for, settings):
    settings.ICIHUB_BACKGROUND = "thread"
    settings.ICIHUB_CERTIFICATE_PROCESSES = 2  # the thread renders in worker processes of its own
    iteration, _people = _graduated(personas, count=2, failed=0)
    client = client_for(personas["registrar"])
    assert client.post(f"/en/staff/iterations/{iteration.code}/certificates/", {"action": "start"}).status_code == 302
    deadline = time.monotonic() + 60
    while CertificateRun.objects.get().working and time.monotonic() < deadline:
        time.sleep(0.2)
    run = CertificateRun.objects.get()
    assert (run.state, run.done) == ("done", 2), run.error
    assert Certificate.objects.count() == 2
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and thread.daemon:
            thread.join(timeout=5)
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_with_workers_a_run_is_queued_and_made_once_by_a_worker_process(personas, settings):
    import os
    import subprocess
    import sys

    from django_tasks_db.models import DBTaskResult

    settings.ICIHUB_BACKGROUND = "worker"
    iteration, _people = _graduated(personas, count=2, failed=0)
    run = batch.start(actor=personas["registrar"], iteration=iteration, source="test")
    run.refresh_from_db()
    assert run.state == "queued" and Certificate.objects.count() == 0  # nothing made in the web process
    task = DBTaskResult.objects.get(queue_name="certificates")
    assert task.args_kwargs["args"] == [run.pk] and task.queue_name == "certificates"
    worker = subprocess.run(
        [
            sys.executable,
            "-m",
            "icihub.cli",
            "db_worker",
            "--batch",
            "--queue-name",
            "certificates",
            "--no-startup-delay",
        ],
        env={
            **os.environ,
            "DATABASE_URL": testing.worker_database_url(),
            "ICIHUB_KEY_DIR": str(settings.ICIHUB_KEY_DIR),
            "ICIHUB_VAR_DIR": str(settings.VAR_DIR),
            "ICIHUB_CERTIFICATE_PROCESSES": "2",  # the worker renders in worker processes of its own
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    run.refresh_from_db()
    assert (run.state, run.done, run.issued) == ("done", 2, 2), run.error
    assert len(_names(batch.archive_path(run))) == 2
    batch.execute(run.pk)  # delivered again: not queued any more, nothing happens
    assert Certificate.objects.count() == 2
