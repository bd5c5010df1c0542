"""Reading a bulk nomination file: CSV (UTF-8), one person per row. Rules are checked by the services."""

import csv
import io

from icihub.nominations.services import PERSON_FIELDS

COLUMNS = (*PERSON_FIELDS, "priority")
REQUIRED = ("family_name", "given_names", "service", "email")
MAX_ROWS = 500


class FileError(ValueError):
    """A file that cannot be read as a nomination list at all."""


def read_rows(content: bytes) -> list[tuple[int, dict]]:
    """(line number, row) pairs; blank lines skipped. An organisation's file may add a `nation` column."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError("The file is not UTF-8 text; save it as CSV UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    headings = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in headings]
    if missing:
        raise FileError(f"The file lacks the column(s): {', '.join(missing)}. Columns: {', '.join(COLUMNS)}.")
    rows = []
    try:
        for line, row in enumerate(reader, start=2):
            values = {
                (key or "").strip(): (value or "").strip() for key, value in row.items() if isinstance(value, str)
            }
            if any(values.values()):
                rows.append((line, values))
            if len(rows) > MAX_ROWS:
                raise FileError(f"The file has more than {MAX_ROWS} rows; split it.")
    except csv.Error as error:
        raise FileError(f"Line {reader.line_num}: the file is not readable CSV ({error}).") from None
    if not rows:
        raise FileError("The file has no rows.")
    return rows
