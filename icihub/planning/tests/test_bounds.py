"""The pooled capacity bound (bounds.py): never above the least unmet demand any plan can reach, and
tight where courses compete for one instructor, room or audience group."""

import dataclasses
import datetime

import pytest

from icihub.planning import solver as solver_module
from icihub.planning.bounds import pooled_bound
from icihub.planning.checker import check_plan
from icihub.planning.greedy import greedy, unmet_objective
from icihub.planning.instance import Course, Demand, Instance, Instructor, Period, Room
from icihub.planning.solver import solve
from icihub.planning.tests.instances import random_instance, small_instance

D = datetime.date


def _whole_model_optimum(instance: Instance, monkeypatch) -> int | None:
    """The least unmet demand proven by the whole model alone (the pooled bound switched off), or None."""
    with monkeypatch.context() as patch:
        patch.setattr(solver_module, "pooled_bound", lambda *args, **kwargs: {"name": "pooled bound", "bound": 0})
        plan = solve(instance, time_limit=5, explain=False)
    first = plan.phase("unmet demand")
    return first["objective"] if first.get("status") == "OPTIMAL" else None


@pytest.mark.parametrize("seed", range(12))
def test_the_bound_is_never_above_a_proven_optimum_nor_any_plan(seed, monkeypatch):
    instance = random_instance(seed)
    bound = pooled_bound(instance)["bound"]
    assert bound <= unmet_objective(instance, greedy(instance))
    optimum = _whole_model_optimum(instance, monkeypatch)
    if optimum is not None:
        assert bound <= optimum


def _one_visiting_instructor() -> Instance:
    """One instructor, there for five weeks, teaching two five-day courses of three runs each: one run must go
    unmet, and the least important one is course B's."""
    return Instance(
        year=2027,
        rooms=(Room("R1", "Hall", 30),),
        instructors=(
            Instructor("V", "Visiting", ("A", "B"), available=(Period(D(2027, 4, 4), D(2027, 5, 6)),)),
        ),
        courses=(Course("A", "Course A", 5, 20), Course("B", "Course B", 5, 20)),
        demand=(Demand("A", 3, priority=2), Demand("B", 3, priority=1)),
    )  # fmt: skip


def test_a_visiting_instructors_weeks_bound_the_runs_exactly():
    instance = _one_visiting_instructor()
    assert pooled_bound(instance)["bound"] == 1
    plan = solve(instance, time_limit=5, explain=False)
    assert check_plan(instance, plan) == []
    assert unmet_objective(instance, plan) == 1 and plan.unmet == {"B": 1}
    first = plan.phase("unmet demand")
    assert first["status"] == "OPTIMAL" and first["bound"] == 1


def test_three_day_runs_that_start_their_week_count_whole_weeks():
    """Two three-day runs cannot share a week on one instructor (both start on its first day), so a
    five-week stay holds five of them, not eight as days alone would say."""
    instance = _one_visiting_instructor()
    instance = Instance(**{**instance.__dict__, "courses": (Course("A", "A", 3, 20), Course("B", "B", 3, 20)),
                           "demand": (Demand("A", 4, priority=2), Demand("B", 4, priority=1))})  # fmt: skip
    assert pooled_bound(instance)["bound"] == 3  # 8 runs, 5 weeks: 3 of B's unmet


def test_an_audience_group_and_a_room_are_shared_resources_too():
    base = _one_visiting_instructor()
    two = (Instructor("V", "V", ("A", "B")), Instructor("W", "W", ("A", "B")))
    year = Instance(2027, rooms=base.rooms, instructors=two, courses=base.courses, demand=base.demand)
    assert pooled_bound(year)["bound"] == 0
    narrow = Instance(**{**year.__dict__, "horizon": Period(D(2027, 4, 4), D(2027, 5, 6))})  # five weeks, one room
    assert pooled_bound(narrow)["bound"] == 1
    rooms = (Room("R1", "Hall", 30), Room("R2", "Annex", 30))
    officers = tuple(dataclasses.replace(c, audience="officers") for c in base.courses)
    grouped = dataclasses.replace(narrow, rooms=rooms, courses=officers)
    assert pooled_bound(grouped)["bound"] == 1  # two rooms, but one audience group: still five weeks
    apart = Instance(**{**grouped.__dict__, "courses": base.courses})
    assert pooled_bound(apart)["bound"] == 0


def test_the_small_calendar_bound_holds():
    instance = small_instance()
    assert pooled_bound(instance)["bound"] <= unmet_objective(instance, solve(instance, time_limit=5, explain=False))


@pytest.mark.parametrize("seed", range(4))
def test_on_years_where_courses_compete_the_bound_stays_below_the_proven_optimum(seed, monkeypatch):
    from icihub.planning.generate import competing_instance

    year = competing_instance(seed, courses=20, runs=60, instructors=8, rooms=4)
    bound = pooled_bound(year)["bound"]
    optimum = _whole_model_optimum(year, monkeypatch)
    assert bound <= unmet_objective(year, greedy(year))
    if optimum is not None:
        assert bound <= optimum
