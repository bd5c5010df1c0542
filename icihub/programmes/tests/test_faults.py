"""Faults: a cooperation-menu import whose process is killed half-way, SIGKILL after 40 of 80 rows with
no clean-up, leaves nothing of the file (no activity created, none changed, nothing audited), and the
same file imports whole through the page afterwards (SQLite and PostgreSQL)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from icihub import faultkit
from icihub.audit.models import AuditEvent
from icihub.audit.services import verify_trail
from icihub.programmes import services, transfer
from icihub.programmes.models import MenuActivity
from icihub.programmes.tests.test_menu_import import HEADINGS, row

ROWS, KILL_AT = 80, 40

JOB = """
from pathlib import Path
from icihub.accounts.models import User
from icihub.programmes import services, transfer
path = Path(sys.argv[1])
rows = transfer.read_rows(path.name, path.read_bytes())
services.import_menu(actor=User.objects.get(username="registrar"), rows=rows)
"""


def _activity(code: str, title: str) -> dict:
    return dict(zip(HEADINGS, row(code, title_en=title), strict=True))


@pytest.mark.django_db(transaction=True)
def test_a_menu_import_killed_half_way_leaves_nothing_and_runs_again(personas, client_for, tmp_path):
    registrar = personas["registrar"]
    existing = services.save_menu_activity(actor=registrar, data=_activity("ICI-SEM-00", "Old title"), source="test")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(transfer.COLUMNS)
    writer.writerow(list(_activity("ICI-SEM-00", "New title").values()))  # the first row changes one
    for n in range(1, ROWS):
        writer.writerow(list(_activity(f"ICI-SEM-{n:02d}", f"Seminar {n}").values()))
    path = tmp_path / "menu.csv"
    path.write_bytes(buffer.getvalue().encode())
    before, events = faultkit.row_counts(), AuditEvent.objects.count()

    faultkit.kill_half_way(
        JOB, hook="icihub.programmes.services:save_menu_activity", at=KILL_AT, folder=tmp_path, argv=[str(path)]
    )

    assert faultkit.row_counts() == before  # no activity, framework link or audit event of the file
    assert MenuActivity.objects.get(pk=existing.pk).title_en == "Old title"
    response = client_for(registrar).post(
        "/en/menu/import/", {"file": SimpleUploadedFile("menu.csv", path.read_bytes())}
    )
    assert response.status_code == 302
    assert MenuActivity.objects.count() == ROWS
    assert MenuActivity.objects.get(pk=existing.pk).title_en == "New title"
    assert AuditEvent.objects.count() == events + ROWS
    assert verify_trail().intact
