"""Catalogue import and export as CSV and XLSX: round trip, all or nothing, every bad row reported."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from icihub.audit.models import AuditEvent
from icihub.catalogue import transfer
from icihub.catalogue.models import Course
from icihub.testing import make_course


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def exported_rows(client) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client.get("/en/catalogue.csv").getvalue().decode("utf-8-sig"))))


def upload(client, name: str, content: bytes):
    return client.post("/en/staff/catalogue/import/", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
class TestExport:
    def test_csv_has_etoc_columns_and_both_languages(self, personas, client_for):
        course = make_course(prerequisites=[make_course().code])
        rows = exported_rows(client_for(personas["registrar"]))
        assert rows[0] == transfer.HEADINGS
        row = dict(zip(rows[0], next(r for r in rows if r[0] == course.code), strict=True))
        assert row["Title (Arabic)"] == "دورة قدرات الدروس المستفادة لحلف الناتو"
        assert row["Releasable to Frameworks"] == "GCC;ICI"
        assert row["Performance Objectives"].count(" | ") == 1
        assert row["Level 2 Test"] == "N" and row["Rank From"] == "OR-7"

    def test_xlsx_export_opens_as_a_workbook(self, personas, client_for):
        make_course()
        response = client_for(None).get("/en/catalogue.xlsx")
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        assert [cell.value for cell in sheet[1]][:3] == ["Course Code", "Facility Code", "Title"]
        assert sheet.max_row == 2

    def test_cells_that_look_like_formulas_are_defused(self, personas, client_for):
        make_course(payment_authority='=HYPERLINK("http://x")')
        rows = exported_rows(client_for(None))
        assert rows[1][transfer.HEADINGS.index("Payment Authority")].startswith("'=")


@pytest.mark.django_db
class TestImport:
    def test_an_export_imports_back_unchanged(self, personas, client_for):
        client = client_for(personas["registrar"])
        make_course(payment_authority="=SUM(A1)", prerequisites=[make_course().code])
        exported = client.get("/en/catalogue.csv").getvalue()
        events = AuditEvent.objects.count()
        response = upload(client, "catalogue.csv", exported)
        assert response.status_code == 302
        assert AuditEvent.objects.count() == events  # nothing changed, nothing audited

    def test_it_creates_and_updates_courses_from_xlsx(self, personas, client_for):
        client = client_for(personas["registrar"])
        existing = make_course()
        rows = exported_rows(client)
        rows[1][transfer.HEADINGS.index("Duration (days)")] = "5"
        new = list(rows[1])
        new[0] = "LL-CAP-88888"
        workbook = Workbook()
        for row in [*rows, new]:
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        assert upload(client, "courses.xlsx", buffer.getvalue()).status_code == 302
        existing.refresh_from_db()
        assert existing.duration_days == 5
        assert Course.objects.get(code="LL-CAP-88888").objectives.count() == 2

    def test_every_bad_row_is_reported_with_line_and_field_and_nothing_is_saved(self, personas, client_for):
        client = client_for(personas["registrar"])
        make_course()
        rows = exported_rows(client)
        good, template = list(rows[1]), rows[1]
        good[0] = "LL-CAP-60001"
        bad_rank = list(template)
        bad_rank[0], bad_rank[transfer.HEADINGS.index("Rank From")] = "LL-CAP-60002", "OF-9"
        bad_fee = list(template)
        bad_fee[0], bad_fee[transfer.HEADINGS.index("Tuition Fee (EUR)")] = "LL-CAP-60003", "-100"
        bad_framework = list(template)
        bad_framework[0] = "LL-CAP-60004"
        bad_framework[transfer.HEADINGS.index("Training Audience Frameworks")] = "ICI;NOPE"
        duplicate = list(good)
        response = upload(client, "c.csv", as_csv([rows[0], good, bad_rank, bad_fee, bad_framework, duplicate]))
        assert response.status_code == 200
        problems = response.context["problems"]
        assert (3, "rank_max") in {(line, field) for line, field, _ in problems}
        assert (4, "tuition_fee_eur") in {(line, field) for line, field, _ in problems}
        assert any(line == 5 and "Unknown framework 'NOPE'" in message for line, _, message in problems)
        assert (6, "code", "Course LL-CAP-60001 is also on line 2.") in problems
        assert not Course.objects.filter(code__startswith="LL-CAP-600").exists()
        assert "Nothing was imported" in response.content.decode()

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("c.txt", b"x", "Upload a .csv or .xlsx file."),
            ("c.csv", b"Course Code\nLL-CAP-1", "lacks the column(s): Facility Code"),
            ("c.csv", b"\xff\xfe\x00bad", "not UTF-8"),
            ("c.xlsx", b"not a zip", "not a readable XLSX workbook"),
            ("c.csv", b"", "The file is empty."),
        ],
    )
    def test_an_unreadable_file_gets_one_clear_message(self, personas, client_for, name, content, message):
        response = upload(client_for(personas["registrar"]), name, content)
        assert message in response.context["file_error"]

    def test_oversized_files_are_refused_before_reading(self, personas, client_for, monkeypatch):
        from icihub.catalogue import views

        client = client_for(personas["registrar"])
        monkeypatch.setattr(transfer, "MAX_IMPORT_ROWS", 2)
        rows = [transfer.HEADINGS] + [["x"] * len(transfer.HEADINGS)] * 3
        assert "more than 2 rows" in upload(client, "c.csv", as_csv(rows)).context["file_error"]
        monkeypatch.setattr(views, "MAX_UPLOAD_BYTES", 10)
        assert "larger than 5 MB" in upload(client, "c.csv", b"x" * 11).context["file_error"]
        assert not Course.objects.exists()

    @pytest.mark.parametrize("persona", ["instructor", "poc_kwt", "hq_observer", "participant"])
    def test_only_catalogue_editors_import(self, personas, client_for, persona):
        assert client_for(personas[persona]).get("/en/staff/catalogue/import/").status_code == 403
        assert upload(client_for(personas[persona]), "c.csv", b"").status_code == 403
