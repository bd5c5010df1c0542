"""The bulk nomination file is read through the catalogue's guarded reader (read_csv_table): a hostile
file (far too many rows, too many columns, a giant cell, too many bytes, a workbook or binary passed off
as CSV) is refused with a message naming the bound it passed, reading stops at that bound, and nothing
of the file is saved."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from icihub import faultkit, testing
from icihub.catalogue.tests.test_import_bombs import bomb_xlsx
from icihub.nominations import transfer

pytestmark = pytest.mark.django_db
HEADING = b"family_name,given_names,service,email\n"
ROW = b"Al-Test,Ali,N,officer@bomb.example.kw\n"


def _refused(content: bytes) -> tuple[str, int]:
    """read_rows' message for a refused file and the peak memory (bytes) spent refusing it."""
    tracemalloc.start()
    try:
        with pytest.raises(transfer.FileError) as refused:
            transfer.read_rows(content)
        return str(refused.value), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_file_of_far_too_many_rows_stops_at_the_limit():
    content = HEADING + ROW * 25_000  # under 1 MB, fifty times the limit
    message, peak = _refused(content)
    assert message == "The file has more than 500 rows; split it."
    assert peak < 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b",".join([b"email"] * 10_000), "The file has more than 100 columns."),
        (HEADING + b"y" * 40_000 + b",Ali,N,a@b.example\n", "Line 2 has a cell longer than 32767 characters."),
        (HEADING + ROW * 30_000, "The file is larger than 1 MB; split it."),
        (HEADING + b"Al-Test\x00,Ali,N,a@b.example\n", "The file is not a CSV file: save the sheet as CSV UTF-8."),
        (bomb_xlsx(1_000_000), "The CSV file is not UTF-8 text; save it as 'CSV UTF-8'."),
    ],
    ids=["columns", "cell", "bytes", "binary", "workbook"],
)
def test_a_hostile_file_is_refused_naming_the_bound_it_passed(content, message):
    assert _refused(content)[0] == message


def test_the_upload_page_refuses_a_file_of_too_many_rows_and_saves_nothing(personas, client_for):
    iteration = testing.seats_for(testing.make_iteration(), {"KWT": 2}, personas=personas)
    client = client_for(personas["poc_kwt"])
    before = faultkit.row_counts()
    response = client.post(
        f"/en/iterations/{iteration.code}/upload/", {"file": SimpleUploadedFile("many.csv", HEADING + ROW * 25_000)}
    )
    assert response.status_code == 200
    assert response.context["file_error"] == "The file has more than 500 rows; split it."
    assert faultkit.row_counts() == before
