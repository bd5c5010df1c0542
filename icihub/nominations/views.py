"""Pages of the seat workflow. Points of contact: iterations open to their nation, their seats and
nominations, nominate, withdraw, replace, bulk upload. Staff: the iteration's seats per nation, the
approval queue, the waiting list, allocation and manual reallocation. Each view asks the access policy
first, then calls a query or a service; domain errors come back as messages on the page."""

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from icihub.accounts import policy, stepup
from icihub.catalogue.models import Course
from icihub.delivery import joining
from icihub.delivery import services as delivery_services
from icihub.errors import Conflict, run_for_page
from icihub.nominations import invitations, services, transfer
from icihub.nominations.forms import IterationForm, NominationForm, PersonForm
from icihub.nominations.models import ACTIVE, CalendarFeed, Nomination, SeatAllocation, Status
from icihub.pagination import keyset_page
from icihub.planning import services as iteration_services
from icihub.planning.models import Iteration
from icihub.throttle import limited
from icihub.uploads import UploadError, uploaded_csv

# The iteration page lists its nominations in three parts, each paginated on its own: an iteration of
# a few thousand nominations is a page of a few dozen rows, with the per-nation summary above them.
SECTIONS = {
    "active": ACTIVE,
    "waiting": (Status.WAITLISTED,),
    "past": tuple(status for status in Status.values if status not in ACTIVE),
}
SECTION_SIZE = 25  # rows of each list on an iteration's page: rendering rows is most of its cost
# What a row of those lists shows (nominations/_nomination_rows.html), and nothing more.
SECTION_FIELDS = (
    "public_id",
    "status",
    "priority",
    "submitted_at",
    "person",
    "nation",
    "organisation",
    "person__rank",
    "person__given_names",
    "person__family_name",
    "nation__code",
    "organisation__code",
)
# The per-nation summary's columns: (heading key, statuses counted in it).
SUMMARY_COLUMNS = {
    "undecided": (Status.SUBMITTED, Status.DEFERRED, Status.APPROVED),
    "confirmed": (Status.CONFIRMED,),
    "waiting": (Status.WAITLISTED,),
    "past": SECTIONS["past"],
}


def _nominations(user):
    return Nomination.objects.visible_to(user).select_related("iteration__course", "person", "nation", "organisation")


def _counts_per_party(nominations) -> list[dict]:
    """The iteration's nominations counted per nation (or organisation) and status, in one grouped query
    over the iteration's index: the per-nation summary and each section's count come from it."""
    return list(
        nominations.order_by().values("nation__code", "organisation__code", "status").annotate(count=Count("id"))
    )


def _summary_per_nation(counts: list[dict]) -> list[dict]:
    """One row per nation (or organisation) with its nominations counted by kind of status."""
    rows: dict[str, dict] = {}
    for group in counts:
        code = group["nation__code"] or group["organisation__code"]
        row = rows.setdefault(code, {"party": code, "total": 0, **dict.fromkeys(SUMMARY_COLUMNS, 0)})
        row["total"] += group["count"]
        for column, statuses in SUMMARY_COLUMNS.items():
            if group["status"] in statuses:
                row[column] += group["count"]
    return [rows[code] for code in sorted(rows)]


def _section_page(nominations, statuses, counts: list[dict], number):
    """A page of one section of the iteration's nominations. Its count is summed from the grouped
    counts (no COUNT query of its own); its rows read only what the list shows."""
    paginator = Paginator(
        nominations.filter(status__in=statuses)
        .select_related("person", "nation", "organisation")
        .only(*SECTION_FIELDS)
        .order_by("status", "priority", "submitted_at", "id"),
        SECTION_SIZE,
    )
    paginator.count = sum(group["count"] for group in counts if group["status"] in statuses)
    return paginator.get_page(number)


def _with_page(request, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = str(number)
    return query.urlencode()


@require_GET
def iteration_list(request):
    iterations = Iteration.objects.visible_to(request.user).select_related("course").order_by("start_date", "code")
    status = request.GET.get("status", "")
    iterations = iterations.filter(status=status) if status in Iteration.Status.values else iterations.current()
    my_seats = {}
    mine_only = policy.party_filter(request.user) is not None and request.GET.get("all") != "1"
    if mine_only:
        # A point of contact first sees the runs their nation may be nominated for.
        # Through the courses (two thousand), not the iterations (a decade of them): the same runs.
        iterations = iterations.filter(
            course__in=Course.objects.filter(policy.in_audience_of(request.user, course="")).values("pk")
        )
    page = Paginator(iterations, 25).get_page(request.GET.get("page"))
    if policy.party_filter(request.user) is not None:
        # The seats of the runs on this page only.
        rows = SeatAllocation.objects.visible_to(request.user).filter(iteration__in=[i.pk for i in page])
        my_seats = {row.iteration_id: row for row in rows}
    for iteration in page:
        iteration.my_allocation = my_seats.get(iteration.pk)
    return render(
        request,
        "nominations/iteration_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Iteration.Status.choices,
            "can_create": policy.allows(request.user, "iteration", "create"),
            "mine_only": mine_only,
        },
    )


@require_GET
def iteration_detail(request, code):
    iteration = policy.get_iteration(request.user, code, queryset=Iteration.objects.select_related("course"))
    user = request.user
    allocations = (
        SeatAllocation.objects.visible_to(user).filter(iteration=iteration).select_related("nation", "organisation")
    )
    nominations = Nomination.objects.visible_to(user).filter(iteration=iteration)
    counts = _counts_per_party(nominations)
    sections = {
        name: _section_page(nominations, statuses, counts, request.GET.get(f"{name}_page"))
        for name, statuses in SECTIONS.items()
    }
    for name, page in sections.items():
        # Each list's page links keep the other lists on the pages they show.
        page.previous_query = _with_page(request, f"{name}_page", page.number - 1)
        page.next_query = _with_page(request, f"{name}_page", page.number + 1)
    is_staff = policy.allows(user, "allocation", "allocate")
    return render(
        request,
        "nominations/iteration_detail.html",
        {
            "iteration": iteration,
            "allocations": allocations,
            "summary": _summary_per_nation(counts),
            "active": sections["active"],
            "waiting": sections["waiting"],
            "past": sections["past"],
            # Why each seat went where names every bidding nation: staff and HQ only.
            "explanation": iteration.allocation_record.get("awards", []) if policy.sees_everything(user) else [],
            "can_manage": is_staff,
            "can_mark_attendance": policy.allows(user, "attendance", "mark"),
            "can_see_evaluation": policy.allows(user, "evaluation", "results"),
            "can_read_joining": user.is_authenticated and joining.may_read(user, iteration),
            "can_nominate": policy.allows(user, "nomination", "create")
            and iteration.accepts_nominations_on(timezone.localdate()),
            "can_bid": policy.allows(user, "allocation", "bid")
            and not iteration.reallocated_at
            and iteration.status in (Iteration.Status.PLANNED, Iteration.Status.OPEN),
            "next_statuses": [
                (value, Iteration.Status(value).label)
                for value in sorted(iteration_services.STATUS_TRANSITIONS[iteration.status])
            ]
            if policy.allows(user, "iteration", "edit")
            else [],
        },
    )


@require_POST
def iteration_action(request, code):
    """The buttons of the iteration page: bid, allocate, adjust, open the pool, change status."""
    iteration = policy.get_iteration(request.user, code)
    action = request.POST.get("action", "")
    user = request.user
    if action in ("allocate", "adjust") and policy.allows(user, "allocation", "allocate"):
        back = reverse("nominations:iteration", kwargs={"code": iteration.code})
        if ask := stepup.demand(request, back=back):  # sharing out seats is sensitive: password again
            return ask
    if action == "bid":
        run_for_page(
            request,
            lambda: services.bid(
                actor=user, iteration=iteration, requested=request.POST.get("requested"), source="web"
            ),
            _("Your seat request was saved."),
        )
    elif action == "allocate":
        run_for_page(
            request,
            lambda: services.allocate_seats(actor=user, iteration=iteration, source="web"),
            _("Seats allocated."),
        )
    elif action == "adjust":
        policy.require(user, "allocation", "allocate")
        party = request.POST.get("party", "")
        row = SeatAllocation.objects.filter(iteration=iteration).of_party(party).first()
        if row is None:
            raise Http404("No such allocation.")
        run_for_page(
            request,
            lambda: services.adjust_allocation(
                actor=user,
                allocation_row=row,
                seats=request.POST.get("seats"),
                guaranteed=request.POST.get("guaranteed"),
                cap=request.POST.get("cap"),
                source="web",
            ),
            _("Allocation changed."),
        )
    elif action == "open_pool":
        run_for_page(
            request,
            lambda: services.open_pool(actor=user, iteration=iteration, source="web"),
            _("The common pool is open to every nation of the audience."),
        )
    elif action == "status":
        target = request.POST.get("status", "")
        policy.require(user, "iteration", "cancel" if target == Iteration.Status.CANCELLED else "edit")
        if target == Iteration.Status.CANCELLED and request.POST.get("confirm") != "yes":
            # Cancelling cannot be undone: the page asks for a ticked box, and so does the server.
            messages.error(request, _("Tick the box to confirm the cancellation; nothing was changed."))
            return redirect("nominations:iteration", code=iteration.code)
        run_for_page(
            request,
            lambda: iteration_services.change_status(actor=user, iteration=iteration, status=target, source="web"),
            _("Status changed."),
        )
    else:
        messages.error(request, _("Unknown action."))
    return redirect("nominations:iteration", code=iteration.code)


@require_http_methods(["GET", "POST"])
def iteration_form(request, code=None):
    iteration = None
    if code is None:
        policy.require(request.user, "iteration", "create")
    else:
        iteration = policy.get_iteration(request.user, code, "edit")
    if request.method == "POST":
        form = IterationForm(request.POST)
        if form.is_valid():
            try:
                if iteration is None:
                    saved = iteration_services.create_iteration(
                        actor=request.user, data=form.cleaned_data, source="web"
                    )
                else:
                    saved = iteration_services.update_iteration(
                        actor=request.user, iteration=iteration, data=form.cleaned_data, source="web"
                    )
            except ValidationError as error:
                form.add_service_errors(error)
            except Conflict as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Iteration %(code)s saved.") % {"code": saved.code})
                return redirect("nominations:iteration", code=saved.code)
    elif iteration is not None:
        form = IterationForm(initial=iteration_services.snapshot(iteration))
    else:
        form = IterationForm(initial={"course": request.GET.get("course", ""), "capacity": 20})
    return render(
        request,
        "nominations/form.html",
        {"form": form, "iteration": iteration, "title": _("Edit iteration") if iteration else _("New iteration")},
    )


@require_http_methods(["GET", "POST"])
def nominate(request, code):
    iteration = policy.get_iteration(request.user, code)
    policy.require(request.user, "nomination", "create")
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nominate(
                actor=request.user,
                iteration=iteration,
                person_data=form.cleaned_data,
                priority=form.cleaned_data["priority"],
                source="web",
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except Conflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(name)s nominated: %(status)s.")
                % {"name": nomination.person.full_name, "status": nomination.get_status_display()},
            )
            return redirect("nominations:iteration", code=iteration.code)
    return render(
        request,
        "nominations/form.html",
        {
            "form": form,
            "iteration": iteration,
            "title": _("Nominate for %(code)s") % {"code": iteration.code},
        },
    )


@require_http_methods(["GET", "POST"])
@limited("import")
def upload(request, code):
    iteration = policy.get_iteration(request.user, code)
    policy.require(request.user, "nomination", "import")
    problems, file_error = [], None
    if request.method == "POST":
        try:
            rows = transfer.read_rows(uploaded_csv(request))
            done = services.import_nominations(actor=request.user, iteration=iteration, rows=rows)
        except (UploadError, transfer.FileError) as error:
            file_error = str(error)
        except services.ImportRejected as rejected:
            problems = rejected.problems
        else:
            messages.success(request, _("%(count)d nomination(s) submitted.") % {"count": len(done)})
            return redirect("nominations:iteration", code=iteration.code)
    return render(
        request,
        "nominations/upload.html",
        {
            "iteration": iteration,
            "problems": problems,
            "file_error": file_error,
            "columns": transfer.COLUMNS,
        },
    )


@require_GET
def nomination_list(request):
    """Newest first, a page at a time from a cursor: as fast at the ten-thousandth page as at the first."""
    nominations = _nominations(request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        nominations = nominations.filter(status=status)
    page = keyset_page(nominations, ("-submitted_at", "-id"), request.GET.get("cursor"))
    return render(
        request, "nominations/nomination_list.html", {"page": page, "status": status, "statuses": Status.choices}
    )


@require_http_methods(["GET", "POST"])
def nomination_detail(request, public_id):
    nomination = policy.get_nomination(request.user, public_id, queryset=_nominations(request.user))
    user = request.user
    form = PersonForm(request.POST if request.POST.get("action") == "replace" else None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        verbs = {
            "withdraw": "withdraw",
            "replace": "replace",
            "approve": "decide",
            "defer": "decide",
            "reject": "decide",
        }
        if action not in verbs:
            messages.error(request, _("Unknown action."))
            return redirect("nominations:nomination", public_id=public_id)
        policy.require(user, "nomination", verbs[action])
        if action == "withdraw" and request.POST.get("confirm") != "yes":
            # A withdrawal cannot be undone: the page asks for a ticked box, and so does the server.
            messages.error(request, _("Tick the box to confirm the withdrawal; nothing was changed."))
            return redirect("nominations:nomination", public_id=public_id)
        if action == "replace":
            if form.is_valid():
                try:
                    substitute = services.replace(
                        actor=user, nomination=nomination, person_data=form.cleaned_data, source="web"
                    )
                except ValidationError as error:
                    form.add_service_errors(error)
                except Conflict as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("%(name)s takes over.") % {"name": substitute.person.full_name})
                    return redirect("nominations:nomination", public_id=substitute.public_id)
        else:
            calls = {
                "withdraw": lambda: services.withdraw(actor=user, nomination=nomination, source="web"),
                "approve": lambda: services.approve(actor=user, nomination=nomination, source="web"),
                "defer": lambda: services.defer(actor=user, nomination=nomination, source="web"),
                "reject": lambda: services.reject(
                    actor=user, nomination=nomination, reason=request.POST.get("reason", ""), source="web"
                ),
            }
            run_for_page(request, calls[action], _("Done."))
            return redirect("nominations:nomination", public_id=public_id)
    return render(
        request,
        "nominations/nomination_detail.html",
        {
            "nomination": nomination,
            "form": form,
            "can_withdraw": nomination.is_active and policy.allows(user, "nomination", "withdraw"),
            "can_replace": nomination.is_active
            and nomination.status != Status.APPROVED
            and policy.allows(user, "nomination", "replace"),
            "can_decide": nomination.status in (Status.SUBMITTED, Status.DEFERRED)
            and policy.allows(user, "nomination", "decide"),
            "can_reject": nomination.status in (Status.SUBMITTED, Status.DEFERRED, Status.WAITLISTED, Status.CONFIRMED)
            and policy.allows(user, "nomination", "decide"),
            "delivery": delivery_services.attendance_summary(nomination),
        },
    )


def _uuids(values: list[str]) -> list[uuid.UUID]:
    """The well-formed ids among those posted; anything else matches nothing."""
    ids = []
    for value in values:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    return ids


QUEUE_PAGE = 50  # nominations shown, and decided at once, in the approval queue


@require_http_methods(["GET", "POST"])
def approval_queue(request):
    """Two-step courses: nominations waiting for the centre; "decide later" moves one below the rest."""
    policy.require(request.user, "nomination", "decide")
    queue = (
        _nominations(request.user)
        .filter(status__in=[Status.SUBMITTED, Status.DEFERRED])
        .order_by("status", "iteration__start_date", "priority", "submitted_at", "id")
    )
    if request.method == "POST":
        chosen = list(queue.filter(public_id__in=_uuids(request.POST.getlist("nomination"))[:QUEUE_PAGE]))
        action = request.POST.get("action")
        reason = request.POST.get("reason", "")
        calls = {
            "approve": lambda n: services.approve(actor=request.user, nomination=n, source="web"),
            "defer": lambda n: services.defer(actor=request.user, nomination=n, source="web"),
            "reject": lambda n: services.reject(actor=request.user, nomination=n, reason=reason, source="web"),
        }
        if action not in calls or not chosen:
            messages.error(request, _("Choose nominations and an action."))
        else:
            done = sum(
                run_for_page(request, lambda n=n: calls[action](n), _("%(name)s: done.") % {"name": n.person.full_name})
                for n in chosen
            )
            messages.info(
                request, _("%(done)d of %(count)d nominations updated.") % {"done": done, "count": len(chosen)}
            )
        return redirect("nominations:approvals")
    page = Paginator(queue, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "nominations/approvals.html", {"queue": page, "page": page})


@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """The user's private calendar feed: a new link revokes the old one; only its digest is stored."""
    policy.require(request.user, "calendar", "view")
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_feed(actor=request.user, source="web")
            messages.success(request, _("Your calendar link was revoked."))
        else:
            token = services.issue_calendar_feed(actor=request.user, source="web")
            feed_url = request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": token}))
    has_feed = CalendarFeed.objects.filter(user=request.user).exists()
    return render(request, "nominations/calendar.html", {"feed_url": feed_url, "has_feed": has_feed})


@require_GET
def calendar_feed(request, token):
    feed = CalendarFeed.objects.filter(token_digest=CalendarFeed.digest(token)).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    # The runs that ended in the last ICIHUB_CALENDAR_FEED_DAYS and every later one: a calendar
    # application asks again every few hours, and a decade of a nation's seats would be its whole answer.
    since = timezone.localdate() - datetime.timedelta(days=settings.ICIHUB_CALENDAR_FEED_DAYS)
    confirmed = _nominations(feed.user).filter(status=Status.CONFIRMED, iteration__end_date__gte=since)
    response = StreamingHttpResponse(
        invitations.feed(confirmed.order_by("iteration__start_date", "id").iterator(chunk_size=500)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response
