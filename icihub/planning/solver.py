"""The annual calendar solver: OR-Tools CP-SAT on plain data (instance.py in, Plan out). No Django.

Model (docs/planner-format.md has the rules in words):
- one optional run per demanded run of a course; its start takes one of the course's allowed starts
  (slots.py), which fixes its end, so no run is cut by a blackout and short runs stay in one week;
- a room and an instructor per placed run, each as an optional interval: no room, instructor or
  audience group is double-booked; rooms fit (capacity, equipment, venue); instructors are qualified,
  available for the whole run and within their most weeks per year;
- runs of a course in order with their least gap; a course that must come first runs first;
- locked runs stay as they are.

Two phases: first the least priority-weighted unmet demand; then, holding that, the calendar's
quality: runs in preferred months, an instructor's runs grouped into few months (trips), demand spread
over the months and rooms used evenly. The greedy plan is given to the solver as a complete hint, so
the result is never worse than greedy. Time limits are the solver's deterministic time, so the same
instance and seed give the same plan."""

import dataclasses
import datetime
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from icihub.planning.bounds import pooled_bound
from icihub.planning.greedy import (
    WEIGHT_MONTH,
    WEIGHT_ROOM,
    WEIGHT_SPREAD,
    WEIGHT_TRIP,
    greedy,
    quality_objective,
    unmet_objective,
)
from icihub.planning.instance import Instance, Plan, Run
from icihub.planning.slots import Calendar, Slot

Progress = Callable[[dict], None]


@dataclasses.dataclass
class _RunVars:
    course: str
    index: int
    present: cp_model.IntVar
    start: cp_model.IntVar
    end: cp_model.IntVar  # inclusive day ordinal
    interval: cp_model.IntervalVar
    rooms: dict[str, cp_model.IntVar]
    instructors: dict[str, cp_model.IntVar]
    months: dict[int, cp_model.IntVar]
    slots: list[Slot]


class _Builder:
    """Builds the CP-SAT model of an instance."""

    def __init__(self, instance: Instance, calendar: Calendar, part: "_Part | None" = None):
        self.instance = instance
        self.calendar = calendar
        self.part = part
        self.origin = instance.period.start
        self.model = cp_model.CpModel()
        self.runs: list[_RunVars] = []
        self.by_course: dict[str, list[_RunVars]] = defaultdict(list)
        self.courses = {c.id: c for c in instance.courses}
        self.demand = {d.course: d for d in instance.demand}
        # In a part: the runs left out of the model, as they stand in the current plan (None: unplaced).
        # A run that keeps its place and lies wholly outside the part's window cannot meet a free run on a
        # room, an instructor or an audience, so only its bounds on its course's order, on precedences and
        # on its instructor's weeks are kept (as constants). Parts stay small whatever the year's size.
        self.omitted: dict[tuple[str, int], Run | None] = {}
        self.sequence: dict[str, list] = defaultdict(list)  # every run of a course, built or omitted, in order

    def day(self, date) -> int:
        return (date - self.origin).days

    def date(self, ordinal: int):
        return self.origin + datetime.timedelta(days=ordinal)

    def fitting_rooms(self, course) -> list:
        return [
            room
            for room in self.instance.rooms
            if room.capacity >= course.participants
            and set(course.equipment) <= set(room.equipment)
            and (course.venue is None or course.venue == room.venue)
        ]

    def available_slots(self, instructor, slots: list[Slot]) -> list[Slot]:
        if not instructor.available:
            return slots
        return [s for s in slots if any(p.start <= s.start and s.end <= p.end for p in instructor.available)]

    def build(self) -> None:
        locks = {(lock.course, lock.run): lock for lock in self.instance.locks}
        for demand in self.instance.demand:
            course = self.courses[demand.course]
            slots = self.calendar.slots(course, demand)
            rooms = self.fitting_rooms(course)
            qualified = [i for i in self.instance.instructors if course.id in i.courses]
            for k in range(demand.runs):
                if self._left_out(course.id, k):
                    self.sequence[course.id].append(("omitted", self.omitted[(course.id, k)]))
                    continue
                options = self._options(course, k, slots, rooms, qualified)
                run = self._run(course, demand, k, *options, locks)
                self.runs.append(run)
                self.sequence[course.id].append(("built", run))
        self._ordering()
        self._no_overlaps()
        self._loads()

    def _left_out(self, course_id: str, k: int) -> bool:
        """A run outside a part's free runs that cannot meet them: unplaced, or placed outside the window."""
        part = self.part
        if part is None or part.window is None or (course_id, k) in part.free:
            return False
        placed = part.current.get((course_id, k))
        first, last = part.window
        if placed is not None and first <= placed.end and placed.start <= last:
            return False
        self.omitted[(course_id, k)] = placed
        return True

    def _options(self, course, k, slots, rooms, qualified) -> tuple:
        """A run's slots, rooms, instructors and the slots each instructor can teach. In a part of the
        model (`_Part`), a run outside the part keeps its place (or stays unplaced), and a run inside it
        may use only the part's window."""
        part = self.part
        if part is not None and (course.id, k) not in part.free:
            placed = part.current.get((course.id, k))
            if placed is None:
                return [], rooms, qualified, {i.id: [] for i in qualified}
            slots = [s for s in slots if s.start == placed.start]
            rooms = [r for r in rooms if r.id == placed.room]
            qualified = [i for i in qualified if i.id == placed.instructor]
        elif part is not None and part.window is not None:
            first, last = part.window
            slots = [s for s in slots if first <= s.start and s.end <= last]
        teachable = {i.id: self.available_slots(i, slots) for i in qualified}
        usable = {s.start for i in qualified for s in teachable[i.id]}
        return [s for s in slots if s.start in usable], rooms, qualified, teachable

    def _run(self, course, demand, k, slots, rooms, qualified, teachable, locks) -> _RunVars:
        m = self.model
        name = f"{course.id}#{k}"
        present = m.NewBoolVar(f"present {name}")
        if not slots or not rooms or not qualified:
            slots = []
            m.Add(present == 0)
        starts = [self.day(s.start) for s in slots] or [0]
        ends = [self.day(s.end) for s in slots] or [0]
        start = m.NewIntVarFromDomain(cp_model.Domain.FromValues(starts), f"start {name}")
        end = m.NewIntVarFromDomain(cp_model.Domain.FromValues(sorted(set(ends))), f"end {name}")
        if slots:
            m.AddAllowedAssignments([start, end], [(self.day(s.start), self.day(s.end)) for s in slots])
        else:
            m.Add(start == starts[0])
            m.Add(end == ends[0])
        sizes = sorted({s.days for s in slots}) or [1]
        size = m.NewIntVarFromDomain(cp_model.Domain.FromValues(sizes), f"size {name}")
        interval = m.NewOptionalIntervalVar(start, size, end + 1, present, f"span {name}")
        room_vars = {room.id: m.NewBoolVar(f"{name} in {room.id}") for room in rooms}
        if room_vars:
            m.Add(sum(room_vars.values()) == present)
        instructor_vars = {}
        for instructor in qualified:
            if not teachable[instructor.id]:
                continue
            use = m.NewBoolVar(f"{name} by {instructor.id}")
            instructor_vars[instructor.id] = use
            if instructor.available:
                allowed = [self.day(s.start) for s in teachable[instructor.id]]
                m.AddLinearExpressionInDomain(start, cp_model.Domain.FromValues(allowed)).OnlyEnforceIf(use)
        if instructor_vars:
            m.Add(sum(instructor_vars.values()) == present)
        else:
            m.Add(present == 0)
        month_vars: dict = {}  # made for phase 2 only (see _months), so phase 1's model stays small
        lock = locks.get((course.id, k))
        if lock is not None:
            m.Add(present == 1)
            m.Add(start == self.day(lock.start))
            # A lock on a room or instructor that cannot take the run makes the model infeasible,
            # and the explanation says so.
            for chosen, options in ((lock.room, room_vars), (lock.instructor, instructor_vars)):
                if chosen in options:
                    m.Add(options[chosen] == 1)
                else:
                    m.Add(present == 0)
        run = _RunVars(course.id, k, present, start, end, interval, room_vars, instructor_vars, month_vars, slots)
        self.by_course[course.id].append(run)
        return run

    def _before(self, earlier: tuple, later: tuple, gap: int) -> None:
        """`later` (present) needs `earlier` present and ended at least `gap` free days before it starts.
        Each is ("built", _RunVars) or ("omitted", Run or None): a left-out run stands as it is."""
        m = self.model
        (kind_a, a), (kind_b, b) = earlier, later
        if kind_a == "built" and kind_b == "built":
            m.AddImplication(b.present, a.present)
            m.Add(b.start >= a.end + 1 + gap).OnlyEnforceIf(b.present)
        elif kind_b == "built":  # the earlier run keeps its place, or stays unplaced
            if a is None:
                m.Add(b.present == 0)
            else:
                m.Add(b.start >= self.day(a.end) + 1 + gap).OnlyEnforceIf(b.present)
        elif kind_a == "built" and b is not None:  # the later run stays placed: the earlier one must be
            m.Add(a.present == 1)
            m.Add(a.end + 1 + gap <= self.day(b.start))

    def _ordering(self) -> None:
        m = self.model
        for course_id, runs in self.sequence.items():
            gap = self.demand[course_id].min_gap_days
            for previous, current in zip(runs, runs[1:], strict=False):
                self._before(previous, current, gap)
        for precedence in self.instance.precedences:
            first, then = self.sequence.get(precedence.before), self.sequence.get(precedence.after)
            if not then:
                continue
            if not first:
                for kind, run in then:
                    if kind == "built":
                        m.Add(run.present == 0)
                continue
            self._before(first[0], then[0], 0)

    def _no_overlaps(self) -> None:
        m = self.model
        by_room, by_instructor, by_audience = defaultdict(list), defaultdict(list), defaultdict(list)
        for run in self.runs:
            for room_id, use in run.rooms.items():
                by_room[room_id].append(self._optional_copy(run, use, f"room {room_id}"))
            for instructor_id, use in run.instructors.items():
                by_instructor[instructor_id].append(self._optional_copy(run, use, f"instructor {instructor_id}"))
            audience = self.courses[run.course].audience
            if audience:
                by_audience[audience].append(run.interval)
        for group in (*by_room.values(), *by_instructor.values(), *by_audience.values()):
            if len(group) > 1:
                m.AddNoOverlap(group)

    def _optional_copy(self, run: _RunVars, use, label: str):
        size = self.model.NewIntVarFromDomain(
            cp_model.Domain.FromValues(sorted({s.days for s in run.slots}) or [1]), f"size {label} {run.course}"
        )
        return self.model.NewOptionalIntervalVar(run.start, size, run.end + 1, use, f"{run.course}#{run.index} {label}")

    def _loads(self) -> None:
        """Instructors' most weeks per year."""
        m = self.model
        for instructor in self.instance.instructors:
            if instructor.max_weeks is None:
                continue
            terms = []
            for run in self.runs:
                use = run.instructors.get(instructor.id)
                if use is None or not run.slots:
                    continue
                weeks = {self.calendar.weeks_taught(s) for s in run.slots}
                if len(weeks) == 1:
                    terms.append(weeks.pop() * use)
                else:
                    taught = m.NewIntVar(0, max(weeks), f"weeks {run.course}#{run.index} {instructor.id}")
                    m.AddAllowedAssignments(
                        [run.start, taught],
                        [(self.day(s.start), self.calendar.weeks_taught(s)) for s in run.slots],
                    ).OnlyEnforceIf(use)
                    m.Add(taught == 0).OnlyEnforceIf(use.Not())
                    terms.append(taught)
            # The weeks of runs left out of a part, which keep their place.
            fixed = sum(
                self.calendar.weeks_taught(Slot(run.start, run.end))
                for run in self.omitted.values()
                if run is not None and run.instructor == instructor.id
            )
            if terms:
                m.Add(sum(terms) + fixed <= instructor.max_weeks)

    # --- objectives ---------------------------------------------------------------------------

    def unmet(self):
        """Σ priority × unplaced runs (in a part, the runs left out unplaced count as a constant)."""
        left_unplaced = sum(self.demand[course].priority for (course, _), run in self.omitted.items() if run is None)
        return sum(self.demand[run.course].priority * (1 - run.present) for run in self.runs) + left_unplaced

    def _months(self, run: _RunVars) -> None:
        """Which month a run starts in, as one flag per possible month."""
        m = self.model
        months = defaultdict(list)
        for slot in run.slots:
            months[slot.start.month].append(self.day(slot.start))
        for month, month_starts in sorted(months.items()):
            flag = m.NewBoolVar(f"{run.course}#{run.index} in month {month}")
            m.AddLinearExpressionInDomain(run.start, cp_model.Domain.FromValues(month_starts)).OnlyEnforceIf(flag)
            run.months[month] = flag
        if run.months:
            m.Add(sum(run.months.values()) == run.present)

    def quality(self):
        m = self.model
        terms = []
        for run in self.runs:
            self._months(run)
        for run in self.runs:
            preferred = set(self.demand[run.course].preferred_months)
            if preferred:
                outside = [flag for month, flag in run.months.items() if month not in preferred]
                terms.extend(WEIGHT_MONTH * flag for flag in outside)
        for instructor in self.instance.instructors:
            for month in range(1, 13):
                pairs = [
                    (run.instructors[instructor.id], run.months[month])
                    for run in self.runs
                    if instructor.id in run.instructors and month in run.months
                ]
                if not pairs:
                    continue
                travels = m.NewBoolVar(f"{instructor.id} travels in {month}")
                for teaches, in_month in pairs:
                    m.AddBoolOr([teaches.Not(), in_month.Not(), travels])
                terms.append(WEIGHT_TRIP * travels)
        busiest_month = m.NewIntVar(0, len(self.runs), "busiest month")
        for month in range(1, 13):
            flags = [run.months[month] for run in self.runs if month in run.months]
            if flags:
                m.Add(busiest_month >= sum(flags))
        terms.append(WEIGHT_SPREAD * busiest_month)
        busiest_room = m.NewIntVar(0, 366 * max(1, len(self.runs)), "busiest room")
        for room in self.instance.rooms:
            days = [
                self.courses[run.course].duration_days * run.rooms[room.id] for run in self.runs if room.id in run.rooms
            ]
            if days:
                m.Add(busiest_room >= sum(days))
        terms.append(WEIGHT_ROOM * busiest_room)
        return sum(terms)

    def decision_values(self, plan: Plan) -> dict:
        """The decision variables' values for a plan (presence, start, room, instructor)."""
        placed = {(r.course, r.run): r for r in plan.runs}
        values = {}
        for run in self.runs:
            done = placed.get((run.course, run.index))
            values[run.present] = 1 if done else 0
            if done:
                values[run.start] = self.day(done.start)
            for room_id, use in run.rooms.items():
                values[use] = 1 if done and done.room == room_id else 0
            for instructor_id, use in run.instructors.items():
                values[use] = 1 if done and done.instructor == instructor_id else 0
        return values

    def read_plan(self, solver: cp_model.CpSolver) -> list[Run]:
        runs = [run for run in self.omitted.values() if run is not None]  # a part's runs left as they were
        for run in self.runs:
            if not solver.BooleanValue(run.present):
                continue
            room = next(room_id for room_id, use in run.rooms.items() if solver.BooleanValue(use))
            instructor = next(i for i, use in run.instructors.items() if solver.BooleanValue(use))
            runs.append(
                Run(
                    course=run.course,
                    run=run.index,
                    start=self.date(solver.Value(run.start)),
                    end=self.date(solver.Value(run.end)),
                    room=room,
                    instructor=instructor,
                )
            )
        return runs


def _complete_hint(model: cp_model.CpModel, decisions: dict, seed: int) -> list[int] | None:
    """Every variable's value for a plan given by its decisions: fix the decisions in a copy of the
    model and let the solver fill in the rest (and the objective's helper variables at their best)."""
    copy = model.Clone()
    for var, value in decisions.items():
        copy.Add(copy.GetIntVarFromProtoIndex(var.Index()) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = 10.0
    solver.parameters.max_time_in_seconds = 10.0
    status = solver.Solve(copy)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [solver.Value(copy.GetIntVarFromProtoIndex(i)) for i in range(len(copy.Proto().variables))]


def _hint(model: cp_model.CpModel, values: list[int]) -> None:
    model.ClearHints()
    for index, value in enumerate(values):
        model.AddHint(model.GetIntVarFromProtoIndex(index), value)


def _unmet(instance: Instance, runs) -> dict[str, int]:
    """Course id -> runs of its demand not among `runs`."""
    placed = defaultdict(int)
    for run in runs:
        placed[run.course] += 1
    return {d.course: d.runs - placed[d.course] for d in instance.demand if d.runs > placed[d.course]}


class _Clock:
    """The optional wall cap of a solve, in seconds: a hard limit for callers who must hold one (a run
    ended by it depends on the machine's speed and load). Stages get shares of it; the deterministic
    work limits are set per stage from `time_limit`."""

    # Of a wall cap, the solving stages share the first 90 %; the explanations of unmet demand get what
    # is left of the next 7 %, and checking and writing the plan the rest.
    SOLVING, EXPLAINING = 0.90, 0.97

    def __init__(self, wall: float | None, began: float | None = None):
        self.wall = wall
        self.began = time.perf_counter() if began is None else began

    def wall_until(self, share: float) -> float | None:
        """Wall seconds left until `share` of the solving stages' part of the cap has passed since the
        clock began (the command's start, so reading the file and building the model count too)."""
        if self.wall is None:
            return None
        return max(0.01, self.began + share * self.SOLVING * self.wall - time.perf_counter())

    def explaining(self, most: float) -> float:
        """Seconds the explanations may take: `most`, within the cap's share for them."""
        if self.wall is None:
            return most
        return max(0.0, min(most, self.began + self.EXPLAINING * self.wall - time.perf_counter()))


def _solve_phase(model: cp_model.CpModel, name: str, *, work: float, wall: float | None, settings: dict):
    """Solve the whole model for one phase: its limits, its log to `progress` only (--quiet is quiet),
    and the phase's figures as the plan reports them. Returns (solver, status, figures)."""
    solver = cp_model.CpSolver()
    _parameters(
        solver,
        work=work,
        wall=wall,
        seed=settings["seed"],
        workers=settings["workers"],
        deterministic=settings["deterministic"],
    )
    progress = settings["progress"]
    solver.parameters.log_search_progress = progress is not None
    solver.parameters.log_to_stdout = False
    solver.log_callback = settings["log"]
    settings["current"]["phase"] = name
    began = time.perf_counter()
    status = solver.Solve(model, _Reporter(name, progress))
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return (
        solver,
        status,
        {
            "name": name,
            "status": STATUS[status],
            "objective": solver.ObjectiveValue() if found else None,
            "bound": solver.BestObjectiveBound(),
            "seconds": round(time.perf_counter() - began, 2),
            "deterministic_time": round(solver.deterministic_time, 2),
            "ended_by": _ended_by(solver, status, wall),
        },
    )


def _large_shares() -> tuple[float, float]:
    return LARGE_SEARCH_SHARE, LARGE_PHASE_ONE_SHARE


def _parameters(
    solver: cp_model.CpSolver, *, work: float, wall: float | None, seed: int, workers: int, deterministic: bool
) -> None:
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    if math.isfinite(work):
        solver.parameters.max_deterministic_time = work
    if wall is not None:
        solver.parameters.max_time_in_seconds = wall
    # Several workers are reproducible only when they interleave, which on 2 cores was slower than one
    # worker (medium benchmark, 40 s: interleaved 2 workers 6, one worker 1 = optimal), so one worker is
    # the default. `deterministic=False` lets several workers race (not reproducible).
    solver.parameters.interleave_search = deterministic and workers > 1
    # Light presolve (no probing, one round) reached the optimum sooner on every benchmark size (centre
    # 8 s against 13 s, medium 27 s against 37 s, one worker); on the large one full presolve alone
    # took most of a minute.
    _light_presolve(solver)


# A calendar of this many runs or more is large: phase 1 begins with the neighbourhood search. On the
# large benchmark (500 runs) CP-SAT's own search on the whole model does not improve on greedy within a
# minute on 2 cores. Since the search's parts leave out the runs outside their window (issue 18), it
# also beats the whole model from greedy on 250-run years in 10 s (medium seeds 1-3: 16, 53, 31 weighted
# unmet runs before, 7, 33, 19 after; competing years 110-163 from greedy to 67-107), and the whole model
# still follows it for the proof (measured: bench/planner, docs/planner-format.md).
LARGE_RUNS = 100
POOLED_SECONDS = 2.0  # the most the pooled bound (bounds.py) may take; 0.5 s on 500 runs
# Shares of the solver's work (`time_limit`) and of the solving wall: on a large calendar the neighbourhood
# search has the first SEARCH_SHARE (it is what moves the plan there; the whole model mostly proves), phase 1
# ends by PHASE_ONE_SHARE, phase 2 has the rest.
SEARCH_SHARE = 0.5
PHASE_ONE_SHARE = 2 / 3
LARGE_SEARCH_SHARE = 0.8
LARGE_PHASE_ONE_SHARE = 0.9


def _light_presolve(solver: cp_model.CpSolver) -> None:
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.max_presolve_iterations = 1


def _ended_by(solver: cp_model.CpSolver, status, wall: float | None) -> str:
    """What ended a phase: the proof, the wall cap or the work limit."""
    if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        return "proof"
    if wall is not None and solver.wall_time >= 0.95 * wall:
        return "wall limit"
    return "work limit"


@dataclasses.dataclass(frozen=True)
class _Part:
    """A part of the model to solve again: the runs in `free` may move (inside `window`, when given);
    every other run keeps its place in `current` or stays unplaced."""

    current: dict  # (course, run index) -> Run
    free: frozenset
    window: tuple[datetime.date, datetime.date] | None = None


# Large-neighbourhood search (`_Search`): the most runs a part frees, the solver's work allowed per part,
# the work a part is charged per run of the instance on top of the solver's own (building the model and
# presolve, which the solver's measure undercounts: about a wall second for 500 runs on 2 cores), and
# how many parts in a row may fail to improve the plan before the search stops.
PART_RUNS = 60
PART_WORK = 0.1
PART_CHARGE_PER_RUN = 0.002
PART_STALL = 20


class _Search:
    """Large-neighbourhood search on the first phase's objective (least priority-weighted unmet demand),
    from the greedy plan: free every run inside a window of four to eight weeks and let the first unplaced
    run of every course with unmet demand try that window; solve that small model with CP-SAT; keep its
    plan when it leaves no more unmet than before. The small models presolve and search in a fraction of
    the time of the whole one, which is what large calendars need; the whole model then proves the bound.
    Deterministic: the windows come from a seeded generator and each solve is limited in work."""

    def __init__(self, instance: Instance, calendar: Calendar, plan: Plan, seed: int):
        self.instance = instance
        self.calendar = calendar
        self.rng = random.Random(seed)  # noqa: S311  # a seeded search, not a secret  # nosec B311
        self.seed = seed
        self.current = {(r.course, r.run): r for r in plan.runs}
        self.locked = {(lock.course, lock.run) for lock in instance.locks}
        self.objective = self._objective(self.current)
        self.parts = 0
        self.stalled = 0

    def _objective(self, current: dict) -> int:
        return unmet_objective(self.instance, Plan(unmet=_unmet(self.instance, current.values())))

    def _waiting(self) -> set:
        """The first unplaced run of every course with unmet demand (a course's runs are placed in order)."""
        found = set()
        for demand in self.instance.demand:
            missing = next((k for k in range(demand.runs) if (demand.course, k) not in self.current), None)
            if missing is not None and (demand.course, missing) not in self.locked:
                found.add((demand.course, missing))
        return found

    def _sample(self, keys: set) -> set:
        keys = sorted(keys - self.locked)
        if len(keys) > PART_RUNS:
            keys = self.rng.sample(keys, PART_RUNS)
        return set(keys)

    def _part(self, waiting: set) -> _Part:
        period = self.instance.period
        weeks = self.rng.randint(4, 8)
        latest = max(0, (period.end - period.start).days - 7 * weeks)
        first = period.start + datetime.timedelta(days=self.rng.randint(0, latest))
        last = first + datetime.timedelta(days=7 * weeks)
        inside = {key for key, run in self.current.items() if first <= run.start and run.end <= last}
        return _Part(self.current, frozenset(self._sample(inside) | self._sample(waiting)), (first, last))

    @property
    def done(self) -> bool:
        return self.objective == 0 or self.stalled >= PART_STALL

    def step(self, wall: float | None) -> float:
        """Solve one part; returns the work it is charged."""
        waiting = self._waiting()
        if not waiting:
            self.stalled = PART_STALL
            return 0.0
        part = self._part(waiting)
        self.parts += 1
        builder = _Builder(self.instance, self.calendar, part)
        builder.build()
        builder.model.Minimize(builder.unmet())
        for var, value in builder.decision_values(Plan(runs=list(self.current.values()))).items():
            builder.model.AddHint(var, value)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = self.seed + self.parts
        solver.parameters.max_deterministic_time = PART_WORK
        _light_presolve(solver)  # a part is small and mostly fixed: probing it costs more than it finds
        if wall is not None:
            solver.parameters.max_time_in_seconds = max(0.01, wall)
        status = solver.Solve(builder.model)
        self.stalled += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = {(r.course, r.run): r for r in builder.read_plan(solver)}
            objective = self._objective(found)
            if objective < self.objective:
                self.stalled = 0
            if objective <= self.objective:  # equal plans are kept too: the search moves on from them
                self.current, self.objective = found, objective
        return solver.deterministic_time + PART_CHARGE_PER_RUN * len(builder.runs)

    def plan(self) -> Plan:
        return Plan(runs=sorted(self.current.values(), key=lambda r: (r.start, r.course, r.run)))


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, phase: str, progress: Progress | None):
        super().__init__()
        self.phase = phase
        self.progress = progress

    def on_solution_callback(self) -> None:
        if self.progress:
            self.progress(
                {
                    "phase": self.phase,
                    "event": "solution",
                    "objective": self.ObjectiveValue(),
                    "bound": self.BestObjectiveBound(),
                    "seconds": round(self.WallTime(), 2),
                }
            )


STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}


def solve(
    instance: Instance,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 1,
    progress: Progress | None = None,
    explain: bool = True,
    deterministic: bool = True,
    wall_limit: float | None = None,
    began: float | None = None,
) -> Plan:
    """Plan the year. Returns the plan, each phase's objective, proven bound and status, and (when
    demand is left unmet and `explain`) why, in words.

    `time_limit` is the solver's deterministic work, so the same instance, limit and seed give the same
    plan: half of it at most for the neighbourhood search from the greedy plan, the rest of the first
    two thirds for the whole first-phase model, a third for the second phase. `wall_limit`, when given,
    also caps each stage at the same share of wall seconds, counted from `began` (a `time.perf_counter()`
    reading: `icihub plan` passes its own start, so the cap bounds the whole command) and leaving a
    tenth for the explanations and the plan's check. With `deterministic=False` the workers race and
    `time_limit` is in wall seconds.

    Each phase's reported `objective` is recomputed from the plan it ended with (`unmet_objective`,
    `quality_objective`), not the model's value, whose busiest-month and busiest-room terms are only
    bounded from below; `model_objective` keeps the solver's own figure."""
    budget = time_limit
    clock = _Clock(wall_limit if deterministic or wall_limit is not None else time_limit, began)
    calendar = Calendar(instance)
    builder = _Builder(instance, calendar)
    builder.build()
    model = builder.model

    def log(line: str) -> None:
        if progress and line.strip():
            progress({"phase": current["phase"], "event": "log", "line": line})

    current = {"phase": "greedy"}
    settings = {"seed": seed, "workers": workers, "deterministic": deterministic, "progress": progress,
                "log": log, "current": current}  # fmt: skip
    baseline = greedy(instance)
    baseline_unmet = unmet_objective(instance, baseline)
    if progress:
        progress({"phase": "greedy", "event": "solution", "objective": baseline_unmet, "bound": 0, "seconds": 0})

    # Phase 1 on a large calendar begins with a neighbourhood search from the greedy plan ...
    large = len(builder.runs) >= LARGE_RUNS
    phases = []
    # A lower bound that sees the courses compete for instructors, rooms and audience groups (bounds.py):
    # a fraction of a second on a year of 500 runs; a plan that reaches it is proven.
    wall = clock.wall_until(1 / 20)
    pooled = pooled_bound(instance, seconds=min(POOLED_SECONDS, wall or POOLED_SECONDS), seed=seed, calendar=calendar)
    lower = pooled["bound"]
    phases.append(pooled)
    if progress:
        progress({"phase": "pooled bound", "event": "bound", "bound": lower, "seconds": pooled["seconds"]})
    began = time.perf_counter()
    search = _Search(instance, calendar, baseline, seed)
    spent = 0.0
    search_share, phase_one_share = (SEARCH_SHARE, PHASE_ONE_SHARE) if not large else _large_shares()
    while large and not search.done and spent < budget * search_share and search.objective > lower:
        wall = clock.wall_until(search_share)
        if wall is not None and wall <= 0.01:
            break
        before = search.objective
        spent += search.step(wall)
        if progress and search.objective < before:
            progress(
                {
                    "phase": "search",
                    "event": "solution",
                    "objective": search.objective,
                    "bound": 0,
                    "seconds": round(time.perf_counter() - began, 2),
                }
            )
    if large:
        phases.append(
            {
                "name": "search",
                "status": "FEASIBLE",
                "objective": search.objective,
                "bound": 0,
                "seconds": round(time.perf_counter() - began, 2),
                "deterministic_time": round(spent, 2),
                "parts": search.parts,
                "ended_by": "proof"
                if search.objective <= lower
                else "stall"
                if search.done
                else ("work limit" if spent >= budget * search_share else "wall limit"),
            }
        )
    start_from = search.plan() if search.objective < baseline_unmet else baseline
    unmet = builder.unmet()
    if min(search.objective, baseline_unmet) <= lower:
        # The greedy or searched plan reaches the pooled bound: phase 1 is proven without the whole model.
        phases.append(
            {"name": "unmet demand", "status": "OPTIMAL", "objective": min(search.objective, baseline_unmet),
             "bound": lower, "seconds": 0.0, "deterministic_time": 0.0, "ended_by": "bound reached"}
        )  # fmt: skip
        phase_one, first_proven = start_from, True
    else:
        # ... and goes on with the whole model (on any calendar): least priority-weighted unmet demand,
        # which proves the bound, told the pooled one (a valid cut: every plan leaves at least that unmet).
        if lower:
            model.Add(unmet >= lower)
        model.Minimize(unmet)
        hint = _complete_hint(model, builder.decision_values(start_from), seed)
        if hint is not None:
            _hint(model, hint)
        solver, status, phase = _solve_phase(
            model,
            "unmet demand",
            work=max(budget / 6, budget * phase_one_share - spent) if deterministic else math.inf,
            wall=clock.wall_until(phase_one_share),
            settings=settings,
        )
        phases.append({**phase, "bound": max(phase["bound"], lower), "solver_bound": phase["bound"]})
        if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            plan = Plan(
                runs=[], unmet={d.course: d.runs for d in instance.demand}, status=STATUS[status], phases=phases
            )
            if explain:
                from icihub.planning.explain import explain_infeasible

                plan.explain(explain_infeasible(instance))
            return plan
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            phase_one = Plan(runs=builder.read_plan(solver))
        else:  # stopped before its first solution (a wall cap in presolve): the search's plan stands
            phase_one = Plan(runs=list(start_from.runs))
        phases[-1]["model_objective"] = phases[-1]["objective"]
        first_proven = status == cp_model.OPTIMAL
    best_unmet = unmet_objective(instance, Plan(unmet=_unmet(instance, phase_one.runs)))
    phases[-1]["objective"] = best_unmet  # of the plan phase 1 ends with
    if best_unmet <= lower and not first_proven:
        phases[-1].update(status="OPTIMAL", ended_by="bound reached")
        first_proven = True

    # Phase 2: the calendar's quality, holding the unmet demand found.
    model.Add(unmet <= best_unmet)
    model.Minimize(builder.quality())
    hint = _complete_hint(model, builder.decision_values(phase_one), seed)
    if hint is not None:
        _hint(model, hint)
    second, status_two, phase = _solve_phase(
        model,
        "quality",
        work=max(budget / 6, budget * (1 - phase_one_share)) if deterministic else math.inf,
        wall=clock.wall_until(1),
        settings=settings,
    )
    phases.append(phase)
    runs = builder.read_plan(second) if status_two in (cp_model.OPTIMAL, cp_model.FEASIBLE) else phase_one.runs
    proven = first_proven and status_two == cp_model.OPTIMAL
    plan = Plan(
        runs=sorted(runs, key=lambda r: (r.start, r.course, r.run)),
        unmet=_unmet(instance, runs),
        status="OPTIMAL" if proven else "FEASIBLE",
        phases=phases,
    )
    phases[-1]["model_objective"] = phases[-1]["objective"]
    phases[-1]["objective"] = quality_objective(instance, plan)  # exactly, from the plan's runs
    if unmet_objective(instance, plan) > baseline_unmet:  # never worse than greedy
        baseline.phases = phases + [{"name": "greedy fallback", "objective": baseline_unmet}]
        plan = baseline
    if plan.unmet and explain:
        from icihub.planning.explain import explain_unmet

        plan.explain(explain_unmet(instance, plan, seconds=clock.explaining(10.0)))
    return plan
