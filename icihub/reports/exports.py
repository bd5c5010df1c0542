"""The nominations behind a report's figure as a file: CSV streamed to the browser as it is read, or an
XLSX workbook written to disk by a background job (files.py). Either reads the rows as plain values
through a server-side cursor (PostgreSQL) a chunk at a time, so memory stays flat at a million rows;
every cell is kept from running as a formula and the CSV starts with a byte-order mark for Excel."""

from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from icihub.catalogue.transfer import safe_for_spreadsheets
from icihub.nominations.models import Status
from icihub.reports.queries import Filters, SeatFunnel

# Rows read from the database at a time.
CHUNK = 2000
COLUMNS = (
    "iteration__code",
    "iteration__course__code",
    "iteration__start_date",
    "nation__code",
    "organisation__code",
    "person__rank",
    "person__family_name",
    "person__given_names",
    "status",
    "submitted_at",
    "withdrawn_at",
)
HEADINGS = (
    gettext_lazy("Iteration"),
    gettext_lazy("Course"),
    gettext_lazy("Start"),
    gettext_lazy("Nation or organisation"),
    gettext_lazy("Rank"),
    gettext_lazy("Family name"),
    gettext_lazy("Given names"),
    gettext_lazy("Status"),
    gettext_lazy("Submitted"),
    gettext_lazy("Withdrawn"),
)


def narrowing(query) -> dict:
    """The course and party a list of rows is narrowed to (codes, as the reports' links give them)."""
    course = str(query.get("course") or "").strip().upper()[:40]
    party = str(query.get("party") or "").strip()[:40]
    return {name: value for name, value in (("course", course), ("party", party)) if value}


def nominations(user, filters: Filters, query):
    """The nominations one figure counts (query["stage"]), narrowed to a course or a party, that the
    user may see: the rows the reports' list shows, in the order of the runs."""
    rows = SeatFunnel(user, filters).at_stage(query["stage"])
    narrowed = narrowing(query)
    if "course" in narrowed:
        rows = rows.filter(iteration__course__code=narrowed["course"])
    if "party" in narrowed:
        rows = rows.of_party(narrowed["party"])
    return rows.order_by("iteration_id", "id")


def lines(rows):
    """Each nomination as the cells of a row under HEADINGS (in the active language)."""
    labels = {status: str(Status(status).label) for status in Status.values}
    for values in rows.values_list(*COLUMNS).iterator(chunk_size=CHUNK):
        iteration, course, start, nation, organisation, rank, family, given, status, submitted, withdrawn = values
        yield [
            iteration,
            course,
            start.isoformat(),
            organisation or nation,
            rank,
            family,
            given,
            labels[status],
            _minute(submitted),
            _minute(withdrawn),
        ]


def _minute(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def write_xlsx(rows, path: Path, *, progress=None, every: int = 5000) -> None:
    """The rows as a one-sheet workbook at `path`, in openpyxl's write-only mode (rows go to disk as
    they come); `progress(n)` is called every `every` rows and at the end."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Nominations")
    sheet.append([str(heading) for heading in HEADINGS])
    written = 0
    for line in lines(rows):
        sheet.append(safe_for_spreadsheets(line))
        written += 1
        if progress and written % every == 0:
            progress(every)
    workbook.save(path)
    if progress and written % every:
        progress(written % every)
