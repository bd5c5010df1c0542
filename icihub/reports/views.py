"""Report pages: the dashboard (the first page after log-in for staff, points of contact and HQ), the
nominations behind any of its figures, and its rows as CSV. Thin: the figures come from queries.py."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from icihub.accounts import policy
from icihub.catalogue.models import Course, DeliveryMethod, Discipline
from icihub.catalogue.transfer import csv_stream
from icihub.nominations.models import Status
from icihub.pagination import keyset_page
from icihub.partners.models import Framework, Nation
from icihub.planning.models import Iteration
from icihub.reports import charts
from icihub.reports.queries import (
    FIGURE_FILTERS,
    FIGURE_LABELS,
    PERSON_STAGES,
    PIPELINE_FIGURES,
    PIPELINE_LABELS,
    STAGE_LABELS,
    STAGES,
    Filters,
    SeatFunnel,
    open_runs,
)
from icihub.throttle import limited

COURSES_PER_PAGE = 25


def _filters(request) -> tuple[Filters, dict]:
    """The request's filters, or this year's with the errors to show (the page still answers)."""
    try:
        return Filters.from_query(request.GET), {}
    except ValidationError as invalid:
        return Filters.from_query({}), invalid.message_dict


def _choices(user) -> dict:
    return {
        "frameworks": Framework.objects.order_by("code"),
        "nations": Nation.objects.order_by("code") if policy.sees_everything(user) else [],
        "disciplines": Discipline.objects.order_by("code"),
        "deliveries": DeliveryMethod.choices,
        "stages": [(stage, STAGE_LABELS[stage]) for stage in STAGES],
    }


def _rows_link(filters: Filters, stage: str, **narrower) -> str | None:
    if stage not in PERSON_STAGES and stage not in PIPELINE_FIGURES:
        return None
    return f"{reverse('reports:rows', args=[stage])}?{urlencode(filters.as_query(**narrower))}"


@require_GET
def dashboard(request):
    """The year's runs by status, the seat funnel with its chart, and the same by nation and by course;
    every figure that counts nominations links down to them."""
    policy.require(request.user, "report", "view")
    filters, errors = _filters(request)
    figures = SeatFunnel(request.user, filters).figures()
    totals, by_party, by_course = figures["totals"], figures["by_party"], figures["by_course"]
    rtl = get_language_bidi()
    funnel_chart = charts.bar_chart(
        id="funnel",
        title=_("Seat funnel, %(year)s") % {"year": filters.year},
        description=_("Seats offered and bid, then nominations, confirmed seats, attendance and graduates."),
        bars=[(str(STAGE_LABELS[stage]), totals[stage], _rows_link(filters, stage)) for stage in STAGES],
        rtl=rtl,
        value_heading=_("Number"),
    )
    graduates_chart = charts.bar_chart(
        id="graduates",
        title=_("Graduates by nation or organisation, %(year)s") % {"year": filters.year},
        description=_("How many participants of each nation or organisation completed a course."),
        bars=[
            (row["party"], row["graduated"], _rows_link(filters, "graduated", party=row["party"])) for row in by_party
        ],
        rtl=rtl,
        value_heading=_("Graduates"),
    )
    years, by_year = figures["trend"]
    trend_chart = charts.stacked_bars(
        id="trend",
        title=_("Graduates by year, %(first)s to %(last)s") % {"first": years[0], "last": years[-1]},
        description=_("Each bar is a year; its parts are the nations and organisations whose people graduated."),
        labels=[str(year) for year in years],
        series=by_year,
        rtl=rtl,
    )
    parties, disciplines, by_discipline = figures["heat"]
    heat_chart = charts.heat_map(
        id="disciplines",
        title=_("Graduates by nation or organisation and discipline, %(year)s") % {"year": filters.year},
        description=_("Each cell counts the graduates of one nation or organisation in one discipline."),
        rows=parties,
        columns=disciplines,
        values=by_discipline,
        rtl=rtl,
        link=lambda party, code: _rows_link(filters, "graduated", party=party, discipline=code),
    )
    for row in by_party:
        row["links"] = {stage: _rows_link(filters, stage, party=row["party"]) for stage in PERSON_STAGES}
    # Every course of a busy year would be two thousand rows: a page of them here, all in the CSV.
    courses = Paginator(by_course, COURSES_PER_PAGE).get_page(request.GET.get("page"))
    for row in courses:
        row["links"] = {stage: _rows_link(filters, stage, course=row["course"].code) for stage in PERSON_STAGES}
    pipeline = figures["pipeline"]
    context = {
        "pipeline": pipeline,
        "pipeline_figures": [
            (PIPELINE_LABELS[name], pipeline[name], _rows_link(filters, name)) for name in PIPELINE_FIGURES
        ],
        "statuses": [(Status(status).label, n) for status, n in pipeline["by_status"].items()],
        "open_runs": open_runs(request.user, filters),
        "filters": filters,
        # A range of years reads the same way in Arabic: isolated left to right.
        "hijri_years": format_html('<bdi dir="ltr">{}</bdi>', filters.hijri_years),
        "errors": errors,
        "runs": [(Iteration.Status(status).label, n) for status, n in figures["runs"].items()],
        "totals": totals,
        "total_links": {stage: _rows_link(filters, stage) for stage in PERSON_STAGES},
        "by_party": by_party,
        "by_course": courses,
        "page": courses,
        "funnel_chart": funnel_chart,
        "graduates_chart": graduates_chart,
        "trend_chart": trend_chart,
        "heat_chart": heat_chart,
        "scoped": not figures["whole_centre"],
        "shows_reaction": policy.allows(request.user, "evaluation", "results"),
        "export_query": urlencode(filters.as_query()),
        **_choices(request.user),
    }
    return render(request, "reports/dashboard.html", context, status=400 if errors else 200)


@require_GET
def rows(request, stage: str):
    """The nominations one figure counts (a stage, narrowed to a course or a party), a page at a time."""
    policy.require(request.user, "report", "view")
    if stage not in FIGURE_FILTERS:
        return render(request, "reports/rows.html", {"unknown_stage": stage}, status=404)
    filters, errors = _filters(request)
    funnel = SeatFunnel(request.user, filters)
    nominations = funnel.at_stage(stage)
    course, party = request.GET.get("course", "").strip().upper()[:40], request.GET.get("party", "").strip()[:40]
    if course:
        nominations = nominations.filter(iteration__course__code=course)
    if party:
        nominations = nominations.of_party(party)
    nominations = nominations.select_related("person", "iteration__course", "nation", "organisation")
    page = keyset_page(nominations, ("-submitted_at", "-id"), request.GET.get("cursor"))
    context = {
        "stage": stage,
        "stage_label": FIGURE_LABELS[stage],
        "filters": filters,
        "errors": errors,
        "course": course,
        "party": party,
        "page": page,
        "back": f"{reverse('reports:dashboard')}?{urlencode(filters.as_query())}",
    }
    return render(request, "reports/rows.html", context, status=400 if errors else 200)


EXPORT_HEADINGS = ("year", "course", "course_title_en", "course_title_ar", "party", *STAGES)


@require_GET
@limited("export")
def funnel_csv(request):
    """The seat funnel's rows (course x nation or organisation) as CSV, scoped like the page."""
    policy.require(request.user, "report", "view")
    try:
        filters = Filters.from_query(request.GET)
    except ValidationError as invalid:
        return render(request, "reports/rows.html", {"invalid": True, "errors": invalid.message_dict}, status=400)
    funnel = SeatFunnel(request.user, filters)
    funnel_rows = funnel.rows()
    courses = {c.pk: c for c in Course.objects.filter(pk__in={row.course_id for row in funnel_rows})}
    lines = (
        [
            filters.year,
            courses[row.course_id].code,
            courses[row.course_id].title_en,
            courses[row.course_id].title_ar,
            row.party,
            *(getattr(row, stage) for stage in STAGES),
        ]
        for row in funnel_rows
    )
    response = StreamingHttpResponse(csv_stream(EXPORT_HEADINGS, lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="seat-funnel-{filters.year}.csv"'
    return response
