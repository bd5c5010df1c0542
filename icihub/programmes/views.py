"""Programme and event pages. A point of contact sees their own nation's programme and the events their
nation is invited to, and nothing of another partner's; staff and HQ see all. Every button calls one
service; a refusal comes back as a message and changes nothing."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from icihub.accounts import policy
from icihub.errors import Conflict, run_for_page
from icihub.formdata import row_id
from icihub.nominations.forms import PersonForm
from icihub.planning.models import Iteration
from icihub.programmes import progress, reports, services
from icihub.programmes.forms import EventForm, GoalForm, ObjectiveForm, ProgrammeForm
from icihub.programmes.models import Event, Goal, Objective, Programme, Registration, Support
from icihub.throttle import limited


def _programme(user, public_id) -> Programme:
    found = (
        policy.visible_programmes(user, Programme.objects.select_related("nation")).filter(public_id=public_id).first()
    )
    if found is None:
        raise Http404(_("No such programme."))
    return found


@login_required
@require_GET
def programme_list(request):
    programmes = policy.visible_programmes(request.user, Programme.objects.select_related("nation"))
    rows = [(p, progress.of(p).percent) for p in programmes]
    return render(
        request,
        "programmes/programme_list.html",
        {"rows": rows, "can_edit": policy.allows(request.user, "programme", "edit")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, public_id=None):
    policy.require(request.user, "programme", "edit")
    programme = _programme(request.user, public_id) if public_id else None
    initial = (
        {
            "nation": programme.nation.code,
            "kind": programme.kind,
            "title_en": programme.title_en,
            "title_ar": programme.title_ar,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
        }
        if programme
        else None
    )
    form = ProgrammeForm(request.POST or None, initial=initial)
    if programme:
        form.fields["nation"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.save_programme(
                actor=request.user, data=form.cleaned_data, programme=programme, source="web"
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except Conflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Programme saved."))
            return redirect("programmes:detail", public_id=programme.public_id)
    title = _("Edit the programme") if programme else _("New programme")
    return render(request, "nominations/form.html", {"form": form, "title": title})


def _programme_action(request, programme: Programme) -> None:
    user, action = request.user, request.POST.get("action", "")
    if action == "status":
        status = request.POST.get("status", "")
        run_for_page(
            request,
            lambda: services.change_programme_status(actor=user, programme=programme, status=status, source="web"),
            _("Programme status changed."),
        )
    elif action == "objective":
        run_for_page(
            request,
            lambda: services.save_objective(actor=user, programme=programme, data=request.POST, source="web"),
            _("Objective added."),
        )
    elif action == "goal":
        objective = Objective.objects.filter(programme=programme, pk=row_id(request.POST.get("objective"))).first()
        if objective is None:
            messages.error(request, _("Choose an objective of this programme."))
            return
        run_for_page(
            request,
            lambda: services.save_goal(actor=user, objective=objective, data=request.POST, source="web"),
            _("Goal added."),
        )
    elif action in ("remove-objective", "remove-goal"):
        model = Objective if action == "remove-objective" else Goal
        lookup = {"programme": programme} if model is Objective else {"objective__programme": programme}
        item = model.objects.filter(pk=row_id(request.POST.get("item")), **lookup).first()
        if item is None:
            messages.error(request, _("Nothing to remove."))
            return
        run_for_page(request, lambda: services.remove(actor=user, item=item, source="web"), _("Removed."))
    elif action == "support":
        goal = Goal.objects.filter(objective__programme=programme, pk=row_id(request.POST.get("goal"))).first()
        code = request.POST.get("activity", "").strip()
        iteration = Iteration.objects.filter(code=code.upper()).first()
        event = None if iteration else Event.objects.filter(public_id=_uuid(code)).first()
        if goal is None or (iteration is None and event is None):
            messages.error(request, _("Give an iteration code or an event's number, and a goal of this programme."))
            return
        run_for_page(
            request,
            lambda: services.link_support(actor=user, goal=goal, iteration=iteration, event=event, source="web"),
            _("Supporting activity added."),
        )
    elif action == "unsupport":
        chosen = row_id(request.POST.get("item"))
        support = Support.objects.filter(goal__objective__programme=programme, pk=chosen).first()
        if support is None:
            messages.error(request, _("Nothing to remove."))
            return
        run_for_page(request, lambda: services.unlink_support(actor=user, support=support, source="web"), _("Removed."))
    else:
        messages.error(request, _("Unknown action."))


def _uuid(text: str):
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _steps(user, programme: Programme) -> list[tuple[str, str]]:
    """The status changes this user may offer on this programme: (status, label)."""
    steps = []
    for status in services.PROGRAMME_TRANSITIONS.get(programme.status, ()):
        verb = services.PROGRAMME_STEP[status]
        if not policy.allows(user, "programme", verb):
            continue
        if verb == "agree" and user.nation_id != programme.nation_id:
            continue
        steps.append((status, Programme.Status(status).label))
    return sorted(steps)


@login_required
@require_http_methods(["GET", "POST"])
def programme_detail(request, public_id):
    programme = _programme(request.user, public_id)
    if request.method == "POST":
        _programme_action(request, programme)
        return redirect("programmes:detail", public_id=programme.public_id)
    editable = policy.allows(request.user, "programme", "edit") and programme.status in services.EDITABLE
    year = min(max(timezone.localdate().year, programme.starts_on.year), programme.ends_on.year)
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "progress": progress.of(programme),
            "editable": editable,
            "can_edit": policy.allows(request.user, "programme", "edit"),
            "steps": _steps(request.user, programme),
            "problems": services.structure_problems(programme),
            "objective_form": ObjectiveForm() if editable else None,
            "goal_form": GoalForm() if editable else None,
            "review_year": year,
            "years": range(programme.starts_on.year, programme.ends_on.year + 1),
        },
    )


@login_required
@require_GET
def review(request, public_id, year: int):
    programme = _programme(request.user, public_id)
    if not programme.starts_on.year <= year <= programme.ends_on.year:
        raise Http404(_("The programme does not run in that year."))
    return render(request, "programmes/review.html", reports.review(programme, year))


@login_required
@require_GET
@limited("export")
def review_pdf(request, public_id, year: int):
    from weasyprint import HTML  # loads Pango: only PDF work needs it

    programme = _programme(request.user, public_id)
    if not programme.starts_on.year <= year <= programme.ends_on.year:
        raise Http404(_("The programme does not run in that year."))
    html = render_to_string("programmes/review_pdf.html", reports.review(programme, year), request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="review-{programme.nation.code}-{year}.pdf"'
    return response


# --- events --------------------------------------------------------------------------------------


def _event(user, public_id) -> Event:
    found = policy.visible_events(user, Event.objects.select_related("activity")).filter(public_id=public_id).first()
    if found is None:
        raise Http404(_("No such event."))
    return found


EVENTS_PER_PAGE = 25


@login_required
@require_GET
def event_list(request):
    events = policy.visible_events(request.user, Event.objects.select_related("activity")).order_by("-starts_on", "-id")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/event_list.html",
        {"events": page, "page": page, "can_propose": policy.allows(request.user, "event", "propose")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_propose(request):
    policy.require(request.user, "event", "propose")
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.propose_event(actor=request.user, data=form.cleaned_data, source="web")
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Event proposed."))
            return redirect("programmes:event", public_id=event.public_id)
    return render(request, "nominations/form.html", {"form": form, "title": _("Propose an event")})


def _event_action(request, event: Event) -> None:
    user, action = request.user, request.POST.get("action", "")
    if action == "approve":
        run_for_page(
            request, lambda: services.approve_event(actor=user, event=event, source="web"), _("Event approved.")
        )
    elif action == "invite":
        nations = request.POST.get("nations", "").replace(",", " ").split()
        run_for_page(
            request,
            lambda: services.invite(actor=user, event=event, nations=nations, source="web"),
            _("Invitations sent."),
        )
    elif action == "register":
        form = PersonForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return
        run_for_page(
            request,
            lambda: services.register(actor=user, event=event, person_data=form.cleaned_data, source="web"),
            _("Registered."),
        )
    elif action == "withdraw":
        # Another nation's registration is not found, like one that does not exist.
        chosen = Registration.objects.filter(event=event, pk=row_id(request.POST.get("registration")))
        registration = policy.visible_registrations(user, chosen).first()
        if registration is None:
            messages.error(request, _("No such registration."))
            return
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm the withdrawal; nothing was changed."))
            return
        run_for_page(
            request,
            lambda: services.withdraw_registration(actor=user, registration=registration, source="web"),
            _("Registration withdrawn."),
        )
    elif action == "held":
        attended = {r.pk: bool(request.POST.get(f"attended-{r.pk}")) for r in event.registrations.all()}
        run_for_page(
            request,
            lambda: services.mark_held(actor=user, event=event, attended=attended, source="web"),
            _("Event recorded as held."),
        )
    elif action == "report":
        run_for_page(
            request,
            lambda: services.report_event(
                actor=user,
                event=event,
                report_en=request.POST.get("report_en", ""),
                report_ar=request.POST.get("report_ar", ""),
                source="web",
            ),
            _("Feedback report saved."),
        )
    elif action == "cancel":
        policy.require(user, "event", "cancel")
        if request.POST.get("confirm") != "yes":
            # Cancelling cannot be undone: the page asks for a ticked box, and so does the server.
            messages.error(request, _("Tick the box to confirm the cancellation; nothing was changed."))
            return
        run_for_page(
            request, lambda: services.cancel_event(actor=user, event=event, source="web"), _("Event cancelled.")
        )
    else:
        messages.error(request, _("Unknown action."))


@login_required
@require_http_methods(["GET", "POST"])
def event_detail(request, public_id):
    event = _event(request.user, public_id)
    if request.method == "POST":
        _event_action(request, event)
        return redirect("programmes:event", public_id=event.public_id)
    user = request.user
    registrations = policy.visible_registrations(user, event.registrations.select_related("person", "nation"))
    today = timezone.localdate()
    allows = {verb: policy.allows(user, "event", verb) for verb in ("approve", "invite", "report", "cancel")}
    return render(
        request,
        "programmes/event_detail.html",
        {
            "event": event,
            "registrations": registrations,
            "registered": event.registrations.count(),
            "invited": event.invited.order_by("code"),
            "allows": allows,
            "can_register": policy.allows(user, "event", "register")
            and event.status == Event.Status.INVITING
            and today < event.starts_on,
            "can_mark_held": allows["report"] and event.status == Event.Status.INVITING and today >= event.ends_on,
            "can_cancel": allows["cancel"]
            and event.status in (Event.Status.PROPOSED, Event.Status.APPROVED, Event.Status.INVITING)
            and today < event.starts_on,
            "person_form": PersonForm(),
            "today": today,
            "soon": today + datetime.timedelta(days=1),
        },
    )
