"""The seeded instance generator: deterministic, valid, of the asked size, every course teachable by two
instructors and placeable in a room, and greedy's plan of it keeps every hard rule. No database."""

import pytest

from icihub.planning.blackouts import default_blackouts
from icihub.planning.checker import check_plan
from icihub.planning.generate import centre_instance
from icihub.planning.greedy import greedy
from icihub.planning.instance import check, from_dict, to_dict

SIZES = [
    {"courses": 12, "runs": 30, "instructors": 5, "rooms": 3},
    {"courses": 20, "runs": 50, "instructors": 8, "rooms": 4, "venues": 2},
    {"courses": 40, "runs": 120, "instructors": 15, "rooms": 6},
]


@pytest.mark.parametrize("size", SIZES)
def test_the_same_seed_gives_the_same_instance_and_another_seed_another(size):
    first = centre_instance(7, **size)
    assert to_dict(first) == to_dict(centre_instance(7, **size))
    assert to_dict(first) != to_dict(centre_instance(8, **size))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("size", SIZES)
def test_instances_are_valid_and_of_the_asked_size(seed, size):
    instance = centre_instance(seed, **size)
    check(instance)
    assert from_dict(to_dict(instance)) == instance  # it survives the JSON format
    assert len(instance.courses) == size["courses"]
    assert sum(d.runs for d in instance.demand) == size["runs"]
    assert len(instance.instructors) == size["instructors"]
    assert len(instance.rooms) == size["rooms"]
    assert {r.venue for r in instance.rooms} == {"centre"} | {f"mobile-{n}" for n in range(1, size.get("venues", 1))}
    assert instance.working_week == (6, 0, 1, 2, 3)  # Sunday to Thursday
    assert list(instance.blackouts) == default_blackouts(2027)
    assert all(1 <= d.runs <= 6 and 1 <= d.priority <= 3 and 0 <= d.min_gap_days <= 45 for d in instance.demand)
    assert all(12 <= c.participants <= 35 for c in instance.courses)  # rooms seat at least 15
    assert all(15 <= r.capacity <= 45 for r in instance.rooms)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("size", SIZES)
def test_every_course_has_two_instructors_and_a_room(seed, size):
    instance = centre_instance(seed, **size)
    for course in instance.courses:
        qualified = [i for i in instance.instructors if course.id in i.courses]
        assert len(qualified) >= 2, course.id
        assert any(
            room.capacity >= course.participants
            and set(course.equipment) <= set(room.equipment)
            and course.venue in (None, room.venue)
            for room in instance.rooms
        ), course.id
    assert all(2 <= len(i.courses) <= 6 for i in instance.instructors)


def test_instructors_teach_more_when_there_are_too_few_for_two_per_course():
    instance = centre_instance(1, courses=30, runs=60, instructors=5, rooms=4)
    assert all(sum(c.id in i.courses for i in instance.instructors) >= 2 for c in instance.courses)
    assert max(len(i.courses) for i in instance.instructors) <= 13


def test_precedences_have_no_cycle():
    for seed in range(10):
        instance = centre_instance(seed, courses=40, runs=120, instructors=15, rooms=6)
        position = {c.id: n for n, c in enumerate(instance.courses)}
        assert all(position[p.before] < position[p.after] for p in instance.precedences)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("size", SIZES)
def test_greedy_plans_keep_every_hard_rule(seed, size):
    instance = centre_instance(seed, **size)
    plan = greedy(instance)
    assert check_plan(instance, plan) == []
    assert plan.runs  # something is placed


def test_impossible_sizes_are_refused():
    with pytest.raises(ValueError):
        centre_instance(1, courses=10, runs=5, instructors=4, rooms=3)  # fewer runs than courses
    with pytest.raises(ValueError):
        centre_instance(1, courses=10, runs=80, instructors=4, rooms=3)  # more than 6 runs a course
    with pytest.raises(ValueError):
        centre_instance(1, courses=10, runs=20, instructors=4, rooms=1, venues=2)  # a venue without a room


# --- years where courses compete (issue 18) -----------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_competing_years_are_valid_deterministic_and_hard_on_purpose(seed):
    from icihub.planning.generate import competing_instance

    size = {"courses": 30, "runs": 110, "instructors": 10, "rooms": 5}
    year = competing_instance(seed, **size)
    assert to_dict(year) == to_dict(competing_instance(seed, **size))
    assert from_dict(to_dict(year)) == year  # locks and all, it survives the file format's checks
    assert len({c.audience for c in year.courses if c.audience}) <= 3
    assert sum(bool(i.available) for i in year.instructors) >= len(year.instructors) // 3
    assert [r.id for r in year.rooms if "simulator" in r.equipment] and year.locks
    assert check_plan(year, greedy(year)) == []


def test_the_search_on_a_competing_year_keeps_every_rule_and_every_lock_and_beats_greedy():
    from icihub.planning.generate import competing_instance
    from icihub.planning.greedy import unmet_objective
    from icihub.planning.solver import LARGE_RUNS, solve

    year = competing_instance(1, courses=30, runs=110, instructors=10, rooms=5)
    assert sum(d.runs for d in year.demand) >= LARGE_RUNS  # large enough for the neighbourhood search
    plan = solve(year, time_limit=6, explain=False)
    assert plan.phase("search")["parts"] > 0
    assert check_plan(year, plan) == []  # the checker holds the locks too
    assert unmet_objective(year, plan) <= unmet_objective(year, greedy(year))
