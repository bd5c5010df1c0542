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


def _day(value, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InstanceError(f"{where}: {value!r} is not a date (YYYY-MM-DD).") from None


def _optional_day(value, where: str) -> datetime.date | None:
    return None if value in (None, "") else _day(value, where)


def _weekdays(values: Iterable, where: str) -> tuple[int, ...]:
    days = []
    for value in values:
        code = str(value).strip().lower()[:3]
        if code not in DAY_CODES:
            raise InstanceError(f"{where}: {value!r} is not a day (sun, mon, tue, wed, thu, fri, sat).")
        days.append(DAY_CODES.index(code))
    if not days:
        raise InstanceError(f"{where}: the working week has no days.")
    return tuple(days)


def _require(item: dict, key: str, where: str):
    if key not in item:
        raise InstanceError(f"{where}: {key!r} is missing.")
    return item[key]


def _periods(values, where: str) -> tuple[Period, ...]:
    periods = []
    for n, value in enumerate(values or []):
        here = f"{where}[{n}]"
        period = Period(_day(_require(value, "start", here), here), _day(_require(value, "end", here), here))
        if period.end < period.start:
            raise InstanceError(f"{here}: ends before it starts.")
        periods.append(period)
    return tuple(periods)


def from_dict(data: dict) -> Instance:
    """Read and check an instance; InstanceError names the first problem and where it is."""
    if not isinstance(data, dict):
        raise InstanceError("The instance is not a JSON object.")
    if data.get("format", FORMAT) != FORMAT:
        raise InstanceError(f"format: expected {FORMAT!r}, got {data.get('format')!r}.")
    year = _require(data, "year", "instance")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InstanceError(f"year: {year!r} is not a year between 2000 and 2100.")
    horizon = None
    if data.get("horizon"):
        horizon = _periods([data["horizon"]], "horizon")[0]
    blackouts = tuple(
        Blackout(
            id=str(_require(b, "id", f"blackouts[{n}]")),
            name=str(b.get("name") or b["id"]),
            start=_day(_require(b, "start", f"blackouts[{n}]"), f"blackouts[{n}].start"),
            end=_day(_require(b, "end", f"blackouts[{n}]"), f"blackouts[{n}].end"),
            kind=str(b.get("kind", "closure")),
            name_ar=str(b.get("name_ar", "")),
        )
        for n, b in enumerate(data.get("blackouts", []))
    )
    rooms = tuple(
        Room(
            id=str(_require(r, "id", f"rooms[{n}]")),
            name=str(r.get("name") or r["id"]),
            capacity=int(_require(r, "capacity", f"rooms[{n}]")),
            venue=str(r.get("venue", "centre")),
            equipment=tuple(r.get("equipment", [])),
        )
        for n, r in enumerate(data.get("rooms", []))
    )
    instructors = tuple(
        Instructor(
            id=str(_require(i, "id", f"instructors[{n}]")),
            name=str(i.get("name") or i["id"]),
            courses=tuple(_require(i, "courses", f"instructors[{n}]")),
            organisation=str(i.get("organisation", "")),
            available=_periods(i.get("available"), f"instructors[{n}].available"),
            max_weeks=i.get("max_weeks"),
        )
        for n, i in enumerate(data.get("instructors", []))
    )
    courses = tuple(
        Course(
            id=str(_require(c, "id", f"courses[{n}]")),
            title=str(c.get("title") or c["id"]),
            duration_days=int(_require(c, "duration_days", f"courses[{n}]")),
            participants=int(c.get("participants", 0)),
            equipment=tuple(c.get("equipment", [])),
            audience=str(c.get("audience", "")),
            start_on_week_start=c.get("start_on_week_start"),
            venue=c.get("venue"),
        )
        for n, c in enumerate(data.get("courses", []))
    )
    demand = tuple(
        Demand(
            course=str(_require(d, "course", f"demand[{n}]")),
            runs=int(_require(d, "runs", f"demand[{n}]")),
            earliest=_optional_day(d.get("earliest"), f"demand[{n}].earliest"),
            latest=_optional_day(d.get("latest"), f"demand[{n}].latest"),
            preferred_months=tuple(int(m) for m in d.get("preferred_months", [])),
            min_gap_days=int(d.get("min_gap_days", 0)),
            priority=int(d.get("priority", 1)),
        )
        for n, d in enumerate(data.get("demand", []))
    )
    precedences = tuple(
        Precedence(
            before=str(_require(p, "before", f"precedences[{n}]")), after=str(_require(p, "after", f"precedences[{n}]"))
        )
        for n, p in enumerate(data.get("precedences", []))
    )
    locks = tuple(
        Lock(
            course=str(_require(lock, "course", f"locks[{n}]")),
            run=int(lock.get("run", 0)),
            start=_day(_require(lock, "start", f"locks[{n}]"), f"locks[{n}].start"),
            room=str(_require(lock, "room", f"locks[{n}]")),
            instructor=str(_require(lock, "instructor", f"locks[{n}]")),
        )
        for n, lock in enumerate(data.get("locks", []))
    )
    instance = Instance(
        year=year,
        working_week=_weekdays(data.get("working_week", ["sun", "mon", "tue", "wed", "thu"]), "working_week"),
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
    for b in instance.blackouts:
        if b.end < b.start:
            raise InstanceError(f"blackout {b.id}: ends before it starts.")
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
    for p in instance.precedences:
        for course in (p.before, p.after):
            if course not in course_ids:
                raise InstanceError(f"precedence: unknown course {course}.")
    demanded = {d.course: d.runs for d in instance.demand}
    for lock in instance.locks:
        where = f"lock {lock.course}#{lock.run}"
        if lock.course not in course_ids or lock.room not in room_ids or lock.instructor not in instructor_ids:
            raise InstanceError(f"{where}: unknown course, room or instructor.")
        if not 0 <= lock.run < demanded.get(lock.course, 0):
            raise InstanceError(f"{where}: the course has no such run in the demand.")


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
