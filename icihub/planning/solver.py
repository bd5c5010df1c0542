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
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from icihub.planning.greedy import greedy, unmet_objective
from icihub.planning.instance import Instance, Plan, Run
from icihub.planning.slots import Calendar, Slot

# Phase-2 weights: a run outside its preferred months costs most, then each month an instructor has
# to travel in, then the busiest month's runs, then the busiest room's days.
WEIGHT_MONTH = 20
WEIGHT_TRIP = 10
WEIGHT_SPREAD = 3
WEIGHT_ROOM = 1

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

    def __init__(self, instance: Instance, calendar: Calendar):
        self.instance = instance
        self.calendar = calendar
        self.origin = instance.period.start
        self.model = cp_model.CpModel()
        self.runs: list[_RunVars] = []
        self.by_course: dict[str, list[_RunVars]] = defaultdict(list)
        self.courses = {c.id: c for c in instance.courses}
        self.demand = {d.course: d for d in instance.demand}

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
            teachable = {i.id: self.available_slots(i, slots) for i in qualified}
            usable_starts = sorted({s.start for i in qualified for s in teachable[i.id]})
            slots = [s for s in slots if s.start in set(usable_starts)]
            for k in range(demand.runs):
                self.runs.append(self._run(course, demand, k, slots, rooms, qualified, teachable, locks))
        self._ordering()
        self._no_overlaps()
        self._loads()

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

    def _ordering(self) -> None:
        m = self.model
        for course_id, runs in self.by_course.items():
            gap = self.demand[course_id].min_gap_days
            for previous, current in zip(runs, runs[1:], strict=False):
                m.AddImplication(current.present, previous.present)
                m.Add(current.start >= previous.end + 1 + gap).OnlyEnforceIf(current.present)
        for precedence in self.instance.precedences:
            first, then = self.by_course.get(precedence.before), self.by_course.get(precedence.after)
            if not then:
                continue
            if not first:
                for run in then:
                    m.Add(run.present == 0)
                continue
            m.AddImplication(then[0].present, first[0].present)
            m.Add(then[0].start >= first[0].end + 1).OnlyEnforceIf(then[0].present)

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
            if terms:
                m.Add(sum(terms) <= instructor.max_weeks)

    # --- objectives ---------------------------------------------------------------------------

    def unmet(self):
        return sum(self.demand[run.course].priority * (1 - run.present) for run in self.runs)

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
        runs = []
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


def _parameters(
    solver: cp_model.CpSolver, *, time_limit: float, seed: int, workers: int, deterministic: bool = True
) -> None:
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    # Reproducible: the limit is the solver's own work measure, and parallel workers interleave. The
    # same limit in wall seconds caps it too: on a slow or busy machine the solver's work measure runs
    # behind the clock, and a time limit must hold. The plan is then the best found by that time, and
    # may differ from one run to the next; `Plan.phases` says which limit ended each phase.
    solver.parameters.max_deterministic_time = time_limit
    # Interleaving makes parallel workers reproducible but slower; `deterministic=False` lets them race
    # (a stronger search on large calendars, whose result may vary from run to run).
    solver.parameters.interleave_search = deterministic and workers > 1
    solver.parameters.max_time_in_seconds = time_limit


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
    workers: int = 2,
    progress: Progress | None = None,
    explain: bool = True,
    deterministic: bool = True,
) -> Plan:
    """Plan the year. `time_limit` is split between the phases (two thirds for the first). Returns
    the plan, each phase's objective, proven bound and status, and (when demand is left unmet and
    `explain`) why, in words."""
    calendar = Calendar(instance)
    builder = _Builder(instance, calendar)
    builder.build()
    model = builder.model

    def log(line: str) -> None:
        if progress and line.strip():
            progress({"phase": current["phase"], "event": "log", "line": line})

    current = {"phase": "greedy"}
    baseline = greedy(instance)
    baseline_unmet = unmet_objective(instance, baseline)
    if progress:
        progress({"phase": "greedy", "event": "solution", "objective": baseline_unmet, "bound": 0, "seconds": 0})

    # Phase 1: least priority-weighted unmet demand, starting from the greedy plan.
    unmet = builder.unmet()
    model.Minimize(unmet)
    hint = _complete_hint(model, builder.decision_values(baseline), seed)
    if hint is not None:
        _hint(model, hint)
    solver = cp_model.CpSolver()
    _parameters(solver, time_limit=time_limit * 2 / 3, seed=seed, workers=workers, deterministic=deterministic)
    solver.parameters.log_search_progress = progress is not None
    solver.log_callback = log
    current["phase"] = "unmet demand"
    began = time.perf_counter()
    status = solver.Solve(model, _Reporter("unmet demand", progress))
    phases = [
        {
            "name": "unmet demand",
            "status": STATUS[status],
            "objective": solver.ObjectiveValue() if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None,
            "bound": solver.BestObjectiveBound(),
            "seconds": round(time.perf_counter() - began, 2),
            "deterministic_time": round(solver.deterministic_time, 2),
        }
    ]
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        plan = Plan(runs=[], unmet={d.course: d.runs for d in instance.demand}, status=STATUS[status], phases=phases)
        if explain:
            from icihub.planning.explain import explain_infeasible

            plan.explanation = explain_infeasible(instance)
        return plan
    best_unmet = round(solver.ObjectiveValue())
    phase_one = Plan(runs=builder.read_plan(solver))

    # Phase 2: the calendar's quality, holding the unmet demand found.
    model.Add(unmet <= best_unmet)
    model.Minimize(builder.quality())
    hint = _complete_hint(model, builder.decision_values(phase_one), seed)
    if hint is not None:
        _hint(model, hint)
    second = cp_model.CpSolver()
    _parameters(second, time_limit=time_limit / 3, seed=seed, workers=workers, deterministic=deterministic)
    second.parameters.log_search_progress = progress is not None
    second.log_callback = log
    current["phase"] = "quality"
    began = time.perf_counter()
    status_two = second.Solve(model, _Reporter("quality", progress))
    phases.append(
        {
            "name": "quality",
            "status": STATUS[status_two],
            "objective": second.ObjectiveValue() if status_two in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None,
            "bound": second.BestObjectiveBound(),
            "seconds": round(time.perf_counter() - began, 2),
            "deterministic_time": round(second.deterministic_time, 2),
        }
    )
    final = second if status_two in (cp_model.OPTIMAL, cp_model.FEASIBLE) else solver
    runs = builder.read_plan(final)
    placed = defaultdict(int)
    for run in runs:
        placed[run.course] += 1
    proven = status == cp_model.OPTIMAL and status_two == cp_model.OPTIMAL
    plan = Plan(
        runs=sorted(runs, key=lambda r: (r.start, r.course, r.run)),
        unmet={d.course: d.runs - placed[d.course] for d in instance.demand if d.runs - placed[d.course]},
        status="OPTIMAL" if proven else "FEASIBLE",
        phases=phases,
    )
    if unmet_objective(instance, plan) > baseline_unmet:  # never worse than greedy
        baseline.phases = phases + [{"name": "greedy fallback", "objective": baseline_unmet}]
        plan = baseline
    if plan.unmet and explain:
        from icihub.planning.explain import explain_unmet

        plan.explanation = explain_unmet(instance, plan)
    return plan
