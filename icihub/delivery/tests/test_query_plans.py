"""The attendance file of one iteration reads its participants and their marks through indexes, never
every mark of every course: EXPLAINed by PostgreSQL over tens of thousands of bulk rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icihub.nominations.tests import bulk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_attendance_file_reads_marks_by_participant(personas, client_for):
    big = bulk.build(marked_days=5)
    with CaptureQueriesContext(connection) as captured:
        response = client_for(personas["registrar"]).get(f"/en/staff/iterations/{big.code}/attendance.csv")
        assert response.status_code == 200
        assert len(response.getvalue().splitlines()) > 1
    statements = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    marks = next(sql for sql in statements if 'FROM "delivery_attendance"' in sql)
    seated = next(sql for sql in statements if 'FROM "nominations_nomination"' in sql)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {marks}")
        marks_plan = cursor.fetchone()[0][0]["Plan"]
        cursor.execute(f"EXPLAIN (FORMAT JSON) {seated}")
        seated_plan = cursor.fetchone()[0][0]["Plan"]
    assert not any(n["Node Type"] == "Seq Scan" for n in bulk.nodes(marks_plan)), marks_plan
    # The unique (nomination, day) index or the foreign key's own: either reads just these participants.
    assert bulk.index_names(marks_plan) & {"one_attendance_mark_per_day", "delivery_attendance_nomination_id_eb08e731"}
    assert "nomination_of_iteration" in bulk.index_names(seated_plan)
    assert not bulk.sorts_a_scan_of_the_whole_table(seated_plan, "nominations_nomination")
