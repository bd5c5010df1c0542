"""The planning workflow in the database: resources and demand become an instance, a run solves it,
staff keep the runs they like and plan the rest again, and publishing creates planned iterations."""

import datetime
import io
import json
import re

import pytest
from openpyxl import load_workbook

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.catalogue.models import Course
from icihub.planning import planner
from icihub.planning.checker import check_plan
from icihub.planning.instance import Plan, Run, from_dict
from icihub.planning.models import Availability, BlackoutPeriod, Demand, Instructor, Iteration, PlanningRun, Room, Venue

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year + 1


@pytest.fixture
def resources(personas):
    centre = Venue.objects.create(code="centre", name_en="NATO-ICI Regional Centre", name_ar="المركز")
    Room.objects.create(venue=centre, code="HALL", name_en="Hall", name_ar="القاعة", capacity=40)
    Room.objects.create(
        venue=centre, code="LAB", name_en="Lab", name_ar="المختبر", capacity=20, equipment=["computers"]
    )
    lessons = testing.make_course(title_en="Lessons Learned Capability")
    cyber = testing.make_course(
        code="CYB-OPS-20001",
        discipline="CYB",
        area="OPS",
        facility_code="C3-21",
        title_en="Cyber Incident Response",
        duration_days=5,
    )
    kovacs = Instructor.objects.create(code="KOVACS", name="I. Kovacs", max_weeks=10)
    kovacs.courses.set([lessons, cyber])
    Availability.objects.create(instructor=kovacs, start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR, 6, 30))
    other = Instructor.objects.create(code="NORD", name="K. Nordmann")
    other.courses.set([cyber])
    Demand.objects.create(year=YEAR, course=lessons, runs=2, participants=26, min_gap_days=30, priority=3)
    Demand.objects.create(
        year=YEAR, course=cyber, runs=3, participants=18, equipment=["computers"], preferred_months=[10, 11]
    )
    planner.load_blackouts(actor=personas["registrar"], year=YEAR, source="test")
    return {"lessons": lessons, "cyber": cyber}


def test_the_year_is_planned_within_every_rule(personas, resources):
    run = planner.start_run(actor=personas["registrar"], year=YEAR, time_limit=5, source="test", background=False)
    run.refresh_from_db()
    instance = from_dict(run.instance)
    assert {b.kind for b in instance.blackouts} >= {"religious", "holiday"}
    plan = run.plan
    assert run.state == PlanningRun.State.DONE and run.progress["percent"] == 100
    assert len(plan["runs"]) == 5 and plan["unmet"] == {}
    assert check_plan(instance, _plan(run)) == []
    assert all(r["room"] == "LAB" for r in plan["runs"] if r["course"] == "CYB-OPS-20001")


def test_why_demand_is_unmet_is_said_in_the_pages_language(personas, resources, client_for):
    """The explanation is kept as message ids and fields (planning/reasons.py), so the Arabic page says it
    in Arabic, days and holiday names included, while the plan file keeps the English sentence."""
    Demand.objects.filter(course=resources["lessons"]).update(runs=8)  # Kovacs teaches it, Jan-Jun only
    run = planner.start_run(actor=personas["registrar"], year=YEAR, time_limit=5, source="test", background=False)
    run.refresh_from_db()
    assert run.plan["unmet"] and run.plan["reasons"]
    assert any("Instructor I. Kovacs is available" in sentence for sentence in run.plan["explanation"])
    client = client_for(personas["registrar"])
    english = client.get(f"/en/staff/planning/{run.public_id}/").content.decode()
    assert "Instructor I. Kovacs is available" in english
    arabic = client.get(f"/ar/staff/planning/{run.public_id}/").content.decode()
    explanation = arabic.split('<ul class="explanation">')[1].split("</ul>")[0]
    assert "المدرّب I. Kovacs متاح في" in explanation and "؛" in explanation
    assert resources["lessons"].title_ar in explanation  # the course by its Arabic title
    assert not re.search(r"\b(Instructor|available|blocks|runs? of|days?|Jan|Jun)\b", explanation), explanation


def _plan(run: PlanningRun) -> Plan:
    """A run's stored plan, read back for the checker."""
    return Plan(
        runs=[
            Run(**{**r, "start": datetime.date.fromisoformat(r["start"]), "end": datetime.date.fromisoformat(r["end"])})
            for r in run.plan["runs"]
        ],
        unmet=run.plan["unmet"],
    )


def test_confirmed_blackouts_are_kept_when_computed_again(personas, resources):
    ramadan = BlackoutPeriod.objects.filter(code__startswith="ramadan-").first()
    ramadan.start += datetime.timedelta(days=1)
    ramadan.confirmed = True
    ramadan.save()
    assert planner.load_blackouts(actor=personas["registrar"], year=YEAR, source="test") == 0
    assert BlackoutPeriod.objects.get(pk=ramadan.pk).start == ramadan.start


def test_the_computed_holidays_are_named_in_the_pages_language(personas, resources, client_for):
    client = client_for(personas["registrar"])
    hijri_year = BlackoutPeriod.objects.get(code__startswith="ramadan-").code.removeprefix("ramadan-")
    arabic = client.get(f"/ar/staff/planning/?year={YEAR}").content.decode()
    assert f"رمضان {hijri_year}" in arabic and f"عيد الفطر {hijri_year}" in arabic and "اليوم الوطني" in arabic
    assert f"Ramadan {hijri_year}" not in arabic and "National Day" not in arabic
    english = client.get(f"/en/staff/planning/?year={YEAR}").content.decode()
    assert f"Ramadan {hijri_year}" in english and f"رمضان {hijri_year}" not in english


def test_staff_move_and_confirm_a_blackout_on_the_planner_page(personas, resources, client_for):
    eid = BlackoutPeriod.objects.filter(code__startswith="eid-al-fitr-").first()
    start, end = eid.start + datetime.timedelta(days=1), eid.end + datetime.timedelta(days=1)
    client = client_for(personas["registrar"])
    client.post(
        "/en/staff/planning/",
        {"action": "confirm_blackout", "year": YEAR, "blackout": eid.pk, "start": start, "end": end},
    )
    eid.refresh_from_db()
    assert (eid.start, eid.end, eid.confirmed) == (start, end, True)
    event = AuditEvent.objects.filter(action="blackout.confirmed").get()
    assert event.after["start"] == start.isoformat() and event.before["confirmed"] is False
    assert planner.load_blackouts(actor=personas["registrar"], year=YEAR, source="test") == 0
    eid.refresh_from_db()
    assert eid.start == start  # computing the year again keeps what staff confirmed


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2027-04-10", "2027-04-09", "The last day is before the first."),
        ("2027-04-01", "2027-06-30", "A blackout period is at most 45 days."),
        ("10/04/2027", "2027-04-12", "Give the first and last day as dates"),
    ],
)
def test_a_bad_blackout_change_is_refused_and_changes_nothing(personas, resources, client_for, start, end, message):
    eid = BlackoutPeriod.objects.filter(code__startswith="eid-al-fitr-").first()
    client = client_for(personas["registrar"])
    response = client.post(
        "/en/staff/planning/",
        {"action": "confirm_blackout", "year": YEAR, "blackout": eid.pk, "start": start, "end": end},
        follow=True,
    )
    assert message in response.content.decode()
    assert BlackoutPeriod.objects.get(pk=eid.pk) == eid and not BlackoutPeriod.objects.get(pk=eid.pk).confirmed
    assert not AuditEvent.objects.filter(action="blackout.confirmed").exists()


@pytest.mark.parametrize("name", ["poc_kwt", "instructor", "hq_observer"])
def test_only_planners_confirm_blackouts(name, personas, resources, client_for):
    eid = BlackoutPeriod.objects.filter(code__startswith="eid-al-fitr-").first()
    client_for(personas[name]).post(
        "/en/staff/planning/",
        {"action": "confirm_blackout", "year": YEAR, "blackout": eid.pk, "start": eid.start, "end": eid.end},
    )
    assert not BlackoutPeriod.objects.get(pk=eid.pk).confirmed


def test_kept_runs_stay_and_publishing_creates_planned_iterations(personas, resources):
    registrar = personas["registrar"]
    first = planner.start_run(actor=registrar, year=YEAR, time_limit=5, source="test", background=False)
    first.refresh_from_db()
    keep = [f"{r['course']}#{r['run']}" for r in first.plan["runs"][:2]]
    locks = planner.locks_from(first, keep)
    second = planner.start_run(actor=registrar, year=YEAR, time_limit=5, locks=locks, source="test", background=False)
    second.refresh_from_db()
    for lock in locks:
        assert any(all(r[k] == lock[k] for k in lock) for r in second.plan["runs"])
    created = planner.publish(actor=registrar, run=second, source="test")
    assert len(created) == 5 and {i.status for i in created} == {Iteration.Status.PLANNED}
    assert all(i.code.startswith(i.course.facility_code) for i in created)
    second.refresh_from_db()
    assert second.state == PlanningRun.State.PUBLISHED and all(r.get("iteration") for r in second.plan["runs"])
    assert AuditEvent.objects.filter(action="planning.published").exists()
    from icihub.errors import Conflict

    with pytest.raises(Conflict):
        planner.publish(actor=registrar, run=second, source="test")


def test_staff_pages_plan_review_and_publish(personas, resources, client_for, monkeypatch):
    client = client_for(personas["registrar"])
    monkeypatch.setattr(planner, "start_run", _synchronous(planner.start_run))
    response = client.post("/en/staff/planning/", {"action": "run", "year": YEAR, "time_limit": 5, "seed": 0})
    run = PlanningRun.objects.get()
    assert response.url.endswith(f"/en/staff/planning/{run.public_id}/")
    page = client.get(f"/ar/staff/planning/{run.public_id}/").content.decode()
    assert 'dir="rtl"' in page and "gantt" in page and "LAB" in page and "KOVACS" in page
    assert "جودة التقويم" in page and "quality of the calendar" not in page  # phases read in Arabic
    instance = json.loads(client.get(f"/en/staff/planning/{run.public_id}/instance.json").content)
    assert instance["year"] == YEAR
    client.post(f"/en/staff/planning/{run.public_id}/", {"action": "publish"})
    assert Iteration.objects.count() == 5
    for file_format, marker in (("ics", "BEGIN:VEVENT"), ("csv", "code,course")):
        body = client.get(f"/en/calendar-{YEAR}.{file_format}").content.decode()
        assert marker in body
    assert client.get(f"/en/calendar-{YEAR}.xlsx").status_code == 200


def _synchronous(start_run):
    def run_now(**kwargs):
        return start_run(**{**kwargs, "background": False})

    return run_now


@pytest.mark.parametrize("name", ["poc_kwt", "participant", "instructor", "hq_observer"])
def test_only_seat_managers_plan_and_publish(name, personas, resources, client_for):
    client = client_for(personas[name])
    expected = 200 if name in ("instructor", "hq_observer") else 403
    assert client.get("/en/staff/planning/").status_code == expected
    client.post("/en/staff/planning/", {"action": "run", "year": YEAR})
    assert not PlanningRun.objects.exists()


def test_the_public_calendar_shows_only_what_the_reader_may_see(personas, resources, client_for):
    testing.make_iteration(status="planned")
    shown = testing.make_iteration()
    body = client_for(None).get(f"/en/calendar-{shown.start_date.year}.csv").content.decode()
    assert shown.code in body and body.count("\n") == 2


def test_the_calendar_files_keep_a_title_from_running_as_a_formula(personas, resources, client_for):
    iteration = testing.make_iteration()
    Course.objects.filter(pk=iteration.course_id).update(title_en='=HYPERLINK("http://evil.example")')
    client, year = client_for(personas["registrar"]), iteration.start_date.year
    body = client.get(f"/en/calendar-{year}.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    sheet = load_workbook(io.BytesIO(client.get(f"/en/calendar-{year}.xlsx").content)).active
    row = [cell.value for cell in sheet[2]]
    assert row[2].startswith("'=HYPERLINK") and row[7] == iteration.capacity  # numbers stay numbers


def test_a_planning_run_of_another_id_is_not_found(personas, client_for):
    client = client_for(personas["registrar"])
    assert client.get("/en/staff/planning/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/en/staff/planning/00000000-0000-0000-0000-000000000000/plan.json").status_code == 404


class TestDemandFromNationsBids:
    def test_points_of_contact_bid_for_their_own_nation_and_staff_turn_bids_into_runs(
        self, personas, resources, client_for
    ):
        from icihub.planning.models import CourseBid

        lessons = resources["lessons"]
        kuwait = client_for(personas["poc_kwt"])
        page = kuwait.get(f"/en/course-bids/?year={YEAR}").content.decode()
        assert lessons.code in page
        kuwait.post("/en/course-bids/", {"year": YEAR, f"seats-{lessons.code}": "30"})
        client_for(personas["poc_qat"]).post("/en/course-bids/", {"year": YEAR, f"seats-{lessons.code}": "25"})
        assert dict(CourseBid.objects.values_list("nation__code", "seats")) == {"KWT": 30, "QAT": 25}
        # 55 seats at 26 participants a run: three runs.
        client_for(personas["registrar"]).post("/en/staff/planning/", {"action": "from_bids", "year": YEAR})
        assert Demand.objects.get(year=YEAR, course=lessons).runs == 3
        assert AuditEvent.objects.filter(action="demand.from_bids").count() == 1
        client_for(personas["poc_kwt"]).post("/en/course-bids/", {"year": YEAR, f"seats-{lessons.code}": "0"})
        assert list(CourseBid.objects.values_list("nation__code", flat=True)) == ["QAT"]

    def test_a_nation_outside_the_audience_cannot_bid(self, personas, resources):
        from icihub.errors import Conflict

        with pytest.raises(Conflict, match="not in the training audience"):
            planner.bid_for_course(
                actor=personas["poc_sau"], year=YEAR, course=resources["lessons"], seats=5, source="test"
            )

    def test_only_points_of_contact_bid(self, personas, client_for):
        assert client_for(personas["registrar"]).get("/en/course-bids/").status_code == 403
        assert client_for(None).get("/en/course-bids/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_with_workers_a_run_is_queued_in_the_database_and_solved_once_by_a_worker_process(
    personas, resources, settings
):
    import os
    import subprocess
    import sys

    from django_tasks_db.models import DBTaskResult

    settings.ICIHUB_BACKGROUND = "worker"
    run = planner.start_run(actor=personas["registrar"], year=YEAR, time_limit=5, source="test")
    run.refresh_from_db()
    assert run.state == PlanningRun.State.QUEUED and not run.plan  # nothing solves it in the web process
    task = DBTaskResult.objects.get(queue_name="planning")
    assert task.args_kwargs["args"] == [run.pk] and task.queue_name == "planning"

    worker = subprocess.run(
        [sys.executable, "-m", "icihub.cli", "db_worker", "--batch", "--queue-name", "planning", "--no-startup-delay"],
        env={**os.environ, "DATABASE_URL": testing.worker_database_url()},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    run.refresh_from_db()
    task.refresh_from_db()
    assert run.state == PlanningRun.State.DONE and task.status == "SUCCESSFUL"
    assert check_plan(from_dict(run.instance), _plan(run)) == []
    finished = run.finished_at

    planner.solve_run(run.pk)  # delivered again: the run is not queued any more, so nothing changes
    run.refresh_from_db()
    assert run.state == PlanningRun.State.DONE and run.finished_at == finished
