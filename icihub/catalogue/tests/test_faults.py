"""Faults: a catalogue import (CSV or XLSX) whose process is killed half-way, SIGKILL after 20 of 40
rows with no clean-up, leaves nothing of the file (no course created, none changed, nothing audited),
and the same file imports whole through the page afterwards (SQLite and PostgreSQL)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from icihub import faultkit, testing
from icihub.audit.models import AuditEvent
from icihub.audit.services import verify_trail
from icihub.catalogue import transfer
from icihub.catalogue.models import Course

ROWS, KILL_AT = 40, 20
DURATION = transfer.HEADINGS.index("Duration (days)")

# The real import of the real file, in a process of its own.
JOB = """
from pathlib import Path
from icihub.accounts.models import User
from icihub.catalogue import services, transfer
path = Path(sys.argv[1])
rows = transfer.read_rows(path.name, path.read_bytes())
services.import_courses(actor=User.objects.get(username="registrar"), rows=rows)
"""


def _file(name: str, existing: list[Course]) -> bytes:
    """The existing courses made six days long, then new courses up to ROWS rows."""
    rows = [transfer.HEADINGS]
    for n in range(ROWS):
        row = transfer.course_row(existing[n % len(existing)])
        if n < len(existing):
            row[DURATION] = "6"
        else:
            row[0] = f"LL-CAP-{70000 + n:05d}"
        rows.append(row)
    if name.endswith(".csv"):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode()
    return testing.xlsx_bytes(rows)


@pytest.mark.parametrize("name", ["courses.csv", "courses.xlsx"])
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_leaves_nothing_and_runs_again(personas, client_for, tmp_path, name):
    existing = [testing.make_course(), testing.make_course()]
    path = tmp_path / name
    path.write_bytes(_file(name, existing))
    before, events = faultkit.row_counts(), AuditEvent.objects.count()

    faultkit.kill_half_way(JOB, hook="icihub.catalogue.services:_write", at=KILL_AT, folder=tmp_path, argv=[str(path)])

    assert faultkit.row_counts() == before  # no course, objective or audit event of the file
    assert [course.duration_days for course in Course.objects.filter(pk__in=[c.pk for c in existing])] == [4, 4]
    assert not Course.objects.filter(code__startswith="LL-CAP-7").exists()
    response = client_for(personas["registrar"]).post(
        "/en/staff/catalogue/import/", {"file": SimpleUploadedFile(name, path.read_bytes())}
    )
    assert response.status_code == 302
    assert Course.objects.filter(code__startswith="LL-CAP-7").count() == ROWS - len(existing)
    assert set(Course.objects.filter(pk__in=[c.pk for c in existing]).values_list("duration_days", flat=True)) == {6}
    assert AuditEvent.objects.count() == events + ROWS
    assert verify_trail().intact
