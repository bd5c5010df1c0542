"""Why demand cannot be met, in words: a minimal set of rules that conflict.

For a course whose runs could not all be placed, a small CP-SAT model holds just that course with
every rule that could stand in its way guarded by an assumption literal: each blackout, the demand
itself (all its runs), the least gap between runs, the earliest/latest window, and each instructor's
availability and yearly load. The solver names a set of assumptions that cannot all hold; removing
them one at a time while the rest still conflict shrinks it to a minimal set, which becomes a
sentence: "Instructor I. Kovacs is available 1 Feb-30 Apr 2027 only; Ramadan 1448 blocks
8 Feb-9 Mar 2027; 3 runs of 10 days of LL-CAP with at least 10 days between them do not fit."

When the course's runs fit on their own, they lose to other courses over shared instructors, rooms or
audience groups, and the sentence says that instead. Pure: no Django."""

import datetime
import time

from ortools.sat.python import cp_model

from icihub.planning.instance import Instance, Plan
from icihub.planning.reasons import gettext_noop, name, ngettext, period, phrase, say
from icihub.planning.slots import Calendar


def _runs(n: int) -> dict:
    return ngettext("%(n)d run", "%(n)d runs", n)


def _days(n: int) -> dict:
    return ngettext("%(n)d day", "%(n)d days", n)


class _CourseModel:
    def __init__(self, instance: Instance, course_id: str):
        self.instance = instance
        self.course = instance.course(course_id)
        self.demand = next(d for d in instance.demand if d.course == course_id)
        self.origin = instance.period.start
        self.model = cp_model.CpModel()
        self.guards: dict[int, dict] = {}  # literal index -> sentence part (a phrase)
        self.kinds: dict[int, str] = {}
        self.literals: dict[int, cp_model.IntVar] = {}
        self._build()

    def o(self, day: datetime.date) -> int:
        return (day - self.origin).days

    def guard(self, kind: str, part: dict):
        literal = self.model.NewBoolVar(say([part]))
        self.guards[literal.Index()] = part
        self.kinds[literal.Index()] = kind
        self.literals[literal.Index()] = literal
        return literal

    def _build(self) -> None:
        m, course, demand = self.model, self.course, self.demand
        free = Calendar(self.instance, ignore_blackouts=True).slots(course)
        real = Calendar(self.instance).slots(course)
        slots = sorted({(s.start, s.end) for s in [*free, *real]})
        rooms = [
            r
            for r in self.instance.rooms
            if r.capacity >= course.participants
            and set(course.equipment) <= set(r.equipment)
            and (course.venue is None or course.venue == r.venue)
        ]
        instructors = [i for i in self.instance.instructors if course.id in i.courses]
        self.rooms, self.instructors, self.slots = rooms, instructors, slots

        what = {"runs": _runs(demand.runs), "days": _days(course.duration_days), "title": course.title,
                "course": course.id}  # fmt: skip
        earliest, latest = demand.earliest or self.instance.period.start, demand.latest or self.instance.period.end
        window = bool(demand.earliest or demand.latest)
        if demand.min_gap_days and window:
            demand_part = phrase(
                gettext_noop(
                    "%(runs)s of %(days)s of %(title)s (%(course)s) with at least %(gap)s between them, "
                    "between %(earliest)s and %(latest)s, do not fit."
                ),
                gap=_days(demand.min_gap_days), earliest=earliest, latest=latest, **what,
            )  # fmt: skip
        elif demand.min_gap_days:
            demand_part = phrase(
                gettext_noop(
                    "%(runs)s of %(days)s of %(title)s (%(course)s) with at least %(gap)s between them do not fit."
                ),
                gap=_days(demand.min_gap_days), **what,
            )  # fmt: skip
        elif window:
            demand_part = phrase(
                gettext_noop(
                    "%(runs)s of %(days)s of %(title)s (%(course)s) between %(earliest)s and %(latest)s do not fit."
                ),
                earliest=earliest, latest=latest, **what,
            )  # fmt: skip
        else:
            demand_part = phrase(gettext_noop("%(runs)s of %(days)s of %(title)s (%(course)s) do not fit."), **what)
        demand_guard = self.guard("demand", demand_part)
        gap_guard = self.guard("demand", demand_part) if demand.min_gap_days else None
        window_guard = self.guard("demand", demand_part) if window else None
        blackout_guards = [
            (
                b,
                self.guard(
                    "blackout",
                    phrase(
                        gettext_noop("%(blackout)s blocks %(period)s"),
                        blackout=name(b.name, b.name_ar),
                        period=period(b.start, b.end),
                    ),
                ),
            )  # fmt: skip
            for b in self.instance.blackouts
            if b.end >= self.instance.period.start and b.start <= self.instance.period.end
        ]
        availability_guards = {
            i.id: self.guard(
                "instructor",
                phrase(
                    gettext_noop("Instructor %(name)s is available %(periods)s only"),
                    name=i.name,
                    periods=[period(p.start, p.end) for p in i.available],
                ),
            )  # fmt: skip
            for i in instructors
            if i.available
        }
        load_guards = {
            i.id: self.guard(
                "instructor",
                phrase(
                    gettext_noop("Instructor %(name)s teaches at most %(weeks)s a year"),
                    name=i.name,
                    weeks=ngettext("%(n)d week", "%(n)d weeks", i.max_weeks),
                ),
            )  # fmt: skip
            for i in instructors
            if i.max_weeks is not None
        }
        pairs = [(self.o(s), self.o(e)) for s, e in slots] or [(0, 0)]
        previous = None
        loads = {i.id: [] for i in instructors}
        for k in range(demand.runs):
            present = m.NewBoolVar(f"present {k}")
            m.AddImplication(demand_guard, present)
            start = m.NewIntVarFromDomain(cp_model.Domain.FromValues(sorted({a for a, _ in pairs})), f"start {k}")
            end = m.NewIntVarFromDomain(cp_model.Domain.FromValues(sorted({b for _, b in pairs})), f"end {k}")
            m.AddAllowedAssignments([start, end], pairs)
            if not slots or not rooms or not instructors:
                m.Add(present == 0)
            if window_guard is not None:
                if demand.earliest:
                    m.Add(start >= self.o(demand.earliest)).OnlyEnforceIf([window_guard, present])
                if demand.latest:
                    m.Add(end <= self.o(demand.latest)).OnlyEnforceIf([window_guard, present])
            for blackout, literal in blackout_guards:
                before = m.NewBoolVar("")
                after = m.NewBoolVar("")
                m.Add(end < self.o(blackout.start)).OnlyEnforceIf(before)
                m.Add(start > self.o(blackout.end)).OnlyEnforceIf(after)
                m.AddBoolOr([before, after, literal.Not(), present.Not()])
            teaching = {i.id: m.NewBoolVar(f"{k} by {i.id}") for i in instructors}
            if teaching:
                m.Add(sum(teaching.values()) == present)
            for instructor in instructors:
                use = teaching[instructor.id]
                if instructor.id in availability_guards:
                    inside = []
                    for available in instructor.available:
                        within = m.NewBoolVar("")
                        m.Add(start >= self.o(available.start)).OnlyEnforceIf(within)
                        m.Add(end <= self.o(available.end)).OnlyEnforceIf(within)
                        inside.append(within)
                    m.AddBoolOr([*inside, use.Not(), availability_guards[instructor.id].Not()])
                loads[instructor.id].append(use)
            if previous is not None:
                prev_present, prev_end = previous
                m.AddImplication(present, prev_present)
                m.Add(start > prev_end).OnlyEnforceIf(present)
                if gap_guard is not None:
                    m.Add(start >= prev_end + 1 + demand.min_gap_days).OnlyEnforceIf([present, gap_guard])
            previous = (present, end)
        for instructor_id, literal in load_guards.items():
            instructor = next(i for i in instructors if i.id == instructor_id)
            # Each run counts at least one week; longer runs count more, which only makes it harder.
            weeks = max(1, -(-course.duration_days // len(self.instance.working_week)))
            m.Add(weeks * sum(loads[instructor_id]) <= instructor.max_weeks).OnlyEnforceIf(literal)

    def infeasible(self, assumptions: list[int], seconds: float) -> bool | None:
        self.model.ClearAssumptions()
        self.model.AddAssumptions([self.literals[index] for index in assumptions])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.1, seconds)
        status = solver.Solve(self.model)
        if status == cp_model.INFEASIBLE:
            return True
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        return None

    def core(self, seconds: float) -> list[int] | None:
        self.model.ClearAssumptions()
        self.model.AddAssumptions(list(self.literals.values()))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.1, seconds)
        if solver.Solve(self.model) != cp_model.INFEASIBLE:
            return None
        return list(solver.SufficientAssumptionsForInfeasibility())


def explain_course(instance: Instance, course_id: str, *, seconds: float = 5.0, plan: Plan | None = None) -> list[dict]:
    """One sentence (its phrases, see reasons.py) on why the course's demanded runs cannot all be placed;
    given the plan, the rooms, instructors and audience group that are full where its runs could go."""
    deadline = time.perf_counter() + seconds
    model = _CourseModel(instance, course_id)
    course = model.course
    if not model.rooms:
        fields = {"participants": ngettext("%(n)d participant", "%(n)d participants", course.participants),
                  "course": course.id, "equipment": list(course.equipment), "venue": course.venue or ""}  # fmt: skip
        if course.equipment and course.venue:
            text = gettext_noop("No room holds %(participants)s with %(equipment)s at %(venue)s for %(course)s.")
        elif course.equipment:
            text = gettext_noop("No room holds %(participants)s with %(equipment)s for %(course)s.")
        elif course.venue:
            text = gettext_noop("No room holds %(participants)s at %(venue)s for %(course)s.")
        else:
            text = gettext_noop("No room holds %(participants)s for %(course)s.")
        return [phrase(text, **fields)]
    what = {"title": course.title, "course": course.id}
    if not model.instructors:
        return [phrase(gettext_noop("No instructor can teach %(title)s (%(course)s)."), **what)]
    if not model.slots:
        text = gettext_noop("%(title)s (%(course)s) has no start in the horizon that fits the working week.")
        return [phrase(text, **what)]
    core = model.core(deadline - time.perf_counter())
    if core is None:
        sentence = [
            phrase(
                gettext_noop(
                    "The %(runs)s of %(title)s (%(course)s) fit on their own, but not beside the other courses: "
                    "they compete for the same instructors, rooms or audience."
                ),
                runs=_runs(model.demand.runs),
                **what,
            )  # fmt: skip
        ]
        full = _full(instance, plan, model) if plan is not None and time.perf_counter() < deadline else []
        if full:
            sentence = [
                phrase(
                    gettext_noop(
                        "The %(runs)s of %(title)s (%(course)s) fit on their own, but not beside the other courses"
                    ),
                    runs=_runs(model.demand.runs),
                    **what,
                )  # fmt: skip
            ]
        return sentence + full
    # Shrink to a minimal conflicting set: drop each assumption the others still conflict without.
    for literal in list(core):
        if time.perf_counter() > deadline or len(core) == 1:
            break
        rest = [other for other in core if other != literal]
        if model.infeasible(rest, min(1.0, deadline - time.perf_counter())):
            core = rest
    # The demand, its gap and its window share one sentence part, said once and last.
    order = {"instructor": 0, "blackout": 1, "demand": 2}
    parts: list[dict] = []
    for literal in sorted(core, key=lambda index: (order[model.kinds[index]], index)):
        if model.guards[literal] not in parts:
            parts.append(model.guards[literal])
    return parts


def _weeks(calendar: Calendar, days: set[datetime.date]) -> list[dict]:
    """These days' weeks, as periods of consecutive weeks (from the first such day to the last)."""
    by_week: dict[int, list[datetime.date]] = {}
    for day in sorted(days):
        by_week.setdefault(calendar.week_of(day), []).append(day)
    spans: list[list[int]] = []
    for week in sorted(by_week):
        if spans and week == spans[-1][-1] + 1:
            spans[-1].append(week)
        else:
            spans.append([week])
    return [period(by_week[span[0]][0], by_week[span[-1]][-1]) for span in spans]


def _full(instance: Instance, plan: Plan, model: "_CourseModel") -> list[dict]:
    """Where the course's runs could go, what the plan has filled: for every slot of the course, the
    instructors qualified for it, the rooms that fit it and its audience group; the resource that is taken
    on every slot where it stands in the way is named, with the weeks it is full."""
    course, calendar = model.course, Calendar(instance)
    runs = [r for r in plan.runs if r.course != course.id]
    audience_of = {c.id: c.audience for c in instance.courses}

    def busy(run_filter, slot) -> bool:
        return any(run_filter(r) and r.start <= slot.end and slot.start <= r.end for r in runs)

    blocked: dict[tuple[str, str], set[datetime.date]] = {}
    for slot in calendar.slots(course, model.demand):
        free_rooms = [room for room in model.rooms if not busy(lambda r, room=room: r.room == room.id, slot)]
        free_instructors = [
            i
            for i in model.instructors
            if (not i.available or any(p.start <= slot.start and slot.end <= p.end for p in i.available))
            and not busy(lambda r, i=i: r.instructor == i.id, slot)
        ]
        taken = []
        if not free_rooms:
            taken += [("room", room.name) for room in model.rooms]
        if not free_instructors:
            taken += [("instructor", i.name) for i in model.instructors]
        if course.audience and busy(lambda r: audience_of.get(r.course) == course.audience, slot):
            taken.append(("audience", course.audience))
        for key in taken:
            blocked.setdefault(key, set()).update({slot.start, slot.end})
    texts = {  # (said between others, said last)
        "room": (
            gettext_noop("room %(name)s is taken in %(weeks)s"),
            gettext_noop("room %(name)s is taken in %(weeks)s."),
        ),
        "instructor": (
            gettext_noop("instructor %(name)s is away or teaching in %(weeks)s"),
            gettext_noop("instructor %(name)s is away or teaching in %(weeks)s."),
        ),
        "audience": (
            gettext_noop("its audience %(name)s is at another course in %(weeks)s"),
            gettext_noop("its audience %(name)s is at another course in %(weeks)s."),
        ),
    }  # fmt: skip
    named = sorted(blocked.items(), key=lambda item: (-len(item[1]), item[0]))[:3]  # the most in the way first
    return [
        phrase(texts[kind][n == len(named) - 1], name=name, weeks=_weeks(calendar, days))
        for n, ((kind, name), days) in enumerate(named)
    ]


def explain_unmet(instance: Instance, plan: Plan, *, seconds: float = 10.0, most: int = 10) -> list[list[dict]]:
    """A sentence for each course with unmet runs (highest priority first), within `seconds` in all."""
    priority = {d.course: d.priority for d in instance.demand}
    courses = sorted(plan.unmet, key=lambda c: (-priority.get(c, 1), c))[:most]
    deadline = time.perf_counter() + seconds
    sentences = []
    for n, course_id in enumerate(courses):
        share = (deadline - time.perf_counter()) / (len(courses) - n)
        if share <= 0:
            sentences.append([phrase(gettext_noop("%(course)s: no time left to explain."), course=course_id)])
            continue
        sentences.append(explain_course(instance, course_id, seconds=share, plan=plan))
    return sentences


def explain_infeasible(instance: Instance) -> list[list[dict]]:
    """The only hard rules that can make the whole model infeasible are locks: say which lock fails."""
    problems = []
    calendar = Calendar(instance)
    for lock in instance.locks:
        course = instance.course(lock.course)
        demand = next(d for d in instance.demand if d.course == lock.course)
        if all(slot.start != lock.start for slot in calendar.slots(course, demand)):
            problems.append(
                [
                    phrase(
                        gettext_noop(
                            "The locked run %(run)s on %(day)s breaks the calendar rules (working week, blackouts, "
                            "week start or the demand's window)."
                        ),
                        run=f"{lock.course}#{lock.run}",
                        day=lock.start.isoformat(),
                    )  # fmt: skip
                ]
            )
    return problems or [
        [phrase(gettext_noop("The locked runs conflict with each other or with the rooms and instructors they name."))]
    ]
