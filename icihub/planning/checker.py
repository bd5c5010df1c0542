"""An independent check of a plan against the hard rules of its instance.

The rules are re-derived here from the instance itself, on purpose without `slots.py` or the solver's
code: a bug in the shared calendar arithmetic then shows up as a disagreement between the plan the
solver (or the greedy baseline) returns and this checker. Pure: no Django, no solver.

`check_plan` returns every broken rule as an English sentence naming the run(s), e.g.
"LL-CAP#1 and CYB-IR#0 both use room R2 on 2027-03-09."; an empty list means the plan is valid."""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from icihub.planning.instance import Course, Demand, Instance, Plan, Run

ONE_DAY = datetime.timedelta(days=1)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _label(run: Run) -> str:
    return f"{run.course}#{run.run}"


def _each_day(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def _blacked_out(instance: Instance, day: datetime.date) -> bool:
    return any(b.start <= day <= b.end for b in instance.blackouts)


def _starts_week(instance: Instance, day: datetime.date) -> bool:
    """Weeks begin on the first day of the working week."""
    return day.weekday() == instance.working_week[0]


def weeks_touched(instance: Instance, start: datetime.date, end: datetime.date) -> int:
    """How many working weeks the calendar days [start, end] touch: one, plus one per week start after
    the first day."""
    return 1 + sum(1 for day in _each_day(start + ONE_DAY, end) if _starts_week(instance, day))


def _must_start_week(course: Course) -> bool:
    if course.start_on_week_start is None:
        return course.duration_days >= 3
    return bool(course.start_on_week_start)


def calendar_problems(instance: Instance, run: Run, demand: Demand | None = None) -> list[str]:
    """The rules on a run's days alone: horizon, working week, duration, blackouts, staying in one week,
    starting the week, the demand's earliest and latest. Rooms, instructors and other runs are not looked at."""
    label = _label(run)
    courses = {c.id: c for c in instance.courses}
    course = courses.get(run.course)
    if course is None:
        return [f"{label}: course {run.course} is not in the instance."]
    if demand is None:
        demand = next((d for d in instance.demand if d.course == run.course), None)
    working_week = instance.working_week
    period = instance.period
    start, end = run.start, run.end
    if end < start:
        return [f"{label} ends on {end.isoformat()}, before it starts on {start.isoformat()}."]
    problems = []
    if start not in period or end not in period:
        problems.append(
            f"{label} ({start.isoformat()} to {end.isoformat()}) is not inside the planning horizon "
            f"{period.start.isoformat()} to {period.end.isoformat()}."
        )
    if start.weekday() not in working_week:
        problems.append(f"{label} starts on {DAY_NAMES[start.weekday()]} {start.isoformat()}, not a working day.")
    if end.weekday() not in working_week:
        problems.append(f"{label} ends on {DAY_NAMES[end.weekday()]} {end.isoformat()}, not a working day.")
    covered = sum(1 for day in _each_day(start, end) if day.weekday() in working_week)
    if covered != course.duration_days:
        problems.append(
            f"{label} covers {covered} working day(s) from {start.isoformat()} to {end.isoformat()}, "
            f"but {course.id} lasts {course.duration_days}."
        )
    for blackout in instance.blackouts:
        if blackout.start <= end and start <= blackout.end:
            first = max(start, blackout.start)
            problems.append(
                f"{label} runs on {first.isoformat()}, during blackout {blackout.name} "
                f"({blackout.start.isoformat()} to {blackout.end.isoformat()})."
            )
    if course.duration_days <= len(working_week):
        crossing = next((day for day in _each_day(start + ONE_DAY, end) if _starts_week(instance, day)), None)
        if crossing is not None:
            problems.append(
                f"{label} ({start.isoformat()} to {end.isoformat()}) crosses into the week starting "
                f"{crossing.isoformat()}; a run of {course.duration_days} day(s) must stay inside one week."
            )
    if _must_start_week(course):
        day = start
        while not _starts_week(instance, day):
            day -= ONE_DAY
            if day.weekday() in working_week and day in period and not _blacked_out(instance, day):
                problems.append(
                    f"{label} starts on {start.isoformat()}, not on the first working day of its week "
                    f"({day.isoformat()} is an earlier working day)."
                )
                break
    if demand is not None and demand.earliest and start < demand.earliest:
        problems.append(
            f"{label} starts on {start.isoformat()}, before the earliest start {demand.earliest.isoformat()}."
        )
    if demand is not None and demand.latest and end > demand.latest:
        problems.append(f"{label} ends on {end.isoformat()}, after the latest end {demand.latest.isoformat()}.")
    return problems


def check_plan(instance: Instance, plan: Plan) -> list[str]:
    """Every hard rule the plan breaks, as sentences naming the runs; empty when the plan is valid."""
    courses = {c.id: c for c in instance.courses}
    rooms = {r.id: r for r in instance.rooms}
    instructors = {i.id: i for i in instance.instructors}
    demands = {d.course: d for d in instance.demand}
    problems: list[str] = []

    # --- each run on its own ---------------------------------------------------------------------
    by_key: dict[tuple[str, int], Run] = {}
    checked: list[Run] = []  # runs with a known course and a sane span: used for the rules between runs
    for run in plan.runs:
        label = _label(run)
        key = (run.course, run.run)
        if key in by_key:
            problems.append(f"{label} appears more than once in the plan.")
            continue
        by_key[key] = run
        course = courses.get(run.course)
        if course is None:
            problems.append(f"{label}: course {run.course} is not in the instance.")
            continue
        demand = demands.get(run.course)
        if demand is None:
            problems.append(f"{label}: course {run.course} is not in the demand.")
        elif not 0 <= run.run < demand.runs:
            problems.append(
                f"{label}: {run.course} has {demand.runs} run(s) demanded, numbered 0 to {demand.runs - 1}."
            )
        problems += calendar_problems(instance, run, demand)
        if run.end >= run.start:
            checked.append(run)

        room = rooms.get(run.room)
        if room is None:
            problems.append(f"{label}: room {run.room} is not in the instance.")
        else:
            if room.capacity < course.participants:
                problems.append(
                    f"{label}: room {room.id} seats {room.capacity}, {course.id} needs {course.participants}."
                )
            missing = [item for item in course.equipment if item not in room.equipment]
            if missing:
                problems.append(f"{label}: room {room.id} lacks {', '.join(missing)}.")
            if course.venue and room.venue != course.venue:
                problems.append(f"{label}: room {room.id} is at {room.venue}, {course.id} is taught at {course.venue}.")

        instructor = instructors.get(run.instructor)
        if instructor is None:
            problems.append(f"{label}: instructor {run.instructor} is not in the instance.")
        else:
            if run.course not in instructor.courses:
                problems.append(f"{label}: instructor {instructor.id} does not teach {run.course}.")
            if instructor.available and not any(
                p.start <= run.start and run.end <= p.end for p in instructor.available
            ):
                windows = ", ".join(f"{p.start.isoformat()} to {p.end.isoformat()}" for p in instructor.available)
                problems.append(
                    f"{label} ({run.start.isoformat()} to {run.end.isoformat()}): instructor {instructor.id} "
                    f"is available only {windows}."
                )

    # --- how many runs, and what is unmet --------------------------------------------------------
    placed: dict[str, int] = defaultdict(int)
    for course_id, _ in by_key:
        placed[course_id] += 1
    for demand in instance.demand:
        if placed[demand.course] > demand.runs:
            problems.append(f"{demand.course} has {placed[demand.course]} runs placed, {demand.runs} demanded.")
    expected_unmet = {d.course: d.runs - placed[d.course] for d in instance.demand}
    for course_id in [d.course for d in instance.demand] + sorted(set(plan.unmet) - set(demands)):
        expected = expected_unmet.get(course_id, 0)
        if plan.unmet.get(course_id, 0) != expected:
            problems.append(
                f"Unmet runs of {course_id}: the plan says {plan.unmet.get(course_id, 0)}, "
                f"demand minus placed runs is {expected}."
            )

    # --- instructor weeks ------------------------------------------------------------------------
    weeks: dict[str, int] = defaultdict(int)
    taught: dict[str, list[str]] = defaultdict(list)
    for run in checked:
        weeks[run.instructor] += weeks_touched(instance, run.start, run.end)
        taught[run.instructor].append(_label(run))
    for instructor_id, total in weeks.items():
        instructor = instructors.get(instructor_id)
        if instructor is not None and instructor.max_weeks is not None and total > instructor.max_weeks:
            problems.append(
                f"Instructor {instructor_id} teaches {total} weeks ({', '.join(taught[instructor_id])}), "
                f"more than their maximum of {instructor.max_weeks}."
            )

    # --- no double booking -----------------------------------------------------------------------
    ordered = sorted(checked, key=lambda r: (r.start, r.course, r.run))
    for n, a in enumerate(ordered):
        for b in ordered[n + 1 :]:
            if b.start > a.end:
                break  # sorted by start: no later run overlaps a either
            day = b.start.isoformat()
            if a.room == b.room:
                problems.append(f"{_label(a)} and {_label(b)} both use room {a.room} on {day}.")
            if a.instructor == b.instructor:
                problems.append(f"{_label(a)} and {_label(b)} both need instructor {a.instructor} on {day}.")
            audience = courses[a.course].audience
            if audience and audience == courses[b.course].audience:
                problems.append(f"{_label(a)} and {_label(b)} both run on {day} for the same audience {audience!r}.")

    # --- runs of one course: in order, with the gap ----------------------------------------------
    runs_of: dict[str, list[Run]] = defaultdict(list)
    for run in checked:
        runs_of[run.course].append(run)
    for course_id, runs in runs_of.items():
        runs.sort(key=lambda r: r.run)
        gap = demands[course_id].min_gap_days if course_id in demands else 0
        for a, b in zip(runs, runs[1:], strict=False):
            if b.start <= a.end:
                problems.append(
                    f"{_label(b)} starts on {b.start.isoformat()}, before {_label(a)} ends on {a.end.isoformat()}."
                )
            elif (b.start - a.end).days - 1 < gap:
                problems.append(
                    f"Only {(b.start - a.end).days - 1} day(s) between {_label(a)} and {_label(b)}; "
                    f"{course_id} needs at least {gap}."
                )

    # --- precedences -----------------------------------------------------------------------------
    for precedence in instance.precedences:
        later = sorted((r for r in checked if r.course == precedence.after), key=lambda r: (r.start, r.run))
        if not later:
            continue
        first = by_key.get((precedence.before, 0))
        if first is None:
            problems.append(
                f"{_label(later[0])} is placed but {precedence.before}#0, which must come before it, is not."
            )
        elif later[0].start <= first.end:
            problems.append(
                f"{_label(later[0])} starts on {later[0].start.isoformat()}, before {precedence.before}#0 "
                f"(which must come first) ends on {first.end.isoformat()}."
            )

    # --- locks -----------------------------------------------------------------------------------
    for lock in instance.locks:
        label = f"{lock.course}#{lock.run}"
        run = by_key.get((lock.course, lock.run))
        if run is None:
            problems.append(f"Locked run {label} is not in the plan.")
            continue
        broken = [
            f"{what} {got} instead of {wanted}"
            for what, got, wanted in (
                ("start", run.start.isoformat(), lock.start.isoformat()),
                ("room", run.room, lock.room),
                ("instructor", run.instructor, lock.instructor),
            )
            if got != wanted
        ]
        if broken:
            problems.append(f"{label} breaks its lock: {', '.join(broken)}.")
    return problems


def locked_runs(instance: Instance) -> list[Run]:
    """The instance's locks as runs: each ends on the day its course's working days are covered."""
    courses = {c.id: c for c in instance.courses}
    runs = []
    for lock in instance.locks:
        course = courses[lock.course]
        end, covered = lock.start, 0
        while True:
            covered += end.weekday() in instance.working_week
            if covered >= course.duration_days:
                break
            end += ONE_DAY
        runs.append(Run(lock.course, lock.run, lock.start, end, lock.room, lock.instructor))
    return runs


def lock_problems(instance: Instance) -> list[str]:
    """Every hard rule the locks break among themselves or against the calendar, blackouts, rooms and
    instructors' availability and weeks, checked by the rules above on a plan of the locked runs alone.
    What the locks leave to the solver (the other runs, what comes first) is not a problem here."""
    runs = locked_runs(instance)
    unmet = {d.course: d.runs - sum(1 for r in runs if r.course == d.course) for d in instance.demand}
    left_to_solver = ("Unmet runs of ", "Locked run ")
    return [
        problem
        for problem in check_plan(instance, Plan(runs=runs, unmet=unmet))
        if not problem.startswith(left_to_solver) and "which must come before it, is not." not in problem
    ]
