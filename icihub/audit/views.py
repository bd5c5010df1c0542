"""The staff audit page: the trail newest first, narrowed by filters, with a button that verifies the
whole chain; and the same events as a CSV download. For centre administrators and HQ observers."""

from itertools import chain

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from icihub.accounts import policy
from icihub.accounts.models import Role
from icihub.audit import actions, services
from icihub.audit.forms import AuditFilterForm
from icihub.audit.models import AuditEvent
from icihub.audit.queries import events_matching
from icihub.audit.transfer import compact_json, csv_lines
from icihub.throttle import limited

# The trail names every user and every change across nations: only those who oversee the whole centre
# read it. (Decided here rather than in policy._RULES, which has no audit resource.)
AUDIT_READERS = frozenset({Role.CENTRE_ADMIN, Role.HQ_OBSERVER})
PAGE_SIZE = 50
# Verifying reads every event: one run per user in this many seconds (anti-automation).
VERIFY_EVERY_SECONDS = 60


def require_audit_reader(user) -> None:
    """Raise PermissionDenied (403) for anyone but a centre administrator or an HQ observer."""
    if policy.role_of(user) not in AUDIT_READERS:
        raise PermissionDenied(_("Only centre administrators and HQ observers read the audit trail."))


def _verify_unless_too_soon(user) -> services.Verification | None:
    """Verify the chain, unless this user did less than VERIFY_EVERY_SECONDS ago (None then)."""
    if not cache.add(f"icihub:audit:verified-by:{user.pk}", True, VERIFY_EVERY_SECONDS):
        return None
    return services.verify_trail()


@require_http_methods(["GET", "POST"])
def event_list(request):
    """GET: the events matching the filters, newest first. POST (the "Verify the chain" button): the
    same, with the result of verifying the whole chain above them."""
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET)
    verification, too_soon, status = None, False, 200
    if request.method == "POST":
        verification = _verify_unless_too_soon(request.user)
        too_soon = verification is None
        status = 429 if too_soon else 200
    if form.is_valid():
        events = events_matching(form.filters()).order_by("-id")
    else:
        events, status = AuditEvent.objects.none(), 400
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "event": event,
            "action": actions.label(event.action),
            "object_type": actions.object_label(event.object_type),
            "before": compact_json(event.before),
            "after": compact_json(event.after),
        }
        for event in page
    ]
    response = render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "verification": verification,
            "too_soon": too_soon,
            "verify_every": VERIFY_EVERY_SECONDS,
        },
        status=status,
    )
    if too_soon:
        response["Retry-After"] = str(VERIFY_EVERY_SECONDS)
    return response


@require_GET
@limited("export")
def export(request):
    """The events matching the filters, oldest first, as CSV. The export is recorded in the trail
    before the first line is sent."""
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "audit/event_list.html",
            {"form": form, "page": Paginator(AuditEvent.objects.none(), PAGE_SIZE).get_page(1), "rows": []},
            status=400,
        )
    events = services.export_events(form.filters(), actor=request.user, source="web")
    # A byte-order mark makes Excel read the Arabic text as UTF-8.
    lines = chain(["\ufeff"], csv_lines(events.iterator(chunk_size=services.CHUNK)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = f'attachment; filename="icihub-audit-{stamp}.csv"'
    return response
