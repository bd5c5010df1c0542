"""Planning pages for staff: blackouts for a year, planning runs with their progress, the plan as a
calendar and as Gantt charts by room and by instructor, locking and re-planning, publishing; and the
published calendar as iCalendar, CSV and XLSX for everyone who may see it."""

import datetime
import json
from collections import defaultdict

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from icalendar import Calendar, Event

from icihub.accounts import policy
from icihub.catalogue.models import Course
from icihub.catalogue.transfer import csv_file, xlsx_file
from icihub.converters import FIRST_YEAR, LAST_YEAR
from icihub.errors import Conflict
from icihub.planning import planner, reasons
from icihub.planning.models import BlackoutPeriod, CourseBid, Demand, Iteration, PlanningRun
from icihub.throttle import limited


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@require_http_methods(["GET", "POST"])
def planning_home(request):
    policy.require(request.user, "planning", "view")
    year = _int(request.POST.get("year") or request.GET.get("year"), timezone.localdate().year + 1)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "from_bids":
                changed = planner.demand_from_bids(actor=request.user, year=year, source="web")
                messages.success(request, _("%(count)d courses' runs set from nations' bids.") % {"count": changed})
            elif action == "blackouts":
                added = planner.load_blackouts(actor=request.user, year=year, source="web")
                messages.success(
                    request, _("%(count)d blackout periods added for %(year)d.") % {"count": added, "year": year}
                )
            elif action == "confirm_blackout":
                period = planner.confirm_blackout(
                    actor=request.user,
                    blackout_id=_int(request.POST.get("blackout"), 0),
                    start=request.POST.get("start", ""),
                    end=request.POST.get("end", ""),
                    source="web",
                )
                messages.success(request, _("%(name)s confirmed.") % {"name": period.name})
            elif action == "run":
                run = planner.start_run(
                    actor=request.user,
                    year=year,
                    time_limit=_int(request.POST.get("time_limit"), 60),
                    seed=_int(request.POST.get("seed"), 0),
                    source="web",
                )
                return redirect("planning:run", public_id=run.public_id)
        except Conflict as error:
            messages.error(request, str(error))
        return redirect(f"{request.path}?year={year}")
    planner.end_stale()  # a run whose process died is listed as stopped, not as running for ever
    return render(
        request,
        "planning/home.html",
        {
            "year": year,
            "runs": PlanningRun.objects.select_related("created_by")[:30],
            "blackouts": BlackoutPeriod.objects.filter(end__year__gte=year, start__year__lte=year),
            "demand": Demand.objects.filter(year=year).select_related("course"),
            "bids": dict(
                CourseBid.objects.filter(year=year)
                .values("course__code")
                .annotate(total=Sum("seats"))
                .values_list("course__code", "total")
            ),
            "can_run": policy.allows(request.user, "planning", "run"),
        },
    )


def _get_run(request, public_id, verb="view") -> PlanningRun:
    policy.require(request.user, "planning", verb)
    try:
        return PlanningRun.objects.get(public_id=public_id)
    except PlanningRun.DoesNotExist:
        raise Http404("No such planning run.") from None


def gantt(runs: list[dict], key: str, year: int) -> list[tuple[str, list[tuple[int, dict | None]]]]:
    """Rows of (label, [(weeks, run or None), ...]) over the 53 weeks of the year, by room or instructor."""
    first = datetime.date(year, 1, 1)

    def week(day: str) -> int:
        return min(52, (datetime.date.fromisoformat(day) - first).days // 7)

    rows = []
    for label in sorted({r[key] for r in runs}):
        cells, at = [], 0
        for run in sorted((r for r in runs if r[key] == label), key=lambda r: r["start"]):
            begin, end = week(run["start"]), week(run["end"])
            if begin < at:  # two short runs in one week: show the second in the next free cell
                begin = at
                end = max(end, begin)
            if begin > at:
                cells.append((begin - at, None))
            cells.append((end - begin + 1, run))
            at = end + 1
        if at < 53:
            cells.append((53 - at, None))
        rows.append((label, cells))
    return rows


def month_axis(year: int) -> list[tuple[datetime.date, int]]:
    """The Gantt chart's month row: each month's first day and how many of the 53 week columns start in
    it (a week belongs to the month its first day falls in), so the months' spans add up to 53."""
    first = datetime.date(year, 1, 1)
    spans: dict[datetime.date, int] = {}
    for week in range(53):
        day = first + datetime.timedelta(weeks=week)
        month = datetime.date(year, day.month, 1) if day.year == year else datetime.date(year, 12, 1)
        spans[month] = spans.get(month, 0) + 1
    return list(spans.items())


def _phase_labels() -> dict:
    """The solver's phase and status names (solver.py, Plan.phases), as staff read them."""
    return {
        "presolve": _("preparing the model"),
        "greedy": _("greedy plan"),
        "pooled bound": _("1. least unmet demand: bound from the shared instructors, rooms and audiences"),
        "search": _("1. least unmet demand: neighbourhood search"),
        "unmet demand": _("1. least unmet demand: whole model"),
        "quality": _("2. quality of the calendar"),
        "greedy fallback": _("greedy plan kept"),
        "OPTIMAL": _("proven optimal"),
        "FEASIBLE": _("feasible, not proven optimal"),
        "UNKNOWN": _("no plan found in the time"),
        "INFEASIBLE": _("infeasible"),
        "MODEL_INVALID": _("invalid model"),
        "proof": _("proof"),
        "work limit": _("work limit"),
        "wall limit": _("time limit"),
        "stall": _("no further improvement"),
        "bound reached": _("the plan reaches the bound"),
    }


class _PageLanguage(reasons.English):
    """How a page says the planner's explanations: its own language's words, days and separator."""

    def __init__(self):
        self.code = "ar" if (translation.get_language() or "").startswith("ar") else "en"
        self.separator = _("; ")

    def gettext(self, message: str) -> str:
        return _(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translation.ngettext(singular, plural, n)

    def day(self, day: datetime.date) -> str:
        return formats.date_format(day, "j M")

    def period(self, start: datetime.date, end: datetime.date) -> str:
        return _("%(start)s-%(end)s %(year)s") % {"start": self.day(start), "end": self.day(end), "year": end.year}

    def all(self, items: list[str]) -> str:
        return _(" and ").join(items)


def _explanation(plan: dict, titles: dict[str, str]) -> list[dict]:
    """The plan's explanations in the page's language, each course named by its title in that language
    (`titles`, by code); a plan made before they were kept as data has its English sentences, marked so."""
    if plan.get("reasons"):
        language = _PageLanguage()

        def titled(item: dict) -> dict:
            fields = item["fields"]
            if "title" in fields and fields.get("course") in titles:
                return {**item, "fields": {**fields, "title": titles[fields["course"]]}}
            return item

        return [
            {"text": reasons.say([titled(item) for item in sentence], language), "lang": ""}
            for sentence in plan["reasons"]
        ]
    return [{"text": sentence, "lang": "en"} for sentence in plan.get("explanation", [])]


@require_http_methods(["GET", "POST"])
def planning_run(request, public_id):
    run = _get_run(request, public_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "replan":
                policy.require(request.user, "planning", "run")
                locks = planner.locks_from(run, request.POST.getlist("lock"))
                new = planner.start_run(
                    actor=request.user,
                    year=run.year,
                    time_limit=run.time_limit,
                    seed=run.seed,
                    locks=locks,
                    source="web",
                )
                return redirect("planning:run", public_id=new.public_id)
            if action == "publish":
                created = planner.publish(actor=request.user, run=run, source="web")
                messages.success(
                    request, _("%(count)d iterations created, in status planned.") % {"count": len(created)}
                )
        except Conflict as error:
            messages.error(request, str(error))
        return redirect("planning:run", public_id=public_id)
    if run.state == PlanningRun.State.RUNNING and planner.end_stale():
        run.refresh_from_db()  # its process died: shown stopped, and the page stops refreshing itself
    runs = run.plan.get("runs", [])
    # The calendar and the charts name each course by its title, in the page's language, not its code only.
    named = {r["course"] for r in runs} | set(run.plan.get("unmet", {}))
    titles = {course.code: course.title for course in Course.objects.filter(code__in=named)}
    runs = [{**item, "title": titles.get(item["course"], item["course"])} for item in runs]
    by_month = defaultdict(list)
    for item in sorted(runs, key=lambda r: r["start"]):
        by_month[int(item["start"][5:7])].append(item)
    locked = {f"{lock['course']}#{lock['run']}" for lock in run.locks}
    labels = _phase_labels()
    phases = [
        {
            **phase,
            "label": labels.get(phase.get("name"), phase.get("name")),
            "status_label": labels.get(phase.get("status"), phase.get("status", "")),
            "ended_label": labels.get(phase.get("ended_by"), phase.get("ended_by", "")),
        }
        for phase in run.plan.get("phases", [])
    ]
    progress_phase = (run.progress or {}).get("phase", "")
    progress_label = labels.get(progress_phase, progress_phase)
    return render(
        request,
        "planning/run.html",
        {
            "run": run,
            "working": run.state in (PlanningRun.State.QUEUED, PlanningRun.State.RUNNING),
            "months": [(datetime.date(run.year, month, 1), items) for month, items in sorted(by_month.items())],
            "phases": phases,
            "explanation": _explanation(run.plan, titles),
            "progress_label": progress_label,
            "rooms": gantt(runs, "room", run.year),
            "instructors": gantt(runs, "instructor", run.year),
            "weeks": range(1, 54),
            "month_axis": month_axis(run.year),
            "locked": locked,
            "can_run": policy.allows(request.user, "planning", "run"),
            "can_publish": run.state == PlanningRun.State.DONE and policy.allows(request.user, "planning", "publish"),
        },
    )


@require_GET
def planning_file(request, public_id, part):
    """The run's instance or plan as JSON: solve it again with `icihub plan`, or share it."""
    run = _get_run(request, public_id)
    body = json.dumps(run.instance if part == "instance" else run.plan, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="icihub-{run.year}-{part}.json"'
    return response


COLUMNS = ("code", "course", "title", "start", "end", "venue", "location", "capacity", "status")


def _calendar_rows(request, year: int):
    iterations = (
        Iteration.objects.visible_to(request.user)
        .filter(start_date__year=year)
        .exclude(status=Iteration.Status.CANCELLED)
        .select_related("course")
        .order_by("start_date", "code")
    )
    for i in iterations:
        yield (
            i,
            [
                i.code,
                i.course.code,
                i.course.title_en,
                i.start_date.isoformat(),
                i.end_date.isoformat(),
                i.venue,
                i.location_en,
                i.capacity,
                i.status,
            ],
        )


@require_GET
@limited("export")
def calendar_export(request, year: int, file_format: str):
    """The year's calendar of iterations the reader may see, as iCalendar, CSV or XLSX."""
    year = int(year)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(f"No calendar for the year {year}.")
    rows = list(_calendar_rows(request, year))
    if file_format == "ics":
        calendar = Calendar()
        calendar.add("prodid", "-//icihub//calendar//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", f"icihub {year}")
        for iteration, _row in rows:
            event = Event()
            event.add("uid", f"iteration-{iteration.public_id}@icihub")
            event.add("sequence", iteration.revision)
            event.add("dtstamp", timezone.now())
            event.add("dtstart", iteration.start_date)
            event.add("dtend", iteration.end_date + datetime.timedelta(days=1))
            event.add("summary", iteration.calendar_summary)
            event.add("location", iteration.location_en or "NATO-ICI Regional Centre, Kuwait")
            calendar.add_component(event)
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    elif file_format == "csv":
        response = HttpResponse(csv_file(COLUMNS, (row for _i, row in rows)), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_file(str(year), COLUMNS, (row for _i, row in rows)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="icihub-calendar-{year}.{file_format}"'
    return response


@require_http_methods(["GET", "POST"])
def course_bids(request):
    """A point of contact's seat requests for next year's courses: the demand nations put to the planner."""
    policy.require(request.user, "allocation", "bid")
    from icihub.catalogue.models import Course

    year = _int(request.POST.get("year") or request.GET.get("year"), timezone.localdate().year + 1)
    courses = (
        Course.objects.visible_to(request.user)
        .filter(policy.in_audience_of(request.user, course=""))
        .distinct()
        .order_by("code")
    )
    party = policy.party_filter(request.user)
    if request.method == "POST":
        changed = 0
        for course in courses:
            value = request.POST.get(f"seats-{course.code}", "").strip()
            if value == "":
                continue
            try:
                planner.bid_for_course(actor=request.user, year=year, course=course, seats=int(value), source="web")
                changed += 1
            except (ValueError, Conflict) as error:
                messages.error(request, f"{course.code}: {error}")
        messages.success(request, _("%(count)d requests saved.") % {"count": changed})
        return redirect(f"{request.path}?year={year}")
    mine = dict(CourseBid.objects.filter(party, year=year).values_list("course__code", "seats"))
    rows = [(course, mine.get(course.code, "")) for course in courses]
    return render(request, "planning/bids.html", {"year": year, "rows": rows})
