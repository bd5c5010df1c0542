"""The planning workflow in the database: blackouts for a year, the planner's instance built from the
resources and demand, planning runs in the background with their progress, locking and re-planning,
and publishing a plan as iterations. The solving itself is solver.py's, on the same file format
(instance.py) that `icihub plan` reads, so any run can be exported and solved again.

A run being solved names its process in an `.owner` file (host, pid, start time) and beats a heartbeat
every few seconds (background.heartbeat). A run whose process was killed is ended as stopped, in the
audit trail, the next time anyone opens the planner or starts a run (end_stale): at once when that
process ran on this machine and is gone, else once its heartbeat is older than LOST_AFTER. So the page
never shows the solver working for a run nothing is solving."""

import datetime
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.background import HEARTBEAT_LOST_SECONDS, after_commit, heartbeat, owner_gone
from icihub.errors import Conflict
from icihub.planning import blackouts as hijri
from icihub.planning import instance as fmt
from icihub.planning.models import BlackoutPeriod, Demand, Instructor, Iteration, PlanningRun, Room

logger = logging.getLogger(__name__)
LOST_AFTER = datetime.timedelta(seconds=HEARTBEAT_LOST_SECONDS)
STOPPED = "stopped"  # what `error` holds for a run whose process died; the page says it in the reader's language


@transaction.atomic
def load_blackouts(*, actor, year: int, source: str) -> int:
    """Ramadan, the Eids and Kuwait's public holidays for a year. Periods staff have confirmed (or moved
    and confirmed) are kept as they are; the rest are refreshed. Returns how many were added."""
    policy.require(actor, "planning", "run")
    added = 0
    for blackout in hijri.default_blackouts(year):
        existing = BlackoutPeriod.objects.filter(code=blackout.id).first()
        if existing is not None and existing.confirmed:
            continue
        values = {
            "name": blackout.name,
            "name_ar": blackout.name_ar,
            "kind": blackout.kind,
            "start": blackout.start,
            "end": blackout.end,
        }
        if existing is None:
            created = BlackoutPeriod.objects.create(code=blackout.id, **values)
            record(actor=actor, action="blackout.created", obj=created, after=_blackout(created), source=source)
            added += 1
        elif any(getattr(existing, k) != v for k, v in values.items()):
            before = _blackout(existing)
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            record(
                actor=actor,
                action="blackout.updated",
                obj=existing,
                before=before,
                after=_blackout(existing),
                source=source,
            )
    return added


MOST_BLACKOUT_DAYS = 45  # Ramadan is 29 or 30 days; a longer period is a typing error


def confirm_blackout(*, actor, blackout_id: int, start, end, source: str) -> BlackoutPeriod:
    """Confirm a blackout period, moved to the dates staff give (the holidays package's Islamic dates
    are estimates; the announced ones may differ by a day). A confirmed period is kept as it is when the
    year's blackouts are computed again."""
    policy.require(actor, "planning", "run")
    try:
        start, end = datetime.date.fromisoformat(str(start)), datetime.date.fromisoformat(str(end))
    except ValueError:
        raise Conflict(_("Give the first and last day as dates (YYYY-MM-DD).")) from None
    if end < start:
        raise Conflict(_("The last day is before the first."))
    if (end - start).days + 1 > MOST_BLACKOUT_DAYS:
        raise Conflict(_("A blackout period is at most %(days)d days.") % {"days": MOST_BLACKOUT_DAYS})
    with transaction.atomic():
        period = BlackoutPeriod.objects.select_for_update().filter(pk=blackout_id).first()
        if period is None:
            raise Conflict(_("There is no such blackout period."))
        before = _blackout(period)
        period.start, period.end, period.confirmed = start, end, True
        period.save(update_fields=["start", "end", "confirmed"])
        record(
            actor=actor, action="blackout.confirmed", obj=period, before=before, after=_blackout(period), source=source
        )
    return period


def _blackout(period: BlackoutPeriod) -> dict:
    return {
        "name": period.name,
        "name_ar": period.name_ar,
        "kind": period.kind,
        "start": period.start,
        "end": period.end,
        "confirmed": period.confirmed,
    }


def build_instance(year: int, *, locks: tuple[fmt.Lock, ...] = ()) -> fmt.Instance:
    """The planner's instance for a year, from the database."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    demand = list(Demand.objects.filter(year=year).select_related("course", "venue").prefetch_related("must_follow"))
    demanded = {d.course.code for d in demand}
    instructors = Instructor.objects.prefetch_related("courses", "availability")
    return fmt.Instance(
        year=year,
        working_week=tuple(settings.ICIHUB_WORKING_WEEK),
        blackouts=tuple(
            fmt.Blackout(b.code, b.name, b.start, b.end, b.kind, b.name_ar)
            for b in BlackoutPeriod.objects.filter(end__gte=first, start__lte=last)
        ),
        rooms=tuple(
            fmt.Room(r.code, r.name_en, r.capacity, r.venue.code, tuple(r.equipment))
            for r in Room.objects.select_related("venue")
        ),
        instructors=tuple(
            fmt.Instructor(
                id=i.code,
                name=i.name,
                courses=tuple(c.code for c in i.courses.all() if c.code in demanded),
                organisation=i.organisation.code if i.organisation_id else "",
                available=tuple(fmt.Period(a.start, a.end) for a in i.availability.all()),
                max_weeks=i.max_weeks,
            )
            for i in instructors
        ),
        courses=tuple(
            fmt.Course(
                id=d.course.code,
                title=d.course.title_en,
                duration_days=d.course.duration_days,
                participants=d.participants,
                equipment=tuple(d.equipment),
                audience=d.audience,
                venue=d.venue.code if d.venue_id else None,
            )
            for d in demand
        ),
        demand=tuple(
            fmt.Demand(
                course=d.course.code,
                runs=d.runs,
                earliest=d.earliest,
                latest=d.latest,
                preferred_months=tuple(d.preferred_months),
                min_gap_days=d.min_gap_days,
                priority=d.priority,
            )
            for d in demand
        ),
        precedences=tuple(
            fmt.Precedence(before=before.code, after=d.course.code)
            for d in demand
            for before in d.must_follow.all()
            if before.code in demanded
        ),
        locks=locks,
    )


def start_run(
    *,
    actor,
    year: int,
    time_limit: int = 60,
    seed: int = 0,
    locks: list[dict] | None = None,
    source: str,
    background: bool = True,
) -> PlanningRun:
    """Record a planning run and solve it: in a background thread (pages), or at once (tests, commands)."""
    policy.require(actor, "planning", "run")
    end_stale()
    if not 1 <= time_limit <= 600:
        raise Conflict(_("The time limit is 1 to 600 seconds."))
    lock_objects = tuple(
        fmt.Lock(
            kept["course"], kept["run"], datetime.date.fromisoformat(kept["start"]), kept["room"], kept["instructor"]
        )
        for kept in locks or []
    )
    try:
        instance = build_instance(year, locks=lock_objects)
        fmt.check(instance)
    except fmt.InstanceError as error:
        raise Conflict(str(error)) from None
    with transaction.atomic():
        run = PlanningRun.objects.create(
            year=year,
            time_limit=time_limit,
            seed=seed,
            created_by=actor,
            locks=locks or [],
            instance=fmt.to_dict(instance),
        )
        record(
            actor=actor,
            action="planning.started",
            obj=run,
            after={"year": year, "time_limit": time_limit, "seed": seed, "locks": len(lock_objects)},
            source=source,
        )
    if not background:
        solve_run(run.pk)
    else:
        from icihub.planning.tasks import solve_planning_run

        after_commit(solve_planning_run, solve_run, run.pk)
    return run


def solve_run(run_id: int) -> None:
    """Solve a recorded run, in a thread of the web process or on a worker (tasks.py). The run is claimed
    first (queued -> running in one update), so a run delivered twice is solved once. The solver works
    in a thread of its own and never touches the database; this thread saves its progress twice a
    second, and the plan at the end, unless the run was ended as stopped meanwhile (end_stale)."""
    claimed = PlanningRun.objects.filter(pk=run_id, state=PlanningRun.State.QUEUED).update(
        state=PlanningRun.State.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        logger.info("planning run %s is not queued; nothing to do", run_id)
        return
    run = PlanningRun.objects.get(pk=run_id)
    with heartbeat(PlanningRun, run_id, _owner_file(run.public_id)):
        _solve_claimed(run)


def _solve_claimed(run: PlanningRun) -> None:
    from icihub.planning.solver import solve

    run_id = run.pk
    state = {"phase": "presolve", "objective": None, "bound": None, "percent": 0}
    result: dict = {}
    finished = threading.Event()

    def progress(event: dict) -> None:
        state["phase"] = event.get("phase", state["phase"])
        if event.get("event") == "solution":
            state["objective"], state["bound"] = event.get("objective"), event.get("bound")

    def work() -> None:
        try:
            result["plan"] = solve(
                fmt.from_dict(run.instance),
                time_limit=run.time_limit,
                wall_limit=run.time_limit,  # staff wait for it: the limit holds in wall seconds too
                seed=run.seed,
                progress=progress,
            )
        except Exception as error:  # noqa: BLE001 - any failure is shown to staff on the run's page
            logger.exception("planning run %s failed", run.public_id)
            result["error"] = error
        finally:
            finished.set()

    began = timezone.now()
    threading.Thread(target=work, daemon=True).start()
    while not finished.wait(0.5):
        elapsed = (timezone.now() - began).total_seconds()
        state["percent"] = min(99, int(100 * elapsed / max(1, run.time_limit)))
        PlanningRun.objects.filter(pk=run_id).update(progress=dict(state))
    running = PlanningRun.objects.filter(pk=run_id, state=PlanningRun.State.RUNNING)
    if "error" in result:
        running.update(state=PlanningRun.State.FAILED, error=str(result["error"]), finished_at=timezone.now())
        return
    running.update(
        state=PlanningRun.State.DONE,
        plan=fmt.plan_to_dict(result["plan"]),
        progress={**state, "percent": 100},
        finished_at=timezone.now(),
    )


def runs_dir() -> Path:
    return Path(settings.VAR_DIR) / "planning-runs"


def _owner_file(public_id) -> Path:
    return runs_dir() / f"{public_id}.owner"


def end_stale() -> int:
    """End as stopped (state failed, error STOPPED) the runs being solved whose process died: on this
    machine and gone (at once), or with a heartbeat older than LOST_AFTER. Each is recorded in the
    audit trail as `planning.stopped`, by the system. Returns how many were ended."""
    lost_before = timezone.now() - LOST_AFTER
    ended = 0
    for run in PlanningRun.objects.filter(state=PlanningRun.State.RUNNING).only("pk", "public_id", "updated_at"):
        if run.updated_at >= lost_before and not owner_gone(_owner_file(run.public_id)):
            continue
        with transaction.atomic():
            stopped = PlanningRun.objects.filter(pk=run.pk, state=PlanningRun.State.RUNNING).update(
                state=PlanningRun.State.FAILED, error=STOPPED, finished_at=timezone.now()
            )
            if not stopped:  # it finished meanwhile
                continue
            record(
                actor=None,
                action="planning.stopped",
                obj=run,
                before={"state": PlanningRun.State.RUNNING, "heartbeat": run.updated_at},
                after={"state": PlanningRun.State.FAILED, "error": STOPPED},
                source="job",
            )
        _owner_file(run.public_id).unlink(missing_ok=True)
        logger.warning("planning run %s lost its process; ended as stopped", run.public_id)
        ended += 1
    return ended


def locks_from(run: PlanningRun, keys: list[str]) -> list[dict]:
    """The plan's runs named by "COURSE#n" keys, as locks for a new run."""
    chosen = set(keys)
    return [
        {k: r[k] for k in ("course", "run", "start", "room", "instructor")}
        for r in run.plan.get("runs", [])
        if f"{r['course']}#{r['run']}" in chosen
    ]


@transaction.atomic
def publish(*, actor, run: PlanningRun, source: str) -> list[Iteration]:
    """Create an iteration, in status planned with its code, for every run of the plan. All or nothing."""
    from icihub.planning.services import create_iteration

    policy.require(actor, "planning", "publish")
    run = PlanningRun.objects.select_for_update().get(pk=run.pk)
    if run.state != PlanningRun.State.DONE:
        raise Conflict(_("Only a finished plan that is not yet published can be published."))
    rooms = {r.code: r for r in Room.objects.select_related("venue")}
    participants = {
        d.course.code: d.participants for d in Demand.objects.filter(year=run.year).select_related("course")
    }
    today = timezone.localdate()
    created = []
    for planned in sorted(run.plan.get("runs", []), key=lambda r: (r["start"], r["course"], r["run"])):
        start = datetime.date.fromisoformat(planned["start"])
        close = start - datetime.timedelta(weeks=3)
        room = rooms.get(planned["room"])
        mobile = room is not None and room.venue.code != "centre"
        iteration = create_iteration(
            actor=actor,
            source=source,
            data={
                "course": planned["course"],
                "start_date": start,
                "capacity": participants.get(planned["course"], 25),
                "venue": Iteration.Venue.MOBILE if mobile else Iteration.Venue.CENTRE,
                "location_en": room.venue.name_en if mobile else "",
                "location_ar": room.venue.name_ar if mobile else "",
                "nominations_open": min(today, close - datetime.timedelta(days=1)),
                "nominations_close": close,
            },
        )
        planned["iteration"] = iteration.code
        created.append(iteration)
    run.state = PlanningRun.State.PUBLISHED
    run.save(update_fields=["state", "plan"])
    record(
        actor=actor,
        action="planning.published",
        obj=run,
        after={"iterations": [i.code for i in created]},
        source=source,
    )
    return created


# --- demand from nations' bids -------------------------------------------------------------------


@transaction.atomic
def bid_for_course(*, actor, year: int, course, seats: int, source: str):
    """A point of contact asks for seats for their nation on a course over a year (0 withdraws the bid).
    Only courses the nation may see and is in the audience of can be bid for."""
    from icihub.catalogue.models import Course
    from icihub.planning.models import CourseBid

    policy.require(actor, "allocation", "bid")
    if not 0 <= int(seats) <= 500:
        raise Conflict(_("Request between 0 and 500 seats."))
    visible = policy.visible_courses(actor, Course.objects.filter(pk=course.pk))
    if not visible.filter(policy.in_audience_of(actor, course="")).exists():
        raise Conflict(_("Your nation is not in the training audience of %(code)s.") % {"code": course.code})
    party = policy.party_of(actor)
    bid = CourseBid.objects.select_for_update().filter(year=year, course=course, **party).first()
    before = {"seats": bid.seats} if bid else None
    if int(seats) == 0:
        if bid is not None:
            record(actor=actor, action="course_bid.withdrawn", obj=bid, before=before, source=source)
            bid.delete()
        return None
    bid = bid or CourseBid(year=year, course=course, **party)
    bid.seats = int(seats)
    bid.save()
    record(actor=actor, action="course_bid.saved", obj=bid, before=before, after={"seats": bid.seats}, source=source)
    return bid


@transaction.atomic
def demand_from_bids(*, actor, year: int, source: str) -> int:
    """Set each bid-for course's runs to the fewest that seat every bid (seats / participants per run,
    rounded up); a course without demand gets some with the defaults. Returns how many changed."""
    from django.db.models import Sum

    from icihub.planning.models import CourseBid

    policy.require(actor, "planning", "run")
    changed = 0
    totals = CourseBid.objects.filter(year=year).values("course").annotate(seats=Sum("seats"))
    for row in totals:
        demand = Demand.objects.select_for_update().filter(year=year, course_id=row["course"]).first()
        if demand is None:
            demand = Demand(year=year, course_id=row["course"], runs=0)
        runs = -(-row["seats"] // max(1, demand.participants))
        if demand.pk is None or demand.runs != runs:
            before = {"runs": demand.runs} if demand.pk else None
            demand.runs = runs
            demand.save()
            record(
                actor=actor,
                action="demand.from_bids",
                obj=demand,
                before=before,
                after={"runs": runs, "seats_bid": row["seats"]},
                source=source,
            )
            changed += 1
    return changed
