"""Catalogue pages: the public catalogue and course pages, staff pages to create, edit, import and
export courses. Each view asks the access policy first, then calls a query or a service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from icihub.accounts import policy
from icihub.catalogue import services, transfer
from icihub.catalogue.filters import CourseFilter
from icihub.catalogue.forms import CourseForm
from icihub.catalogue.models import Course, Discipline, Language
from icihub.partners.models import Framework
from icihub.planning.models import Iteration
from icihub.throttle import limited

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _visible_courses(request):
    return Course.objects.visible_to(request.user).select_related("institution", "discipline", "area")


# What the catalogue page may be asked for and still be served from the cache; other parameters are not.
CACHED_PARAMETERS = frozenset({"q", "discipline", "delivery", "audience", "language", "level", "page"})
CATALOGUE_PAGE_SECONDS = 60


def _catalogue_page_key(request) -> str | None:
    """The cache key of the catalogue's content (not the header, which holds the user's name and CSRF
    token): services.shared_content_key, per language. None for parameters the page does not take."""
    if not set(request.GET) <= CACHED_PARAMETERS:
        return None
    return services.shared_content_key(request.user, request.GET, request.LANGUAGE_CODE)


@require_GET
def catalogue_list(request):
    filters = CourseFilter(request.GET, queryset=_visible_courses(request).prefetch_related("languages"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/list.html",
        {
            # Lazy: on a cached page, no catalogue query runs at all.
            "page": SimpleLazyObject(lambda: Paginator(filters.qs, 20).get_page(request.GET.get("page"))),
            "filters": filters,
            "query": query.urlencode(),
            "disciplines": Discipline.objects.all(),
            "frameworks": Framework.objects.all(),
            "languages": Language.objects.all(),
            "today": timezone.localdate(),
            "page_key": _catalogue_page_key(request),
            "page_seconds": CATALOGUE_PAGE_SECONDS,
        },
    )


@require_GET
def course_detail(request, code):
    course = policy.get_course(request.user, code, queryset=Course.objects.with_record())
    prerequisites = Course.objects.visible_to(request.user).filter(required_by=course)
    return render(
        request,
        "catalogue/detail.html",
        {
            "course": course,
            "prerequisites": prerequisites,
            "hidden_prerequisites": course.prerequisites.count() - prerequisites.count(),
            "iterations": Iteration.objects.visible_to(request.user)
            .filter(course=course)
            .exclude(status__in=[Iteration.Status.COMPLETED, Iteration.Status.CANCELLED]),
        },
    )


@require_http_methods(["GET", "POST"])
def course_create(request):
    policy.require(request.user, "course", "create")
    return _course_form(request, course=None)


@require_http_methods(["GET", "POST"])
def course_edit(request, code):
    course = policy.get_course(request.user, code, "edit")
    return _course_form(request, course=course)


def _course_form(request, *, course):
    if request.method == "POST":
        form = CourseForm(request.POST, course=course)
        if form.is_valid():
            try:
                saved = services.save_course(actor=request.user, data=form.course_data(), course=course, source="web")
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Course %(code)s saved.") % {"code": saved.code})
                return redirect("catalogue:detail", code=saved.code)
    elif course is not None:
        form = CourseForm(initial=CourseForm.initial_for(services.course_data(course)), course=course)
    else:
        form = CourseForm(
            initial={
                "active_from": timezone.localdate().isoformat(),
                "level1_evaluation": True,
                "civilians_eligible": True,
                "languages": ["en"],
                "duration_days": 5,
            },
        )
    return render(request, "catalogue/form.html", {"form": form, "course": course})


@require_GET
@limited("export")
def catalogue_export(request, file_format):
    policy.require(request.user, "course", "export")
    courses = CourseFilter(request.GET, queryset=Course.objects.visible_to(request.user).with_record()).qs
    name = f"icihub-catalogue-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "xlsx":
        # Written in bounded memory to a temporary file, then sent from it (and the file deleted).
        return FileResponse(
            transfer.export_xlsx(courses),
            as_attachment=True,
            filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response = StreamingHttpResponse(transfer.export_csv(courses), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@limited("import")
def catalogue_import(request):
    policy.require(request.user, "course", "import")
    problems: list[tuple[int, str, str]] = []
    file_error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            file_error = _("Choose a CSV or XLSX file to import.")
        elif upload.size > MAX_UPLOAD_BYTES:
            file_error = _("The file is larger than 5 MB.")
        else:
            try:
                rows = transfer.read_rows(upload.name, upload.read())
                saved = services.import_courses(actor=request.user, rows=rows, source="import")
            except transfer.SpreadsheetError as error:
                file_error = str(error)
            except services.ImportRejected as rejected:
                problems = rejected.problems
            else:
                messages.success(request, _("%(count)d course(s) imported.") % {"count": len(saved)})
                return redirect("catalogue:list")
    return render(
        request,
        "catalogue/import.html",
        {
            "problems": problems,
            "file_error": file_error,
            "headings": transfer.HEADINGS,
        },
    )
