"""Attendance as a CSV file: writing an iteration's sheet (one row per participant and course day) and
reading one back. Reading only parses; the rules (who, which day, which mark) are the services'."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from icihub.catalogue.transfer import SpreadsheetError, csv_stream, read_csv_table, unescape_cell
from icihub.uploads import MAX_CSV_BYTES

COLUMNS = ("email", "family_name", "given_names", "nation", "day", "mark")
REQUIRED = ("email", "day", "mark")
MAX_ROWS = 5000


class FileError(ValueError):
    """A file that cannot be read as an attendance sheet at all."""


def stream_sheet(rows) -> Iterator[bytes]:
    """The CSV of `rows` (dicts with the COLUMNS), protected against formulas, with a byte-order mark
    so that spreadsheets read it as UTF-8, a chunk of bytes at a time (for a StreamingHttpResponse)."""
    return csv_stream(COLUMNS, ([str(row.get(column) or "") for column in COLUMNS] for row in rows))


def write_sheet(rows) -> bytes:
    """stream_sheet's file whole."""
    return b"".join(stream_sheet(rows))


def read_sheet(content: bytes) -> list[tuple[int, dict]]:
    """(line number, row) for every non-blank row of an uploaded CSV file (UTF-8, with or without a
    byte-order mark), read through the shared guarded reader (catalogue.transfer.read_csv_table: size,
    rows, columns and cells bounded while it reads). Line numbers count the heading as line 1, as a
    spreadsheet shows them."""
    try:
        table = read_csv_table(content, max_rows=MAX_ROWS, max_bytes=MAX_CSV_BYTES)
    except SpreadsheetError as error:
        raise FileError(str(error)) from None
    headings = [name.strip().lower() for name in table[0]]
    missing = [name for name in REQUIRED if name not in headings]
    if missing:
        raise FileError(
            _("The file lacks the column(s) %(missing)s. Its first line names the columns: %(columns)s.")
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {heading: unescape_cell(cell.strip()) for heading, cell in zip(headings, cells, strict=False)}
        if any(values.values()):
            rows.append((line, values))
    if not rows:
        raise FileError(_("The file has no rows."))
    return rows
