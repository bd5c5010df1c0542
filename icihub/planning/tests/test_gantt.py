"""The planner's Gantt charts: the whole year in 53 week columns under a row of months."""

import datetime

import pytest

from icihub.planning.views import gantt, month_axis


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_the_months_cover_the_53_weeks_in_order(year):
    axis = month_axis(year)
    assert [month for month, _span in axis] == [datetime.date(year, m, 1) for m in range(1, 13)]
    assert sum(span for _month, span in axis) == 53
    assert all(4 <= span <= 6 for _month, span in axis)  # the last week of December may start in it too


def test_a_run_crossing_into_the_next_year_ends_at_the_last_week_column():
    runs = [{"course": "CYB-IR", "room": "R1", "start": "2027-12-31", "end": "2028-01-04"}]
    [(label, cells)] = gantt(runs, "room", 2027)
    assert label == "R1" and sum(span for span, _run in cells) == 53 and cells[-1][1] is not None


@pytest.mark.django_db
def test_the_run_page_names_months_and_courses_in_the_pages_language(client):
    from django.utils import timezone

    from icihub.accounts.models import User
    from icihub.catalogue.models import Course
    from icihub.demo.loader import load_demo
    from icihub.planning import planner

    load_demo()
    registrar = User.objects.get(username="registrar")
    year = timezone.localdate().year + 1
    run = planner.start_run(actor=registrar, year=year, time_limit=2, source="test", background=False)
    run.refresh_from_db()
    planned = run.plan["runs"][0]
    course = Course.objects.get(code=planned["course"])
    client.force_login(registrar)
    english = client.get(f"/en/staff/planning/{run.public_id}/").content.decode()
    assert ">January<" in english and ">December<" in english
    assert english.count(course.title_en) >= 2  # in the calendar and on the chart
    assert 'class="run" tabindex="0"' in english
    arabic = client.get(f"/ar/staff/planning/{run.public_id}/").content.decode()
    assert ">يناير<" in arabic and course.title_ar in arabic
