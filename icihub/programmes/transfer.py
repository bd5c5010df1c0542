"""The cooperation menu as a spreadsheet (CSV or XLSX), both ways, with the columns of
services.MENU_FIELDS. Headings are matched whatever their case; frameworks are codes separated by
";", and `active` is "Y" or "N". An exported file imports back unchanged: cells are defused against
formula injection on the way out and restored on the way in."""

from django.utils.translation import gettext as _

from icihub.catalogue.transfer import SpreadsheetError, csv_file, read_table, unescape_cell, xlsx_file
from icihub.programmes.models import MenuActivity
from icihub.programmes.services import MENU_FIELDS

COLUMNS = MENU_FIELDS
MAX_IMPORT_ROWS = 5000  # the NATO menu holds about 1,400 activities


def menu_row(activity: MenuActivity) -> list[str]:
    """One activity's cells in the order of COLUMNS. `open_to` should be prefetched."""
    values = {
        "code": activity.code,
        "kind": activity.kind,
        "title_en": activity.title_en,
        "title_ar": activity.title_ar,
        "course": activity.course.code if activity.course_id else "",
        "open_to": ";".join(sorted(framework.code for framework in activity.open_to.all())),
        "description_en": activity.description_en,
        "description_ar": activity.description_ar,
        "active": "Y" if activity.active else "N",
    }
    return [values[column] for column in COLUMNS]


def export_csv(activities) -> bytes:
    return csv_file(COLUMNS, (menu_row(activity) for activity in activities))


def export_xlsx(activities) -> bytes:
    return xlsx_file("Cooperation menu", COLUMNS, (menu_row(activity) for activity in activities))


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict]]:
    """(line number, {column: text}) for every non-empty row of an uploaded CSV or XLSX file, ready
    for services.import_menu. Every column must be present, so a file never blanks a field it lacks."""
    table = read_table(filename, content, max_rows=MAX_IMPORT_ROWS)
    headings = [heading.strip().lower() for heading in table[0]]
    missing = [column for column in COLUMNS if column not in headings]
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
        rows.append((line, {column: unescape_cell(cells[position[column]].strip()) for column in COLUMNS}))
    if not rows:
        raise SpreadsheetError(_("The file has no activity below its headings."))
    return rows
