"""Faults: a report file being made by a real process, killed (SIGKILL) half-way, is ended as stopped
by its reader's next request at once (its process on this machine is gone: background.owner_gone),
not after minutes, and the reader gets a new file made (SQLite and PostgreSQL)."""

import random

import pytest

from icihub import faultkit
from icihub.reports import files
from icihub.reports.models import ReportFile
from icihub.reports.tests.test_seat_funnel import YEAR, generate_year

JOB = "import sys\nfrom icihub.reports import files\nfiles.make(int(sys.argv[1]))\n"


@pytest.mark.django_db(transaction=True)
def test_a_file_whose_process_was_killed_is_stopped_at_once_and_the_reader_may_ask_again(
    personas, settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(files, "after_commit", lambda *args: None)  # made by the process below, not here
    settings.VAR_DIR = tmp_path / "var"
    generate_year(random.Random(31), personas)
    registrar = personas["registrar"]
    dead = files.request(actor=registrar, kind="annual_pdf", query={"year": str(YEAR)}, source="test")

    faultkit.kill_half_way(
        JOB,
        hook="icihub.reports.annual:pdf",
        at=1,
        folder=tmp_path,
        argv=[str(dead.pk)],
        env={"ICIHUB_VAR_DIR": str(settings.VAR_DIR), "ICIHUB_AUDIT_ANCHOR": str(settings.ICIHUB_AUDIT_ANCHOR)},
    )
    dead.refresh_from_db()
    assert dead.state == ReportFile.State.RUNNING  # it was killed while making the PDF
    assert (files.folder() / f"{dead.public_id}.owner").exists()

    again = files.request(actor=registrar, kind="annual_pdf", query={"year": str(YEAR)}, source="test")
    dead.refresh_from_db()
    assert (dead.state, dead.error) == (ReportFile.State.FAILED, files.STOPPED)
    assert not list(files.folder().glob(f"{dead.public_id}.*"))
    files.make(again.pk)
    again.refresh_from_db()
    assert again.state == ReportFile.State.DONE
