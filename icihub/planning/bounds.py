"""A lower bound on unmet demand that sees courses compete for the same instructors, rooms and audience
groups: the pooled capacity bound.

Every run of a course uses some working days of one of its slots (`slots.py`), all of them in one
room and with one instructor, and no two runs of the same room, instructor or audience group share a
day. So, for any plan:

- each instructor's runs use at most the working days that some slot of a course they teach covers
  inside their availability (their *usable days*), and at most their most weeks, each run counting at
  least the fewest weeks a slot of its course touches;
- each room's runs use at most the days some slot of a course it fits covers; each audience group's
  runs at most the days some slot of one of its courses covers;
- a course has at most as many runs as fit one after another, with its gap, in its slots (and in the
  slots inside one instructor's availability, per instructor).

Integer runs placed per course, per course and instructor and per course and room, under those
capacities, with the priorities as weights, give a small integer programme whose best value is at
least that of any plan; CP-SAT's proven upper bound of it, within a few seconds, is therefore an upper
bound of what any plan places, and the total demand minus it a lower bound of the least unmet demand.
It ignores when runs happen (only how many days they take), precedences and locks: a relaxation, never
above the truth, which the tests check against proven optima. Pure: no Django."""

import datetime
import math
import time

from ortools.sat.python import cp_model

from icihub.planning.instance import Course, Instance
from icihub.planning.slots import Calendar, Slot


def _most_runs(slots: list[Slot], gap: int) -> int:
    """How many runs fit one after another in these slots with `gap` free days between: earliest end
    first, which is optimal for intervals stretched by the gap."""
    count, free_from = 0, datetime.date.min
    for slot in sorted(slots, key=lambda s: s.end):
        if slot.start >= free_from:
            count += 1
            free_from = slot.end + datetime.timedelta(days=1 + gap)
    return count


def _room_fits(room, course: Course) -> bool:
    return (
        room.capacity >= course.participants
        and set(course.equipment) <= set(room.equipment)
        and (course.venue is None or course.venue == room.venue)
    )


class PooledBound:
    """The integer programme above, for one instance."""

    def __init__(self, instance: Instance, calendar: Calendar | None = None):
        self.instance = instance
        self.calendar = calendar or Calendar(instance)
        self.demand = {d.course: d for d in instance.demand if d.runs > 0}
        self.courses = {c.id: c for c in instance.courses if c.id in self.demand}
        self.total = sum(d.priority * d.runs for d in self.demand.values())
        self._parts: dict[tuple[str, str], list] = {}  # (course, "instructors" or "rooms") -> its share variables

    def _working_days(self, slot: Slot) -> set[datetime.date]:
        days, day = set(), slot.start
        while day <= slot.end:
            if self.calendar.is_working_day(day):
                days.add(day)
            day += datetime.timedelta(days=1)
        return days

    def _capacity(self, members: list[tuple[str, object, list[Slot]]]) -> None:
        """One room's, instructor's or audience group's runs: (course, its runs there, the slots they may use).
        Over the year, and over each member's own span (the first to the last day of its slots): the runs
        of the members whose slots all lie in that span fit in the days (and whole weeks) those slots cover."""
        members = [member for member in members if member[2]]
        spans = sorted({(min(s.start for s in used), max(s.end for s in used)) for _, _, used in members})
        for first, last in [(datetime.date.min, datetime.date.max), *spans]:
            inside = [
                (course, runs, used)
                for course, runs, used in members
                if first <= min(s.start for s in used) and max(s.end for s in used) <= last
            ]
            if len(inside) > 1 or (inside and first == datetime.date.min):
                self._fits(inside)

    def _fits(self, members: list[tuple[str, object, list[Slot]]]) -> None:
        days, weeks, whole_weeks = set(), set(), []
        for course, runs, used in members:
            for slot in used:
                days |= self.days_of[course][slot]
            if self.week_start[course]:
                # Runs that start their week never share one on the same resource: each claims the
                # weeks it touches, since the next such run must start on a later week's first day.
                for slot in used:
                    weeks |= set(range(self.calendar.week_of(slot.start), self.calendar.week_of(slot.end) + 1))
                whole_weeks.append(min(self.calendar.weeks_taught(slot) for slot in used) * runs)
        self.model.Add(sum(self.courses[course].duration_days * runs for course, runs, _ in members) <= len(days))
        if whole_weeks:
            self.model.Add(sum(whole_weeks) <= len(weeks))

    def build(self) -> None:
        instance, calendar = self.instance, self.calendar
        m = self.model = cp_model.CpModel()
        slots = {c: calendar.slots(course, self.demand[c]) for c, course in self.courses.items()}
        self.days_of = {c: {slot: self._working_days(slot) for slot in slots[c]} for c in self.courses}
        self.week_start = {
            c: course.duration_days >= 3 if course.start_on_week_start is None else bool(course.start_on_week_start)
            for c, course in self.courses.items()
        }
        rooms = {c: [r for r in instance.rooms if _room_fits(r, course)] for c, course in self.courses.items()}
        # The slots each instructor can teach of each course (inside their availability), and so the
        # slots a run of a course can use at all: those some qualified instructor can teach.
        inside_of: dict[tuple[str, str], list[Slot]] = {}
        for instructor in instance.instructors:
            for c in instructor.courses:
                if c in self.courses:
                    inside_of[(c, instructor.id)] = [
                        slot
                        for slot in slots[c]
                        if not instructor.available
                        or any(p.start <= slot.start and slot.end <= p.end for p in instructor.available)
                    ]
        usable: dict[str, set[Slot]] = {c: set() for c in self.courses}
        for (c, _), inside in inside_of.items():
            usable[c] |= set(inside)
        slots = {c: [slot for slot in slots[c] if slot in usable[c]] if rooms[c] else [] for c in self.courses}
        self.runs = {}
        for c in self.courses:
            most = _most_runs(slots[c], self.demand[c].min_gap_days)
            self.runs[c] = m.NewIntVar(0, min(self.demand[c].runs, most), f"runs {c}")
        # Instructors: runs per course they teach, inside their availability, and their most weeks.
        for instructor in instance.instructors:
            taught, weeks = [], []
            for c in instructor.courses:
                if c not in self.courses:
                    continue
                inside = inside_of[(c, instructor.id)]
                most = _most_runs(inside, self.demand[c].min_gap_days)
                if not most:
                    continue
                y = m.NewIntVar(0, min(self.demand[c].runs, most), f"{c} by {instructor.id}")
                taught.append((c, y, inside))
                weeks.append(min(calendar.weeks_taught(slot) for slot in inside) * y)
                self._share(c, "instructors", y)
            if taught:
                self._capacity(taught)
                if instructor.max_weeks is not None:
                    m.Add(sum(weeks) <= instructor.max_weeks)
        # Rooms: runs per course they fit.
        for room in instance.rooms:
            held = []
            for c in self.courses:
                if room in rooms[c] and slots[c]:
                    z = m.NewIntVar(0, self.demand[c].runs, f"{c} in {room.id}")
                    held.append((c, z, slots[c]))
                    self._share(c, "rooms", z)
            if held:
                self._capacity(held)
        # Audience groups: their courses' runs never share a day.
        groups: dict[str, list[str]] = {}
        for c, course in self.courses.items():
            if course.audience:
                groups.setdefault(course.audience, []).append(c)
        for members in groups.values():
            self._capacity([(c, self.runs[c], slots[c]) for c in members if slots[c]])
        # Every run has one instructor and one room.
        for c, x in self.runs.items():
            for kind in ("instructors", "rooms"):
                m.Add(sum(self._parts.get((c, kind), [])) == x)
        m.Maximize(sum(self.demand[c].priority * x for c, x in self.runs.items()))

    def _share(self, course: str, kind: str, variable) -> None:
        self._parts.setdefault((course, kind), []).append(variable)

    def solve(self, seconds: float, seed: int = 0) -> dict:
        """The bound on the least priority-weighted unmet demand, with what it took."""
        began = time.perf_counter()
        self.build()
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds - (time.perf_counter() - began))
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        status = solver.Solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            placeable = self.total  # nothing proven: the trivial bound
        else:
            placeable = math.floor(solver.BestObjectiveBound() + 1e-6)
        return {
            "name": "pooled bound",
            "bound": max(0, self.total - placeable),
            "status": "OPTIMAL" if status == cp_model.OPTIMAL else "FEASIBLE",
            "seconds": round(time.perf_counter() - began, 2),
        }


def pooled_bound(instance: Instance, *, seconds: float = 2.0, seed: int = 0, calendar: Calendar | None = None) -> dict:
    """A lower bound on the least priority-weighted unmet demand of any plan (see the module)."""
    return PooledBound(instance, calendar).solve(seconds, seed)
