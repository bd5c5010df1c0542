"""A planning run whose process died is ended as stopped, in the audit trail, instead of showing the
solver at work for ever: at once when its process on this machine is gone (a real process killed while
solving, SQLite and PostgreSQL), or once its heartbeat is older than planner.LOST_AFTER (a process
elsewhere); a run whose process is alive is left alone."""

import json
import os
import socket

import pytest

from icihub import background, faultkit
from icihub.audit.models import AuditEvent
from icihub.audit.services import verify_trail
from icihub.planning import planner
from icihub.planning.models import PlanningRun
from icihub.planning.tests.test_workflow import YEAR, resources  # noqa: F401 - a fixture

JOB = "import sys\nfrom icihub.planning import planner\nplanner.solve_run(int(sys.argv[1]))\n"
STOPPED_TEXT = "stopped before this plan was finished"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def _queued(registrar, monkeypatch) -> PlanningRun:
    monkeypatch.setattr(planner, "after_commit", lambda *args: None)  # solved by the process below, not here
    return planner.start_run(actor=registrar, year=YEAR, time_limit=5, source="test")


def _running(registrar, monkeypatch, owner: dict) -> PlanningRun:
    run = _queued(registrar, monkeypatch)
    PlanningRun.objects.filter(pk=run.pk).update(state=PlanningRun.State.RUNNING)
    planner.runs_dir().mkdir(parents=True, exist_ok=True)
    planner._owner_file(run.public_id).write_text(json.dumps(owner))
    run.refresh_from_db()
    return run


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_process_was_killed_is_shown_stopped_at_once_and_the_year_is_planned_again(
    personas,
    resources,  # noqa: F811
    client_for,
    settings,
    tmp_path,
    monkeypatch,
):
    registrar = personas["registrar"]
    dead = _queued(registrar, monkeypatch)
    faultkit.kill_half_way(
        JOB,
        hook="icihub.planning.solver:solve",
        at=1,
        folder=tmp_path,
        argv=[str(dead.pk)],
        env={"ICIHUB_VAR_DIR": str(settings.VAR_DIR), "ICIHUB_AUDIT_ANCHOR": str(settings.ICIHUB_AUDIT_ANCHOR)},
    )
    dead.refresh_from_db()
    assert dead.state == PlanningRun.State.RUNNING  # killed while the solver worked
    assert planner._owner_file(dead.public_id).exists()

    page = client_for(registrar).get(f"/en/staff/planning/{dead.public_id}/").content.decode()
    assert STOPPED_TEXT in page and "plan the year again" in page
    assert 'http-equiv="refresh"' not in page and "The solver is working" not in page
    dead.refresh_from_db()
    assert (dead.state, dead.error) == (PlanningRun.State.FAILED, planner.STOPPED) and dead.finished_at
    assert not list(planner.runs_dir().iterdir())
    event = AuditEvent.objects.get(action="planning.stopped")
    assert (event.actor_name, event.object_id, event.after["error"]) == ("system", str(dead.pk), "stopped")

    assert client_for(registrar).get("/en/staff/planning/").status_code == 200  # ended once, not again
    assert AuditEvent.objects.filter(action="planning.stopped").count() == 1
    again = planner.start_run(actor=registrar, year=YEAR, time_limit=5, source="test", background=False)
    again.refresh_from_db()
    assert again.state == PlanningRun.State.DONE and again.plan["runs"]
    assert verify_trail().intact


@pytest.mark.django_db
def test_a_run_whose_process_is_alive_is_left_running(personas, resources, client_for, monkeypatch):  # noqa: F811
    pid = os.getpid()
    owner = {"host": socket.gethostname(), "pid": pid, "started": background._started(pid)}
    run = _running(personas["registrar"], monkeypatch, owner)
    page = client_for(personas["registrar"]).get(f"/en/staff/planning/{run.public_id}/").content.decode()
    assert "The solver is working" in page and STOPPED_TEXT not in page
    run.refresh_from_db()
    assert run.state == PlanningRun.State.RUNNING
    assert not AuditEvent.objects.filter(action="planning.stopped").exists()


@pytest.mark.django_db
def test_a_run_on_another_machine_is_stopped_once_its_heartbeat_is_old(personas, resources, monkeypatch):  # noqa: F811
    registrar = personas["registrar"]
    other = _running(registrar, monkeypatch, {"host": "elsewhere.invalid", "pid": 1, "started": "1"})
    assert planner.end_stale() == 0
    PlanningRun.objects.filter(pk=other.pk).update(updated_at=other.updated_at - planner.LOST_AFTER * 2)
    planner.start_run(actor=registrar, year=YEAR, time_limit=5, source="test", background=False)
    other.refresh_from_db()
    assert (other.state, other.error) == (PlanningRun.State.FAILED, planner.STOPPED)
    assert AuditEvent.objects.filter(action="planning.stopped", object_id=str(other.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_ended_as_stopped_keeps_that_state_when_its_solver_returns_after_all(
    personas,
    resources,  # noqa: F811
    monkeypatch,
):
    run = _queued(personas["registrar"], monkeypatch)
    real = planner.fmt.plan_to_dict

    def stopped_meanwhile(plan):  # as the plan is about to be saved, end_stale took the run as dead
        PlanningRun.objects.filter(pk=run.pk).update(state=PlanningRun.State.FAILED, error=planner.STOPPED)
        return real(plan)

    monkeypatch.setattr(planner.fmt, "plan_to_dict", stopped_meanwhile)
    planner.solve_run(run.pk)
    run.refresh_from_db()
    assert (run.state, run.error, run.plan) == (PlanningRun.State.FAILED, planner.STOPPED, {})
