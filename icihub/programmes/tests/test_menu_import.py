"""The cooperation menu pages: the list as each partner may see it, export as CSV and XLSX, and the
import from either, all or nothing, with every bad row reported by line and column."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.programmes import services, transfer
from icihub.programmes.models import MenuActivity

pytestmark = pytest.mark.django_db

HEADINGS = list(transfer.COLUMNS)


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def as_xlsx(rows: list[list[str]]) -> bytes:
    return testing.xlsx_bytes(rows)


def upload(client, name: str, content: bytes):
    return client.post("/en/menu/import/", {"file": SimpleUploadedFile(name, content)})


def row(code: str, **values) -> list[str]:
    data = {
        "code": code,
        "kind": "seminar",
        "title_en": f"{code} seminar",
        "title_ar": "ندوة",
        "course": "",
        "open_to": "ICI;GCC",
        "description_en": "",
        "description_ar": "",
        "active": "Y",
    }
    data.update(values)
    return [data[column] for column in HEADINGS]


def menu_activity(personas, code: str, **values) -> MenuActivity:
    data = dict(zip(HEADINGS, row(code, **values), strict=True))
    return services.save_menu_activity(actor=personas["registrar"], data=data, source="test")


class TestList:
    @pytest.fixture
    def menu(self, personas):
        menu_activity(personas, "ICI-SEM", open_to="ICI")
        menu_activity(personas, "GCC-VISIT", open_to="GCC", kind="visit")
        menu_activity(personas, "NATO-CONF", open_to="NATO", kind="conference")
        menu_activity(personas, "ICI-OLD", open_to="ICI", active="N")
        menu_activity(personas, "ICI-COURSE", kind="course", course=testing.make_course().code)

    def codes(self, response) -> list[str]:
        return [activity.code for activity in response.context["page"]]

    def test_a_partner_sees_the_active_activities_open_to_its_frameworks(self, personas, client_for, menu):
        # SAU takes part in ICI in selected activities only, and is a GCC member.
        response = client_for(personas["poc_sau"]).get("/en/menu/")
        assert self.codes(response) == ["GCC-VISIT", "ICI-COURSE", "ICI-SEM"]
        page = response.content.decode()
        assert "NATO-CONF" not in page and "ICI-OLD" not in page
        assert "/en/menu/import/" not in page and "/en/menu/export.csv" not in page

    def test_staff_see_the_whole_menu_with_import_and_export(self, personas, client_for, menu):
        response = client_for(personas["registrar"]).get("/en/menu/")
        assert len(self.codes(response)) == 5
        page = response.content.decode()
        assert "/en/menu/import/" in page and "/en/menu/export.xlsx" in page and "Inactive" in page

    def test_hq_exports_but_does_not_import(self, personas, client_for, menu):
        page = client_for(personas["hq_observer"]).get("/en/menu/").content.decode()
        assert "/en/menu/export.csv" in page and "/en/menu/import/" not in page

    def test_it_filters_by_kind(self, personas, client_for, menu):
        assert self.codes(client_for(personas["poc_kwt"]).get("/en/menu/?kind=visit")) == ["GCC-VISIT"]
        assert len(self.codes(client_for(personas["poc_kwt"]).get("/en/menu/?kind=nonsense"))) == 3

    @pytest.mark.parametrize("persona", ["participant", "poc_gcc"])
    def test_others_see_an_empty_menu(self, personas, client_for, menu, persona):
        response = client_for(personas[persona]).get("/en/menu/")
        assert response.status_code == 200 and self.codes(response) == []

    def test_anonymous_is_sent_to_log_in(self, personas, client_for):
        for url in ("/en/menu/", "/en/menu/import/", "/en/menu/export.csv", "/en/menu/export.xlsx"):
            response = client_for(None).get(url)
            assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/"), url

    def test_it_is_shown_in_arabic(self, personas, client_for, menu):
        page = client_for(personas["poc_kwt"]).get("/ar/menu/").content.decode()
        assert 'dir="rtl"' in page and "ندوة" in page and '<bdi class="code" dir="ltr">ICI-SEM</bdi>' in page

    def test_the_list_runs_a_fixed_number_of_queries(self, personas, client_for):
        menu_activity(personas, "A-1")
        client = client_for(personas["poc_kwt"])
        client.get("/en/")  # a session's first request also notes that it needs no second factor
        with CaptureQueriesContext(connection) as one:
            client.get("/en/menu/")
        for number in range(5):
            menu_activity(personas, f"B-{number}", kind="course", course=testing.make_course().code)
        with CaptureQueriesContext(connection) as six:
            assert len(self.codes(client.get("/en/menu/"))) == 6
        assert len(six) == len(one)

    def test_a_wrong_method_is_refused(self, personas, client_for):
        assert client_for(personas["registrar"]).post("/en/menu/").status_code == 405
        assert client_for(personas["registrar"]).post("/en/menu/export.csv").status_code == 405


class TestExport:
    def test_csv_has_the_import_columns_in_both_languages_and_defuses_formulas(self, personas, client_for):
        course = testing.make_course()
        menu_activity(personas, "ICI-COURSE", kind="course", course=course.code, title_en="=HYPERLINK(1)")
        menu_activity(personas, "ICI-OLD", active="N", open_to="ICI", description_ar="وصف\nسطر ثان")
        response = client_for(personas["registrar"]).get("/en/menu/export.csv")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment;" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == HEADINGS
        first, second = (dict(zip(HEADINGS, line, strict=True)) for line in rows[1:])
        assert (first["code"], first["course"], first["open_to"], first["title_en"]) == (
            "ICI-COURSE",
            course.code,
            "GCC;ICI",
            "'=HYPERLINK(1)",
        )
        assert (second["active"], second["title_ar"], second["description_ar"]) == ("N", "ندوة", "وصف\nسطر ثان")

    def test_xlsx_opens_as_a_workbook(self, personas, client_for):
        menu_activity(personas, "ICI-SEM")
        response = client_for(personas["hq_observer"]).get("/en/menu/export.xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [cell.value for cell in sheet[1]] == HEADINGS
        assert [cell.value for cell in sheet[2]][:2] == ["ICI-SEM", "seminar"]

    @pytest.mark.parametrize("persona", ["poc_kwt", "poc_sau", "participant", "poc_gcc"])
    def test_partners_may_not_export(self, personas, client_for, persona):
        client = client_for(personas[persona])
        assert client.get("/en/menu/export.csv").status_code == 403
        assert client.get("/en/menu/export.xlsx").status_code == 403


class TestImport:
    def test_a_csv_file_creates_activities_and_each_is_audited(self, personas, client_for):
        course = testing.make_course()
        content = as_csv(
            [
                HEADINGS,
                row("ici-sem", description_en="Two days on maritime security."),
                row("LL-1", kind="COURSE", course=course.code.lower(), open_to="ICI", active="n"),
                ["", "", "", "", "", "", "", "", ""],  # an empty row is skipped
            ]
        )
        response = upload(client_for(personas["registrar"]), "menu.csv", content)
        assert response.status_code == 302 and response["Location"] == "/en/menu/"
        created = MenuActivity.objects.get(code="LL-1")
        assert (created.kind, created.course, created.active) == ("course", course, False)
        assert MenuActivity.objects.get(code="ICI-SEM").description_en == "Two days on maritime security."
        events = AuditEvent.objects.filter(action="menu.created").order_by("id")
        assert [(event.object_id, event.source) for event in events] == [("ICI-SEM", "import"), ("LL-1", "import")]

    def test_an_xlsx_file_creates_and_updates_activities(self, personas, client_for):
        menu_activity(personas, "ICI-SEM")
        content = as_xlsx([HEADINGS, row("ICI-SEM", title_en="Renamed"), row("GCC-VISIT", kind="visit")])
        assert upload(client_for(personas["course_director"]), "menu.xlsx", content).status_code == 302
        assert MenuActivity.objects.get(code="ICI-SEM").title_en == "Renamed"
        assert MenuActivity.objects.get(code="GCC-VISIT").kind == "visit"
        assert AuditEvent.objects.filter(action="menu.updated", object_id="ICI-SEM").count() == 1
        assert AuditEvent.objects.filter(action="menu.created", object_id="GCC-VISIT").count() == 1

    def test_headings_are_matched_whatever_their_case_and_order(self, personas, client_for):
        headings = [column.upper() for column in reversed(HEADINGS)]
        content = as_csv([headings, list(reversed(row("ICI-SEM")))])
        assert upload(client_for(personas["registrar"]), "menu.csv", content).status_code == 302
        assert MenuActivity.objects.get(code="ICI-SEM").open_to.count() == 2

    def test_every_bad_row_is_reported_with_line_and_column_and_nothing_is_saved(self, personas, client_for):
        menu_activity(personas, "KEEP", title_en="Unchanged")
        content = as_csv(
            [
                HEADINGS,
                row("GOOD-1"),
                row("BAD-KIND", kind="party"),
                row("BAD-COURSE", kind="course"),
                row("BAD-OPEN", open_to="ICI;NOPE"),
                row("GOOD-1"),
                row("", title_ar="", active="maybe"),
                row("KEEP", title_en="Changed"),
            ]
        )
        response = upload(client_for(personas["registrar"]), "menu.csv", content)
        assert response.status_code == 200
        problems = response.context["problems"]
        assert (3, "kind") in {(line, column) for line, column, _ in problems}
        assert (4, "course", "A course activity names its catalogue course.") in problems
        assert (5, "open_to", "Unknown framework(s): NOPE.") in problems
        assert (6, "code", "The code GOOD-1 is also on line 2.") in problems
        assert {(7, "code"), (7, "title_ar"), (7, "active")} <= {(line, column) for line, column, _ in problems}
        assert not any(line in (2, 8) for line, _, _ in problems)
        page = response.content.decode()
        assert "Nothing was imported" in page and "Unknown framework(s): NOPE." in page
        assert list(MenuActivity.objects.values_list("code", "title_en")) == [("KEEP", "Unchanged")]
        assert not AuditEvent.objects.filter(action__startswith="menu.", object_id__in=["GOOD-1", "KEEP"]).exclude(
            source="test"
        )

    @pytest.mark.parametrize("file_format", ["csv", "xlsx"])
    def test_an_export_imports_back_unchanged(self, personas, client_for, file_format):
        client = client_for(personas["registrar"])
        course = testing.make_course()
        menu_activity(personas, "ICI-COURSE", kind="course", course=course.code, title_en="=SUM(A1)", open_to="ICI")
        menu_activity(personas, "ICI-OLD", active="N", description_en="First line\nsecond line", title_ar="-ندوة")
        menu_activity(personas, "GCC-VISIT", kind="visit", open_to="GCC;ICI;PfP", description_ar="@زيارة")
        before = list(MenuActivity.objects.values())
        exported = client.get(f"/en/menu/export.{file_format}").content
        events = AuditEvent.objects.count()
        response = upload(client, f"menu.{file_format}", exported)
        assert response.status_code == 302, response.context and response.context["problems"]
        assert AuditEvent.objects.count() == events  # nothing changed, nothing audited
        assert list(MenuActivity.objects.values()) == before
        assert MenuActivity.objects.get(code="ICI-COURSE").title_en == "=SUM(A1)"

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("menu.txt", b"code", "Upload a .csv or .xlsx file."),
            ("menu.csv", "\ufeffcode,kind\nX,visit".encode(), "lacks the column(s): title_en, title_ar, course"),
            ("menu.csv", "code;kind\n".encode("utf-16"), "not UTF-8"),
            ("menu.csv", "code,título\n".encode("latin-1"), "not UTF-8"),
            ("menu.xlsx", b"not a zip", "not a readable XLSX workbook"),
            ("menu.csv", b"", "The file is empty."),
            ("menu.csv", ",".join(transfer.COLUMNS).encode(), "no activity below its headings"),
        ],
    )
    def test_an_unreadable_file_gets_one_clear_message(self, personas, client_for, name, content, message):
        response = upload(client_for(personas["registrar"]), name, content)
        assert response.status_code == 200
        assert message in response.context["file_error"]
        assert message in response.content.decode()
        assert not MenuActivity.objects.exists()

    def test_no_file_and_a_file_too_large_are_refused_before_reading(self, personas, client_for, monkeypatch):
        from icihub import uploads

        client = client_for(personas["registrar"])
        assert client.post("/en/menu/import/").context["file_error"] == "Choose a CSV or XLSX file."
        monkeypatch.setattr(uploads, "MAX_SPREADSHEET_BYTES", 10)
        assert upload(client, "menu.csv", b"x" * 11).context["file_error"] == "The file is larger than 5 MB."
        monkeypatch.setattr(transfer, "MAX_IMPORT_ROWS", 2)
        monkeypatch.setattr(uploads, "MAX_SPREADSHEET_BYTES", 5 * 1024 * 1024)
        rows = as_csv([HEADINGS, row("A"), row("B"), row("C")])
        assert "more than 2 rows" in upload(client, "menu.csv", rows).context["file_error"]
        assert not MenuActivity.objects.exists()

    def test_the_form_lists_the_columns(self, personas, client_for):
        response = client_for(personas["registrar"]).get("/en/menu/import/")
        assert response.status_code == 200
        assert ", ".join(HEADINGS) in response.content.decode()

    @pytest.mark.parametrize("persona", ["poc_kwt", "poc_sau", "hq_observer", "instructor", "participant"])
    def test_only_catalogue_editors_import(self, personas, client_for, persona):
        client = client_for(personas[persona])
        assert client.get("/en/menu/import/").status_code == 403
        assert upload(client, "menu.csv", as_csv([HEADINGS, row("X-1")])).status_code == 403
        assert not MenuActivity.objects.exists()

    def test_a_wrong_method_is_refused(self, personas, client_for):
        assert client_for(personas["registrar"]).put("/en/menu/import/").status_code == 405
