"""The plan checker and the greedy baseline: greedy plans pass the checker, the checker catches each broken
rule, and the checker's own calendar rules agree with `slots.py`. No database."""

import dataclasses
import datetime

import pytest

from icihub.planning.checker import calendar_problems, check_plan
from icihub.planning.greedy import greedy, unmet_objective
from icihub.planning.instance import Blackout, Demand, Instructor, Lock, Period, Plan, Precedence, Run
from icihub.planning.slots import Calendar
from icihub.planning.tests.instances import D, random_instance, small_instance


def valid_plan() -> Plan:
    """A hand-made valid plan of `small_instance()`."""
    return Plan(
        runs=[
            Run("LL-CAP", 0, D(2027, 1, 3), D(2027, 1, 7), "R2", "I1"),
            Run("LL-CAP", 1, D(2027, 1, 24), D(2027, 1, 28), "R2", "I1"),
            Run("CYB-IR", 0, D(2027, 1, 10), D(2027, 1, 12), "R2", "I2"),
            Run("CYB-IR", 1, D(2027, 1, 17), D(2027, 1, 19), "R2", "I2"),
            Run("CYB-IR", 2, D(2027, 3, 14), D(2027, 3, 16), "R2", "I1"),
            Run("BRIEF", 0, D(2027, 1, 13), D(2027, 1, 13), "R3", "I2"),
            Run("BRIEF", 1, D(2027, 4, 7), D(2027, 4, 7), "R3", "I3"),
            Run("FOR-10", 0, D(2027, 4, 11), D(2027, 4, 22), "R2", "I2"),
        ],
        status="FEASIBLE",
    )


def changed(plan: Plan, course: str, run: int, **changes) -> Plan:
    """The plan with one run changed (start, end, room, instructor)."""
    runs = [dataclasses.replace(r, **changes) if (r.course, r.run) == (course, run) else r for r in plan.runs]
    return dataclasses.replace(plan, runs=runs)


def without(plan: Plan, course: str, run: int, unmet: dict | None = None) -> Plan:
    runs = [r for r in plan.runs if (r.course, r.run) != (course, run)]
    return dataclasses.replace(plan, runs=runs, unmet=unmet if unmet is not None else {course: 1})


def with_course(instance, course_id: str, **changes):
    courses = tuple(dataclasses.replace(c, **changes) if c.id == course_id else c for c in instance.courses)
    return dataclasses.replace(instance, courses=courses)


# --- the checker accepts valid plans ---------------------------------------------------------------


def test_the_hand_made_plan_is_valid():
    assert check_plan(small_instance(), valid_plan()) == []


def test_a_3_day_course_may_start_on_monday_when_sunday_is_a_holiday():
    holiday = Blackout("h", "Holiday", D(2027, 1, 17), D(2027, 1, 17), "holiday")
    instance = small_instance(blackouts=(small_instance().blackouts[0], holiday))
    plan = changed(valid_plan(), "CYB-IR", 1, start=D(2027, 1, 18), end=D(2027, 1, 20))
    assert check_plan(instance, plan) == []


def test_a_run_may_start_mid_week_when_the_horizon_starts_mid_week():
    plan = Plan(runs=[Run("CYB-IR", 0, D(2027, 1, 11), D(2027, 1, 13), "R2", "I2")])
    instance = small_instance(demand=(Demand("CYB-IR", 1),), precedences=())
    assert "not on the first working day of its week" in check_plan(instance, plan)[0]
    later_start = dataclasses.replace(instance, horizon=Period(D(2027, 1, 11), D(2027, 12, 31)))  # a Monday
    assert check_plan(later_start, plan) == []


def test_a_course_that_does_not_start_weeks_may_start_mid_week():
    instance = with_course(small_instance(), "CYB-IR", start_on_week_start=False)
    plan = changed(valid_plan(), "CYB-IR", 1, start=D(2027, 1, 18), end=D(2027, 1, 20))
    assert check_plan(instance, plan) == []


# --- the checker catches each broken rule -----------------------------------------------------------


def test_checker_catches_a_run_on_a_blackout():
    plan = changed(valid_plan(), "CYB-IR", 1, start=D(2027, 2, 14), end=D(2027, 2, 16))
    assert check_plan(small_instance(), plan) == [
        "CYB-IR#1 runs on 2027-02-14, during blackout Ramadan (2027-02-08 to 2027-03-09)."
    ]


def test_checker_catches_a_run_over_a_blackout_on_the_weekend():
    weekend = Blackout("w", "Closure", D(2027, 4, 16), D(2027, 4, 17))  # Friday and Saturday
    instance = small_instance(blackouts=(small_instance().blackouts[0], weekend))
    problems = check_plan(instance, valid_plan())
    assert problems == ["FOR-10#0 runs on 2027-04-16, during blackout Closure (2027-04-16 to 2027-04-17)."]


def test_checker_catches_a_5_day_course_across_the_weekend():
    instance = with_course(small_instance(), "LL-CAP", start_on_week_start=False)
    plan = changed(valid_plan(), "LL-CAP", 1, start=D(2027, 1, 26), end=D(2027, 2, 1))  # Tuesday to Monday
    assert check_plan(instance, plan) == [
        "LL-CAP#1 (2027-01-26 to 2027-02-01) crosses into the week starting 2027-01-31; "
        "a run of 5 day(s) must stay inside one week."
    ]
    problems = check_plan(small_instance(), plan)
    assert len(problems) == 2 and "not on the first working day of its week" in problems[1]


def test_checker_catches_a_3_day_course_starting_mid_week():
    plan = changed(valid_plan(), "CYB-IR", 1, start=D(2027, 1, 18), end=D(2027, 1, 20))
    assert check_plan(small_instance(), plan) == [
        "CYB-IR#1 starts on 2027-01-18, not on the first working day of its week "
        "(2027-01-17 is an earlier working day)."
    ]


NOT_FIRST = "not on the first working day of its week"


def test_checker_catches_a_short_course_that_must_start_the_week():
    instance = with_course(small_instance(), "BRIEF", start_on_week_start=True)
    problems = check_plan(instance, valid_plan())
    assert problems == [
        f"BRIEF#0 starts on 2027-01-13, {NOT_FIRST} (2027-01-12 is an earlier working day).",
        f"BRIEF#1 starts on 2027-04-07, {NOT_FIRST} (2027-04-06 is an earlier working day).",
    ]


def test_checker_catches_a_wrong_duration():
    plan = changed(valid_plan(), "LL-CAP", 0, end=D(2027, 1, 6))
    assert check_plan(small_instance(), plan) == [
        "LL-CAP#0 covers 4 working day(s) from 2027-01-03 to 2027-01-06, but LL-CAP lasts 5."
    ]


def test_checker_catches_a_start_on_a_day_off():
    plan = changed(valid_plan(), "BRIEF", 0, start=D(2027, 1, 15), end=D(2027, 1, 15))  # a Friday
    problems = check_plan(small_instance(), plan)
    assert "BRIEF#0 starts on Friday 2027-01-15, not a working day." in problems


def test_checker_catches_a_run_outside_the_horizon():
    instance = small_instance(horizon=Period(D(2027, 1, 10), D(2027, 12, 31)))
    problems = check_plan(instance, valid_plan())
    assert problems == [
        "LL-CAP#0 (2027-01-03 to 2027-01-07) is not inside the planning horizon 2027-01-10 to 2027-12-31."
    ]


def test_checker_catches_a_start_before_the_earliest():
    plan = changed(valid_plan(), "FOR-10", 0, start=D(2027, 3, 21), end=D(2027, 4, 1))
    assert check_plan(small_instance(), plan) == [
        "FOR-10#0 starts on 2027-03-21, before the earliest start 2027-04-01."
    ]


def test_checker_catches_an_end_after_the_latest():
    demand = tuple(
        dataclasses.replace(d, latest=D(2027, 3, 31)) if d.course == "BRIEF" else d for d in small_instance().demand
    )
    assert check_plan(small_instance(demand=demand), valid_plan()) == [
        "BRIEF#1 ends on 2027-04-07, after the latest end 2027-03-31."
    ]


def test_checker_catches_a_too_small_room():
    plan = changed(valid_plan(), "LL-CAP", 0, room="R1")
    assert check_plan(small_instance(), plan) == ["LL-CAP#0: room R1 seats 12, LL-CAP needs 18."]


def test_checker_catches_missing_equipment():
    plan = changed(valid_plan(), "CYB-IR", 0, room="R1")
    assert check_plan(small_instance(), plan) == ["CYB-IR#0: room R1 lacks lab."]


def test_checker_catches_the_wrong_venue():
    instance = with_course(small_instance(), "BRIEF", venue="annex")
    assert check_plan(instance, valid_plan()) == [
        "BRIEF#0: room R3 is at centre, BRIEF is taught at annex.",
        "BRIEF#1: room R3 is at centre, BRIEF is taught at annex.",
    ]
    plan = changed(changed(valid_plan(), "BRIEF", 0, room="R4"), "BRIEF", 1, room="R4")
    assert check_plan(instance, plan) == []


def test_checker_catches_an_unknown_room_or_instructor():
    plan = changed(valid_plan(), "BRIEF", 0, room="R9", instructor="I9")
    assert check_plan(small_instance(), plan) == [
        "BRIEF#0: room R9 is not in the instance.",
        "BRIEF#0: instructor I9 is not in the instance.",
    ]


def test_checker_catches_an_unqualified_instructor():
    plan = changed(valid_plan(), "CYB-IR", 0, instructor="I4")
    assert check_plan(small_instance(), plan) == ["CYB-IR#0: instructor I4 does not teach CYB-IR."]


def test_checker_catches_an_unavailable_instructor():
    plan = changed(valid_plan(), "BRIEF", 0, instructor="I3")
    assert check_plan(small_instance(), plan) == [
        "BRIEF#0 (2027-01-13 to 2027-01-13): instructor I3 is available only 2027-04-01 to 2027-06-30."
    ]


def test_checker_catches_a_run_straddling_the_end_of_an_availability():
    instructors = tuple(
        dataclasses.replace(
            i, available=(Period(D(2027, 1, 1), D(2027, 4, 15)), Period(D(2027, 4, 16), D(2027, 12, 31)))
        )
        if i.id == "I2"
        else i
        for i in small_instance().instructors
    )
    problems = check_plan(small_instance(instructors=instructors), valid_plan())
    assert len(problems) == 1 and problems[0].startswith("FOR-10#0 (2027-04-11 to 2027-04-22): instructor I2")


def test_checker_catches_too_many_weeks():
    instructors = tuple(
        dataclasses.replace(i, max_weeks={"I1": 2, "I2": 4}[i.id]) if i.id in ("I1", "I2") else i
        for i in small_instance().instructors
    )
    problems = check_plan(small_instance(instructors=instructors), valid_plan())
    assert problems == [
        "Instructor I1 teaches 3 weeks (LL-CAP#0, LL-CAP#1, CYB-IR#2), more than their maximum of 2.",
        # FOR-10 runs over two weeks: 1 + 1 + 1 + 2
        "Instructor I2 teaches 5 weeks (CYB-IR#0, CYB-IR#1, BRIEF#0, FOR-10#0), more than their maximum of 4.",
    ]


def test_checker_catches_a_double_booked_room():
    plan = changed(valid_plan(), "LL-CAP", 1, room="R3")
    plan = changed(plan, "BRIEF", 0, start=D(2027, 1, 25), end=D(2027, 1, 25), instructor="I4")
    assert check_plan(small_instance(), plan) == ["LL-CAP#1 and BRIEF#0 both use room R3 on 2027-01-25."]


def test_checker_catches_a_double_booked_instructor():
    plan = changed(valid_plan(), "BRIEF", 0, start=D(2027, 1, 11), end=D(2027, 1, 11))
    assert check_plan(small_instance(), plan) == ["CYB-IR#0 and BRIEF#0 both need instructor I2 on 2027-01-11."]


def test_checker_catches_a_double_booked_audience():
    plan = changed(valid_plan(), "CYB-IR", 2, start=D(2027, 4, 18), end=D(2027, 4, 20), room="R3")
    assert check_plan(small_instance(), plan) == [
        "FOR-10#0 and CYB-IR#2 both run on 2027-04-18 for the same audience 'analysts'."
    ]


def test_checker_catches_a_broken_gap():
    plan = changed(valid_plan(), "LL-CAP", 1, start=D(2027, 1, 17), end=D(2027, 1, 21), room="R3")
    assert check_plan(small_instance(), plan) == [
        "Only 9 day(s) between LL-CAP#0 and LL-CAP#1; LL-CAP needs at least 14."
    ]


def test_checker_catches_runs_out_of_order():
    plan = changed(valid_plan(), "LL-CAP", 0, start=D(2027, 1, 24), end=D(2027, 1, 28))
    plan = changed(plan, "LL-CAP", 1, start=D(2027, 1, 3), end=D(2027, 1, 7))
    assert check_plan(small_instance(), plan) == ["LL-CAP#1 starts on 2027-01-03, before LL-CAP#0 ends on 2027-01-28."]


def test_checker_catches_a_broken_precedence():
    instance = small_instance(precedences=(Precedence("CYB-IR", "FOR-10"), Precedence("CYB-IR", "LL-CAP")))
    assert check_plan(instance, valid_plan()) == [
        "LL-CAP#0 starts on 2027-01-03, before CYB-IR#0 (which must come first) ends on 2027-01-12."
    ]


def test_checker_catches_a_precedence_whose_first_course_is_not_placed():
    plan = without(valid_plan(), "CYB-IR", 0)
    assert check_plan(small_instance(), plan) == ["FOR-10#0 is placed but CYB-IR#0, which must come before it, is not."]


def test_checker_catches_a_broken_lock():
    instance = small_instance(locks=(Lock("LL-CAP", 0, D(2027, 1, 3), "R2", "I1"),))
    assert check_plan(instance, valid_plan()) == []
    plan = changed(valid_plan(), "LL-CAP", 0, instructor="I4")
    assert check_plan(instance, plan) == ["LL-CAP#0 breaks its lock: instructor I4 instead of I1."]
    assert check_plan(instance, without(valid_plan(), "LL-CAP", 0)) == ["Locked run LL-CAP#0 is not in the plan."]


def test_checker_catches_a_wrong_unmet_count():
    plan = dataclasses.replace(valid_plan(), unmet={"LL-CAP": 1})
    assert check_plan(small_instance(), plan) == [
        "Unmet runs of LL-CAP: the plan says 1, demand minus placed runs is 0."
    ]
    assert check_plan(small_instance(), without(valid_plan(), "BRIEF", 1, unmet={})) == [
        "Unmet runs of BRIEF: the plan says 0, demand minus placed runs is 1."
    ]
    assert check_plan(small_instance(), without(valid_plan(), "BRIEF", 1, unmet={"BRIEF": 1, "BRIEF-X": 0})) == []
    assert check_plan(small_instance(), dataclasses.replace(valid_plan(), unmet={"NOPE": 2})) == [
        "Unmet runs of NOPE: the plan says 2, demand minus placed runs is 0."
    ]


def test_checker_catches_runs_beyond_the_demand():
    plan = valid_plan()
    plan.runs.append(Run("LL-CAP", 2, D(2027, 6, 6), D(2027, 6, 10), "R2", "I1"))
    plan.runs.append(Run("BRIEF", 0, D(2027, 1, 13), D(2027, 1, 13), "R3", "I2"))
    problems = check_plan(small_instance(), plan)
    assert problems == [
        "LL-CAP#2: LL-CAP has 2 run(s) demanded, numbered 0 to 1.",
        "BRIEF#0 appears more than once in the plan.",
        "LL-CAP has 3 runs placed, 2 demanded.",
        "Unmet runs of LL-CAP: the plan says 0, demand minus placed runs is -1.",
    ]


def test_checker_catches_a_course_that_is_not_demanded():
    demand = tuple(d for d in small_instance().demand if d.course != "BRIEF")
    problems = check_plan(small_instance(demand=demand), valid_plan())
    assert problems == ["BRIEF#0: course BRIEF is not in the demand.", "BRIEF#1: course BRIEF is not in the demand."]


# --- the checker's calendar agrees with slots.py -----------------------------------------------------


def _end_of(instance, start: datetime.date, duration: int) -> datetime.date:
    """The day the run's last working-week day falls on, counted without looking at blackouts."""
    day, counted = start, int(start.weekday() in instance.working_week)
    while counted < duration:
        day += datetime.timedelta(days=1)
        counted += day.weekday() in instance.working_week
    return day


@pytest.mark.parametrize("working_week", [None, (0, 1, 2, 3, 4, 5, 6), (3, 6, 0), (4,)])
@pytest.mark.parametrize("seed", range(6))
def test_checker_and_calendar_agree_on_every_start_day(seed, working_week):
    instance = random_instance(seed)
    if working_week:
        instance = dataclasses.replace(instance, working_week=working_week)
    calendar = Calendar(instance)
    for demand in instance.demand:
        course = instance.course(demand.course)
        slots = {(slot.start, slot.end) for slot in calendar.slots(course, demand)}
        accepted = set()
        for day in calendar.days:
            run = Run(course.id, 0, day, _end_of(instance, day, course.duration_days), "", "")
            if not calendar_problems(instance, run, demand):
                accepted.add((run.start, run.end))
        assert accepted == slots, (course, sorted(accepted ^ slots)[:5])


# --- greedy ---------------------------------------------------------------------------------------


def test_greedy_plan_of_the_small_instance_is_valid_and_complete():
    instance = small_instance()
    plan = greedy(instance)
    assert check_plan(instance, plan) == []
    assert plan.unmet == {}
    assert plan.status == "FEASIBLE"
    assert plan.phases[0]["name"] == "greedy" and plan.phases[0]["objective"] == 0


@pytest.mark.parametrize("seed", range(30))
def test_greedy_plans_of_random_instances_are_valid(seed):
    instance = random_instance(seed)
    plan = greedy(instance)
    assert check_plan(instance, plan) == []
    assert plan.phases[0]["objective"] == unmet_objective(instance, plan)


@pytest.mark.parametrize("seed", range(100, 105))
def test_greedy_plans_of_larger_random_instances_are_valid(seed):
    instance = random_instance(seed, courses=25, runs=80, instructors=8, rooms=5)
    plan = greedy(instance)
    assert check_plan(instance, plan) == []
    assert len(plan.runs) > 0


def test_greedy_does_not_run_over_a_closure_on_the_weekend():
    weekend = Blackout("w", "Closure", D(2027, 4, 9), D(2027, 4, 10))  # Friday and Saturday
    instance = small_instance(blackouts=(small_instance().blackouts[0], weekend))
    plan = greedy(instance)
    assert check_plan(instance, plan) == []
    runs = {(r.course, r.run): r for r in plan.runs}
    assert runs["FOR-10", 0].start == D(2027, 4, 11)  # not Sunday 4 April: its two weeks would span the closure


def test_greedy_is_deterministic():
    instance = random_instance(7)
    first, second = greedy(instance), greedy(instance)
    assert first.runs == second.runs and first.unmet == second.unmet and first.explanation == second.explanation


def test_greedy_takes_the_earliest_slot_the_smallest_room_and_the_least_loaded_instructor():
    runs = {(r.course, r.run): r for r in greedy(small_instance()).runs}
    assert runs["LL-CAP", 0] == Run("LL-CAP", 0, D(2027, 1, 3), D(2027, 1, 7), "R2", "I1")
    # 14 days after 7 January is the 22nd, a Friday: the next week starts on Sunday the 24th; I1 already
    # has a week, I3 is not available in January, so I4.
    assert runs["LL-CAP", 1] == Run("LL-CAP", 1, D(2027, 1, 24), D(2027, 1, 28), "R2", "I4")
    # R2 is the smallest lab but LL-CAP#0 uses it; the hall also has a lab.
    assert runs["CYB-IR", 0].room == "R3" and runs["CYB-IR", 0].start == D(2027, 1, 3)
    assert runs["BRIEF", 0].room == "R4"  # the 30-seat annex: smaller than the 40-seat hall
    # FOR-10 may not start before April; Sunday 4 April is the first week start.
    assert runs["FOR-10", 0].start == D(2027, 4, 4)


def test_greedy_honours_locks():
    lock = Lock("CYB-IR", 1, D(2027, 6, 6), "R3", "I1")
    instance = small_instance(locks=(lock,))
    plan = greedy(instance)
    assert check_plan(instance, plan) == []
    runs = {(r.course, r.run): r for r in plan.runs}
    assert runs["CYB-IR", 1] == Run("CYB-IR", 1, D(2027, 6, 6), D(2027, 6, 8), "R3", "I1")
    assert runs["CYB-IR", 0].end < D(2027, 6, 6) < runs["CYB-IR", 2].start


def test_greedy_keeps_a_lock_even_on_a_blackout_and_the_checker_says_so():
    # Such a lock is refused on input (test_instance_input.py); built past the check, it is still kept.
    instance = dataclasses.replace(small_instance(), locks=(Lock("BRIEF", 0, D(2027, 2, 14), "R3", "I2"),))
    plan = greedy(instance)
    assert Run("BRIEF", 0, D(2027, 2, 14), D(2027, 2, 14), "R3", "I2") in plan.runs
    assert check_plan(instance, plan) == [
        "BRIEF#0 runs on 2027-02-14, during blackout Ramadan (2027-02-08 to 2027-03-09)."
    ]


@pytest.mark.parametrize("seed", range(10))
def test_greedy_keeps_runs_of_an_earlier_plan_when_they_are_locked(seed):
    instance = random_instance(seed)
    earlier = greedy(instance)
    locks = tuple(Lock(r.course, r.run, r.start, r.room, r.instructor) for r in earlier.runs[1::3])
    instance = dataclasses.replace(instance, locks=locks)
    plan = greedy(instance)
    assert check_plan(instance, plan) == []


def test_greedy_leaves_runs_unmet_when_the_instructor_has_only_3_weeks():
    only = Instructor("I1", "Instructor one", ("CYB-IR",), available=(Period(D(2027, 5, 2), D(2027, 5, 20)),))
    instance = small_instance(instructors=(only,), demand=(Demand("CYB-IR", 5, priority=2),), precedences=())
    plan = greedy(instance)
    assert check_plan(instance, plan) == []
    assert [r.start for r in plan.runs] == [D(2027, 5, 2), D(2027, 5, 9), D(2027, 5, 16)]
    assert plan.unmet == {"CYB-IR": 2}
    assert unmet_objective(instance, plan) == 4 == plan.phases[0]["objective"]
    assert plan.explanation and plan.explanation[0].startswith("CYB-IR: 2 of 5 run(s) not placed")


def test_greedy_respects_most_weeks():
    only = Instructor("I1", "Instructor one", ("CYB-IR",), max_weeks=2)
    instance = small_instance(instructors=(only,), demand=(Demand("CYB-IR", 5),), precedences=())
    plan = greedy(instance)
    assert check_plan(instance, plan) == [] and len(plan.runs) == 2 and plan.unmet == {"CYB-IR": 3}


def test_greedy_respects_the_gap():
    instance = small_instance(demand=(Demand("CYB-IR", 3, min_gap_days=30),), precedences=())
    starts = [r.start for r in greedy(instance).runs]
    # 30 days after 5 January is in Ramadan; the week Ramadan ends in has no 3 working days left
    assert starts == [D(2027, 1, 3), D(2027, 3, 14), D(2027, 4, 18)]


def test_greedy_places_a_course_after_the_course_it_follows_whatever_the_demand_order():
    instance = small_instance()
    instance = dataclasses.replace(instance, demand=tuple(reversed(instance.demand)))
    plan = greedy(instance)
    assert check_plan(instance, plan) == [] and plan.unmet == {}
    runs = {(r.course, r.run): r for r in plan.runs}
    assert runs["FOR-10", 0].start > runs["CYB-IR", 0].end


def test_greedy_does_not_place_a_course_whose_first_course_is_not_placed():
    instance = small_instance(precedences=(Precedence("LL-CAP", "FOR-10"),), demand=small_instance().demand[1:])
    plan = greedy(instance)
    assert check_plan(instance, plan) == []
    assert plan.unmet == {"FOR-10": 1}
    assert "LL-CAP#0, which must come first, is not placed" in plan.explanation[0]


def test_greedy_places_a_first_course_before_a_locked_later_course():
    demand = tuple(dataclasses.replace(d, earliest=None) for d in small_instance().demand)
    instance = small_instance(demand=demand, locks=(Lock("FOR-10", 0, D(2027, 1, 10), "R3", "I2"),))
    plan = greedy(instance)
    assert check_plan(instance, plan) == []
    runs = {(r.course, r.run): r for r in plan.runs}
    assert runs["CYB-IR", 0].end < D(2027, 1, 10)


def test_greedy_does_not_place_a_first_course_after_a_locked_later_course():
    closure = Blackout("c", "Closure", D(2027, 1, 1), D(2027, 1, 7))
    demand = tuple(dataclasses.replace(d, earliest=None) for d in small_instance().demand)
    instance = small_instance(
        demand=demand, blackouts=(closure,), locks=(Lock("FOR-10", 0, D(2027, 1, 10), "R3", "I2"),)
    )
    plan = greedy(instance)
    assert plan.unmet["CYB-IR"] == 3  # no room for CYB-IR#0 before the locked FOR-10: the lock wins
    assert check_plan(instance, plan) == ["FOR-10#0 is placed but CYB-IR#0, which must come before it, is not."]


def test_unmet_objective_weighs_unmet_runs_by_priority():
    plan = Plan(unmet={"LL-CAP": 1, "BRIEF": 2})
    assert unmet_objective(small_instance(), plan) == 3 * 1 + 1 * 2
