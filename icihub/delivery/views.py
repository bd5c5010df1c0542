"""The class sheet of an iteration, for centre staff and instructors: mark a day's attendance (the
whole class at once, one by one, or from a CSV file), record test results, work out completion, decide
it by hand with a reason, and issue the certificates of everyone who completed; the day's check-in
code to show in the classroom, and the page where participants enter it. Every button calls an
audited service; a refused action comes back as a message and changes nothing."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.certificates import services as certificates
from icihub.certificates.models import Certificate
from icihub.delivery import checkin, joining, services, transfer
from icihub.delivery.models import Attendance, Completion, JoiningInstructions, TestScore
from icihub.errors import Conflict
from icihub.planning.models import Iteration
from icihub.throttle import limited
from icihub.uploads import UploadError, uploaded_csv


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
            "can_see_evaluation": policy.allows(request.user, "evaluation", "results"),
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
@limited("export")
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


@login_required
@require_http_methods(["GET"])
@limited("export")
def attendance_csv(request, code: str):
    """The iteration's attendance as CSV: one row per participant and course day, empty when unmarked.
    The same file, changed or not, can be imported back."""
    iteration = policy.get_iteration(request.user, code, "view")
    policy.require(request.user, "attendance", "mark")
    rows = services.attendance_rows(iteration)
    # A list of participants' names and e-mails leaving the centre: a sensitive read, recorded.
    with transaction.atomic():
        record(actor=request.user, action="attendance.exported", obj=iteration, after={"rows": len(rows)}, source="web")
    response = StreamingHttpResponse(transfer.stream_sheet(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{iteration.code}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@limited("import")
def attendance_import(request, code: str):
    """Marks from a CSV file, all or nothing: every problem is listed with its line and column."""
    iteration = policy.get_iteration(request.user, code, "view")
    policy.require(request.user, "attendance", "mark")
    problems, file_error = [], None
    if request.method == "POST":
        try:
            rows = transfer.read_sheet(uploaded_csv(request))
            changed = services.import_marks(actor=request.user, iteration=iteration, rows=rows, source="import")
        except (UploadError, transfer.FileError) as error:
            file_error = str(error)
        except services.ImportRejected as rejected:
            problems = rejected.problems
        else:
            message = ngettext(
                "Attendance imported: %(count)d mark changed.",
                "Attendance imported: %(count)d marks changed.",
                changed,
            )
            messages.success(request, message % {"count": changed})
            return redirect("delivery:class-sheet", code=iteration.code)
    return render(
        request,
        "delivery/attendance_import.html",
        {"iteration": iteration, "problems": problems, "file_error": file_error, "columns": transfer.COLUMNS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_in_display(request, code: str):
    """Today's check-in code, large and as a QR code, to show in the classroom; a button replaces it."""
    iteration = policy.get_iteration(request.user, code, "view")
    policy.require(request.user, "attendance", "mark")
    if request.method == "POST":
        try:
            checkin.renew_code(actor=request.user, iteration=iteration, source="web")
        except Conflict as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("A new code replaces the old one, which no longer works."))
        return redirect("delivery:check-in-display", code=iteration.code)
    context = {"iteration": iteration, "today": timezone.localdate()}
    try:
        shown = checkin.code_for_today(actor=request.user, iteration=iteration, source="web")
    except Conflict as error:
        context["why_not"] = str(error)
    else:
        url = checkin.check_in_url(shown.code)
        qr = mark_safe(checkin.qr_svg(url))  # noqa: S308  # segno's own SVG of our own address  # nosec B308, B703
        context.update({"code": shown.code, "url": url, "qr": qr})
    return render(request, "delivery/check_in_display.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request):
    """A participant enters the code shown in the classroom (or scans it: the code comes filled in)."""
    checkin.require_participant(request.user)
    code, error, status = request.GET.get("code", ""), None, 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            done = checkin.check_in(user=request.user, code=code, source="check-in")
        except checkin.TooManyAttempts as refused:
            error, status = str(refused), 429
        except Conflict as refused:
            error = str(refused)
        else:
            values = {"course": done.nomination.iteration.course.title, "mark": Attendance.Mark(done.mark).label}
            if done.already_marked:
                messages.info(request, _("You are already marked %(mark)s today.") % values)
            else:
                messages.success(request, _("Checked in to %(course)s: you are marked %(mark)s today.") % values)
            return redirect("delivery:check-in")
    return render(request, "delivery/check_in.html", {"code": checkin.normalise(code), "error": error}, status=status)
