"""Hostile spreadsheets (zip bombs, lying dimensions, giant CSVs) are refused before they cost the
server more than a legitimate file at the limit does, with a message saying which bound was passed."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from icihub.catalogue import transfer
from icihub.catalogue.models import Course

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)

RATIO = "The XLSX file is compressed more than 200 times; it is not a plain workbook."


def bomb_xlsx(rows: int, *, dimension: str | None = None) -> bytes:
    """An XLSX of `rows` one-cell rows, written by hand so that it stays small on disk (the sheet
    XML is generated in pieces and compressed as it goes); `dimension` is what the sheet declares."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            chunk_rows = min(rows, 10_000)
            chunk = b"".join(b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' for _ in range(chunk_rows))
            for _ in range(rows // chunk_rows):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def legitimate_xlsx(rows: int) -> bytes:
    """A catalogue of `rows` courses as openpyxl writes it (with its <dimension>)."""
    return transfer.xlsx_file(
        "Catalogue",
        transfer.HEADINGS,
        ([f"LL-CAP-{number:05d}"] + ["x"] * (len(transfer.HEADINGS) - 1) for number in range(rows)),
    )


def upload(client, name: str, content: bytes):
    return client.post("/en/staff/catalogue/import/", {"file": SimpleUploadedFile(name, content)})


def refusal(name: str, content: bytes) -> tuple[str, int]:
    """read_table's message for a refused file and the peak memory (bytes) spent refusing it."""
    tracemalloc.start()
    try:
        with pytest.raises(transfer.SpreadsheetError) as refused:
            transfer.read_table(name, content)
        return str(refused.value), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def million_rows() -> bytes:
    return bomb_xlsx(1_000_000)


class TestReadTable:
    def test_a_million_row_bomb_is_refused_by_its_compression_ratio(self, million_rows):
        assert len(million_rows) < 1_000_000  # small on disk
        message, peak = refusal("bomb.xlsx", million_rows)
        assert message == RATIO
        assert peak < 5 * 1024 * 1024

    def test_reading_stops_at_the_row_limit_even_without_the_archive_checks(self, million_rows, monkeypatch):
        monkeypatch.setattr(transfer, "MAX_COMPRESSION_RATIO", 10**9)
        message, peak = refusal("bomb.xlsx", million_rows)
        assert message == "The file has more than 5000 rows; split it."
        assert peak < 30 * 1024 * 1024

    def test_a_declared_dimension_beyond_the_limit_is_refused_before_parsing(self):
        message, peak = refusal("big.xlsx", bomb_xlsx(10_000, dimension="A1:A1000000"))
        assert message == "The file has more than 5000 rows; split it."
        assert peak < 5 * 1024 * 1024

    def test_a_dimension_that_lies_does_not_help_a_bomb(self, monkeypatch):
        monkeypatch.setattr(transfer, "MAX_COMPRESSION_RATIO", 10**9)
        message, _peak = refusal("liar.xlsx", bomb_xlsx(1_000_000, dimension="A1:A2"))
        assert message == "The file has more than 5000 rows; split it."

    def test_too_many_declared_columns_are_refused(self):
        message, _peak = refusal("wide.xlsx", bomb_xlsx(10_000, dimension="A1:XFD3"))
        assert message == "The file has more than 100 columns."

    def test_a_member_inflated_absurdly_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b" " * (50 * 1024 * 1024))
        message, peak = refusal("ratio.xlsx", buffer.getvalue())
        assert message == RATIO
        assert peak < 5 * 1024 * 1024

    def test_a_csv_of_a_million_rows_stops_at_the_limit(self):
        message, peak = refusal("rows.csv", b"\n".join([b"x"] * 1_000_000))
        assert message == "The file has more than 5000 rows; split it."
        assert peak < 40 * 1024 * 1024  # the decoded text (~2 MB × 4) plus 5,000 rows

    def test_a_csv_with_too_many_columns_is_refused(self):
        message, _peak = refusal("wide.csv", b",".join([b"x"] * 100_000))
        assert message == "The file has more than 100 columns."

    @pytest.mark.parametrize("length", [40_000, 1_000_000])
    def test_a_csv_with_a_giant_field_is_refused(self, length):
        message, _peak = refusal("giant.csv", b"a,b\n" + b"y" * length)
        assert message == "Line 2 has a cell longer than 32767 characters."

    def test_a_legitimate_file_at_exactly_the_limit_is_read(self):
        table = transfer.read_table("courses.xlsx", legitimate_xlsx(transfer.MAX_IMPORT_ROWS))
        assert len(table) == transfer.MAX_IMPORT_ROWS + 1
        assert table[-1][0] == "LL-CAP-04999"

    def test_a_legitimate_csv_at_exactly_the_limit_is_read(self):
        content = b"\n".join([b"a,b"] * (transfer.MAX_IMPORT_ROWS + 1))
        assert len(transfer.read_table("courses.csv", content)) == transfer.MAX_IMPORT_ROWS + 1

    def test_one_row_past_the_limit_is_refused(self):
        with pytest.raises(transfer.SpreadsheetError, match="more than 5000 rows"):
            transfer.read_table("courses.xlsx", legitimate_xlsx(transfer.MAX_IMPORT_ROWS + 1))

    def test_a_dimension_that_lies_low_does_not_cut_a_file_short(self):
        """openpyxl alone stops at the declared last row: rows below it would be silently dropped."""
        assert len(transfer.read_table("short.xlsx", bomb_xlsx(30, dimension="A1:A2"))) == 30


@pytest.mark.django_db
class TestUpload:
    def test_the_import_page_refuses_a_million_row_bomb_and_imports_nothing(self, personas, client_for, million_rows):
        response = upload(client_for(personas["registrar"]), "bomb.xlsx", million_rows)
        assert response.status_code == 200
        assert response.context["file_error"] == RATIO
        assert not Course.objects.exists()
