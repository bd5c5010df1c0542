"""Faults: an attendance file whose import is killed half-way, SIGKILL after 8 of 15 marks were written
with no clean-up, leaves no mark and no audit event, and the same file imports whole through the page
afterwards (SQLite and PostgreSQL)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from icihub import faultkit
from icihub.audit.models import AuditEvent
from icihub.audit.services import verify_trail
from icihub.delivery import services, transfer
from icihub.delivery.models import Attendance

KILL_AT = 8

JOB = """
from pathlib import Path
from icihub.accounts.models import User
from icihub.delivery import services, transfer
from icihub.planning.models import Iteration
path, code = Path(sys.argv[1]), sys.argv[2]
services.import_marks(
    actor=User.objects.get(username="instructor"),
    iteration=Iteration.objects.get(code=code),
    rows=transfer.read_sheet(path.read_bytes()),
)
"""


@pytest.mark.django_db(transaction=True)
def test_an_attendance_import_killed_half_way_leaves_nothing_and_runs_again(
    personas, course_today, client_for, tmp_path, settings
):
    iteration, _people = course_today
    today = timezone.localdate()
    rows = [
        {"email": nomination.person.email, "day": (today - datetime.timedelta(days=back)).isoformat(), "mark": mark}
        for nomination in services.participants(iteration).select_related("person")
        for back, mark in zip(range(5), ["present", "late", "absent", "present", "excused"], strict=True)
    ]
    assert len(rows) == 15
    path = tmp_path / "attendance.csv"
    path.write_bytes(transfer.write_sheet(rows))
    before, events = faultkit.row_counts(), AuditEvent.objects.count()

    faultkit.kill_half_way(
        JOB,
        hook="icihub.delivery.services:record",
        at=KILL_AT,
        folder=tmp_path,
        argv=[str(path), iteration.code],
        env={"ICIHUB_WORKING_WEEK": ",".join(map(str, settings.ICIHUB_WORKING_WEEK))},
    )

    assert faultkit.row_counts() == before  # no mark and no audit event
    response = client_for(personas["instructor"]).post(
        f"/en/staff/iterations/{iteration.code}/attendance/import/",
        {"file": SimpleUploadedFile("attendance.csv", path.read_bytes(), content_type="text/csv")},
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(nomination__iteration=iteration).count() == 15
    assert AuditEvent.objects.filter(action="attendance.marked").count() == AuditEvent.objects.count() - events == 15
    assert verify_trail().intact
