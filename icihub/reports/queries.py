"""Every figure across iterations, as report objects: a report takes the user and the filters, reads
only what the access policy lets that user see (accounts/policy.py), and returns plain rows that the
page, the API and the export all show. docs/reports.md has the recipe for adding one."""

import dataclasses
import datetime
import functools
import hashlib

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Exists, F, Min, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from hijridate import Gregorian

from icihub.accounts import policy
from icihub.catalogue.models import Course, DeliveryMethod, Discipline
from icihub.delivery.models import Attendance
from icihub.evaluation.models import Answer, Kind, Question
from icihub.nominations.models import ACTIVE, Nomination, SeatAllocation, Status
from icihub.partners.models import Framework, Membership, Nation, Organisation
from icihub.planning.models import CourseBid, Iteration
from icihub.reports import summary
from icihub.reports.models import RunFigures

# How long a reader's computed figures are kept; a change to the summary makes them unread at once.
FIGURES_SECONDS = 600
# The oldest and newest years a report may ask for: the centre opened in 2017, and a programme plans
# a few years ahead; a decade of partners' history before it is kept.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclasses.dataclass(frozen=True)
class Filters:
    """What every report can be narrowed by. Codes, as the catalogue and partners show them."""

    year: int
    since: int | None = None  # the first year of a range of years ending with `year`; None: `year` alone
    framework: str = ""
    nation: str = ""
    discipline: str = ""
    course: str = ""
    delivery: str = ""

    FIELDS = ("year", "since", "framework", "nation", "discipline", "course", "delivery")
    CODES = ("framework", "nation", "discipline", "course", "delivery")

    @classmethod
    def from_query(cls, data) -> "Filters":
        """Filters from a query string; every wrong value is named at once (ValidationError by field)."""
        errors: dict[str, list[str]] = {}
        raw_year = str(data.get("year") or "").strip()
        year = timezone.localdate().year
        if raw_year:
            try:
                year = int(raw_year)
            except ValueError:
                errors["year"] = [_("The year is a number such as %(year)s.") % {"year": timezone.localdate().year}]
            else:
                if not FIRST_YEAR <= year <= LAST_YEAR:
                    errors["year"] = [
                        _("The year runs from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
                    ]
        since = None
        raw_since = str(data.get("since") or "").strip()
        if raw_since:
            try:
                since = int(raw_since)
            except ValueError:
                errors["since"] = [_("The first year is a number such as %(year)s.") % {"year": year}]
            else:
                if not FIRST_YEAR <= since <= year:
                    errors["since"] = [
                        _("The first year runs from %(first)s to the year shown, %(year)s.")
                        % {"first": FIRST_YEAR, "year": year}
                    ]
        values = {name: str(data.get(name) or "").strip()[:40] for name in cls.CODES}
        values["framework"], values["nation"] = values["framework"].upper(), values["nation"].upper()
        values["discipline"], values["course"] = values["discipline"].upper(), values["course"].upper()
        known = {
            "framework": (Framework.objects.filter(code=values["framework"]), _("No framework %(code)r.")),
            "nation": (Nation.objects.filter(code=values["nation"]), _("No nation %(code)r.")),
            "discipline": (Discipline.objects.filter(code=values["discipline"]), _("No discipline %(code)r.")),
            "course": (Course.objects.filter(code=values["course"]), _("No course %(code)r.")),
        }
        for name, (rows, message) in known.items():
            if values[name] and not rows.exists():
                errors[name] = [message % {"code": values[name]}]
        if values["delivery"] and values["delivery"] not in DeliveryMethod.values:
            errors["delivery"] = [
                _("The delivery method is one of: %(choices)s.") % {"choices": ", ".join(DeliveryMethod.values)}
            ]
        if errors:
            raise ValidationError(errors)
        return cls(year=year, since=since if since != year else None, **values)

    def as_query(self, **changes) -> dict:
        """The filters as query-string values (empty ones left out), with `changes` applied."""
        values = {name: getattr(self, name) for name in self.FIELDS} | changes
        return {name: value for name, value in values.items() if value not in ("", None)}

    @property
    def first_year(self) -> int:
        return self.since or self.year

    @property
    def period(self) -> str:
        """The year, or the range of years, e.g. "2024-2026"."""
        return f"{self.since}-{self.year}" if self.since else str(self.year)

    @property
    def hijri_years(self) -> str:
        """The Hijri years the Gregorian years span, e.g. "1447-1448"."""
        first = Gregorian(self.first_year, 1, 1).to_hijri().year
        last = Gregorian(self.year, 12, 31).to_hijri().year
        return f"{first}-{last}" if first != last else str(first)

    def of_courses(self, queryset):
        """Rows of `queryset` (with a `course` field) narrowed by the course, discipline and delivery."""
        if self.course:
            queryset = queryset.filter(course__code=self.course)
        if self.discipline:
            queryset = queryset.filter(course__discipline__code=self.discipline)
        if self.delivery:
            queryset = queryset.filter(course__delivery_method=self.delivery)
        return queryset

    def narrows_parties(self) -> bool:
        return bool(self.nation or self.framework)


@dataclasses.dataclass
class FunnelRow:
    """One course's seats for one nation or organisation (the party), from offered to graduated."""

    course_id: int
    party: str  # the nation's or organisation's code
    offered: int = 0
    bid: int = 0
    nominated: int = 0
    confirmed: int = 0
    attended: int = 0
    graduated: int = 0


STAGES = ("offered", "bid", "nominated", "confirmed", "attended", "graduated")
STAGE_LABELS = {
    "offered": gettext_lazy("Seats offered"),
    "bid": gettext_lazy("Seats bid"),
    "nominated": gettext_lazy("Nominated"),
    "confirmed": gettext_lazy("Confirmed"),
    "attended": gettext_lazy("Attended"),
    "graduated": gettext_lazy("Graduated"),
}
# The stages whose figure counts nominations: each links down to the nominations it counts.
PERSON_STAGES = ("nominated", "confirmed", "attended", "graduated")
# The pipeline's figures that count nominations, each with the rows behind it too.
PIPELINE_FIGURES = ("awaiting", "waitlisted", "no_show", "late_withdrawn", "certified", "revoked")
PIPELINE_LABELS = {
    "awaiting": gettext_lazy("Waiting for a decision"),
    "waitlisted": gettext_lazy("On a waiting list"),
    "no_show": gettext_lazy("No-shows (confirmed, never attended a completed run)"),
    "late_withdrawn": gettext_lazy("Late withdrawals (after the nominations closed)"),
    "certified": gettext_lazy("Certificates issued"),
    "revoked": gettext_lazy("Certificates revoked"),
}
FIGURE_LABELS = {**STAGE_LABELS, **PIPELINE_LABELS}
AWAITING = (Status.SUBMITTED, Status.DEFERRED)


class SeatFunnel:
    """The seat funnel of a year's runs (not cancelled), by course and by nation or organisation:
    seats offered (a run's capacity; a party's allocated seats), seats bid for the year, nominations,
    confirmed seats, participants who attended at least one day, graduates (completed the course).

    A point of contact sees their own nation's (or organisation's) rows only, and "offered" is then the
    seats allocated to them; centre staff and HQ see every party, and the total offered is the runs'
    capacity (pool seats included)."""

    def __init__(self, user, filters: Filters):
        policy.require(user, "report", "view")
        summary.refresh()  # the runs changed since the last report, so no figure is behind a commit
        self.user, self.filters = user, filters
        self._rows: list[FunnelRow] | None = None
        self._capacity: dict[int, tuple[int, int]] | None = None
        self._by_party: list[dict] | None = None

    # --- what is counted -------------------------------------------------------------------------
    def iterations(self):
        """The runs of the filters' years that were not cancelled."""
        f = self.filters
        runs = Iteration.objects.filter(start_date__year__gte=f.first_year, start_date__year__lte=f.year)
        runs = runs.exclude(status=Iteration.Status.CANCELLED)
        runs = f.of_courses(runs)
        return runs

    def _parties(self, queryset):
        """Rows of nations and organisations the user may see, narrowed by the nation and framework."""
        rows = policy.visible_party_rows(self.user, queryset)
        f = self.filters
        if f.nation:
            rows = rows.filter(nation__code=f.nation)
        if f.framework:
            start, end = datetime.date(f.first_year, 1, 1), datetime.date(f.year, 12, 31)
            members = Membership.objects.filter(framework__code=f.framework).filter(
                Q(joined_on__isnull=True) | Q(joined_on__lte=end), Q(left_on__isnull=True) | Q(left_on__gte=start)
            )
            rows = rows.filter(nation__in=members.values("nation"))
        return rows

    @functools.cached_property
    def party_codes(self) -> dict[tuple[str, int], str]:
        return _party_codes()

    def summaries(self, *, since: int | None = None):
        """The runs' summaries (RunFigures) the figures add up, scoped and filtered like the rows (`since`:
        from that year, not the filters' first)."""
        f = self.filters
        years = Q(year__gte=since or f.first_year, year__lte=f.year)
        rows = RunFigures.objects.filter(years).exclude(run_status=Iteration.Status.CANCELLED)
        rows = f.of_courses(rows)
        return self._parties(rows)

    def nominations(self):
        """Every nomination the funnel counts, scoped and filtered (the rows behind its figures)."""
        return self._parties(Nomination.objects.filter(iteration__in=self.iterations()))

    def at_stage(self, stage: str):
        """The nominations counted by one of PERSON_STAGES or PIPELINE_FIGURES."""
        return self.nominations().filter(FIGURE_FILTERS[stage])

    # --- the figures -----------------------------------------------------------------------------
    def _sums(self, *, by_course: bool, by_party: bool) -> dict[tuple, dict[str, int]]:
        """Every stage summed in the database by course, by party or both: {(course id or None, party
        code or None): {stage: n}}, from the summaries, the seat allocations and the bids."""
        party = ("nation_id", "organisation_id") if by_party else ()
        sums: dict[tuple, dict[str, int]] = {}
        codes = self.party_codes

        def add(group: dict, course_field: str, figures: dict) -> None:
            key = (group[course_field] if by_course else None, codes[_party_key(group)] if by_party else None)
            target = sums.setdefault(key, dict.fromkeys(STAGES, 0))
            for stage, value in figures.items():
                target[stage] += value or 0

        summed = self.summaries().values(*(("course_id",) if by_course else ()), *party)
        for group in summed.annotate(**{f"all_{stage}": Sum(stage) for stage in PERSON_STAGES}).order_by():
            add(group, "course_id", {stage: group[f"all_{stage}"] for stage in PERSON_STAGES})
        allocations = self._parties(SeatAllocation.objects.filter(iteration__in=self.iterations()))
        allocations = allocations.values(*(("iteration__course_id",) if by_course else ()), *party)
        for group in allocations.annotate(all_seats=Sum("seats")).order_by():
            add(group, "iteration__course_id", {"offered": group["all_seats"]})
        # A year's bid for a course counts when the course runs that year.
        runs_that_year = self.iterations().filter(course=OuterRef("course_id"), start_date__year=OuterRef("year"))
        bids = CourseBid.objects.filter(year__gte=self.filters.first_year, year__lte=self.filters.year)
        bids = self._parties(bids.filter(Exists(runs_that_year)))
        for group in (
            bids.values(*(("course_id",) if by_course else ()), *party).annotate(all_seats=Sum("seats")).order_by()
        ):
            add(group, "course_id", {"bid": group["all_seats"]})
        return sums

    def rows(self) -> list[FunnelRow]:
        """One row per course and party with any figure, sorted by course code then party code."""
        if self._rows is not None:
            return self._rows
        sums = self._sums(by_course=True, by_party=True)
        course_codes = dict(Course.objects.filter(pk__in={key[0] for key in sums}).values_list("pk", "code"))
        rows = [FunnelRow(course_id=course, party=party, **figures) for (course, party), figures in sums.items()]
        self._rows = sorted(rows, key=lambda r: (course_codes[r.course_id], r.party))
        return self._rows

    def capacity_by_course(self) -> dict[int, tuple[int, int]]:
        """{course id: (runs, seats)} of the year's runs: what the centre offered, pool seats included."""
        if self._capacity is None:
            grouped = self.iterations().values("course_id").annotate(runs=Count("pk"), seats=Sum("capacity"))
            self._capacity = {group["course_id"]: (group["runs"], group["seats"] or 0) for group in grouped.order_by()}
        return self._capacity

    def shows_every_party(self) -> bool:
        """True when the figures are the whole centre's (staff and HQ, no nation or framework filter)."""
        return policy.sees_everything(self.user) and not self.filters.narrows_parties()

    def by_course(self) -> list[dict]:
        """Per course, in code order: the stages summed over parties; offered is the runs' capacity when
        the figures are the whole centre's, else the seats allocated to the parties shown."""
        capacity = self.capacity_by_course() if self.shows_every_party() else {}
        sums = {course: figures for (course, _party), figures in self._sums(by_course=True, by_party=False).items()}
        wanted = set(sums) | set(capacity)
        courses = Course.objects.filter(pk__in=wanted).only("code", "title_en", "title_ar").order_by("code")
        outcomes = self.outcomes_by_course()
        every = []
        for course in courses:
            figures = {"course": course, "runs": capacity.get(course.pk, (0, 0))[0]}
            figures |= sums.get(course.pk, dict.fromkeys(STAGES, 0))
            if course.pk in capacity:
                figures["offered"] = capacity[course.pk][1]
            figures["fill"] = _rate(figures["confirmed"], figures["offered"])
            figures |= {"reaction": None, "reaction_responses": 0, "gain": None, "tested": 0}
            every.append(figures | outcomes.get(course.pk, {}))
        return every

    def by_party(self) -> list[dict]:
        """Per nation or organisation, in code order: the stages summed over courses."""
        if self._by_party is None:
            sums = self._sums(by_course=False, by_party=True)
            self._by_party = [
                {"party": party} | figures | {"fill": _rate(figures["confirmed"], figures["offered"])}
                for (_course, party), figures in sorted(sums.items(), key=lambda item: item[0][1])
            ]
        return self._by_party

    def outcomes_by_course(self) -> dict[int, dict]:
        """{course id: {reaction, reaction_responses, gain, tested}}: Kirkpatrick level 1, the mean of the
        end-of-course questionnaires' 1-5 answers on the year's runs (staff and HQ only: the answers are
        anonymous and every nation's); level 2, the mean gain from the pre-test to the final test of the
        participants the reader may see, in points of 100, and how many took both."""
        outcomes: dict[int, dict] = {}
        if policy.allows(self.user, "evaluation", "results"):
            reactions = (
                Answer.objects.filter(
                    response__iteration__in=self.iterations(),
                    response__kind=Kind.REACTION,
                    question__answer=Question.Answer.SCALE,
                    score__isnull=False,
                )
                .values("response__iteration__course_id")
                .annotate(mean=Avg("score"), responses=Count("response", distinct=True))
                .order_by()
            )
            for group in reactions:
                outcomes.setdefault(group["response__iteration__course_id"], {}).update(
                    reaction=round(group["mean"], 2), reaction_responses=group["responses"]
                )
        gains = (
            self.summaries()
            .values("course_id")
            .annotate(all_tested=Sum("tested"), all_gain=Sum("gain_total"))
            .filter(all_tested__gt=0)
            .order_by()
        )
        for group in gains:
            outcomes.setdefault(group["course_id"], {}).update(
                gain=round(group["all_gain"] / group["all_tested"], 1), tested=group["all_tested"]
            )
        return outcomes

    def graduates_by_year(self, years: int = 5) -> tuple[list[int], dict[str, list[int]]]:
        """Graduates of each party in each of the `years` years up to the filters' year: (the years,
        {party: [graduates a year]}), parties in code order."""
        first = self.filters.year - years + 1
        grouped = (
            self.summaries(since=first)
            .values("year", "nation_id", "organisation_id")
            .annotate(n=Sum("graduated"))
            .filter(n__gt=0)
            .order_by()
        )
        codes = self.party_codes
        labels = list(range(first, self.filters.year + 1))
        series: dict[str, list[int]] = {}
        for group in grouped:
            row = series.setdefault(codes[_party_key(group)], [0] * years)
            row[group["year"] - first] += group["n"]
        return labels, {party: series[party] for party in sorted(series)}

    def graduates_by_discipline(self) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
        """Graduates of the year by party and discipline: (parties, discipline codes, {(party, code): n})."""
        grouped = (
            self.summaries()
            .values("nation_id", "organisation_id", "course__discipline__code")
            .annotate(n=Sum("graduated"))
            .filter(n__gt=0)
            .order_by()
        )
        codes = self.party_codes
        values = {(codes[_party_key(g)], g["course__discipline__code"]): g["n"] for g in grouped}
        return sorted({party for party, _ in values}), sorted({code for _, code in values}), values

    def pipeline(self) -> dict:
        """Where the year's nominations stand: by status; waiting for a decision (and the oldest wait,
        in days); on a waiting list; no-shows and the completion rate on completed runs; withdrawals after
        the nominations closed; certificates
        issued and revoked. One statement."""
        completed_run = Q(run_status=Iteration.Status.COMPLETED)
        summed = self.summaries().aggregate(
            **{f"all_{status}": Sum(status) for status in Status.values},
            **{f"all_{name}": Sum(name) for name in ("no_show", "late_withdrawn", "certified", "revoked")},
            oldest=Min("oldest_awaiting"),
            seated_on_completed=Sum("confirmed", filter=completed_run),
            graduated_on_completed=Sum("graduated", filter=completed_run),
        )
        oldest = summed.pop("oldest")
        summed = {name.removeprefix("all_"): value or 0 for name, value in summed.items()}
        by_status = {status: summed[status] for status in Status.values}
        return {
            "awaiting": sum(by_status[status] for status in AWAITING),
            "waitlisted": by_status[Status.WAITLISTED],
            "no_show": summed["no_show"],
            "late_withdrawn": summed["late_withdrawn"],
            "certified": summed["certified"],
            "revoked": summed["revoked"],
            "oldest_wait_days": (timezone.now() - oldest).days if oldest else None,
            "completion_rate": _rate(summed["graduated_on_completed"], summed["seated_on_completed"]),
            "by_status": by_status,
        }

    def figures(self) -> dict:
        """Everything the reports page and the API show but the runs open now, computed once per
        reader's scope, filters, day and version of the summary (shared cache, FIGURES_SECONDS)."""
        scope = "all" if policy.sees_everything(self.user) else f"{self.user.nation_id}/{self.user.organisation_id}"
        reactions = policy.allows(self.user, "evaluation", "results")
        day = timezone.localdate().isoformat()  # the longest wait is counted in days
        parts = [summary.version(), scope, reactions, day, sorted(self.filters.as_query().items())]
        key = "icihub:reports:figures:" + hashlib.sha256(repr(parts).encode()).hexdigest()
        figures = cache.get(key)
        if figures is None:
            figures = {
                "totals": self.totals(),
                "by_party": self.by_party(),
                "by_course": self.by_course(),
                "pipeline": self.pipeline(),
                "trend": self.graduates_by_year(),
                "heat": self.graduates_by_discipline(),
                "runs": runs_by_status(self.user, self.filters),
                "whole_centre": self.shows_every_party(),
            }
            cache.set(key, figures, FIGURES_SECONDS)
        return figures

    def totals(self) -> dict:
        figures = {stage: sum(row[stage] for row in self.by_party()) for stage in STAGES}
        if self.shows_every_party():
            figures["offered"] = sum(seats for _runs, seats in self.capacity_by_course().values())
        figures["fill"] = _rate(figures["confirmed"], figures["offered"])
        return figures


def open_runs(user, filters: Filters, *, limit: int = 20) -> list[dict]:
    """The runs taking nominations now, soonest deadline first, with the user's (a point of contact:
    their nation's) nominations on each; narrowed by course, discipline and delivery, not by year."""
    today = timezone.localdate()
    runs = (
        Iteration.objects.visible_to(user)
        .filter(status=Iteration.Status.OPEN, nominations_close__gte=today)
        .select_related("course")
        .order_by("nominations_close", "code")
    )
    runs = filters.of_courses(runs)
    runs = list(runs[:limit])
    mine = policy.visible_party_rows(user, Nomination.objects.filter(iteration__in=runs))
    counted = dict(mine.filter(status__in=ACTIVE).values_list("iteration_id").annotate(n=Count("pk")).order_by())
    return [
        {"iteration": run, "days_left": (run.nominations_close - today).days, "nominations": counted.get(run.pk, 0)}
        for run in runs
    ]


def runs_by_status(user, filters: Filters) -> dict[str, int]:
    """How many of the year's runs are planned, open, running, completed or cancelled (the runs the
    user may see: a point of contact does not see runs still being planned)."""
    runs = Iteration.objects.visible_to(user).filter(
        start_date__year__gte=filters.first_year, start_date__year__lte=filters.year
    )
    runs = filters.of_courses(runs)
    counted = dict(runs.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counted.get(status, 0) for status in Iteration.Status.values}


def _attended_days():
    return Attendance.objects.filter(
        nomination=OuterRef("pk"), mark__in=(Attendance.Mark.PRESENT, Attendance.Mark.LATE)
    )


# Which nominations each figure counts (a filter on nominations of the year's runs).
FIGURE_FILTERS = {
    "nominated": Q(),
    "confirmed": Q(status=Status.CONFIRMED),
    "attended": Q(Exists(_attended_days()), status=Status.CONFIRMED),
    "graduated": Q(completion__completed=True),
    "awaiting": Q(status__in=AWAITING),
    "waitlisted": Q(status=Status.WAITLISTED),
    "no_show": Q(status=Status.CONFIRMED, iteration__status=Iteration.Status.COMPLETED) & ~Q(Exists(_attended_days())),
    "late_withdrawn": Q(status=Status.WITHDRAWN, withdrawn_at__date__gt=F("iteration__nominations_close")),
    "certified": Q(certificate__isnull=False),
    "revoked": Q(certificate__revoked_at__isnull=False),
}


def _party_key(group: dict) -> tuple[str, int]:
    if group["organisation_id"]:
        return ("organisation", group["organisation_id"])
    return ("nation", group["nation_id"])


def _party_codes() -> dict[tuple[str, int], str]:
    """Codes of every nation and organisation (a few dozen rows), by (kind, id)."""
    codes: dict[tuple[str, int], str] = {("nation", pk): code for pk, code in Nation.objects.values_list("pk", "code")}
    codes |= {("organisation", pk): code for pk, code in Organisation.objects.values_list("pk", "code")}
    return codes


def _rate(part: int, whole: int) -> int | None:
    """A whole percentage, or None when there is nothing to divide by."""
    return round(100 * part / whole) if whole else None
