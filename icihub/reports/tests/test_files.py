"""Report files and exports: the annual activity report (PDF and workbook) and the rows behind a figure
(CSV streamed, workbook in the background) hold the figures the page shows, only what their reader may
see, in both languages; a job's progress, failure and death leave no half-made file; the CSV's memory
does not grow with its rows."""

import datetime
import random
import tracemalloc
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.errors import Conflict
from icihub.nominations.models import Nomination, Person
from icihub.reports import annual, exports, files
from icihub.reports.models import ReportFile
from icihub.reports.queries import STAGE_LABELS, Filters, SeatFunnel
from icihub.reports.tests.test_pages import content
from icihub.reports.tests.test_seat_funnel import YEAR, generate_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(personas):
    generate_year(random.Random(31), personas)
    return YEAR


def made(actor, kind, query, django_capture_on_commit_callbacks) -> ReportFile:
    """Ask for a file and make it here (the background's hand-over is caught, not run)."""
    with django_capture_on_commit_callbacks(execute=False):
        job = files.request(actor=actor, kind=kind, query=query, source="test")
    assert job.state == ReportFile.State.QUEUED
    files.make(job.pk)
    job.refresh_from_db()
    return job


def pdf_text(path) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


class TestTheAnnualReport:
    def test_the_pdf_holds_the_year_in_english_and_arabic_with_its_charts(
        self, personas, year, django_capture_on_commit_callbacks
    ):
        registrar = personas["registrar"]
        job = made(registrar, ReportFile.Kind.ANNUAL_PDF, {"year": str(year)}, django_capture_on_commit_callbacks)
        assert job.state == ReportFile.State.DONE and job.done == job.total == 3
        path = files.path(job)
        assert path.read_bytes().startswith(b"%PDF")
        text = pdf_text(path)
        assert f"Annual activity report {year}" in text and "Seat funnel" in text
        assert "تقرير" in text  # the Arabic part's title
        figures = SeatFunnel(registrar, Filters(year=year)).figures()
        flat = text.replace("\n", "")
        for row in figures["by_course"]:
            assert row["course"].code in flat
        html = annual.pdf_html(registrar, Filters(year=year))
        assert html.count("<svg") >= 8 and html.count('dir="rtl"') >= 1  # four charts in each language

    def test_a_year_of_many_courses_lists_those_with_most_graduates_and_the_workbook_all(self, personas, year):
        registrar = personas["registrar"]
        years = Filters(year=year + 1, since=year - 1)
        by_course = SeatFunnel(registrar, years).figures()["by_course"]
        assert len(by_course) > 1
        most = max(by_course, key=lambda row: (row["graduated"], [-ord(c) for c in row["course"].code]))
        from unittest import mock

        with mock.patch.object(annual, "PDF_COURSES", 1):
            html = annual.pdf_html(registrar, years)
        listed = html[html.index('<section class="courses">') :]
        assert most["course"].code in listed
        assert sum(row["course"].code in listed for row in by_course) == 1
        assert f"{len(by_course) - 1} more courses are listed in the XLSX workbook" in listed

    def test_the_workbook_holds_the_page_s_figures_and_native_charts(
        self, personas, year, django_capture_on_commit_callbacks
    ):
        registrar = personas["registrar"]
        job = made(registrar, ReportFile.Kind.ANNUAL_XLSX, {"year": str(year)}, django_capture_on_commit_callbacks)
        path = files.path(job)
        book = load_workbook(path, read_only=True)
        assert book.sheetnames == ["Summary", "Nations", "Courses", "Years", "Disciplines", "Programmes"]
        figures = SeatFunnel(registrar, Filters(year=year)).figures()
        nations = list(book["Nations"].iter_rows(values_only=True))
        assert "/" in nations[0][0]  # the headings in English and Arabic
        assert [(row[0], row[6]) for row in nations[1:]] == [(r["party"], r["graduated"]) for r in figures["by_party"]]
        courses = list(book["Courses"].iter_rows(values_only=True))[1:]
        assert [row[0] for row in courses] == [row["course"].code for row in figures["by_course"]]
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
        assert summary[annual._both(STAGE_LABELS["graduated"])] == figures["totals"]["graduated"]
        with zipfile.ZipFile(path) as archive:
            assert any(name.startswith("xl/charts/chart") for name in archive.namelist())

    def test_a_point_of_contact_s_report_names_no_other_party(self, personas, year, django_capture_on_commit_callbacks):
        poc = personas["poc_kwt"]
        assert Nomination.objects.filter(nation__code="QAT").exists()
        pdf = made(poc, ReportFile.Kind.ANNUAL_PDF, {"year": str(year)}, django_capture_on_commit_callbacks)
        text = pdf_text(files.path(pdf))
        assert "KWT" in text and "Kuwait" in text
        for other in ("QAT", "SAU", "GCC-SEC"):
            assert other not in text
        workbook = made(poc, ReportFile.Kind.ANNUAL_XLSX, {"year": str(year)}, django_capture_on_commit_callbacks)
        book = load_workbook(files.path(workbook), read_only=True)
        cells = {str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row}
        assert "KWT" in cells and not cells & {"QAT", "SAU", "GCC-SEC"}
        assert files.download_name(workbook) == f"annual-report-kwt-{year}.xlsx"


class TestTheRowsBehindAFigure:
    def test_the_csv_lists_exactly_the_rows_counted_and_is_recorded(self, personas, client_for, year):
        for name in ("registrar", "poc_qat"):
            user = personas[name]
            response = client_for(user).get(f"/en/reports/nominations/nominated.csv?year={year}")
            assert response.status_code == 200 and response.streaming
            body = content(response)
            assert body.startswith("\ufeffIteration,Course")
            lines = body.strip().splitlines()
            assert len(lines) - 1 == SeatFunnel(user, Filters(year=year)).at_stage("nominated").count()
            if name == "poc_qat":
                assert all(",QAT," in line for line in lines[1:])
        assert AuditEvent.objects.filter(action="report.rows_exported").count() == 2

    def test_a_name_that_looks_like_a_formula_is_kept_as_text(self, personas, client_for, year):
        nomination = Nomination.objects.filter(iteration__start_date__year=year, nation__code="KWT").first()
        Person.objects.filter(pk=nomination.person_id).update(family_name="=HYPERLINK(1)")
        body = content(client_for(personas["poc_kwt"]).get(f"/en/reports/nominations/nominated.csv?year={year}"))
        assert "'=HYPERLINK(1)" in body and ",=HYPERLINK" not in body

    def test_the_workbook_is_made_with_its_progress_and_the_reader_s_scope(
        self, personas, year, django_capture_on_commit_callbacks
    ):
        poc = personas["poc_kwt"]
        query = {"year": str(year), "stage": "nominated"}
        job = made(poc, ReportFile.Kind.ROWS_XLSX, query, django_capture_on_commit_callbacks)
        expected = SeatFunnel(poc, Filters(year=year)).at_stage("nominated").count()
        assert expected and job.total == job.done == expected and job.percent == 100
        rows = list(load_workbook(files.path(job), read_only=True)["Nominations"].iter_rows(values_only=True))
        assert len(rows) == expected + 1 and {row[3] for row in rows[1:]} == {"KWT"}

    def test_bad_filters_and_unknown_figures_are_refused_and_nothing_is_queued(self, personas, year):
        poc = personas["poc_kwt"]
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            files.request(actor=poc, kind="rows_xlsx", query={"year": "1200", "stage": "confirmed"}, source="test")
        with pytest.raises(Conflict):
            files.request(actor=poc, kind="rows_xlsx", query={"year": str(year), "stage": "everyone"}, source="test")
        with pytest.raises(Conflict):
            files.request(actor=poc, kind="poster", query={"year": str(year)}, source="test")
        assert not ReportFile.objects.exists()


class TestJobs:
    def test_one_file_at_a_time_per_reader(self, personas, year):
        registrar = personas["registrar"]
        files.request(actor=registrar, kind="annual_pdf", query={"year": str(year)}, source="test")
        with pytest.raises(Conflict, match="being made already"):
            files.request(actor=registrar, kind="annual_xlsx", query={"year": str(year)}, source="test")
        files.request(actor=personas["hq_observer"], kind="annual_xlsx", query={"year": str(year)}, source="test")
        assert AuditEvent.objects.filter(action="report.file_requested").count() == 2

    def test_a_failure_half_way_leaves_no_file_and_says_so(self, personas, year, monkeypatch, tmp_path, settings):
        settings.VAR_DIR = tmp_path
        job = files.request(actor=personas["registrar"], kind="annual_xlsx", query={"year": str(year)}, source="test")

        def broken(*_args, progress=None, **_kwargs):
            progress()
            (files.folder() / f"{job.public_id}.xlsx.part").write_bytes(b"half")
            raise OSError("disk full")

        monkeypatch.setattr(annual, "xlsx", broken)
        files.make(job.pk)
        job.refresh_from_db()
        assert job.state == ReportFile.State.FAILED and job.error == files.FAILED and files.path(job) is None
        assert list(files.folder().iterdir()) == []

    def test_a_job_whose_process_died_is_ended_and_its_reader_may_ask_again(self, personas, year, tmp_path, settings):
        settings.VAR_DIR = tmp_path
        registrar = personas["registrar"]
        job = files.request(actor=registrar, kind="annual_pdf", query={"year": str(year)}, source="test")
        ReportFile.objects.filter(pk=job.pk).update(state="running")
        files.folder().mkdir(parents=True)
        (files.folder() / f"{job.public_id}.pdf.part").write_bytes(b"%PDF half")
        ReportFile.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=11))
        again = files.request(actor=registrar, kind="annual_pdf", query={"year": str(year)}, source="test")
        job.refresh_from_db()
        assert job.state == ReportFile.State.FAILED and job.error == files.STOPPED and again.working
        assert not (files.folder() / f"{job.public_id}.pdf.part").exists()
        files.make(job.pk)  # a late worker finds nothing queued under that job
        job.refresh_from_db()
        assert job.state == ReportFile.State.FAILED

    def test_old_files_are_removed_after_the_days_they_are_kept(
        self, personas, year, tmp_path, settings, django_capture_on_commit_callbacks
    ):
        settings.VAR_DIR = tmp_path
        old = made(personas["registrar"], "annual_xlsx", {"year": str(year)}, django_capture_on_commit_callbacks)
        assert files.path(old).is_file()
        ReportFile.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
        assert files.prune() == 1 and not ReportFile.objects.filter(pk=old.pk).exists()
        assert list(files.folder().iterdir()) == []


class TestThePages:
    def test_a_reader_asks_follows_and_downloads_only_their_own_file(
        self, personas, client_for, year, tmp_path, settings, django_capture_on_commit_callbacks
    ):
        settings.VAR_DIR = tmp_path
        client = client_for(personas["poc_kwt"])
        with django_capture_on_commit_callbacks(execute=False):
            answer = client.post("/en/reports/files/", {"kind": "annual_xlsx", "year": str(year)})
        assert answer.status_code == 302
        job = ReportFile.objects.get()
        waiting = client.get("/en/reports/files/")
        assert b'http-equiv="refresh"' in waiting.content and b"<progress" in waiting.content
        files.make(job.pk)
        page = client.get("/ar/reports/files/")
        assert f"/reports/files/{job.public_id}/".encode() in page.content and b'dir="rtl"' in page.content
        download = client.get(f"/en/reports/files/{job.public_id}/")
        assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")
        assert AuditEvent.objects.filter(action="report.file_downloaded").count() == 1
        for other in ("poc_qat", "registrar"):
            assert client_for(personas[other]).get(f"/en/reports/files/{job.public_id}/").status_code == 404
        assert client_for(personas["participant"]).post("/en/reports/files/", {"kind": "annual_pdf"}).status_code == 403

    def test_following_the_progress_is_not_an_export_but_asking_is(
        self, personas, client_for, year, settings, django_capture_on_commit_callbacks
    ):
        settings.ICIHUB_EXPORTS_PER_MINUTE = 3
        client = client_for(personas["registrar"])
        assert {client.get("/en/reports/files/").status_code for _ in range(10)} == {200}  # the page reloads itself
        with django_capture_on_commit_callbacks(execute=False):
            answers = [client.post("/en/reports/files/", {"kind": "annual_pdf", "year": str(year)}) for _ in range(4)]
        assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
        assert ReportFile.objects.count() == 1  # the second and third were refused: one file at a time

    def test_the_dashboard_and_the_rows_offer_their_files(self, personas, client_for, year):
        client = client_for(personas["registrar"])
        page = client.get(f"/en/reports/?year={year}&discipline=").content.decode()
        assert 'value="annual_pdf"' in page and 'value="annual_xlsx"' in page
        rows = client.get(f"/en/reports/nominations/confirmed/?year={year}&party=KWT").content.decode()
        assert f"/en/reports/nominations/confirmed.csv?year={year}&amp;party=KWT" in rows
        assert 'name="stage" value="confirmed"' in rows and 'value="rows_xlsx"' in rows


class TestBoundedMemory:
    @staticmethod
    def peak_while_streaming(user, year) -> tuple[int, int]:
        rows = exports.nominations(user, Filters(year=year), {"stage": "nominated"})
        tracemalloc.start()
        written = 0
        for line in exports.lines(rows):
            written += 1
            assert line
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return written, peak

    def test_the_export_s_memory_does_not_grow_with_its_rows(self, personas, monkeypatch):
        """Four times the rows take no more memory to write (within a margin): rows are read a chunk at a
        time (200 here, to keep the test small) and never held together."""
        monkeypatch.setattr(exports, "CHUNK", 200)
        poc = personas["poc_kwt"]
        iteration = testing.make_iteration()
        iteration.__class__.objects.filter(pk=iteration.pk).update(start_date=datetime.date(YEAR, 3, 1))

        def add(n: int) -> None:
            persons = Person.objects.bulk_create([Person(nation=poc.nation, **testing.person_data()) for _ in range(n)])
            Nomination.objects.bulk_create(
                [Nomination(iteration=iteration, person=p, nation=poc.nation, submitted_by=poc) for p in persons]
            )

        add(1000)
        small, small_peak = self.peak_while_streaming(poc, YEAR)
        add(3000)
        large, large_peak = self.peak_while_streaming(poc, YEAR)
        assert (small, large) == (1000, 4000)
        assert large_peak < 1.25 * small_peak, (small_peak, large_peak)
        everything = list(exports.lines(exports.nominations(poc, Filters(year=YEAR), {"stage": "nominated"})))
        assert len(everything) == 4000 and all(row[3] == "KWT" for row in everything)


class TestTheApi:
    def test_a_caller_asks_follows_and_fetches_a_file_and_nobody_else_sees_it(
        self, personas, api_for, year, tmp_path, settings, django_capture_on_commit_callbacks
    ):
        settings.VAR_DIR = tmp_path
        api = api_for(personas["poc_kwt"])
        with django_capture_on_commit_callbacks(execute=False):
            asked = api.post("/api/reports/files/", {"kind": "rows_xlsx", "year": year, "stage": "nominated"})
        assert asked.status_code == 202, asked.json()
        answer = asked.json()
        assert answer["state"] == "queued" and answer["download"] is None
        assert answer["query"] == {"year": year, "stage": "nominated", "language": "en"}
        again = api.post("/api/reports/files/", {"kind": "annual_pdf", "year": year})
        assert again.status_code == 409
        files.make(ReportFile.objects.get(public_id=answer["id"]).pk)
        status = api.get(f"/api/reports/files/{answer['id']}/").json()
        assert status["state"] == "done" and status["percent"] == 100
        fetched = api.get(status["download"])
        assert fetched.status_code == 200 and b"".join(fetched.streaming_content).startswith(b"PK")
        assert [row["id"] for row in api.get("/api/reports/files/").json()] == [answer["id"]]
        other = api_for(personas["poc_qat"])
        assert other.get(f"/api/reports/files/{answer['id']}/").status_code == 404
        assert other.get(status["download"]).status_code == 404
        assert other.get("/api/reports/files/").json() == []

    def test_wrong_requests_name_their_fields_and_queue_nothing(self, personas, api_for, year):
        api = api_for(personas["registrar"])
        wrong = api.post("/api/reports/files/", {"kind": "poster", "year": year})
        assert wrong.status_code == 400 and "kind" in wrong.json()["errors"]
        wrong = api.post("/api/reports/files/", {"kind": "annual_pdf", "year": 1200, "nation": "ATL"})
        assert wrong.status_code == 400 and set(wrong.json()["errors"]) == {"year", "nation"}
        assert api_for(personas["participant"]).post("/api/reports/files/", {"kind": "annual_pdf"}).status_code == 403
        assert not ReportFile.objects.exists()
