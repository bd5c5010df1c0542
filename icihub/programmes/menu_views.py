"""Cooperation menu pages: the list of activities the user may see, and for catalogue editors its
import from, and for staff and HQ its export to, a CSV or XLSX file. The import is all or nothing:
services.import_menu saves every row or none, and each problem comes back with its line and column."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from icihub.accounts import policy
from icihub.programmes import services, transfer
from icihub.programmes.models import Kind, MenuActivity
from icihub.throttle import limited
from icihub.uploads import UploadError, uploaded_spreadsheet

PAGE_SIZE = 50
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_export(user) -> bool:
    """The whole menu, inactive activities included, leaves the centre only with staff and HQ."""
    return policy.allows(user, "menu", "export")


def _activities(request):
    """The activities the user may see, of the kind asked for if any; and that kind."""
    activities = policy.visible_menu(
        request.user, MenuActivity.objects.select_related("course").prefetch_related("open_to")
    )
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        return activities.filter(kind=kind), kind
    return activities, ""


@require_GET
def menu_list(request):
    activities, kind = _activities(request)
    return render(
        request,
        "programmes/menu_list.html",
        {
            "page": Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page")),
            "kind": kind,
            "kinds": Kind.choices,
            "can_import": policy.allows(request.user, "menu", "import"),
            "can_export": may_export(request.user),
        },
    )


@require_GET
@limited("export")
def menu_export(request, file_format: str):
    if not may_export(request.user):
        raise PermissionDenied(_("Only centre staff and HQ export the cooperation menu."))
    activities, _kind = _activities(request)
    writer = transfer.export_xlsx if file_format == "xlsx" else transfer.export_csv
    response = HttpResponse(writer(activities), content_type=CONTENT_TYPES[file_format])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="icihub-menu-{stamp}.{file_format}"'
    return response


@require_http_methods(["GET", "POST"])
@limited("import")
def menu_import(request):
    policy.require(request.user, "menu", "import")
    problems: list[tuple[int, str, str]] = []
    file_error = None
    if request.method == "POST":
        try:
            rows = transfer.read_rows(*uploaded_spreadsheet(request))
            saved = services.import_menu(actor=request.user, rows=rows, source="import")
        except (UploadError, transfer.SpreadsheetError) as error:
            file_error = str(error)
        except services.ImportRejected as rejected:
            problems = rejected.problems
        else:
            messages.success(
                request,
                ngettext("%(count)d activity imported.", "%(count)d activities imported.", len(saved))
                % {"count": len(saved)},
            )
            return redirect("menu:list")
    return render(
        request,
        "programmes/menu_import.html",
        {"problems": problems, "file_error": file_error, "columns": transfer.COLUMNS},
    )
