"""The class sheet of an iteration, for centre staff and instructors: mark a day's attendance (the
whole class at once, or one by one), record test results, work out completion, decide it by hand with
a reason, and issue the certificates of everyone who completed. Every button calls an audited service;
a refused action comes back as a message and changes nothing."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from icihub.accounts import policy
from icihub.certificates import services as certificates
from icihub.certificates.models import Certificate
from icihub.delivery import joining, services
from icihub.delivery.models import Attendance, Completion, JoiningInstructions, TestScore
from icihub.errors import Conflict
from icihub.planning.models import Iteration


def _score(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise Conflict(_("A test score is from 0 to 100."))
    return int(value)


def _act(request, iteration: Iteration, day: datetime.date) -> None:
    user, action = request.user, request.POST.get("action", "")
    participants = {str(n.public_id): n for n in services.participants(iteration)}
    if action == "mark":
        marks = {key: request.POST[f"mark-{key}"] for key in participants if request.POST.get(f"mark-{key}")}
        changed = services.mark(actor=user, iteration=iteration, day=day, marks=marks, source="web")
        messages.success(request, _("%(count)d attendance marks saved.") % {"count": changed})
    elif action == "mark_class":
        changed = services.mark_class(actor=user, iteration=iteration, day=day, source="web")
        messages.success(request, _("%(count)d participants marked present.") % {"count": changed})
    elif action == "scores":
        nomination = participants.get(request.POST.get("nomination", ""))
        if nomination is None:
            raise Conflict(_("Choose a participant of this course."))
        services.record_scores(
            actor=user,
            nomination=nomination,
            pre=_score(request.POST.get("pre", "")),
            post=_score(request.POST.get("post", "")),
            source="web",
        )
        messages.success(request, _("Test results saved."))
    elif action == "assess":
        done = sum(c.completed for c in services.assess(actor=user, iteration=iteration, source="web"))
        messages.success(request, _("Completion worked out: %(count)d completed.") % {"count": done})
    elif action == "override":
        nomination = participants.get(request.POST.get("nomination", ""))
        if nomination is None:
            raise Conflict(_("Choose a participant of this course."))
        services.override(
            actor=user,
            nomination=nomination,
            completed=request.POST.get("completed") == "yes",
            reason=request.POST.get("reason", ""),
            source="web",
        )
        messages.success(request, _("Completion decided."))
    elif action == "issue":
        issued = certificates.issue_completed(actor=user, iteration=iteration, source="web")
        messages.success(request, _("%(count)d certificates issued.") % {"count": len(issued)})


@login_required
@require_http_methods(["GET", "POST"])
def class_sheet(request, code: str):
    iteration = policy.get_iteration(request.user, code, "view")
    policy.require(request.user, "attendance", "mark")
    days = services.course_days(iteration)
    today = timezone.localdate()
    chosen = request.POST.get("day") or request.GET.get("day")
    try:
        day = datetime.date.fromisoformat(chosen) if chosen else None
    except ValueError:
        day = None
    if day not in days:
        day = today if today in days else days[0]
    if request.method == "POST":
        try:
            _act(request, iteration, day)
        except Conflict as error:
            messages.error(request, str(error))
        return redirect(f"{request.path}?day={day.isoformat()}")
    participants = list(
        services.participants(iteration).select_related("person__nation").order_by("person__family_name")
    )
    marks = {(a.nomination_id, a.day): a.mark for a in Attendance.objects.filter(nomination__in=participants)}
    completions = {c.nomination_id: c for c in Completion.objects.filter(nomination__in=participants)}
    scores = {s.nomination_id: s for s in TestScore.objects.filter(nomination__in=participants)}
    issued = {c.nomination_id: c for c in Certificate.objects.filter(nomination__in=participants)}
    rows = [
        {
            "nomination": n,
            "mark": marks.get((n.pk, day), ""),
            "attended": sum(1 for d in days if marks.get((n.pk, d)) in ("present", "late")),
            "completion": completions.get(n.pk),
            "score": scores.get(n.pk),
            "certificate": issued.get(n.pk),
        }
        for n in participants
    ]
    return render(
        request,
        "delivery/class_sheet.html",
        {
            "iteration": iteration,
            "day": day,
            "days": days,
            "rows": rows,
            "mark_choices": Attendance.Mark.choices,
            "can_decide": policy.allows(request.user, "completion", "decide"),
            "can_issue": policy.allows(request.user, "certificate", "issue"),
        },
    )


@login_required
@require_http_methods(["GET"])
def joining_instructions(request, code: str):
    iteration = policy.get_iteration(request.user, code, "view")
    if not joining.may_read(request.user, iteration):
        raise Http404(_("No joining instructions for you here."))
    return render(
        request,
        "delivery/joining.html",
        {
            "iteration": iteration,
            "instructions": JoiningInstructions.objects.filter(iteration=iteration).first(),
            "can_edit": policy.allows(request.user, "iteration", "edit"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def joining_edit(request, code: str):
    iteration = policy.get_iteration(request.user, code, "edit")
    instructions = JoiningInstructions.objects.filter(iteration=iteration).first()
    if request.method == "POST":
        try:
            joining.save(actor=request.user, iteration=iteration, data=request.POST, source="web")
        except Conflict as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Joining instructions saved."))
            return redirect("delivery:joining", code=iteration.code)
    fields = [
        (f"{field}_{lang}", JoiningInstructions._meta.get_field(f"{field}_{lang}").verbose_name, lang)
        for field in joining.FIELDS
        for lang in ("en", "ar")
    ]
    values = {name: getattr(instructions, name, "") if instructions else "" for name, _label, _lang in fields}
    return render(
        request,
        "delivery/joining_edit.html",
        {"iteration": iteration, "fields": [(n, label, lang, values[n]) for n, label, lang in fields]},
    )


@login_required
@require_http_methods(["GET"])
def joining_pdf(request, code: str):
    """The joining instructions as a PDF, both languages, for the same readers as the page."""
    from weasyprint import HTML  # loads Pango: only PDF work needs it

    iteration = policy.get_iteration(request.user, code, "view")
    instructions = JoiningInstructions.objects.filter(iteration=iteration).first()
    if not joining.may_read(request.user, iteration) or instructions is None:
        raise Http404(_("No joining instructions for you here."))
    html = render_to_string("delivery/joining_pdf.html", {"iteration": iteration, "instructions": instructions})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="joining-{iteration.code}.pdf"'
    return response
