"""The catalogue as a spreadsheet (CSV or XLSX) with ETOC-like columns, both ways.

Lists (languages, frameworks, nations, prerequisites) are codes separated by ";". Performance
objectives take one column per language, objectives separated by " | ". Flags are "Y" or "N"."""

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import IO
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from icihub.catalogue.services import CODE_LIST_FIELDS, FLAG_FIELDS, course_data

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
    ("Level 1 Evaluation", "level1_evaluation"),
    ("Level 2 Test", "level2_test"),
    ("Two-step Application", "two_step_application"),
    ("Requires Secure Access", "requires_secure_access"),
    ("Active From", "active_from"),
    ("Deactivated On", "deactivated_on"),
)
HEADINGS = [heading for heading, _key in COLUMNS]
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


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """Every row of an uploaded CSV (UTF-8) or XLSX file (its first sheet) as a list of texts, the
    heading row first; SpreadsheetError when the file cannot be read or is empty."""
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpreadsheetError(_("The CSV file is not UTF-8 text; save it as 'CSV UTF-8'.")) from None
        table = list(csv.reader(io.StringIO(text)))
    elif name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError):
            raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from None
        sheet = workbook.worksheets[0]
        table = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    else:
        raise SpreadsheetError(_("Upload a .csv or .xlsx file."))
    if not table:
        raise SpreadsheetError(_("The file is empty."))
    return table


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict]]:
    """(line number, CourseData) for every non-empty row of an uploaded CSV or XLSX file."""
    table = read_table(filename, content)
    headings = [heading.strip() for heading in table[0]]
    missing = [heading for heading in HEADINGS if heading not in headings]
    if missing:
        raise SpreadsheetError(f"The file lacks the column(s): {', '.join(missing)}.")
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise SpreadsheetError(f"The file has more than {MAX_IMPORT_ROWS} rows; split it.")
    position = {heading: index for index, heading in enumerate(headings)}
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(headings) - len(cells))
        values = {key: unescape_cell(cells[position[heading]].strip()) for heading, key in COLUMNS}
        english = [part.strip() for part in values.pop("objectives_en").split("|") if part.strip()]
        arabic = [part.strip() for part in values.pop("objectives_ar").split("|") if part.strip()]
        values["objectives"] = [
            (english[i] if i < len(english) else "", arabic[i] if i < len(arabic) else "")
            for i in range(max(len(english), len(arabic)))
        ]
        rows.append((line, values))
    return rows
