"""The catalogue as a spreadsheet (CSV or XLSX) with ETOC-like columns, both ways.

Lists (languages, frameworks, nations, prerequisites) are codes separated by ";". Performance
objectives take one column per language, objectives separated by " | ". Flags are "Y" or "N"."""

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from icihub.catalogue.services import CODE_LIST_FIELDS, FLAG_FIELDS, course_data
from icihub.uploads import MAX_SPREADSHEET_BYTES

# (column heading, CourseData key), in ETOC's order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Course Code", "code"),
    ("Facility Code", "facility_code"),
    ("Title", "title_en"),
    ("Title (Arabic)", "title_ar"),
    ("Training Institution", "institution"),
    ("Discipline", "discipline"),
    ("Area", "area"),
    ("Level of Proficiency", "level"),
    ("NATO Course Certification", "certification"),
    ("Delivery Method", "delivery_method"),
    ("Aim", "aim_en"),
    ("Aim (Arabic)", "aim_ar"),
    ("Description", "description_en"),
    ("Description (Arabic)", "description_ar"),
    ("Notes", "notes_en"),
    ("Notes (Arabic)", "notes_ar"),
    ("Performance Objectives", "objectives_en"),
    ("Performance Objectives (Arabic)", "objectives_ar"),
    ("Languages", "languages"),
    ("Duration (days)", "duration_days"),
    ("Security Classification", "classification"),
    ("Releasable to Public", "releasable_to_public"),
    ("Releasable to Frameworks", "releasable_to_frameworks"),
    ("Releasable to Nations", "releasable_to_nations"),
    ("Training Audience Frameworks", "audience_frameworks"),
    ("Training Audience Nations", "audience_nations"),
    ("Rank From", "rank_min"),
    ("Rank To", "rank_max"),
    ("Civilians Eligible", "civilians_eligible"),
    ("Language Requirement (SLP)", "slp_requirement"),
    ("Prerequisites", "prerequisites"),
    ("ePrime Reference", "eprime_reference"),
    ("Tuition Fee (EUR)", "tuition_fee_eur"),
    ("Accommodation Fee (EUR)", "accommodation_fee_eur"),
    ("Meals Fee (EUR)", "meals_fee_eur"),
    ("Payment Authority", "payment_authority"),
    ("Payment Authority (Arabic)", "payment_authority_ar"),
    ("Level 1 Evaluation", "level1_evaluation"),
    ("Level 2 Test", "level2_test"),
    ("Two-step Application", "two_step_application"),
    ("Requires Secure Access", "requires_secure_access"),
    ("Active From", "active_from"),
    ("Deactivated On", "deactivated_on"),
)
HEADINGS = [heading for heading, _key in COLUMNS]
# Columns added after files were first exported: a file without them still imports, as blank.
OPTIONAL_HEADINGS = frozenset({"Payment Authority (Arabic)"})
OBJECTIVE_SEPARATOR = " | "
MAX_IMPORT_ROWS = 5000


class SpreadsheetError(ValueError):
    """A file that cannot be read as a catalogue at all (wrong format, missing columns)."""


def course_row(course) -> list[str]:
    data = course_data(course)
    data["objectives_en"] = OBJECTIVE_SEPARATOR.join(en for en, _ar in data["objectives"])
    data["objectives_ar"] = OBJECTIVE_SEPARATOR.join(ar for _en, ar in data["objectives"])
    row = []
    for _heading, key in COLUMNS:
        value = data[key]
        if key in CODE_LIST_FIELDS:
            value = ";".join(value)
        elif key in FLAG_FIELDS:
            value = "Y" if value else "N"
        elif value is None:
            value = ""
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        row.append(str(value))
    return row


# Courses read from the database at a time by an export: memory stays flat however large the catalogue.
EXPORT_CHUNK = 200


def export_csv(courses) -> Iterator[bytes]:
    """The catalogue as CSV, a chunk of bytes at a time (for a StreamingHttpResponse)."""
    return csv_stream(HEADINGS, (course_row(course) for course in courses.iterator(chunk_size=EXPORT_CHUNK)))


def export_xlsx(courses) -> IO[bytes]:
    """The catalogue as an XLSX workbook in a temporary file, open at its start (for a FileResponse)."""
    return xlsx_temporary_file(
        "Catalogue", HEADINGS, (course_row(course) for course in courses.iterator(chunk_size=EXPORT_CHUNK))
    )


def csv_stream(headings, rows, *, chunk_characters: int = 64 * 1024) -> Iterator[bytes]:
    """A CSV file of `rows` under `headings`, every cell kept from running as a formula, with a
    byte-order mark so that spreadsheets (Excel) read the Arabic text as UTF-8; yielded in chunks of
    about `chunk_characters`, so a file of a million rows never sits whole in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headings)
    for row in rows:
        writer.writerow(safe_for_spreadsheets(row))
        if buffer.tell() >= chunk_characters:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_file(headings, rows) -> bytes:
    """csv_stream's file whole, for the small ones (an iteration's sheet, a year's calendar)."""
    return b"".join(csv_stream(headings, rows))


def xlsx_temporary_file(title: str, headings, rows) -> IO[bytes]:
    """An XLSX workbook of one sheet named `title`, cells kept from running as formulas, written in
    openpyxl's write-only mode (rows go to disk as they come) into a temporary file, returned open
    at its start; the file is deleted when closed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(list(headings))
    for row in rows:
        sheet.append(safe_for_spreadsheets(row))
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  # closed by its reader (FileResponse)
    workbook.save(spool)
    spool.seek(0)
    return spool


def xlsx_file(title: str, headings, rows) -> bytes:
    """xlsx_temporary_file's workbook as bytes, for the small ones."""
    with xlsx_temporary_file(title, headings, rows) as spool:
        return spool.read()


def safe_for_spreadsheets(row) -> list:
    """Keep a text cell from being run as a formula when the file is opened (CSV injection); numbers
    and other values stay as they are."""
    return [
        "'" + cell if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@") and not _is_number(cell) else cell
        for cell in row
    ]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def unescape_cell(cell: str) -> str:
    """Undo safe_for_spreadsheets, so an exported file imports unchanged."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


# Bounds on an uploaded spreadsheet, checked before and while it is parsed, so that a small hostile
# file (a "zip bomb": a million rows compressed into a few hundred kilobytes) is refused in
# milliseconds instead of holding a worker for minutes and gigabytes.
MAX_IMPORT_COLUMNS = 100  # the catalogue has 42 columns, the cooperation menu 9
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit on a cell
MAX_ZIP_MEMBERS = 100  # a one-sheet workbook holds about a dozen parts
MAX_COMPRESSION_RATIO = 200  # real sheets compress 5-20 times; bombs a thousand times and more
# Uncompressed bytes of a whole workbook: ample for 5,000 rows of 42 well-filled cells.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]*)(\d*)(?::([A-Z]+)(\d+))?\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode("ascii"):
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def check_workbook_archive(content: bytes) -> None:
    """Refuse an XLSX file whose archive promises more than an import may read, before it is
    parsed: too many parts, too many bytes once inflated, or a part inflated absurdly more than
    real sheets are (the mark of a bomb). Python's zipfile never inflates a part beyond its declared
    size, so the declared total also bounds the bytes actually read."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise SpreadsheetError(
                    _("The XLSX file holds more than %(count)d parts; it is not a plain workbook.")
                    % {"count": MAX_ZIP_MEMBERS}
                )
            if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
                raise SpreadsheetError(
                    _("The XLSX file would unpack to more than %(megabytes)d MB; split it.")
                    % {"megabytes": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
                )
            for member in members:
                if member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(
                    member.compress_size, 1
                ):
                    raise SpreadsheetError(
                        _("The XLSX file is compressed more than %(ratio)d times; it is not a plain workbook.")
                        % {"ratio": MAX_COMPRESSION_RATIO}
                    )
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError) as error:
        if isinstance(error, SpreadsheetError):
            raise
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from None


class _StreamedSheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet without its size look-up. On opening, openpyxl looks for the
    sheet's <dimension>, and when there is none it parses the whole sheet to the end of <sheetData>
    (18 s and 263 MB for a 333 KB file of a million rows) before a single row is read; and when the
    dimension lies low, it silently stops reading there. This one has no size: its rows are read as
    they come, until read_table stops."""

    def _get_size(self) -> None:
        pass


def _declared_size(archive: zipfile.ZipFile, path: str) -> tuple[int, int] | None:
    """(last row, last column) the sheet at `path` declares in its <dimension>, if it does so near
    its start (where spreadsheets write it)."""
    with archive.open(path) as sheet:
        declared = _DIMENSION.search(sheet.read(4096))
    if not declared:
        return None
    last_column, last_row = declared.group(3) or declared.group(1), declared.group(4) or declared.group(2)
    return int(last_row or 0), _column_number(last_column or b"")


def _first_sheet_rows(content: bytes, *, max_rows: int, max_columns: int) -> Iterator[tuple]:
    """The values of the first worksheet's rows, read as they come; SpreadsheetError first when the
    sheet declares more rows or columns than allowed."""
    reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)  # date formats: a date cell reads as a date
    try:
        sheet, relation = next(
            (sheet, relation)
            for sheet, relation in reader.parser.find_sheets()
            if relation.target in reader.valid_files and "chartsheet" not in relation.Type
        )
    except StopIteration:
        raise SpreadsheetError(_("The file is empty.")) from None
    declared = _declared_size(reader.archive, relation.target)
    if declared and declared[0] > max_rows + 1:
        raise SpreadsheetError(_("The file has more than %(count)d rows; split it.") % {"count": max_rows})
    if declared and declared[1] > max_columns:
        raise SpreadsheetError(_("The file has more than %(count)d columns.") % {"count": max_columns})
    worksheet = _StreamedSheet(reader.wb, sheet.name, relation.target, reader.shared_strings)
    try:
        # max_col keeps openpyxl from building a million empty cells for a row that claims them.
        yield from worksheet.iter_rows(values_only=True, max_col=max_columns + 1)
    finally:
        reader.archive.close()


def _bounded(rows: Iterable, *, max_rows: int, max_columns: int) -> list[list[str]]:
    """The rows as lists of texts, stopping at the first row past the heading and max_rows, the
    first row wider than max_columns, or the first cell longer than MAX_CELL_CHARACTERS."""
    table = []
    for row in rows:
        if len(table) > max_rows:
            raise SpreadsheetError(_("The file has more than %(count)d rows; split it.") % {"count": max_rows})
        cells = ["" if cell is None else str(cell) for cell in row]
        if len(cells) > max_columns:
            # A sheet may pad a row with empty cells; only filled ones count.
            while cells and cells[-1] == "":
                cells.pop()
            if len(cells) > max_columns:
                raise SpreadsheetError(_("The file has more than %(count)d columns.") % {"count": max_columns})
        if any(len(cell) > MAX_CELL_CHARACTERS for cell in cells):
            raise SpreadsheetError(
                _("Line %(line)d has a cell longer than %(count)d characters.")
                % {"line": len(table) + 1, "count": MAX_CELL_CHARACTERS}
            )
        table.append(cells)
    return table


def read_table(
    filename: str,
    content: bytes,
    *,
    max_rows: int | None = None,
    max_columns: int = MAX_IMPORT_COLUMNS,
    max_bytes: int = MAX_SPREADSHEET_BYTES,
) -> list[list[str]]:
    """Every row of an uploaded CSV (UTF-8) or XLSX file (its first sheet) as a list of texts, the
    heading row first; SpreadsheetError when the file cannot be read, is empty, or passes a bound
    (more than `max_bytes` bytes, more than `max_rows` rows below the heading, more than `max_columns`
    columns, a giant cell, an archive that would inflate beyond reason). The rows are streamed and
    reading stops at the first bound passed, so a hostile file costs no more than a legitimate one at
    the limit. This is the one reader of every spreadsheet import: the catalogue, the cooperation menu,
    and, through read_csv_table, the nominations and attendance CSV files."""
    max_rows = MAX_IMPORT_ROWS if max_rows is None else max_rows
    name = filename.lower()
    if name.endswith(".csv"):
        return read_csv_table(content, max_rows=max_rows, max_columns=max_columns, max_bytes=max_bytes)
    if not name.endswith(".xlsx"):
        raise SpreadsheetError(_("Upload a .csv or .xlsx file."))
    _check_size(content, max_bytes)
    check_workbook_archive(content)
    try:
        rows = _first_sheet_rows(content, max_rows=max_rows, max_columns=max_columns)
        try:
            table = _bounded(rows, max_rows=max_rows, max_columns=max_columns)
        finally:
            rows.close()
    except SpreadsheetError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, IndexError, SyntaxError):
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from None
    if not table:
        raise SpreadsheetError(_("The file is empty."))
    return table


def read_csv_table(
    content: bytes,
    *,
    max_rows: int | None = None,
    max_columns: int = MAX_IMPORT_COLUMNS,
    max_bytes: int = MAX_SPREADSHEET_BYTES,
) -> list[list[str]]:
    """read_table for a file that can only be CSV (UTF-8, with or without a byte-order mark), under the
    same bounds; a file holding a NUL character is binary, not CSV, and is refused."""
    max_rows = MAX_IMPORT_ROWS if max_rows is None else max_rows
    _check_size(content, max_bytes)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(_("The CSV file is not UTF-8 text; save it as 'CSV UTF-8'.")) from None
    if "\x00" in text:
        raise SpreadsheetError(_("The file is not a CSV file: save the sheet as CSV UTF-8."))
    reader = csv.reader(io.StringIO(text))
    try:
        table = _bounded(_fields_checked(reader), max_rows=max_rows, max_columns=max_columns)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise SpreadsheetError(
                _("Line %(line)d has a cell longer than %(count)d characters.")
                % {"line": reader.line_num, "count": MAX_CELL_CHARACTERS}
            ) from None
        raise SpreadsheetError(_("Line %(line)d is not readable CSV.") % {"line": reader.line_num}) from None
    if not table:
        raise SpreadsheetError(_("The file is empty."))
    return table


def _check_size(content: bytes, max_bytes: int) -> None:
    """Refuse a file larger than `max_bytes`, whoever handed it over (the upload pages check the
    size they were sent before reading it; this holds for every other caller too)."""
    if len(content) > max_bytes:
        raise SpreadsheetError(
            _("The file is larger than %(megabytes)s MB; split it.") % {"megabytes": f"{max_bytes / 1024 / 1024:g}"}
        )


def _fields_checked(reader) -> Iterator[list[str]]:
    """csv.reader's rows; csv.Error (caught by read_table) when a field is larger than a cell may be.
    csv's limit is process-wide, so it is checked here rather than set."""
    for row in reader:
        if any(len(field) > MAX_CELL_CHARACTERS for field in row):
            raise SpreadsheetError(
                _("Line %(line)d has a cell longer than %(count)d characters.")
                % {"line": reader.line_num, "count": MAX_CELL_CHARACTERS}
            )
        yield row


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict]]:
    """(line number, CourseData) for every non-empty row of an uploaded CSV or XLSX file."""
    table = read_table(filename, content, max_rows=MAX_IMPORT_ROWS)
    headings = [heading.strip() for heading in table[0]]
    missing = [heading for heading in HEADINGS if heading not in headings and heading not in OPTIONAL_HEADINGS]
    if missing:
        raise SpreadsheetError(_("The file lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise SpreadsheetError(_("The file has more than %(count)d rows; split it.") % {"count": MAX_IMPORT_ROWS})
    position = {heading: index for index, heading in enumerate(headings)}
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(headings) - len(cells))
        values = {
            key: unescape_cell(cells[position[heading]].strip()) if heading in position else ""
            for heading, key in COLUMNS
        }
        english = [part.strip() for part in values.pop("objectives_en").split("|") if part.strip()]
        arabic = [part.strip() for part in values.pop("objectives_ar").split("|") if part.strip()]
        values["objectives"] = [
            (english[i] if i < len(english) else "", arabic[i] if i < len(arabic) else "")
            for i in range(max(len(english), len(arabic)))
        ]
        rows.append((line, values))
    return rows
