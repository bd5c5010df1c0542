"""Reading a bulk nomination file: CSV (UTF-8), one person per row, through the shared guarded reader
(catalogue.transfer.read_csv_table: size, rows, columns and cells bounded while it reads). Rules are
checked by the services."""

from django.utils.translation import gettext as _

from icihub.catalogue.transfer import SpreadsheetError, read_csv_table
from icihub.nominations.services import PERSON_FIELDS
from icihub.uploads import MAX_CSV_BYTES

COLUMNS = (*PERSON_FIELDS, "priority")
REQUIRED = ("family_name", "given_names", "service", "email")
MAX_ROWS = 500


class FileError(ValueError):
    """A file that cannot be read as a nomination list at all."""


def read_rows(content: bytes) -> list[tuple[int, dict]]:
    """(line number, row) pairs; blank lines skipped. An organisation's file may add a `nation` column.
    Cells beyond the headings are ignored."""
    try:
        table = read_csv_table(content, max_rows=MAX_ROWS, max_bytes=MAX_CSV_BYTES)
    except SpreadsheetError as error:
        raise FileError(str(error)) from None
    headings = [name.strip() for name in table[0]]
    missing = [name for name in REQUIRED if name not in headings]
    if missing:
        raise FileError(
            _("The file lacks the column(s): %(missing)s. Columns: %(columns)s.")
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {heading: cell.strip() for heading, cell in zip(headings, cells, strict=False)}
        if any(values.values()):
            rows.append((line, values))
    if not rows:
        raise FileError("The file has no rows.")
    return rows
