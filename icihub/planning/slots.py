"""Where a run of a course may start: the calendar arithmetic shared by the solver and the greedy
baseline (the plan checker re-derives these rules on its own). Pure: no Django, no solver.

Rules (docs/planner-format.md):
- A working day is a day of the working week, inside the horizon, on no blackout.
- A run of L working days starting on a working day s covers the next L working days; its calendar
  span [s, e] must contain no blackout day (no run is cut by a blackout).
- A run of at most as many days as the working week stays inside one working week; longer runs may
  span the weekend.
- Runs of 3 days or more start on the first working day of their week, unless the course says
  otherwise (`start_on_week_start`).
- A demand's earliest/latest bound the start and the end."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from icihub.planning.instance import Course, Demand, Instance


@dataclass(frozen=True)
class Slot:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Calendar:
    """The open days of an instance's horizon and the slots each course may use."""

    def __init__(self, instance: Instance, *, ignore_blackouts: bool = False):
        self.instance = instance
        self.period = instance.period
        self.working_week = instance.working_week
        self.blocked: set[datetime.date] = set()
        self._slots: dict[tuple, list[Slot]] = {}
        if not ignore_blackouts:
            for blackout in instance.blackouts:
                day = blackout.start
                while day <= blackout.end:
                    self.blocked.add(day)
                    day += datetime.timedelta(days=1)

    @cached_property
    def days(self) -> list[datetime.date]:
        """Every calendar day of the horizon."""
        count = (self.period.end - self.period.start).days + 1
        return [self.period.start + datetime.timedelta(days=n) for n in range(count)]

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() in self.working_week and day not in self.blocked and day in self.period

    def week_of(self, day: datetime.date) -> int:
        """Index of the working week a day belongs to; weeks begin on the working week's first day."""
        first = self.working_week[0]
        offset = (day.weekday() - first) % 7
        return (day - datetime.timedelta(days=offset) - self.period.start).days // 7

    def first_working_day_of_week(self, day: datetime.date) -> bool:
        """True when no earlier day of the same week is a working day."""
        previous = day - datetime.timedelta(days=1)
        while self.week_of(previous) == self.week_of(day):
            if self.is_working_day(previous):
                return False
            previous -= datetime.timedelta(days=1)
        return True

    def run_from(self, start: datetime.date, duration: int) -> Slot | None:
        """The slot of a run of `duration` working days from `start`, or None where it cannot start."""
        if not self.is_working_day(start):
            return None
        day, counted = start, 1
        while counted < duration:
            day += datetime.timedelta(days=1)
            if day > self.period.end or day in self.blocked:
                return None  # cut by a blackout or by the end of the horizon
            if day.weekday() in self.working_week:
                counted += 1
        if duration <= len(self.working_week) and self.week_of(start) != self.week_of(day):
            return None
        return Slot(start, day)

    def weeks_taught(self, slot: Slot) -> int:
        """Working weeks a run touches: what counts toward an instructor's most weeks per year."""
        return self.week_of(slot.end) - self.week_of(slot.start) + 1

    def slots(self, course: Course, demand: Demand | None = None) -> list[Slot]:
        """Every slot a run of this course may use, earliest first (worked out once per course)."""
        key = (course, demand)
        if key not in self._slots:
            self._slots[key] = self._find_slots(course, demand)
        return list(self._slots[key])

    def _find_slots(self, course: Course, demand: Demand | None) -> list[Slot]:
        week_start = course.start_on_week_start
        if week_start is None:
            week_start = course.duration_days >= 3
        found = []
        for day in self.days:
            if demand is not None and demand.earliest and day < demand.earliest:
                continue
            slot = self.run_from(day, course.duration_days)
            if slot is None:
                continue
            if week_start and not self.first_working_day_of_week(day):
                continue
            if demand is not None and demand.latest and slot.end > demand.latest:
                continue
            found.append(slot)
        return found
