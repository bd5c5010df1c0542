"""The reports page, the rows behind a figure, the CSV and the API: who may read them, what another
nation's point of contact never sees, bad filters, and charts labelled in both languages."""

import csv
import io
import random

import pytest

from icihub.nominations.models import Nomination
from icihub.reports import charts
from icihub.reports.tests.test_seat_funnel import YEAR, generate_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(personas):
    generate_year(random.Random(21), personas)
    return YEAR


def content(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8")


class TestWhoReads:
    @pytest.mark.parametrize("name", ["registrar", "hq_observer", "instructor", "poc_kwt", "poc_gcc"])
    def test_staff_hq_and_points_of_contact_read_the_reports(self, personas, client_for, api_for, year, name):
        assert client_for(personas[name]).get(f"/en/reports/?year={year}").status_code == 200
        assert api_for(personas[name]).get(f"/api/reports/year/?year={year}").status_code == 200

    def test_a_participant_is_refused_and_a_visitor_must_log_in(self, personas, client_for, api_for, year):
        participant = client_for(personas["participant"])
        assert participant.get("/en/reports/").status_code == 403
        assert participant.get("/en/reports/nominations/confirmed/").status_code == 403
        assert participant.get("/en/reports/seat-funnel.csv").status_code == 403
        assert api_for(personas["participant"]).get("/api/reports/year/").status_code == 403
        visitor = client_for(None)
        assert visitor.get("/en/reports/").status_code == 302
        assert api_for(None).get("/api/reports/year/").status_code == 401

    def test_the_header_links_the_reports_for_those_who_read_them(self, personas, client_for):
        assert 'href="/en/reports/"' in client_for(personas["poc_kwt"]).get("/en/").content.decode()
        assert 'href="/en/reports/"' not in client_for(personas["participant"]).get("/en/").content.decode()


class TestNothingOfAnotherNation:
    def test_a_point_of_contact_s_page_api_and_csv_name_no_other_party(self, personas, client_for, api_for, year):
        assert Nomination.objects.filter(nation__code="QAT").exists()
        client = client_for(personas["poc_kwt"])
        page = content(client.get(f"/en/reports/?year={year}"))
        exported = content(client.get(f"/en/reports/seat-funnel.csv?year={year}"))
        answer = api_for(personas["poc_kwt"]).get(f"/api/reports/year/?year={year}").json()
        for text in (page, exported, str(answer)):
            assert "QAT" not in text and "GCC-SEC" not in text and "SAU" not in text
        assert {row["party"] for row in answer["by_party"]} <= {"KWT"} and answer["whole_centre"] is False
        # Reactions are anonymous answers of every nation: staff and HQ read them, a point of contact not.
        assert "Reaction, 1 to 5" not in page and all(row["reaction"] is None for row in answer["by_course"])
        assert "Reaction, 1 to 5" in content(client_for(personas["registrar"]).get(f"/en/reports/?year={year}"))

    def test_the_rows_behind_a_figure_are_the_reader_s_own_people_only(self, personas, client_for, year):
        client = client_for(personas["poc_kwt"])
        qatari = Nomination.objects.filter(nation__code="QAT", iteration__start_date__year=year).exclude(
            iteration__status="cancelled"
        )
        assert qatari.exists()
        page = client.get(f"/en/reports/nominations/nominated/?year={year}&party=QAT")
        assert page.status_code == 200 and list(page.context["page"]) == []
        own = client.get(f"/en/reports/nominations/nominated/?year={year}").context["page"]
        assert own and all(n.nation.code == "KWT" and n.organisation_id is None for n in own)
        staff = client_for(personas["registrar"]).get(f"/en/reports/nominations/nominated/?year={year}&party=QAT")
        assert {n.pk for n in staff.context["page"]} <= set(qatari.values_list("pk", flat=True))
        assert len(staff.context["page"]) == min(qatari.count(), 50)

    def test_every_figure_that_counts_people_links_to_them(self, personas, client_for, year):
        page = client_for(personas["registrar"]).get(f"/en/reports/?year={year}")
        row = page.context["by_party"][0]
        link = row["links"]["confirmed"]
        assert f'href="{link.replace("&", "&amp;")}"' in page.content.decode()
        listed = client_for(personas["registrar"]).get(link)
        assert len(listed.context["page"]) == min(row["confirmed"], 50)


class TestBadFilters:
    def test_the_page_and_the_api_name_the_wrong_filter(self, personas, client_for, api_for):
        page = client_for(personas["registrar"]).get("/en/reports/?year=1890&nation=ATL")
        assert page.status_code == 400
        assert (
            "The year runs from 2000 to 2100." in page.content.decode()
            and "No nation &#x27;ATL&#x27;." in page.content.decode()
        )
        answer = api_for(personas["registrar"]).get("/api/reports/year/?delivery=fax")
        assert answer.status_code == 400 and "delivery" in answer.json()["errors"]
        assert client_for(personas["registrar"]).get("/en/reports/seat-funnel.csv?year=x").status_code == 400
        assert client_for(personas["registrar"]).get("/en/reports/nominations/offered/").status_code == 404


class TestChartsAndExport:
    def test_the_charts_are_titled_described_and_tabled_in_english(self, personas, client_for, year):
        html = client_for(personas["registrar"]).get(f"/en/reports/?year={year}").content.decode()
        assert '<svg xmlns="http://www.w3.org/2000/svg" role="group" aria-labelledby="funnel-title funnel-desc"' in html
        assert f'<title id="funnel-title">Seat funnel, {year}</title>' in html
        assert 'direction="ltr"' in html and '<div class="chart-numbers scroll" tabindex="0" role="region"' in html
        assert "<script" not in html.split("<main")[1]

    def test_in_arabic_the_charts_are_right_to_left_and_translated(self, personas, client_for, year):
        html = client_for(personas["registrar"]).get(f"/ar/reports/?year={year}").content.decode()
        assert 'direction="rtl"' in html
        assert f'<title id="funnel-title">مسار المقاعد، {year}</title>' in html
        assert "Seats offered" not in html and "المقاعد المعروضة" in html

    def test_the_csv_holds_one_line_per_course_and_party_with_a_bom(self, personas, client_for, year):
        from icihub.reports.queries import Filters, SeatFunnel

        response = client_for(personas["registrar"]).get(f"/en/reports/seat-funnel.csv?year={year}")
        text = content(response)
        assert text.startswith("\ufeff") and response["Content-Type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert lines[0][:5] == ["year", "course", "course_title_en", "course_title_ar", "party"]
        assert len(lines) - 1 == len(SeatFunnel(personas["registrar"], Filters(year=year)).rows())


class TestBarGeometry:
    BARS = [("A", 10, None), ("B", 5, "/x"), ("C", 0, None)]

    def test_bars_scale_to_the_largest_and_start_at_the_labels(self):
        chart = charts.bar_chart(id="c", title="t", description="d", bars=self.BARS, rtl=False, value_heading="n")
        a, b, c = chart.bars
        assert a.x == b.x == charts.PADDING + charts.LABEL_WIDTH and a.width == 2 * b.width and c.width == 0
        assert a.label_x < a.x < a.value_x and b.href == "/x"

    def test_right_to_left_is_the_mirror_image(self):
        ltr = charts.bar_chart(id="c", title="t", description="d", bars=self.BARS, rtl=False, value_heading="n")
        rtl = charts.bar_chart(id="c", title="t", description="d", bars=self.BARS, rtl=True, value_heading="n")
        for left, right in zip(ltr.bars, rtl.bars, strict=True):
            assert right.width == left.width
            assert right.x + right.width == pytest.approx(charts.WIDTH - left.x)
            assert right.value_x < right.x + 0.01 and right.label_x > right.x + right.width
        assert rtl.direction == "rtl"

    def test_nothing_to_draw_draws_nothing_wrong(self):
        chart = charts.bar_chart(
            id="c", title="t", description="d", bars=[("A", 0, None)], rtl=False, value_heading="n"
        )
        assert chart.bars[0].width == 0 and chart.height > 0
        assert charts.bar_chart(id="c", title="t", description="d", bars=[], rtl=True, value_heading="n").bars == []


class TestPipelineAndOpenRuns:
    def test_the_open_runs_count_only_the_reader_s_own_nominations(self, personas, client_for, api_for):
        from icihub import testing
        from icihub.nominations import services

        iteration = testing.seats_for(testing.make_iteration(capacity=6), {"KWT": 2, "QAT": 2}, personas=personas)
        for poc, count in (("poc_kwt", 1), ("poc_qat", 3)):
            for _ in range(count):
                services.nominate(
                    actor=personas[poc], iteration=iteration, person_data=testing.person_data(), source="test"
                )
        runs = {
            poc: client_for(personas[poc]).get("/en/reports/").context["open_runs"] for poc in ("poc_kwt", "poc_qat")
        }
        assert [(run["iteration"].code, run["nominations"]) for run in runs["poc_kwt"]] == [(iteration.code, 1)]
        assert [run["nominations"] for run in runs["poc_qat"]] == [3]
        staff = api_for(personas["registrar"]).get("/api/reports/year/").json()["open_runs"]
        assert [(run["iteration"], run["nominations"], run["seats_confirmed"]) for run in staff] == [
            (iteration.code, 4, 3)
        ]

    def test_each_pipeline_figure_opens_the_nominations_it_counts(self, personas, client_for, year):
        client = client_for(personas["registrar"])
        page = client.get(f"/en/reports/?year={year}")
        for label, value, link in page.context["pipeline_figures"]:
            listed = client.get(link)
            assert listed.status_code == 200 and len(listed.context["page"]) == min(value, 50), label
        pipeline = client.get(f"/api/reports/year/?year={year}").json()["pipeline"]
        assert [value for _label, value, _link in page.context["pipeline_figures"]] == [
            pipeline[name] for name in ("awaiting", "waitlisted", "no_show", "late_withdrawn", "certified", "revoked")
        ]


class TestStackedAndHeat:
    def test_stacked_segments_follow_each_other_and_mirror_right_to_left(self):
        series = {"KWT": [3, 0], "QAT": [1, 2]}
        for rtl in (False, True):
            chart = charts.stacked_bars(
                id="s", title="t", description="d", labels=["2025", "2026"], series=series, rtl=rtl
            )
            first, second = chart.bars
            assert [segment.value for segment in first.segments] == [3, 1] and first.total == 4
            assert [segment.series for segment in second.segments] == ["QAT"]  # an empty part is not drawn
            kuwait, qatar = first.segments
            assert kuwait.width == pytest.approx(3 * qatar.width)
            if rtl:
                assert qatar.x + qatar.width == pytest.approx(kuwait.x) and first.label_x > kuwait.x + kuwait.width
            else:
                assert kuwait.x + kuwait.width == pytest.approx(qatar.x) and first.label_x < kuwait.x
        assert chart.rows == [("2025", [3, 1], 4), ("2026", [0, 2], 2)]

    def test_the_heat_map_shades_in_steps_and_puts_the_first_column_beside_the_labels(self):
        values = {("KWT", "CY"): 10, ("KWT", "EN"): 1, ("QAT", "EN"): 5}
        ltr = charts.heat_map(
            id="h", title="t", description="d", rows=["KWT", "QAT"], columns=["CY", "EN"], values=values, rtl=False
        )
        rtl = charts.heat_map(
            id="h", title="t", description="d", rows=["KWT", "QAT"], columns=["CY", "EN"], values=values, rtl=True
        )
        levels = {(cell.row, cell.column): cell.level for cell in ltr.cells}
        assert levels == {("KWT", "CY"): 5, ("KWT", "EN"): 1, ("QAT", "CY"): 0, ("QAT", "EN"): 2}
        assert ltr.columns[0][1] < ltr.columns[1][1] and rtl.columns[0][1] > rtl.columns[1][1]
        assert ltr.table == [("KWT", [10, 1]), ("QAT", [0, 5])]


def test_the_courses_come_a_page_at_a_time(personas, client_for, year, monkeypatch):
    from icihub.reports import views

    monkeypatch.setattr(views, "COURSES_PER_PAGE", 1)
    client = client_for(personas["registrar"])
    first = client.get(f"/en/reports/?year={year}")
    every = first.context["page"].paginator.count
    assert every >= 2 and len(first.context["by_course"]) == 1
    second = client.get(f"/en/reports/?year={year}&page=2").context["by_course"]
    codes = [row["course"].code for row in first.context["by_course"]] + [row["course"].code for row in second]
    assert len(set(codes)) == len(codes) == 2
    assert f"year={year}&amp;page=2" in first.content.decode()
