"""Attendance as a CSV file: the class sheet downloads as one row per participant and course day, safe
to open in a spreadsheet; a file comes back all or nothing, with every problem of every row listed by
line and column; a good file is saved in one go and audited; the downloaded file imported unchanged
changes nothing. Only staff and instructors download or import."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from icihub import uploads
from icihub.audit.models import AuditEvent
from icihub.delivery import services, transfer
from icihub.delivery.models import Attendance
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


def _days(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def _upload(client, iteration, content: bytes | str, name: str = "attendance.csv", **extra):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(
        f"/en/staff/iterations/{iteration.code}/attendance/import/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        **extra,
    )


def _problems(response) -> list[tuple[int, str, str]]:
    return response.context["problems"]


def test_every_problem_of_every_row_is_reported_and_nothing_is_saved(personas, course_today, client_for):
    iteration, (first, second, third, waiting) = course_today
    a, b, c = (n.person.email for n in (first, second, third))
    rows = [
        "email,day,mark",
        f"{a},{_days(0)},present",  # line 2: fine
        f"nobody@example.org,{_days(0)},present",  # 3: not a participant
        f"{waiting.person.email},{_days(0)},present",  # 4: on the waiting list, no seat
        f"{b},{_days(-5)},present",  # 5: the day before the course began
        f"{b},{_days(1)},present",  # 6: tomorrow
        f"{b},29/11/2026,present",  # 7: not YYYY-MM-DD
        f"{c},{_days(-1)},asleep",  # 8: not a mark
        f"{c},{_days(-2)},present",  # 9: fine ...
        f"{c},{_days(-2)},absent",  # 10: ... but the same day again, differently
        f"{c},{_days(-3)},late",  # 11: the same day twice with the same mark is harmless
        f"{c},{_days(-3)},late",  # 12
        f",{_days(9)},",  # 13: an empty mark skips the row, whatever else it holds
        "oops,,maybe",  # 14: three problems at once
    ]
    response = _upload(client_for(personas["instructor"]), iteration, "\n".join(rows))
    assert response.status_code == 200
    found = [(line, column) for line, column, _message in _problems(response)]
    assert found == [
        (3, "email"),
        (4, "email"),
        (5, "day"),
        (6, "day"),
        (7, "day"),
        (8, "mark"),
        (10, "mark"),
        (14, "email"),
        (14, "day"),
        (14, "mark"),
    ]
    messages = dict(((line, column), message) for line, column, message in _problems(response))
    assert "not a participant with a confirmed seat" in messages[(3, "email")]
    assert "not a participant with a confirmed seat" in messages[(4, "email")]
    assert "is not a day of this course" in messages[(5, "day")]
    assert "on the day or after it" in messages[(6, "day")]
    assert "is not a date written YYYY-MM-DD" in messages[(7, "day")]
    assert "asleep is not an attendance mark" in messages[(8, "mark")]
    assert "Line 9 gives this participant present on the same day" in messages[(10, "mark")]
    page = response.content.decode()
    assert "No mark was saved: 10 problems were found." in page and "nobody@example.org" in page
    assert not Attendance.objects.exists() and not AuditEvent.objects.filter(action="attendance.marked").exists()


def test_a_good_file_is_saved_in_one_go_and_audited(personas, course_today, client_for):
    iteration, (first, second, third, _waiting) = course_today
    services.mark(
        actor=personas["instructor"],
        iteration=iteration,
        day=timezone.localdate(),
        marks={first.public_id: "absent"},
        source="test",
    )
    rows = [
        "Email,Family_name,Day,Mark",  # headings in any case and order, extra columns ignored
        f"{first.person.email.upper()},X,{_days(0)},Present",  # corrects the staff mark
        f"{second.person.email},,{_days(0)},late",
        f"{second.person.email},,{_days(0)},late",  # twice, written once
        f"{third.person.email},,{_days(-4)},excused",
        f"{third.person.email},,{_days(-3)},",  # skipped
    ]
    response = _upload(client_for(personas["registrar"]), iteration, "\ufeff" + "\r\n".join(rows), follow=True)
    assert "Attendance imported: 3 marks changed." in response.content.decode()
    assert set(Attendance.objects.values_list("nomination", "day", "mark")) == {
        (first.pk, timezone.localdate(), "present"),
        (second.pk, timezone.localdate(), "late"),
        (third.pk, timezone.localdate() - datetime.timedelta(days=4), "excused"),
    }
    imported = AuditEvent.objects.filter(action="attendance.marked", source="import").order_by("pk")
    assert [(e.before["mark"], e.after["mark"]) for e in imported] == [
        ("absent", "present"),
        (None, "late"),
        (None, "excused"),
    ]
    assert {e.actor for e in imported} == {personas["registrar"]}


def test_the_downloaded_sheet_imports_back_with_no_change(personas, course_today, client_for):
    iteration, (first, second, third, _waiting) = course_today
    instructor = personas["instructor"]
    for offset in (-4, -3, -2):
        services.mark_class(
            actor=instructor,
            iteration=iteration,
            day=timezone.localdate() + datetime.timedelta(days=offset),
            source="test",
        )
    services.mark(
        actor=instructor,
        iteration=iteration,
        day=timezone.localdate(),
        marks={second.public_id: "late"},
        source="test",
    )
    client = client_for(instructor)
    response = client.get(f"/en/staff/iterations/{iteration.code}/attendance.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f'filename="attendance-{iteration.code}.csv"' in response["Content-Disposition"]
    exported = AuditEvent.objects.get(action="attendance.exported")  # a sensitive read, recorded
    assert exported.actor == instructor and exported.after == {"rows": 21}
    content = response.getvalue()  # streamed
    rows = transfer.read_sheet(content)
    assert len(rows) == 3 * 7  # three participants with a seat, seven course days; the waiting list is not on it
    assert list(rows[0][1]) == list(transfer.COLUMNS)
    by_key = {(row["email"], row["day"]): row["mark"] for _line, row in rows}
    assert by_key[(second.person.email, _days(0))] == "late"
    assert by_key[(first.person.email, _days(0))] == ""
    assert by_key[(third.person.email, _days(-4))] == "present"
    assert {row["nation"] for _line, row in rows} == {"KWT"}
    before = AuditEvent.objects.count()
    response = _upload(client, iteration, content, follow=True)
    assert "Attendance imported: 0 marks changed." in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_the_download_does_not_run_formulas_in_a_spreadsheet():
    row = {"email": "a@example.org", "family_name": "=HYPERLINK(1)", "given_names": "@Ali", "nation": "KWT"}
    content = transfer.write_sheet([{**row, "day": "2026-11-29", "mark": "present"}])
    assert content.startswith("\ufeff".encode()) and "'=HYPERLINK(1),'@Ali," in content.decode("utf-8-sig")
    assert transfer.read_sheet(content)[0][1]["family_name"] == "=HYPERLINK(1)"  # and reads back as written


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("email,day,mark\nx@example.org,2026-01-01,présent".encode("latin-1"), "not UTF-8"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "not a CSV file"),
        (b"PK\x03\x04\x14\x00\x00\x00", "not a CSV file"),
        (b"name,when\nsomeone,today\n", "lacks the column(s) email, day, mark"),
        (b"email,day,mark\n", "has no rows"),
        (b"email,day,mark\nx@example.org\x00,2026-01-01,present\n", "not a CSV file"),
    ],
)
def test_a_file_that_is_not_an_attendance_csv_is_refused_whole(content, message, personas, course_today, client_for):
    iteration, _people = course_today
    response = _upload(client_for(personas["instructor"]), iteration, content)
    assert response.status_code == 200 and message in response.context["file_error"]
    assert not Attendance.objects.exists()


def test_limits_on_size_and_rows(personas, course_today, client_for, monkeypatch):
    iteration, (first, *_others) = course_today
    client = client_for(personas["instructor"])
    row = f"{first.person.email},{_days(0)},present\n"
    monkeypatch.setattr(transfer, "MAX_ROWS", 2)
    response = _upload(client, iteration, "email,day,mark\n" + row * 3)
    assert "more than 2 rows" in response.context["file_error"]
    monkeypatch.setattr(uploads, "MAX_CSV_BYTES", 10)
    assert "larger than 1 MB" in _upload(client, iteration, "email,day,mark\n" + row).context["file_error"]
    assert (
        "Choose a CSV file"
        in client.post(f"/en/staff/iterations/{iteration.code}/attendance/import/").context["file_error"]
    )
    assert not Attendance.objects.exists()


def test_nothing_is_imported_once_marking_has_closed(personas, course_today, client_for):
    iteration, (first, *_others) = course_today
    shift = datetime.timedelta(days=21)
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=iteration.start_date - shift, end_date=iteration.end_date - shift
    )
    day = (iteration.start_date - shift).isoformat()
    response = _upload(
        client_for(personas["registrar"]), iteration, f"email,day,mark\n{first.person.email},{day},present"
    )
    assert [(line, column) for line, column, _message in _problems(response)] == [(2, "day")]
    assert "until 7 days after" in _problems(response)[0][2]
    assert not Attendance.objects.exists()


def test_the_class_sheet_offers_the_download_and_the_upload(personas, course_today, client_for):
    iteration, _people = course_today
    page = client_for(personas["instructor"]).get(f"/en/staff/iterations/{iteration.code}/class/").content.decode()
    assert f"/en/staff/iterations/{iteration.code}/attendance.csv" in page
    assert f'action="/en/staff/iterations/{iteration.code}/attendance/import/"' in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize("name", ["poc_kwt", "poc_qat", "hq_observer", "participant"])
def test_only_staff_and_instructors_download_or_import(name, personas, course_today, client_for):
    iteration, (first, *_others) = course_today
    client = client_for(personas[name])
    assert client.get(f"/en/staff/iterations/{iteration.code}/attendance.csv").status_code in (403, 404)
    assert client.get(f"/en/staff/iterations/{iteration.code}/attendance/import/").status_code in (403, 404)
    response = _upload(client, iteration, f"email,day,mark\n{first.person.email},{_days(0)},present")
    assert response.status_code in (403, 404)
    assert not Attendance.objects.exists()


def test_unknown_iterations_and_other_methods_are_refused(personas, course_today, client_for):
    iteration, _people = course_today
    client = client_for(personas["instructor"])
    assert client.get("/en/staff/iterations/NO-SUCH-RUN/attendance.csv").status_code == 404
    assert client.get("/en/staff/iterations/NO-SUCH-RUN/attendance/import/").status_code == 404
    assert client.post(f"/en/staff/iterations/{iteration.code}/attendance.csv").status_code == 405
    assert client.put(f"/en/staff/iterations/{iteration.code}/attendance/import/").status_code == 405


def test_the_import_page_reads_right_to_left_in_arabic(personas, course_today, client_for):
    iteration, _people = course_today
    page = client_for(personas["instructor"]).get(f"/ar/staff/iterations/{iteration.code}/attendance/import/")
    assert 'dir="rtl"' in page.content.decode()


def test_the_download_takes_nine_queries_whatever_the_class_size(
    personas, course_today, client_for, django_assert_num_queries
):
    """The session, the user, the session's activity record, the iteration, the participants with their
    persons and nations, the marks; and three to record the download (a sensitive read) in the audit
    trail: one insert, in a transaction of its own (a savepoint here), with no lock on the chain."""
    iteration, _people = course_today
    client = client_for(personas["instructor"])
    client.get("/en/")  # the first request of a session also notes that it needs no second factor
    with django_assert_num_queries(9):
        assert client.get(f"/en/staff/iterations/{iteration.code}/attendance.csv").status_code == 200
