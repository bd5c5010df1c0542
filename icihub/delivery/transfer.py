"""Attendance as a CSV file: writing an iteration's sheet (one row per participant and course day) and
reading one back. Reading only parses; the rules (who, which day, which mark) are the services'."""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from icihub.catalogue.transfer import csv_stream, unescape_cell

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
    byte-order mark). Line numbers count the heading as line 1, as a spreadsheet shows them."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(_("The file is not UTF-8 text: save it as CSV UTF-8.")) from None
    if "\x00" in text:
        raise FileError(_("The file is not a CSV file: save the sheet as CSV UTF-8."))
    reader = csv.DictReader(io.StringIO(text))
    try:
        headings = [(name or "").strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED if name not in headings]
        if missing:
            raise FileError(
                _("The file lacks the column(s) %(missing)s. Its first line names the columns: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
            )
        rows = []
        for line, row in enumerate(reader, start=2):
            values = {
                (key or "").strip().lower(): unescape_cell((value or "").strip())
                for key, value in row.items()
                if isinstance(value, str)
            }
            if any(values.values()):
                rows.append((line, values))
            if len(rows) > MAX_ROWS:
                raise FileError(_("The file has more than %(rows)d rows: split it.") % {"rows": MAX_ROWS})
    except csv.Error as error:
        raise FileError(
            _("Line %(line)d: the file is not readable CSV (%(error)s).") % {"line": reader.line_num, "error": error}
        ) from None
    if not rows:
        raise FileError(_("The file has no rows."))
    return rows
