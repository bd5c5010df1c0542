"""The attendance file is read through the catalogue's guarded reader (read_csv_table): a hostile file
(far too many rows, too many columns, a giant cell, too many bytes, a workbook passed off as CSV) is
refused with a message naming the bound it passed, reading stops at that bound, and no mark is saved."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from icihub import faultkit
from icihub.catalogue.tests.test_import_bombs import bomb_xlsx
from icihub.delivery import transfer

pytestmark = pytest.mark.django_db
HEADING = b"email,day,mark\n"
ROW = b"a@b.example,2026-01-01,present\n"


def _refused(content: bytes) -> tuple[str, int]:
    """read_sheet's message for a refused file and the peak memory (bytes) spent refusing it."""
    tracemalloc.start()
    try:
        with pytest.raises(transfer.FileError) as refused:
            transfer.read_sheet(content)
        return str(refused.value), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_file_of_far_too_many_rows_stops_at_the_limit():
    content = HEADING + b"x\n" * 500_000  # 1 MB of one-cell rows, a hundred times the limit
    message, peak = _refused(content)
    assert message == "The file has more than 5000 rows; split it."
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b",".join([b"email"] * 10_000), "The file has more than 100 columns."),
        (HEADING + b"y" * 40_000 + b",2026-01-01,present\n", "Line 2 has a cell longer than 32767 characters."),
        (HEADING + ROW * 40_000, "The file is larger than 1 MB; split it."),
        (bomb_xlsx(1_000_000), "The CSV file is not UTF-8 text; save it as 'CSV UTF-8'."),
    ],
    ids=["columns", "cell", "bytes", "workbook"],
)
def test_a_hostile_file_is_refused_naming_the_bound_it_passed(content, message):
    assert _refused(content)[0] == message


def test_the_import_page_refuses_a_file_of_too_many_rows_and_saves_nothing(personas, course_today, client_for):
    iteration, _people = course_today
    client = client_for(personas["instructor"])
    before = faultkit.row_counts()
    response = client.post(
        f"/en/staff/iterations/{iteration.code}/attendance/import/",
        {"file": SimpleUploadedFile("attendance.csv", HEADING + b"x\n" * 400_000)},
    )
    assert response.status_code == 200
    assert response.context["file_error"] == "The file has more than 5000 rows; split it."
    assert faultkit.row_counts() == before
