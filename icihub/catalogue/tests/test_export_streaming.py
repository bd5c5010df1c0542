"""The catalogue export in bounded memory: the CSV streams a chunk at a time from an iterator over the
courses, the XLSX is written in openpyxl's write-only mode to a temporary file and sent from it; either
runs the same number of queries whatever the catalogue's size."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from icihub.catalogue import transfer
from icihub.testing import make_course

pytestmark = pytest.mark.django_db


def _download(client, url: str) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200 and response.streaming
        content = response.getvalue()  # the body is read (and its queries run) while streaming
    return content, len(captured)


def test_the_csv_export_streams_and_queries_the_same_whatever_the_catalogues_size(personas, client_for):
    client = client_for(personas["registrar"])
    make_course()
    client.get("/en/")
    _content, few = _download(client, "/en/catalogue.csv")
    for _ in range(6):
        make_course()
    content, many = _download(client, "/en/catalogue.csv")
    assert many == few
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == transfer.HEADINGS and len(rows) == 8


def test_the_csv_export_reads_the_courses_a_chunk_at_a_time(personas, client_for, monkeypatch):
    monkeypatch.setattr(transfer, "EXPORT_CHUNK", 2)
    for _ in range(5):
        make_course()
    content, _queries = _download(client_for(personas["registrar"]), "/en/catalogue.csv")
    codes = [row[0] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))][1:]
    assert len(codes) == 5 == len(set(codes))


def test_csv_chunks_are_bounded_and_join_into_the_whole_file():
    rows = [[f"row {number}", "=1+1", "نص"] for number in range(2000)]
    chunks = list(transfer.csv_stream(["a", "b", "c"], rows, chunk_characters=4096))
    assert len(chunks) > 5 and max(len(chunk) for chunk in chunks) < 3 * 4096
    assert b"".join(chunks) == transfer.csv_file(["a", "b", "c"], rows)
    assert "'=1+1" in b"".join(chunks).decode("utf-8-sig")


def test_the_xlsx_export_is_sent_from_a_temporary_file(personas, client_for):
    for _ in range(3):
        make_course()
    content, _queries = _download(client_for(personas["registrar"]), "/en/catalogue.xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]][:2] == ["Course Code", "Facility Code"]
    assert len(list(sheet.iter_rows())) == 4
