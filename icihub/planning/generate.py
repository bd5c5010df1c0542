"""Seeded, realistic planner instances: the annual calendar of a NATO partnership training centre in
Kuwait, at any size, for benchmarks and tests. Pure: no Django, no solver.

`centre_instance(seed, courses=40, runs=120, instructors=15, rooms=6)` is one year of a centre's size:
a Sunday-to-Thursday week with Ramadan, the Eids and Kuwait's public holidays blacked out; courses of
mostly three to five days (some of one or two, a few of two weeks) for 12 to 35 participants, grouped by
audience (runs for the same audience never overlap); rooms of 15 to 45 seats, some with computers,
interpretation booths or a classified network; instructors from NATO bodies and Kuwait's ministries, each
qualified for a handful of courses (every course has at least two), a third of them visiting only in
some windows and some with a most-weeks-per-year; demand of one to six runs a course with windows,
preferred months, gaps between runs and priorities; a few basic-before-advanced precedences. With
`venues > 1`, mobile training teams ("mobile-1", ...) have their own rooms and some courses are taught
only there.

The same arguments give the same instance (`random.Random(seed)`, no set or hash ordering)."""

import dataclasses
import datetime
import math
import random

from icihub.planning.blackouts import default_blackouts
from icihub.planning.instance import (
    Course,
    Demand,
    Instance,
    Instructor,
    Lock,
    Period,
    Precedence,
    Room,
    check,
)

# (code, title) of the centre's subject areas; course codes are "<area>-<number>".
AREAS = (
    ("CYB", "Cyber Defence"),
    ("LL", "Lessons Learned"),
    ("CIMIC", "Civil-Military Cooperation"),
    ("LOG", "Logistics"),
    ("PA", "Public Affairs"),
    ("CBRN", "CBRN Defence"),
    ("EM", "Energy Security"),
    ("MAR", "Maritime Security"),
    ("PLN", "Operational Planning"),
    ("INT", "Intelligence Analysis"),
    ("LEG", "Legal Advisers"),
    ("MED", "Military Medicine"),
    ("WPS", "Women, Peace and Security"),
    ("CT", "Counter-Terrorism"),
    ("SEC", "Security Policy"),
    ("HYB", "Hybrid Threats"),
)
LEVELS = ("Orientation", "Fundamentals", "Practitioner", "Advanced", "Senior Leaders", "Workshop", "Seminar")
AUDIENCES = (
    "staff-officers",
    "ncos",
    "cyber-analysts",
    "diplomats",
    "senior-leaders",
    "legal-advisers",
    "medical-officers",
    "logistics-officers",
    "pa-officers",
    "intelligence-analysts",
    "civil-servants",
    "planners",
    "maritime-officers",
    "cbrn-specialists",
    "gender-advisers",
    "young-professionals",
)
ORGANISATIONS = (
    "NATO School Oberammergau",
    "NATO Defense College",
    "JALLC",
    "NCIA",
    "CCD COE",
    "NMIOTC",
    "JFC Naples",
    "Kuwait Ministry of Defence",
    "Kuwait National Guard",
    "Kuwait Ministry of Foreign Affairs",
    "ICI Regional Centre",
)
SURNAMES = (
    "Al-Sabah", "Al-Enezi", "Al-Mutairi", "Al-Rashidi", "Al-Ajmi", "Al-Shammari", "Kovacs", "Moreau", "Rossi",
    "Schmidt", "Novak", "Jensen", "Papadopoulos", "Silva", "Kowalski", "Smith", "Dubois", "Bianchi", "Hansen",
    "Yilmaz", "Popescu", "Horvat", "Van Dijk", "Lindqvist", "Garcia", "Fischer", "Nielsen", "Costa", "Petrov",
    "Walsh", "Brennan", "Kask", "Berzins", "Dimitrov", "Ionescu", "Martin", "Kaya", "Ferrari", "Weber", "Olsen",
)  # fmt: skip
EQUIPMENT = ("computers", "interpretation", "classified-network")

# Working days of a run and how often they occur: mostly 3 to 5, some 1 or 2, a few of two weeks.
DURATIONS = (1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 10)
D = datetime.date


def _pick_weighted(rng: random.Random, weights: list[float]) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def _rooms(rng: random.Random, count: int, venues: list[str]) -> list[Room]:
    """Rooms of 15 to 45 seats. The first room is the centre's main hall (interpretation), the second its
    computer lab; every mobile venue gets at least one room. Each equipment tag exists at the centre."""
    if count < len(venues):
        raise ValueError(f"{count} room(s) cannot serve {len(venues)} venues.")
    mobile = venues[1:]
    room_venues = ["centre"] * (count - len(mobile)) + list(mobile)
    rooms = []
    for n, venue in enumerate(room_venues):
        if venue != "centre":
            capacity = rng.randint(20, 35)
            equipment = ("computers",) if rng.random() < 0.4 else ()
            name = f"{venue.capitalize()} classroom"
        elif n == 0:
            capacity, equipment, name = rng.randint(40, 45), ("interpretation",), "Main hall"
        elif n == 1:
            capacity, equipment, name = rng.randint(18, 24), ("computers",), "Computer lab"
        elif n == 2:
            capacity, equipment, name = rng.randint(15, 20), ("classified-network", "computers"), "Secure room"
        else:
            capacity = rng.choice((15, 20, 24, 25, 28, 30, 30, 35, 36, 40))
            tags = [tag for tag, p in (("computers", 0.3), ("interpretation", 0.35)) if rng.random() < p]
            equipment = tuple(tags)
            name = f"Seminar room {n - 2}"
        rooms.append(Room(f"R{n + 1}", name, capacity, venue=venue, equipment=equipment))
    return rooms


def _courses(rng: random.Random, count: int, rooms: list[Room], audiences: list[str], venues: list[str]):
    """Courses with their area (for instructors and precedences). Each course fits at least one room."""
    areas = list(AREAS[: max(4, min(len(AREAS), count // 3))])
    numbers: dict[str, int] = {}
    courses, course_area = [], []
    for _ in range(count):
        code, area_title = areas[_pick_weighted(rng, [1.0 / (k + 1) ** 0.5 for k in range(len(areas))])]
        numbers[code] = numbers.get(code, 0) + 1
        level = rng.choice(LEVELS)
        duration = rng.choice(DURATIONS)
        venue = None
        if len(venues) > 1 and rng.random() < 0.15:
            venue = rng.choice(venues[1:])
        elif len(venues) > 1 and rng.random() < 0.1:
            venue = "centre"
        equipment: tuple[str, ...] = ()
        if rng.random() < 0.25:
            tagged = [r for r in rooms if r.equipment and (venue is None or r.venue == venue)]
            if tagged:
                room = rng.choice(tagged)
                equipment = (rng.choice(room.equipment),)
        if code == "CYB" and not equipment and venue is None and rng.random() < 0.6:
            equipment = ("computers",)
        fitting = [
            r.capacity for r in rooms if set(equipment) <= set(r.equipment) and (venue is None or r.venue == venue)
        ]
        participants = min(rng.randint(12, 35), max(fitting))
        audience = rng.choice(audiences) if rng.random() < 0.75 else ""
        courses.append(
            Course(
                id=f"{code}-{numbers[code]:02d}",
                title=f"{area_title} {level} Course",
                duration_days=duration,
                participants=participants,
                equipment=equipment,
                audience=audience,
                venue=venue,
            )
        )
        course_area.append(code)
    return courses, course_area


def _qualifications(rng: random.Random, courses: list[Course], course_area: list[str], count: int) -> list[list[str]]:
    """For each instructor the courses they teach: 2 to 6 each (more when there are too few instructors for
    every course to have two), mostly in one or two areas, every course with at least two instructors."""
    needed = 2 * len(courses)
    high = 6 if needed <= 6 * count else math.ceil(needed / count) + 1
    targets = [rng.randint(2, high) for _ in range(count)]
    while sum(targets) < needed:
        n = rng.randrange(count)
        if targets[n] < high:
            targets[n] += 1
    home = [rng.choice(course_area) for _ in range(count)]
    teaches: list[list[str]] = [[] for _ in range(count)]

    def score(n: int, area: str) -> tuple:
        # instructors with room left first, of the course's area first, the least filled first, then at random
        left = targets[n] - len(teaches[n])
        return (left <= 0, home[n] != area, -left, rng.random())

    order = list(range(len(courses)))
    rng.shuffle(order)
    for c in order:
        for _ in range(2):
            n = min(
                (n for n in range(count) if courses[c].id not in teaches[n]), key=lambda n: score(n, course_area[c])
            )
            teaches[n].append(courses[c].id)
    for n in range(count):
        while len(teaches[n]) < targets[n]:
            candidates = [c for c in courses if c.id not in teaches[n]]
            if not candidates:
                break
            same = [c for c, a in zip(courses, course_area, strict=True) if a == home[n] and c.id not in teaches[n]]
            pool = same if same and rng.random() < 0.7 else candidates
            teaches[n].append(rng.choice(pool).id)
    return teaches


def _instructors(rng: random.Random, teaches: list[list[str]], year: int) -> list[Instructor]:
    instructors = []
    surnames = list(SURNAMES)
    rng.shuffle(surnames)
    for n, courses in enumerate(teaches):
        surname = surnames[n % len(surnames)]
        initial = chr(ord("A") + rng.randrange(26))
        available: tuple[Period, ...] = ()
        if rng.random() < 1 / 3:  # a visiting instructor: one to three windows of 5 to 14 weeks
            windows = []
            first = D(year, 1, 3)
            for _ in range(rng.randint(1, 3)):
                start = first + datetime.timedelta(days=rng.randint(0, 120))
                end = start + datetime.timedelta(weeks=rng.randint(5, 14), days=-1)
                if end > D(year, 12, 31):
                    break
                windows.append(Period(start, end))
                first = end + datetime.timedelta(days=14)
            available = tuple(windows)
        max_weeks = rng.randint(6, 20) if rng.random() < 0.4 else None
        instructors.append(
            Instructor(
                id=f"I{n + 1:02d}",
                name=f"{initial}. {surname}",
                courses=tuple(sorted(courses)),
                organisation=rng.choice(ORGANISATIONS),
                available=available,
                max_weeks=max_weeks,
            )
        )
    return instructors


def _demand(rng: random.Random, courses: list[Course], runs: int, year: int) -> list[Demand]:
    """`runs` runs over the courses, 1 to 6 each (at most 3 for two-week courses)."""
    most = [3 if c.duration_days >= 10 else 6 for c in courses]
    if not len(courses) <= runs <= sum(most):
        raise ValueError(f"{runs} runs cannot be spread over {len(courses)} courses at 1 to 6 runs each.")
    counts = [1] * len(courses)
    weights = [2.0 if c.duration_days <= 2 else 1.0 for c in courses]
    for _ in range(runs - len(courses)):
        open_ = [k for k in range(len(courses)) if counts[k] < most[k]]
        k = open_[_pick_weighted(rng, [weights[k] for k in open_])]
        counts[k] += 1
    demand = []
    for course, count in zip(courses, counts, strict=True):
        earliest = latest = None
        window = rng.random()
        if window < 0.08:
            latest = D(year, 6, 30)  # first half of the year
        elif window < 0.16:
            earliest = D(year, 9, 1)  # after the summer
        elif window < 0.24:
            earliest = D(year, rng.choice((3, 4)), 15)
            latest = D(year, rng.choice((10, 11, 12)), 15)
        preferred: tuple[int, ...] = ()
        if rng.random() < 0.4:
            preferred = tuple(sorted(rng.sample((1, 4, 5, 6, 9, 10, 11, 12), rng.randint(2, 4))))
        gap = rng.choice((0, 0, 0, 7, 14, 21, 30, 45)) if count > 1 else 0
        # the runs and their gaps must fit the demand's window, or the gap shrinks
        span_days = ((latest or D(year, 12, 31)) - (earliest or D(year, 1, 1))).days - 45  # Ramadan and Eids
        weeks = math.ceil(course.duration_days / 5)
        while gap and count * weeks * 7 + (count - 1) * gap > span_days:
            gap = max(0, gap - 7)
        priority = rng.choice((1, 1, 1, 2, 2, 3))
        demand.append(
            Demand(
                course.id,
                count,
                earliest=earliest,
                latest=latest,
                preferred_months=preferred,
                min_gap_days=gap,
                priority=priority,
            )
        )
    return demand


def _precedences(rng: random.Random, courses: list[Course], course_area: list[str]) -> list[Precedence]:
    """A few "basic before advanced" pairs in one area; the earlier course in the list always comes first,
    so there is no cycle."""
    pairs = []
    wanted = max(1, len(courses) // 12)
    for _ in range(wanted * 4):
        if len(pairs) >= wanted:
            break
        a, b = sorted(rng.sample(range(len(courses)), 2))
        if course_area[a] != course_area[b] or courses[a].duration_days >= 10:
            continue
        pair = Precedence(courses[a].id, courses[b].id)
        if pair not in pairs:
            pairs.append(pair)
    return pairs


def centre_instance(
    seed: int, *, courses: int, runs: int, instructors: int, rooms: int, venues: int = 1, year: int = 2027
) -> Instance:
    """A year of a training centre with these many courses, demanded runs, instructors and rooms (see the
    module's docstring); the same arguments give the same instance."""
    if courses < 1 or instructors < 2 or rooms < 1 or venues < 1:
        raise ValueError("At least one course, two instructors, one room and one venue.")
    rng = random.Random(seed)  # noqa: S311  # seeded test data, not secrets  # nosec B311
    venue_names = ["centre"] + [f"mobile-{n}" for n in range(1, venues)]
    room_list = _rooms(rng, rooms, venue_names)
    groups = max(4, min(len(AUDIENCES), round(courses / rng.uniform(5, 10))))
    audiences = list(AUDIENCES[:groups])
    course_list, course_area = _courses(rng, courses, room_list, audiences, venue_names)
    teaches = _qualifications(rng, course_list, course_area, instructors)
    instance = Instance(
        year=year,
        working_week=(6, 0, 1, 2, 3),
        blackouts=tuple(default_blackouts(year)),
        rooms=tuple(room_list),
        instructors=tuple(_instructors(rng, teaches, year)),
        courses=tuple(course_list),
        demand=tuple(_demand(rng, course_list, runs, year)),
        precedences=tuple(_precedences(rng, course_list, course_area)),
    )
    check(instance)
    return instance


def competing_instance(
    seed: int,
    *,
    courses: int,
    runs: int,
    instructors: int,
    rooms: int,
    venues: int = 1,
    year: int = 2027,
    lock_share: float = 0.1,
) -> Instance:
    """A year where courses compete (issue 18): the centre's year of `centre_instance`, then made hard on
    purpose: three audience groups hold nine courses in ten, half the instructors visit in one or two
    windows of five to ten weeks, one seminar room gets the centre's only simulator and a quarter of the
    centre's courses need it, and a share of the runs of a first greedy plan is locked in place (valid
    locks, as staff keep runs they like). The same arguments give the same instance."""
    from icihub.planning.greedy import greedy  # pure too

    base = centre_instance(
        seed, courses=courses, runs=runs, instructors=instructors, rooms=rooms, venues=venues, year=year
    )
    rng = random.Random(seed * 7919 + 17)  # noqa: S311  # seeded test data, not secrets  # nosec B311
    groups = list(AUDIENCES[:3])
    centre_rooms = [r for r in base.rooms if r.venue == "centre"]
    simulator = max(centre_rooms[3:] or centre_rooms, key=lambda r: (r.capacity, r.id))
    rooms_out = tuple(
        dataclasses.replace(r, equipment=(*r.equipment, "simulator")) if r.id == simulator.id else r for r in base.rooms
    )
    courses_out = []
    for course in base.courses:
        audience = rng.choice(groups) if rng.random() < 0.9 else ""
        equipment = course.equipment
        if course.venue in (None, "centre") and not course.equipment and rng.random() < 0.25:
            equipment = ("simulator",)
        participants = (
            min(course.participants, simulator.capacity) if equipment == ("simulator",) else course.participants
        )
        courses_out.append(
            dataclasses.replace(course, audience=audience, equipment=equipment, participants=participants)
        )
    instructors_out = []
    for instructor in base.instructors:
        available = instructor.available
        if rng.random() < 0.5:
            windows, first = [], D(year, 1, 3) + datetime.timedelta(days=rng.randint(0, 150))
            for _ in range(rng.randint(1, 2)):
                end = first + datetime.timedelta(weeks=rng.randint(5, 10), days=-1)
                if end > D(year, 12, 31):
                    break
                windows.append(Period(first, end))
                first = end + datetime.timedelta(days=rng.randint(30, 90))
            available = tuple(windows) or available
        instructors_out.append(dataclasses.replace(instructor, available=available))
    instance = dataclasses.replace(
        base, rooms=rooms_out, courses=tuple(courses_out), instructors=tuple(instructors_out)
    )
    check(instance)
    placed = sorted(greedy(instance).runs, key=lambda r: (r.course, r.run))
    chosen = rng.sample(placed, round(lock_share * len(placed))) if placed else []
    # A course's locked runs are its first ones (runs are placed in order), so its later runs stay free.
    locks = tuple(
        Lock(r.course, r.run, r.start, r.room, r.instructor)
        for r in sorted(chosen, key=lambda r: (r.course, r.run))
        if all((r.course, k) in {(c.course, c.run) for c in chosen} for k in range(r.run))
    )
    instance = dataclasses.replace(instance, locks=locks)
    check(instance)
    return instance
