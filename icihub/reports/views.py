"""Report pages: the dashboard (the first page after log-in for staff, points of contact and HQ), the
nominations behind any of its figures, and its rows as CSV. Thin: the figures come from queries.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.catalogue.models import Course, DeliveryMethod, Discipline
from icihub.catalogue.transfer import csv_stream
from icihub.errors import Conflict
from icihub.nominations.models import Status
from icihub.pagination import keyset_page
from icihub.partners.models import Framework, Nation
from icihub.planning.models import Iteration
from icihub.reports import annual, exports, files, programmes
from icihub.reports.models import ReportFile
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
    year_charts = annual.year_charts(
        figures,
        filters,
        rtl=get_language_bidi(),
        link=lambda stage, **narrower: _rows_link(filters, stage, **narrower),
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
        **year_charts,
        "programmes": programmes.progress(request.user, filters),
        "file_kinds": [(kind, ReportFile.Kind(kind).label) for kind in ANNUAL_KINDS],
        "scoped": not figures["whole_centre"],
        "shows_reaction": policy.allows(request.user, "evaluation", "results"),
        "export_query": urlencode(filters.as_query()),
        "file_query": sorted(filters.as_query(year=filters.year).items()),
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
    narrowed = exports.narrowing(request.GET)
    nominations = exports.nominations(request.user, filters, {"stage": stage, **narrowed})
    nominations = nominations.select_related("person", "iteration__course", "nation", "organisation")
    # By run (the latest made first), then nomination: PostgreSQL walks the runs of the years asked for
    # and each run's nominations in its index, whatever the year. Newest-submitted first walked every
    # later year's nominations before the first of an old year's (about 1 s for 2018 at 1M rows).
    page = keyset_page(nominations, ("-iteration_id", "-id"), request.GET.get("cursor"))
    context = {
        "stage": stage,
        "stage_label": FIGURE_LABELS[stage],
        "filters": filters,
        "errors": errors,
        "course": narrowed.get("course", ""),
        "party": narrowed.get("party", ""),
        "page": page,
        "export_query": urlencode(filters.as_query(**narrowed)),
        "file_query": sorted(filters.as_query(year=filters.year, stage=stage, **narrowed).items()),
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
            filters.period,
            courses[row.course_id].code,
            courses[row.course_id].title_en,
            courses[row.course_id].title_ar,
            row.party,
            *(getattr(row, stage) for stage in STAGES),
        ]
        for row in funnel_rows
    )
    response = StreamingHttpResponse(csv_stream(EXPORT_HEADINGS, lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="seat-funnel-{filters.period}.csv"'
    return response


@require_GET
@limited("export")
def rows_csv(request, stage: str):
    """The nominations behind a figure as CSV, streamed as they are read (a million rows in bounded
    memory); the names of many people at once, so the export is recorded."""
    policy.require(request.user, "report", "view")
    if stage not in FIGURE_FILTERS:
        return render(request, "reports/rows.html", {"unknown_stage": stage}, status=404)
    try:
        filters = Filters.from_query(request.GET)
    except ValidationError as invalid:
        return render(request, "reports/rows.html", {"invalid": True, "errors": invalid.message_dict}, status=400)
    query = {"stage": stage, **exports.narrowing(request.GET)}
    with transaction.atomic():
        record(
            actor=request.user,
            action="report.rows_exported",
            obj=request.user,
            after=query | filters.as_query(year=filters.year),
            source="web",
        )
    rows = exports.nominations(request.user, filters, query)
    body = csv_stream([str(heading) for heading in exports.HEADINGS], exports.lines(rows))
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="nominations-{stage}-{filters.period}.csv"'
    return response


ANNUAL_KINDS = (ReportFile.Kind.ANNUAL_PDF, ReportFile.Kind.ANNUAL_XLSX)


@require_http_methods(["GET", "POST"])
def report_files(request):
    """The reader's report files: ask for one (the annual report of the filters' year, or the rows
    behind a figure as a workbook), follow its progress, download it when made."""
    policy.require(request.user, "report", "view")
    if request.method == "POST":
        return _ask_for_file(request)
    # Not rate-limited: the page reloads itself every two seconds while a file is being made.
    files.end_stale(request.user)  # a job whose process died must not keep the page waiting
    mine = list(ReportFile.objects.filter(requested_by=request.user)[: files.SHOWN])
    return render(
        request,
        "reports/files.html",
        {
            "files": [(job, files.path(job) is not None, _described(job)) for job in mine],
            "working": any(job.working for job in mine),
            "keep_days": files.KEEP_DAYS,
        },
    )


@limited("export")
def _ask_for_file(request):
    """Asking for a file is an export: limited per minute like the others."""
    try:
        made = files.request(actor=request.user, kind=request.POST.get("kind", ""), query=request.POST, source="web")
    except ValidationError as invalid:
        for messages_of_field in invalid.message_dict.values():
            for message in messages_of_field:
                messages.error(request, message)
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(kind)s is being made; this page shows the progress.") % {"kind": made.get_kind_display()}
        )
    return redirect("reports:files")


def _described(job: ReportFile) -> str:
    query = job.query
    parts = [files.period_of(query)]
    if query.get("stage") in FIGURE_LABELS:
        parts.insert(0, str(FIGURE_LABELS[query["stage"]]))
    parts += [
        f"{name} {query[name]}"
        for name in ("framework", "nation", "discipline", "course", "delivery", "party")
        if query.get(name)
    ]
    return " · ".join(parts)


@require_GET
def report_file(request, public_id):
    """A made report file, for the reader who asked for it only; the download is recorded."""
    policy.require(request.user, "report", "view")
    job = ReportFile.objects.filter(public_id=public_id, requested_by=request.user).first()
    found = files.path(job) if job else None
    if found is None:
        raise Http404(_("No such file."))
    with transaction.atomic():
        record(actor=request.user, action="report.file_downloaded", obj=job, source="web")
    return FileResponse(found.open("rb"), as_attachment=True, filename=files.download_name(job))
