"""The greedy baseline: a quick, deterministic plan to compare the solver with (and to fall back on).

Locks are placed first, exactly as given. Then each demanded course, in the order of the demand (moved
only so that a course comes after the courses that must precede it), places its runs one by one at the
earliest feasible slot of `Calendar.slots`, in the smallest fitting room (ties by room id) with the
least-loaded qualified instructor (fewest weeks so far; ties by id). A run that cannot be placed is
unmet, and so are the later runs of its course (locked runs stay). Pure: no Django, no solver."""

import datetime
import time
from collections import defaultdict

from icihub.planning.instance import Course, Demand, Instance, Instructor, Plan, Room, Run
from icihub.planning.reasons import gettext_noop, phrase
from icihub.planning.slots import Calendar, Slot

ONE_DAY = datetime.timedelta(days=1)


# Phase-2 weights: a run outside its preferred months costs most, then each month an instructor has
# to travel in, then the busiest month's runs, then the busiest room's days.
WEIGHT_MONTH = 20
WEIGHT_TRIP = 10
WEIGHT_SPREAD = 3
WEIGHT_ROOM = 1


def unmet_objective(instance: Instance, plan: Plan) -> int:
    """Σ priority × unmet runs over the demand: what the solver's first phase minimises."""
    return sum(d.priority * plan.unmet.get(d.course, 0) for d in instance.demand)


def quality_objective(instance: Instance, plan: Plan) -> int:
    """The calendar's quality, what the second phase minimises, computed exactly from the runs (a run
    belongs to the month it starts in): 20 × runs outside their preferred months + 10 × months in which
    an instructor teaches + 3 × runs in the busiest month + 1 × days of the busiest room."""
    preferred = {d.course: set(d.preferred_months) for d in instance.demand}
    duration = {c.id: c.duration_days for c in instance.courses}
    outside = sum(1 for r in plan.runs if preferred.get(r.course) and r.start.month not in preferred[r.course])
    trips = len({(r.instructor, r.start.month) for r in plan.runs})
    per_month, per_room = defaultdict(int), defaultdict(int)
    for run in plan.runs:
        per_month[run.start.month] += 1
        per_room[run.room] += duration[run.course]
    return (
        WEIGHT_MONTH * outside
        + WEIGHT_TRIP * trips
        + WEIGHT_SPREAD * max(per_month.values(), default=0)
        + WEIGHT_ROOM * max(per_room.values(), default=0)
    )


def _span(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _ordered_demand(instance: Instance) -> list[Demand]:
    """The demand in its order, except that a course comes after every demanded course that must precede it
    (stable topological order; courses on a cycle of precedences keep their place at the end)."""
    demand = list(instance.demand)
    index = {d.course: n for n, d in enumerate(demand)}
    before = {
        d.course: {p.before for p in instance.precedences if p.after == d.course and p.before in index} for d in demand
    }
    done: set[str] = set()
    order: list[Demand] = []
    while len(order) < len(demand):
        ready = next((d for d in demand if d.course not in done and before[d.course] <= done), None)
        if ready is None:  # a cycle: the rest in demand order (their precedences cannot all be met)
            order += [d for d in demand if d.course not in done]
            break
        done.add(ready.course)
        order.append(ready)
    return order


class _Greedy:
    def __init__(self, instance: Instance):
        self.instance = instance
        self.calendar = Calendar(instance)
        self.courses = {c.id: c for c in instance.courses}
        self.rooms = sorted(instance.rooms, key=lambda r: (r.capacity, r.id))
        self.instructors = sorted(instance.instructors, key=lambda i: i.id)
        self.placed: dict[tuple[str, int], Run] = {}
        self.room_days: dict[str, set[datetime.date]] = defaultdict(set)
        self.instructor_days: dict[str, set[datetime.date]] = defaultdict(set)
        self.audience_days: dict[str, set[datetime.date]] = defaultdict(set)
        self.weeks: dict[str, int] = defaultdict(int)
        self.explanation: list[list[dict]] = []  # sentences as phrases (reasons.py)

    # --- bookkeeping -----------------------------------------------------------------------------

    def _book(self, run: Run) -> None:
        self.placed[(run.course, run.run)] = run
        days = _span(run.start, run.end)
        self.room_days[run.room].update(days)
        self.instructor_days[run.instructor].update(days)
        audience = self.courses[run.course].audience
        if audience:
            self.audience_days[audience].update(days)
        self.weeks[run.instructor] += self.calendar.weeks_taught(Slot(run.start, run.end))

    def _lock_end(self, course: Course, start: datetime.date) -> datetime.date:
        slot = self.calendar.run_from(start, course.duration_days)
        if slot is not None:
            return slot.end
        # a lock off the calendar (e.g. on a blackout) is still kept; it lasts its working days
        day, counted = start, 1 if start.weekday() in self.instance.working_week else 0
        while counted < course.duration_days:
            day += ONE_DAY
            if day.weekday() in self.instance.working_week:
                counted += 1
        return day

    def place_locks(self) -> None:
        for lock in self.instance.locks:
            course = self.courses.get(lock.course)
            if course is None or (lock.course, lock.run) in self.placed:
                continue
            end = self._lock_end(course, lock.start)
            self._book(Run(lock.course, lock.run, lock.start, end, lock.room, lock.instructor))

    # --- choosing a room and an instructor -------------------------------------------------------

    @staticmethod
    def _fits(room: Room, course: Course) -> bool:
        return (
            room.capacity >= course.participants
            and all(item in room.equipment for item in course.equipment)
            and (not course.venue or room.venue == course.venue)
        )

    def _room(self, rooms: list[Room], days: list[datetime.date]) -> Room | None:
        return next((r for r in rooms if not any(d in self.room_days[r.id] for d in days)), None)

    def _instructor(self, instructors: list[Instructor], slot: Slot, days: list[datetime.date]) -> Instructor | None:
        weeks = self.calendar.weeks_taught(slot)
        free = [
            i
            for i in instructors
            if (not i.available or any(p.start <= slot.start and slot.end <= p.end for p in i.available))
            and (i.max_weeks is None or self.weeks[i.id] + weeks <= i.max_weeks)
            and not any(d in self.instructor_days[i.id] for d in days)
        ]
        return min(free, key=lambda i: (self.weeks[i.id], i.id), default=None)

    # --- one course ------------------------------------------------------------------------------

    def place_course(self, demand: Demand) -> int:
        """Place the course's runs; returns how many are unmet."""
        course = self.courses[demand.course]
        precedences = self.instance.precedences
        firsts = []  # run 0 of every course that must come first
        for p in precedences:
            if p.after == course.id:
                first = self.placed.get((p.before, 0))
                if first is None:
                    unplaced = sum(1 for k in range(demand.runs) if (course.id, k) not in self.placed)
                    if unplaced:
                        self.explanation.append(
                            [
                                phrase(
                                    gettext_noop(
                                        "%(course)s: %(unplaced)d run(s) not placed, because %(first)s, which must "
                                        "come first, is not placed."
                                    ),
                                    course=course.id,
                                    unplaced=unplaced,
                                    first=f"{p.before}#0",
                                )  # fmt: skip
                            ]
                        )
                    return unplaced
                firsts.append(first)
        earliest_start = max((f.end + ONE_DAY for f in firsts), default=None)
        rooms = [r for r in self.rooms if self._fits(r, course)]
        instructors = [i for i in self.instructors if course.id in i.courses]
        slots = self.calendar.slots(course, demand)
        gap = datetime.timedelta(days=demand.min_gap_days + 1)

        unmet = 0
        stopped = False
        previous: Run | None = None
        for k in range(demand.runs):
            if (course.id, k) in self.placed:  # locked
                previous = self.placed[(course.id, k)]
                continue
            if stopped:
                unmet += 1
                continue
            low = earliest_start
            if previous is not None:
                low = max(low or previous.end + gap, previous.end + gap)
            high = None  # the latest end: before the next locked run of this course (with the gap) ...
            following = [
                self.placed[(course.id, j)] for j in range(k + 1, demand.runs) if (course.id, j) in self.placed
            ]
            if following:
                high = following[0].start - gap
            if k == 0:  # ... and before the first run of every course that must follow it
                for p in precedences:
                    if p.before == course.id:
                        later = [r.start - ONE_DAY for (c, _), r in self.placed.items() if c == p.after]
                        if later:
                            high = min([high, *later]) if high else min(later)
            run = self._first_fit(course, k, slots, rooms, instructors, low, high)
            if run is None:
                stopped = True
                unmet += 1
                continue
            self._book(run)
            previous = run
        if unmet:
            self.explanation.append(
                [
                    phrase(
                        gettext_noop(
                            "%(course)s: %(unmet)d of %(runs)d run(s) not placed: no slot left with a free fitting "
                            "room, a free qualified instructor and the audience free."
                        ),
                        course=course.id,
                        unmet=unmet,
                        runs=demand.runs,
                    )  # fmt: skip
                ]
            )
        return unmet

    def _first_fit(self, course, k, slots, rooms, instructors, low, high) -> Run | None:
        for slot in slots:
            if low is not None and slot.start < low:
                continue
            if high is not None and slot.end > high:
                break  # slots come earliest first, so every later one ends later too
            days = _span(slot.start, slot.end)
            if course.audience and any(d in self.audience_days[course.audience] for d in days):
                continue
            room = self._room(rooms, days)
            if room is None:
                continue
            instructor = self._instructor(instructors, slot, days)
            if instructor is None:
                continue
            return Run(course.id, k, slot.start, slot.end, room.id, instructor.id)
        return None


def greedy(instance: Instance) -> Plan:
    """A plan built greedily (see the module's docstring); deterministic for a given instance."""
    started = time.perf_counter()
    state = _Greedy(instance)
    state.place_locks()
    unmet = {}
    for demand in _ordered_demand(instance):
        missing = state.place_course(demand)
        if missing:
            unmet[demand.course] = missing
    runs = sorted(state.placed.values(), key=lambda r: (r.start, r.course, r.run))
    plan = Plan(runs=runs, unmet=unmet, status="FEASIBLE")
    plan.explain(state.explanation)
    plan.phases = [
        {
            "name": "greedy",
            "objective": unmet_objective(instance, plan),
            "bound": None,
            "status": "FEASIBLE",
            "seconds": round(time.perf_counter() - started, 3),
        }
    ]
    return plan
