"""Small planner instances for tests: a hand-made one for 2027 and seeded random ones."""

import dataclasses
import datetime
import random

from icihub.planning.instance import (
    Blackout,
    Course,
    Demand,
    Instance,
    Instructor,
    Period,
    Precedence,
    Room,
    check,
)

D = datetime.date
RAMADAN = Blackout("ramadan-2027", "Ramadan", D(2027, 2, 8), D(2027, 3, 9), "religious")


def small_instance(**overrides) -> Instance:
    """2027, Sunday to Thursday, Ramadan (Monday 8 February to Tuesday 9 March) blacked out.

    Rooms: R1 12 seats, R2 lab 20 seats, R4 annex 30 seats, R3 hall with a lab 40 seats.
    Courses: LL-CAP 5 days (18, officers), CYB-IR 3 days (10, lab, analysts), BRIEF 1 day (30),
    FOR-10 10 days (8, lab, analysts), which must follow CYB-IR.
    Instructors: I1 LL-CAP and CYB-IR, at most 10 weeks; I2 CYB-IR, FOR-10 and BRIEF; I3 LL-CAP and
    BRIEF, only April to June; I4 LL-CAP and BRIEF."""
    instance = Instance(
        year=2027,
        working_week=(6, 0, 1, 2, 3),
        blackouts=(RAMADAN,),
        rooms=(
            Room("R1", "Small room", 12, equipment=("projector",)),
            Room("R2", "Lab", 20, equipment=("projector", "lab")),
            Room("R3", "Hall", 40, equipment=("projector", "lab")),
            Room("R4", "Annex hall", 30, venue="annex", equipment=("projector",)),
        ),
        instructors=(
            Instructor("I1", "Instructor one", ("LL-CAP", "CYB-IR"), max_weeks=10),
            Instructor("I2", "Instructor two", ("CYB-IR", "FOR-10", "BRIEF")),
            Instructor(
                "I3", "Instructor three", ("LL-CAP", "BRIEF"), available=(Period(D(2027, 4, 1), D(2027, 6, 30)),)
            ),
            Instructor("I4", "Instructor four", ("BRIEF", "LL-CAP")),
        ),
        courses=(
            Course("LL-CAP", "Leadership capstone", 5, 18, audience="officers"),
            Course("CYB-IR", "Cyber incident response", 3, 10, equipment=("lab",), audience="analysts"),
            Course("BRIEF", "Briefing", 1, 30),
            Course("FOR-10", "Forensics", 10, 8, equipment=("lab",), audience="analysts"),
        ),
        demand=(
            Demand("LL-CAP", 2, min_gap_days=14, priority=3),
            Demand("CYB-IR", 3, priority=2),
            Demand("BRIEF", 2),
            Demand("FOR-10", 1, earliest=D(2027, 4, 1)),
        ),
        precedences=(Precedence("CYB-IR", "FOR-10"),),
    )
    instance = dataclasses.replace(instance, **overrides)
    check(instance)
    return instance


WORKING_WEEKS = (
    (6, 0, 1, 2, 3),  # Sunday to Thursday
    (0, 1, 2, 3, 4),  # Monday to Friday
    (5, 6, 0, 1, 2, 3),  # Saturday to Thursday
    (0, 2, 4),  # Monday, Wednesday, Friday
)
EQUIPMENT = ("projector", "lab", "simulator")


def _random_date(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def random_instance(seed: int, courses: int = 10, runs: int = 25, instructors: int = 5, rooms: int = 3) -> Instance:
    """A valid random instance of 2027, the same for the same arguments."""
    rng = random.Random(seed)
    year_start, year_end = D(2027, 1, 1), D(2027, 12, 31)
    horizon = None
    if rng.random() < 0.3:
        horizon = Period(
            year_start + datetime.timedelta(days=rng.randint(0, 60)),
            year_end - datetime.timedelta(days=rng.randint(0, 60)),
        )
    working_week = rng.choice(WORKING_WEEKS)
    blackouts = [RAMADAN, Blackout("eid-adha", "Eid al-Adha", D(2027, 5, 16), D(2027, 5, 19), "religious")]
    if len(working_week) < 7 and rng.random() < 0.7:  # a closure on a day off only: runs spanning it are cut
        day = _random_date(rng, year_start, year_end)
        while day.weekday() in working_week:
            day += datetime.timedelta(days=1)
        blackouts.append(Blackout("day-off", "Closure on a day off", day, day))
    for n in range(rng.randint(0, 3)):
        start = _random_date(rng, year_start, year_end)
        blackouts.append(
            Blackout(f"closure-{n}", f"Closure {n}", start, start + datetime.timedelta(days=rng.randint(0, 4)))
        )

    room_list = [
        Room(
            f"R{n + 1}",
            f"Room {n + 1}",
            rng.choice((8, 12, 16, 20, 24, 30, 40)),
            venue="annex" if rng.random() < 0.2 else "centre",
            equipment=tuple(sorted(rng.sample(EQUIPMENT, rng.randint(0, 3)))),
        )
        for n in range(rooms)
    ]
    course_list = [
        Course(
            f"C{n + 1:02d}",
            f"Course {n + 1}",
            duration_days=rng.choice((1, 1, 2, 3, 3, 4, 5, 5, 5, 6, 8, 10)),
            participants=rng.randint(6, 30),
            equipment=tuple(rng.sample(EQUIPMENT, rng.choice((0, 0, 1)))),
            audience=rng.choice(("", "", "officers", "analysts")),
            start_on_week_start=rng.choice((None, None, None, None, True, False)),
            venue="annex" if rng.random() < 0.1 else None,
        )
        for n in range(courses)
    ]
    teaches: list[set[str]] = [set() for _ in range(instructors)]
    for course in course_list:
        teaches[rng.randrange(instructors)].add(course.id)
        if rng.random() < 0.5:
            teaches[rng.randrange(instructors)].add(course.id)
    instructor_list = []
    for n in range(instructors):
        available = ()
        if rng.random() < 0.3:
            windows = []
            for _ in range(rng.randint(1, 2)):
                start = _random_date(rng, year_start, D(2027, 10, 1))
                windows.append(Period(start, min(year_end, start + datetime.timedelta(days=rng.randint(20, 120)))))
            available = tuple(sorted(windows, key=lambda p: p.start))
        instructor_list.append(
            Instructor(
                f"I{n + 1}",
                f"Instructor {n + 1}",
                tuple(sorted(teaches[n])),
                available=available,
                max_weeks=rng.randint(3, 15) if rng.random() < 0.4 else None,
            )
        )
    counts = [0] * courses
    for n in range(runs):
        counts[n if n < courses else rng.randrange(courses)] += 1
    demand = []
    for course, count in zip(course_list, counts, strict=True):
        earliest = _random_date(rng, year_start, D(2027, 6, 30)) if rng.random() < 0.2 else None
        latest = _random_date(rng, D(2027, 7, 1), year_end) if rng.random() < 0.2 else None
        demand.append(
            Demand(
                course.id,
                count,
                earliest=earliest,
                latest=latest,
                min_gap_days=rng.choice((7, 14, 30)) if rng.random() < 0.3 else 0,
                priority=rng.randint(1, 3),
            )
        )
    precedences = set()
    if courses >= 2:
        for _ in range(rng.randint(1, 2)):
            a, b = sorted(rng.sample(range(courses), 2))
            precedences.add(Precedence(course_list[a].id, course_list[b].id))
    instance = Instance(
        year=2027,
        working_week=working_week,
        horizon=horizon,
        blackouts=tuple(blackouts),
        rooms=tuple(room_list),
        instructors=tuple(instructor_list),
        courses=tuple(course_list),
        demand=tuple(demand),
        precedences=tuple(sorted(precedences, key=lambda p: (p.before, p.after))),
    )
    check(instance)
    return instance
