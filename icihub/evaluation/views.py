"""Evaluation pages: answering a questionnaire (by the e-mailed link, or from the participant's own
page), an iteration's results for staff and HQ, and the questionnaires staff configure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from icihub.accounts import policy
from icihub.catalogue.models import Course
from icihub.errors import Conflict
from icihub.evaluation import services
from icihub.evaluation.models import Invitation, Kind, Question, Questionnaire

SCALE = [
    ("1", gettext_lazy("1 strongly disagree")),
    ("2", gettext_lazy("2 disagree")),
    ("3", gettext_lazy("3 neither agree nor disagree")),
    ("4", gettext_lazy("4 agree")),
    ("5", gettext_lazy("5 strongly agree")),
]


def _answer(request, invitation: Invitation, *, actor, source: str):
    nomination = invitation.nomination
    try:
        questionnaire = services.questionnaire_for(nomination.iteration.course, invitation.kind)
    except Conflict as error:
        raise Http404(str(error)) from None
    questions = list(questionnaire.questions.filter(retired=False))
    errors: dict[int, str] = {}
    given = {q.pk: request.POST.get(f"q{q.pk}", "") for q in questions} if request.method == "POST" else {}
    closed = invitation.answered_at is not None or timezone.localdate() > invitation.closes_on
    if request.method == "POST" and not closed:
        try:
            services.respond(invitation=invitation, answers=given, actor=actor, source=source)
        except services.QuestionnaireRejected as rejected:
            errors = dict(rejected.problems)
        except Conflict as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: your answers are recorded."))
            return redirect(request.path)
    return render(
        request,
        "evaluation/answer.html",
        {
            "invitation": invitation,
            "iteration": nomination.iteration,
            "questionnaire": questionnaire,
            "about": nomination.person.full_name if invitation.kind == Kind.SUPERVISOR else "",
            "questions": [
                {"question": q, "value": str(given.get(q.pk, "")), "error": errors.get(q.pk)} for q in questions
            ],
            "scale": SCALE,
            "closed": closed,
            "has_errors": bool(errors),
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def answer_by_link(request, token: str):
    """The e-mailed link: its secret token is the credential, so a supervisor needs no account."""
    invitation = services.invitation_by_token(token)
    if invitation is None:
        raise Http404(_("This link is not valid (a newer one may have been sent)."))
    return _answer(request, invitation, actor=request.user, source="link")


@login_required
@require_http_methods(["GET", "POST"])
def answer_own(request, public_id):
    invitation = services.invitations_of(request.user).filter(public_id=public_id).first()
    if invitation is None:
        raise Http404(_("No such evaluation for you."))
    return _answer(request, invitation, actor=request.user, source="web")


@login_required
@require_http_methods(["GET", "POST"])
def results(request, code: str):
    iteration = policy.get_iteration(request.user, code, "view")
    policy.require(request.user, "evaluation", "results")
    if request.method == "POST":
        try:
            sent = services.remind(actor=request.user, iteration=iteration, source="web")
        except Conflict as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(count)d reminders sent.") % {"count": sent})
        return redirect(request.path)
    return render(
        request,
        "evaluation/results.html",
        {
            "iteration": iteration,
            **services.results(iteration),
            "min_anonymous": services.MIN_ANONYMOUS,
            "can_remind": policy.allows(request.user, "evaluation", "remind"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_list(request):
    policy.require(request.user, "evaluation", "configure")
    if request.method == "POST":
        course = Course.objects.filter(code=request.POST.get("course", "").strip().upper()).first()
        try:
            if course is None:
                raise Conflict(_("No course has this code."))
            questionnaire = services.copy_for_course(
                actor=request.user, course=course, kind=request.POST.get("kind", ""), source="web"
            )
        except Conflict as error:
            messages.error(request, str(error))
        else:
            return redirect("evaluation:questionnaire", pk=questionnaire.pk)
    return render(
        request,
        "evaluation/questionnaire_list.html",
        {
            "questionnaires": Questionnaire.objects.select_related("course").order_by("course__code", "kind"),
            "kinds": Kind.choices,
        },
    )


EXTRA_ROWS = 3
MAX_ROWS = 100  # questions a form may carry


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, pk: int):
    policy.require(request.user, "evaluation", "configure")
    questionnaire = Questionnaire.objects.filter(pk=pk).select_related("course").first()
    if questionnaire is None:
        raise Http404(_("No such questionnaire."))
    problems: list[tuple[int, str]] = []
    rows: list[dict] = []
    if request.method == "POST":
        count = request.POST.get("rows", "")
        for n in range(min(int(count), MAX_ROWS) if count.isdigit() else 0):
            raw_id = request.POST.get(f"id-{n}", "")
            rows.append(
                {
                    "id": int(raw_id) if raw_id.isdigit() else None,
                    "text_en": request.POST.get(f"text_en-{n}", ""),
                    "text_ar": request.POST.get(f"text_ar-{n}", ""),
                    "answer": request.POST.get(f"answer-{n}", ""),
                    "required": bool(request.POST.get(f"required-{n}")),
                    "remove": bool(request.POST.get(f"remove-{n}")),
                }
            )
        try:
            services.save_questionnaire(
                actor=request.user,
                questionnaire=questionnaire,
                settings_data=request.POST,
                questions=rows,
                source="web",
            )
        except services.QuestionnaireRejected as rejected:
            problems = rejected.problems
        except Conflict as error:
            problems = [(0, str(error))]
        else:
            messages.success(request, _("Questionnaire saved."))
            return redirect(request.path)
    if not problems:  # a refused form comes back as it was sent, to be corrected
        rows = [
            {"id": q.pk, "text_en": q.text_en, "text_ar": q.text_ar, "answer": q.answer, "required": q.required}
            for q in questionnaire.questions.filter(retired=False)
        ] + [{"id": None, "text_en": "", "text_ar": "", "answer": "scale", "required": True}] * EXTRA_ROWS
    return render(
        request,
        "evaluation/questionnaire_edit.html",
        {
            "questionnaire": questionnaire,
            "rows": rows,
            "answers": Question.Answer.choices,
            "problems": problems,
            "retired": questionnaire.questions.filter(retired=True),
        },
        status=400 if problems else 200,
    )
