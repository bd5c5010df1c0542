"""The planner's instance format: everything the calendar solver needs, as plain data, read from and
written to JSON (`docs/planner-format.md`). No Django here: `icihub plan` solves a file without a
database, and the database workflow builds the same structure.

Days are `datetime.date`; in JSON they are ISO strings ("2027-02-07"). Identifiers are strings chosen
by the author of the file (course codes, room codes, instructor codes)."""

import dataclasses
import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

FORMAT = "icihub-planner/1"
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # Python weekday order


class InstanceError(ValueError):
    """A file that is not a valid planner instance; the message says where and what."""


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Blackout:
    """Days on which no course runs: Ramadan, an Eid, a public holiday, a closure of the centre."""

    id: str
    name: str
    start: datetime.date
    end: datetime.date  # inclusive
    kind: str = "closure"  # "religious", "holiday" or "closure"
    name_ar: str = ""  # the name in Arabic, for the pages; the solver never reads a name


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    capacity: int
    venue: str = "centre"
    equipment: tuple[str, ...] = ()


@dataclass(frozen=True)
class Instructor:
    id: str
    name: str
    courses: tuple[str, ...]  # course ids they can teach
    organisation: str = ""
    available: tuple[Period, ...] = ()  # empty: all year
    max_weeks: int | None = None  # most teaching weeks in the year


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    duration_days: int  # working days
    participants: int  # seats a room must hold
    equipment: tuple[str, ...] = ()  # every piece the room must have
    audience: str = ""  # runs of courses with the same audience group never overlap
    start_on_week_start: bool | None = None  # None: yes for runs of 3 days or more
    venue: str | None = None  # None: any venue


@dataclass(frozen=True)
class Demand:
    course: str
    runs: int
    earliest: datetime.date | None = None  # no run starts before
    latest: datetime.date | None = None  # no run ends after
    preferred_months: tuple[int, ...] = ()  # 1..12
    min_gap_days: int = 0  # calendar days between the end of one run and the start of the next
    priority: int = 1  # weight of each unmet run


@dataclass(frozen=True)
class Precedence:
    before: str  # course id whose first run must end ...
    after: str  # ... before the first run of this course starts


@dataclass(frozen=True)
class Lock:
    """A run kept as it is when re-planning."""

    course: str
    run: int  # 0-based index among the course's runs
    start: datetime.date
    room: str
    instructor: str


@dataclass(frozen=True)
class Instance:
    year: int
    working_week: tuple[int, ...] = (6, 0, 1, 2, 3)  # Python weekdays, first day of the week first
    horizon: Period | None = None  # None: the whole year
    blackouts: tuple[Blackout, ...] = ()
    rooms: tuple[Room, ...] = ()
    instructors: tuple[Instructor, ...] = ()
    courses: tuple[Course, ...] = ()
    demand: tuple[Demand, ...] = ()
    precedences: tuple[Precedence, ...] = ()
    locks: tuple[Lock, ...] = ()

    @property
    def period(self) -> Period:
        return self.horizon or Period(datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31))

    def course(self, course_id: str) -> Course:
        return {c.id: c for c in self.courses}[course_id]


@dataclass(frozen=True)
class Run:
    """One placed run of a course."""

    course: str
    run: int
    start: datetime.date
    end: datetime.date  # last day, inclusive
    room: str
    instructor: str


@dataclass
class Plan:
    """What the solver (or the greedy baseline) returns."""

    runs: list[Run] = field(default_factory=list)
    unmet: dict[str, int] = field(default_factory=dict)  # course id -> runs not placed
    status: str = "UNKNOWN"  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    phases: list[dict] = field(default_factory=list)  # per phase: name, objective, bound, status, seconds
    explanation: list[str] = field(default_factory=list)  # why demand could not be met, in English words
    reasons: list[list[dict]] = field(default_factory=list)  # the same sentences as data, for any language

    def explain(self, sentences: list[list[dict]]) -> None:
        """Keep the sentences (phrases, see reasons.py) and their English words."""
        from icihub.planning.reasons import say

        self.reasons = sentences
        self.explanation = [say(sentence) for sentence in sentences]

    def phase(self, name: str) -> dict:
        """The figures of the phase of that name ({} when it did not run)."""
        return next((p for p in self.phases if p.get("name") == name), {})


# --- JSON ---------------------------------------------------------------------------------------


class _Item:
    """One JSON object of the file, read field by field: a null is the field left out, and every value
    is type-checked, so a wrong one gets one error naming where it is, the field and the value."""

    def __init__(self, data, where: str):
        if not isinstance(data, dict):
            raise InstanceError(f"{where}: expected an object, got {data!r}.")
        self.data, self.where = data, where

    def _value(self, key: str, required: bool):
        value = self.data.get(key)
        if value is None and required:
            raise InstanceError(f"{self.where}: {key!r} is missing.")
        return value

    def _wrong(self, key: str, value, expected: str) -> InstanceError:
        return InstanceError(f"{self.where}.{key}: {value!r} is not {expected}.")

    def text(self, key: str, default: str | None = "", *, required: bool = False) -> str | None:
        value = self._value(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self._wrong(key, value, "a text")
        return str(value)

    def whole(self, key: str, default: int | None = None, *, low: int | None = None, high: int | None = None,
              required: bool = False) -> int | None:  # fmt: skip
        value = self._value(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise self._wrong(key, value, "a whole number")
        value = int(value)
        if (low is not None and value < low) or (high is not None and value > high):
            limits = f"{low} or more" if high is None else f"{low} to {high}" if low is not None else f"at most {high}"
            raise self._wrong(key, value, limits)
        return value

    def flag(self, key: str) -> bool | None:
        value = self._value(key, False)
        if value is not None and not isinstance(value, bool):
            raise self._wrong(key, value, "true or false")
        return value

    def day(self, key: str, *, required: bool = False) -> datetime.date | None:
        value = self._value(key, required)
        if value is None or value == "":
            if required:
                raise InstanceError(f"{self.where}: {key!r} is missing.")
            return None
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self._wrong(key, value, "a date (YYYY-MM-DD)") from None

    def items(self, key: str, *, required: bool = False) -> list:
        value = self._value(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._wrong(key, value, "a list")
        return value

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        values = self.items(key, required=required)
        for n, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise InstanceError(f"{self.where}.{key}[{n}]: {value!r} is not a text.")
        return tuple(str(value) for value in values)

    def period(self) -> Period:
        """This object as a period: its start and end, in order."""
        period = Period(self.day("start", required=True), self.day("end", required=True))
        if period.end < period.start:
            raise InstanceError(f"{self.where}: ends on {period.end}, before it starts on {period.start}.")
        return period

    def periods(self, key: str) -> tuple[Period, ...]:
        return tuple(_Item(value, f"{self.where}.{key}[{n}]").period() for n, value in enumerate(self.items(key)))

    def objects(self, key: str):
        """The list's objects, each as an _Item named by its place."""
        return [_Item(value, f"{key}[{n}]") for n, value in enumerate(self.items(key))]


def _weekdays(values: Iterable, where: str) -> tuple[int, ...]:
    days = []
    for value in values:
        code = str(value).strip().lower()[:3]
        if code not in DAY_CODES:
            raise InstanceError(f"{where}: {value!r} is not a day (sun, mon, tue, wed, thu, fri, sat).")
        days.append(DAY_CODES.index(code))
    if not days:
        raise InstanceError(f"{where}: the working week has no days.")
    if len(set(days)) != len(days):
        raise InstanceError(f"{where}: a day appears twice.")
    return tuple(days)


def from_dict(data: dict) -> Instance:
    """Read and check an instance; InstanceError names the first problem and where it is. A null is
    the field left out; a value of the wrong type or outside its range is an error, never a guess."""
    if not isinstance(data, dict):
        raise InstanceError("The instance is not a JSON object.")
    top = _Item(data, "instance")
    if data.get("format") is not None and data["format"] != FORMAT:
        raise InstanceError(f"format: expected {FORMAT!r}, got {data.get('format')!r}.")
    year = top.whole("year", low=2000, high=2100, required=True)
    horizon = _Item(data["horizon"], "horizon").period() if data.get("horizon") is not None else None
    blackouts = tuple(
        Blackout(
            id=b.text("id", required=True),
            name=b.text("name") or b.text("id"),
            start=b.day("start", required=True),
            end=b.day("end", required=True),
            kind=b.text("kind", "closure"),
            name_ar=b.text("name_ar"),
        )
        for b in top.objects("blackouts")
    )
    rooms = tuple(
        Room(
            id=r.text("id", required=True),
            name=r.text("name") or r.text("id"),
            capacity=r.whole("capacity", low=1, required=True),
            venue=r.text("venue", "centre"),
            equipment=r.texts("equipment"),
        )
        for r in top.objects("rooms")
    )
    instructors = tuple(
        Instructor(
            id=i.text("id", required=True),
            name=i.text("name") or i.text("id"),
            courses=i.texts("courses", required=True),
            organisation=i.text("organisation"),
            available=i.periods("available"),
            max_weeks=i.whole("max_weeks", low=0, high=53),
        )
        for i in top.objects("instructors")
    )
    courses = tuple(
        Course(
            id=c.text("id", required=True),
            title=c.text("title") or c.text("id"),
            duration_days=c.whole("duration_days", low=1, high=100, required=True),
            participants=c.whole("participants", 0, low=0),
            equipment=c.texts("equipment"),
            audience=c.text("audience"),
            start_on_week_start=c.flag("start_on_week_start"),
            venue=c.text("venue", None),
        )
        for c in top.objects("courses")
    )
    demand = tuple(
        Demand(
            course=d.text("course", required=True),
            runs=d.whole("runs", low=0, high=366, required=True),
            earliest=d.day("earliest"),
            latest=d.day("latest"),
            preferred_months=tuple(_months(d)),
            min_gap_days=d.whole("min_gap_days", 0, low=0, high=366),
            priority=d.whole("priority", 1, low=1, high=1000),
        )
        for d in top.objects("demand")
    )
    precedences = tuple(
        Precedence(before=p.text("before", required=True), after=p.text("after", required=True))
        for p in top.objects("precedences")
    )
    locks = tuple(
        Lock(
            course=lock.text("course", required=True),
            run=lock.whole("run", 0, low=0),
            start=lock.day("start", required=True),
            room=lock.text("room", required=True),
            instructor=lock.text("instructor", required=True),
        )
        for lock in top.objects("locks")
    )
    working_week = data.get("working_week")
    if working_week is not None and not isinstance(working_week, list):
        raise InstanceError(f"working_week: {working_week!r} is not a list of days.")
    instance = Instance(
        year=year,
        working_week=_weekdays(working_week or ["sun", "mon", "tue", "wed", "thu"], "working_week"),
        horizon=horizon,
        blackouts=blackouts,
        rooms=rooms,
        instructors=instructors,
        courses=courses,
        demand=demand,
        precedences=precedences,
        locks=locks,
    )
    check(instance)
    return instance


def _months(item: _Item) -> list[int]:
    months = []
    for n, value in enumerate(item.items("preferred_months")):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
            raise InstanceError(f"{item.where}.preferred_months[{n}]: {value!r} is not a month (1 to 12).")
        months.append(value)
    return months


def check(instance: Instance) -> None:
    """Cross-references and ranges: every id used is defined, numbers make sense."""

    def unique(items, what):
        ids = [item.id for item in items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise InstanceError(f"{what}: duplicate id(s) {', '.join(duplicates)}.")
        return set(ids)

    course_ids = unique(instance.courses, "courses")
    room_ids = unique(instance.rooms, "rooms")
    instructor_ids = unique(instance.instructors, "instructors")
    unique(instance.blackouts, "blackouts")
    period = instance.period
    if instance.horizon is not None and (
        instance.horizon.start.year != instance.year or instance.horizon.end.year != instance.year
    ):
        raise InstanceError(
            f"horizon: {instance.horizon.start} to {instance.horizon.end} is not inside the year {instance.year}."
        )
    for b in instance.blackouts:
        if b.end < b.start:
            raise InstanceError(f"blackout {b.id}: ends before it starts.")
        if b.end.year < instance.year or b.start.year > instance.year:
            raise InstanceError(f"blackout {b.id} ({b.start} to {b.end}) is outside the year {instance.year}.")
    for r in instance.rooms:
        if r.capacity < 1:
            raise InstanceError(f"room {r.id}: capacity must be at least 1.")
    for c in instance.courses:
        if not 1 <= c.duration_days <= 100:
            raise InstanceError(f"course {c.id}: duration_days must be 1 to 100.")
    for i in instance.instructors:
        unknown = sorted(set(i.courses) - course_ids)
        if unknown:
            raise InstanceError(f"instructor {i.id}: unknown course(s) {', '.join(unknown)}.")
        if i.max_weeks is not None and i.max_weeks < 0:
            raise InstanceError(f"instructor {i.id}: max_weeks cannot be negative.")
    seen = set()
    for d in instance.demand:
        if d.course not in course_ids:
            raise InstanceError(f"demand: unknown course {d.course}.")
        if d.course in seen:
            raise InstanceError(f"demand: course {d.course} appears twice; give its runs once.")
        seen.add(d.course)
        if d.runs < 0 or d.priority < 1 or d.min_gap_days < 0:
            raise InstanceError(f"demand {d.course}: runs and min_gap_days must be 0 or more, priority 1 or more.")
        if any(not 1 <= m <= 12 for m in d.preferred_months):
            raise InstanceError(f"demand {d.course}: preferred months are 1 to 12.")
        if d.earliest and d.latest and d.latest < d.earliest:
            raise InstanceError(f"demand {d.course}: latest is before earliest.")
        for name, day in (("earliest", d.earliest), ("latest", d.latest)):
            if day is not None and day.year != instance.year:
                raise InstanceError(f"demand {d.course}: {name} {day} is outside the year {instance.year}.")
    for p in instance.precedences:
        for course in (p.before, p.after):
            if course not in course_ids:
                raise InstanceError(f"precedence: unknown course {course}.")
    cycle = _precedence_cycle(instance.precedences)
    if cycle:
        raise InstanceError(f"precedences: a cycle, {' before '.join(cycle)}; no course of it could start first.")
    demanded = {d.course: d.runs for d in instance.demand}
    for lock in instance.locks:
        where = f"lock {lock.course}#{lock.run}"
        if lock.course not in course_ids or lock.room not in room_ids or lock.instructor not in instructor_ids:
            raise InstanceError(f"{where}: unknown course, room or instructor.")
        if not 0 <= lock.run < demanded.get(lock.course, 0):
            raise InstanceError(f"{where}: the course has no such run in the demand.")
        if lock.start not in period:
            raise InstanceError(
                f"{where}: starts on {lock.start}, outside the planning period {period.start} to {period.end}."
            )
    if instance.locks:
        from icihub.planning.checker import lock_problems

        problems = lock_problems(instance)
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise InstanceError("locks: " + " ".join(problems[:3]) + more)


def _precedence_cycle(precedences: Iterable[Precedence]) -> list[str]:
    """A cycle of courses each of which must come before the next (the first repeated last), or [].
    Depth-first without recursion, so a long chain in a hostile file cannot exhaust the stack."""
    after: dict[str, list[str]] = {}
    for p in precedences:
        after.setdefault(p.before, []).append(p.after)
    done: set[str] = set()
    for root in sorted(after):
        if root in done:
            continue
        path, on_path = [root], {root}
        stack = [iter(sorted(after.get(root, [])))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                stack.pop()
                course = path.pop()
                on_path.discard(course)
                done.add(course)
                continue
            if following in on_path:
                return [*path[path.index(following) :], following]
            if following not in done:
                path.append(following)
                on_path.add(following)
                stack.append(iter(sorted(after.get(following, []))))
    return []


def load(path) -> Instance:
    with open(path, encoding="utf-8") as file:
        try:
            data = json.load(file)
        except json.JSONDecodeError as error:
            raise InstanceError(f"Not JSON: {error}.") from None
    return from_dict(data)


def _jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def to_dict(instance: Instance) -> dict:
    data = _jsonable(instance)
    data = {"format": FORMAT, **data}
    data["working_week"] = [DAY_CODES[d] for d in instance.working_week]
    if instance.horizon is None:
        data.pop("horizon")
    return data


def plan_to_dict(plan: Plan) -> dict:
    return _jsonable(plan)
