"""Evaluation: configuring questionnaires, inviting participants and supervisors, taking answers, and
the results of an iteration. Every change is one transaction and audited; bad input changes nothing.

Invitations go out from the daily job (`icihub delivery_jobs`): the end-of-course questionnaire on the
course's last day to every participant who came, the follow-up survey six months after the last day
to each graduate and, when the nomination names one, their supervisor. Each invitation is a unique row
made before its e-mail is sent after the commit, so the job can run again, or twice at once, and send
nothing more."""

import calendar
import dataclasses
import datetime
import hashlib
import logging
import secrets
from statistics import mean

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.catalogue.models import Course
from icihub.delivery.models import Attendance, Completion, TestScore
from icihub.delivery.services import rule_of
from icihub.errors import Conflict
from icihub.evaluation.defaults import ensure_defaults
from icihub.evaluation.models import Answer, Invitation, Kind, Question, Questionnaire, Response
from icihub.nominations.models import Nomination, Status
from icihub.planning.models import Iteration

logger = logging.getLogger(__name__)
FOLLOW_UP_MONTHS = 6
OPEN_DAYS = {Kind.REACTION: 14, Kind.GRADUATE: 30, Kind.SUPERVISOR: 30}
CATCH_UP_DAYS = 30  # a job that did not run still invites up to this many days late, never for old courses
MAX_TEXT = 2000
MIN_ANONYMOUS = 3  # anonymous answers are shown once at least this many were given


# --- questionnaires ------------------------------------------------------------------------------


def questionnaire_for(course: Course, kind: str) -> Questionnaire:
    """The course's own questionnaire of this kind, or the centre's default."""
    found = Questionnaire.objects.filter(kind=kind, course=course).first()
    if found is None:
        ensure_defaults()
        found = Questionnaire.objects.get(kind=kind, course__isnull=True)
    return found


def _questionnaire_snapshot(questionnaire: Questionnaire) -> dict:
    return {
        "anonymous": questionnaire.anonymous,
        "intro_en": questionnaire.intro_en,
        "intro_ar": questionnaire.intro_ar,
        "questions": [
            {
                "id": q.pk,
                "position": q.position,
                "text_en": q.text_en,
                "text_ar": q.text_ar,
                "answer": q.answer,
                "required": q.required,
                "retired": q.retired,
            }
            for q in questionnaire.questions.all()
        ],
    }


def copy_for_course(*, actor, course: Course, kind: str, source: str) -> Questionnaire:
    """A course's own questionnaire of this kind, starting as a copy of the centre's default."""
    policy.require(actor, "evaluation", "configure")
    if kind not in Kind.values:
        raise Conflict(_("%(kind)s is not a kind of questionnaire.") % {"kind": kind})
    default = Questionnaire.objects.filter(kind=kind, course__isnull=True).first()
    with transaction.atomic():
        if Questionnaire.objects.filter(kind=kind, course=course).exists():
            raise Conflict(_("The course already has its own questionnaire of this kind."))
        try:
            with transaction.atomic():
                questionnaire = Questionnaire.objects.create(
                    kind=kind,
                    course=course,
                    anonymous=default.anonymous if default else True,
                    intro_en=default.intro_en if default else "",
                    intro_ar=default.intro_ar if default else "",
                )
        except IntegrityError:
            raise Conflict(_("The course already has its own questionnaire of this kind.")) from None
        if default is not None:
            Question.objects.bulk_create(
                Question(
                    questionnaire=questionnaire,
                    position=q.position,
                    text_en=q.text_en,
                    text_ar=q.text_ar,
                    answer=q.answer,
                    required=q.required,
                )
                for q in default.questions.filter(retired=False)
            )
        record(
            actor=actor,
            action="questionnaire.created",
            obj=questionnaire,
            after=_questionnaire_snapshot(questionnaire),
            source=source,
        )
    return questionnaire


def save_questionnaire(*, actor, questionnaire: Questionnaire, settings_data: dict, questions: list[dict], source: str):
    """Replace a questionnaire's settings and questions. `questions` lists every question to keep or
    add: {"id": existing id or None, "text_en", "text_ar", "answer", "required", "remove"}. A removed
    question that has answers is retired (no longer asked, its answers kept); otherwise it is deleted.
    Every problem is reported at once as {"line": n, "message": ...}; nothing is saved unless all is right."""
    policy.require(actor, "evaluation", "configure")
    problems: list[tuple[int, str]] = []
    existing = {q.pk: q for q in questionnaire.questions.all()}
    kept = []
    for line, item in enumerate(questions, start=1):
        text_en, text_ar = (item.get("text_en") or "").strip(), (item.get("text_ar") or "").strip()
        if item.get("id") is not None and item["id"] not in existing:
            problems.append((line, _("This question is not part of the questionnaire.")))
            continue
        if item.get("remove"):
            if item.get("id") is not None:  # removing a row never saved is leaving it empty
                kept.append((item, None, None))
            continue
        if not text_en and not text_ar and item.get("id") is None:
            continue  # an empty new row: nothing to add
        if not text_en or not text_ar:
            problems.append((line, _("Give the question in English and in Arabic.")))
        if len(text_en) > 300 or len(text_ar) > 300:
            problems.append((line, _("At most %(limit)d characters.") % {"limit": 300}))
        if item.get("answer") not in Question.Answer.values:
            problems.append((line, _("Choose the kind of answer: a scale from 1 to 5, or free text.")))
        kept.append((item, text_en, text_ar))
    if not any(text is not None for _item, text, _ar in kept):
        problems.append((0, _("A questionnaire needs at least one question.")))
    if problems:
        raise QuestionnaireRejected(problems)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        before = _questionnaire_snapshot(questionnaire)
        questionnaire.anonymous = bool(settings_data.get("anonymous"))
        questionnaire.intro_en = (settings_data.get("intro_en") or "").strip()
        questionnaire.intro_ar = (settings_data.get("intro_ar") or "").strip()
        questionnaire.save()
        position = 0
        for item, text_en, text_ar in kept:
            question = existing.get(item.get("id"))
            if text_en is None:  # removed
                if question.answers.exists():
                    question.retired = True
                    question.save(update_fields=["retired"])
                else:
                    question.delete()
                continue
            position += 1
            question = question or Question(questionnaire=questionnaire)
            if question.pk and question.answers.exists() and question.answer != item["answer"]:
                raise Conflict(_("A question that has answers keeps its kind of answer; remove it and add a new one."))
            question.position, question.text_en, question.text_ar = position, text_en, text_ar
            question.answer, question.required, question.retired = item["answer"], bool(item.get("required")), False
            question.save()
        record(
            actor=actor,
            action="questionnaire.saved",
            obj=questionnaire,
            before=before,
            after=_questionnaire_snapshot(questionnaire),
            source=source,
        )
    return questionnaire


class QuestionnaireRejected(Exception):
    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(f"{len(problems)} problem(s); nothing was saved")
        self.problems = problems


# --- invitations ---------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` later, or the month's last day when it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_url(token: str) -> str:
    return f"{settings.ICIHUB_PUBLIC_URL}/evaluations/{token}/"


def _came(iterations):
    """Confirmed participants who came: any day present or late, or no attendance taken for them."""
    attended = Attendance.objects.filter(mark__in=["present", "late"]).values("nomination")
    marked = Attendance.objects.values("nomination")
    return Nomination.objects.filter(iteration__in=iterations, status=Status.CONFIRMED).filter(
        Q(pk__in=attended) | ~Q(pk__in=marked)
    )


def _due(kind: str, today: datetime.date) -> list[tuple[Nomination, str]]:
    """(nomination, e-mail) of everyone to invite today to answer this kind, not yet invited."""
    if kind == Kind.REACTION:
        iterations = Iteration.objects.filter(
            course__level1_evaluation=True,  # the course's ETOC record says whether it has one
            status__in=[Iteration.Status.RUNNING, Iteration.Status.COMPLETED],
            end_date__lte=today,
            end_date__gte=today - datetime.timedelta(days=CATCH_UP_DAYS),
        )
        nominations = _came(iterations)
    else:
        # The day six months after the last day falls in [today - CATCH_UP_DAYS, today] for last days
        # in this window, widened by three days each side for month ends; add_months decides exactly.
        earliest = add_months(today - datetime.timedelta(days=CATCH_UP_DAYS), -FOLLOW_UP_MONTHS)
        iterations = [
            i
            for i in Iteration.objects.filter(
                status=Iteration.Status.COMPLETED,
                end_date__gte=earliest - datetime.timedelta(days=3),
                end_date__lte=add_months(today, -FOLLOW_UP_MONTHS) + datetime.timedelta(days=3),
            )
            if today - datetime.timedelta(days=CATCH_UP_DAYS) <= add_months(i.end_date, FOLLOW_UP_MONTHS) <= today
        ]
        nominations = Nomination.objects.filter(
            iteration__in=iterations, status=Status.CONFIRMED, completion__completed=True
        )
        if kind == Kind.SUPERVISOR:
            nominations = nominations.exclude(person__supervisor_email="")
    invited = Invitation.objects.filter(kind=kind).values("nomination")
    due = nominations.exclude(pk__in=invited).select_related("person").order_by("pk")
    return [(n, n.person.supervisor_email if kind == Kind.SUPERVISOR else n.person.email) for n in due]


def _send(invitation_id: int, token: str) -> bool:
    """E-mail an invitation's link; a failure is logged (staff can send the link again from the
    iteration's evaluation page) and stops nothing else. True when the message went out."""
    try:
        _message(invitation_id, token).send()
    except Exception:  # noqa: BLE001 - one bad address or a mail server hiccup must not stop the job
        logger.exception("evaluation invitation %s: the e-mail was not sent", invitation_id)
        return False
    return True


def _message(invitation_id: int, token: str) -> EmailMessage:
    invitation = Invitation.objects.select_related("nomination__person", "nomination__iteration__course").get(
        pk=invitation_id
    )
    nomination, iteration = invitation.nomination, invitation.nomination.iteration
    parts = []
    for language in ("en", "ar"):
        with translation.override(language):
            title = iteration.course.title_ar if language == "ar" else iteration.course.title_en
            if invitation.kind == Kind.REACTION:
                text = _("Please tell us what you thought of %(course)s (%(code)s).")
            elif invitation.kind == Kind.GRADUATE:
                text = _("Six months after %(course)s (%(code)s): please tell us how it has served you in your work.")
            else:
                text = _(
                    "%(name)s attended %(course)s (%(code)s) six months ago. As their supervisor, please tell "
                    "us how it has served them in their work."
                )
            parts.append(
                "\n".join(
                    [
                        text % {"course": title, "code": iteration.code, "name": nomination.person.full_name},
                        _("The questionnaire: %(link)s") % {"link": survey_url(token)},
                        _("It is open until %(day)s.") % {"day": invitation.closes_on.isoformat()},
                    ]
                )
            )
    return EmailMessage(
        subject=f"[icihub] {iteration.code}: evaluation / التقييم",
        body="\n\n".join(parts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )


def send_invitations(today: datetime.date) -> int:
    """Invite everyone due today; returns how many invitations were sent."""
    sent = 0
    for kind in Kind.values:
        for nomination, email in _due(kind, today):
            token = secrets.token_urlsafe(24)
            try:
                with transaction.atomic():
                    invitation = Invitation.objects.create(
                        nomination=nomination,
                        kind=kind,
                        email=email,
                        token_digest=_digest(token),
                        closes_on=today + datetime.timedelta(days=OPEN_DAYS[kind]),
                    )
                    record(
                        actor=None,
                        action="evaluation.invited",
                        obj=nomination,
                        after={"kind": kind, "email": email, "closes_on": invitation.closes_on},
                        source="job",
                    )
                    transaction.on_commit(lambda i=invitation.pk, t=token: _send(i, t))
            except IntegrityError:  # another run invited them a moment ago
                continue
            sent += 1
    return sent


def remind(*, actor, iteration: Iteration, source: str) -> int:
    """Send the link again to everyone invited about this iteration who has not answered and still
    may; each gets a new link (the old one stops working). A link is replaced only once its e-mail has
    gone out, so a failed e-mail leaves the old link working. Returns how many were sent."""
    policy.require(actor, "evaluation", "remind")
    today = timezone.localdate()
    sent = 0
    pending = Invitation.objects.filter(
        nomination__iteration=iteration, answered_at__isnull=True, closes_on__gte=today
    ).values_list("pk", flat=True)
    for invitation_id in list(pending):
        token = secrets.token_urlsafe(24)
        try:
            _message(invitation_id, token).send()
        except Exception:  # noqa: BLE001 - the others still go; the old link keeps working
            logger.exception("evaluation reminder %s: the e-mail was not sent", invitation_id)
            continue
        Invitation.objects.filter(pk=invitation_id, answered_at__isnull=True).update(token_digest=_digest(token))
        sent += 1
    if sent:
        with transaction.atomic():
            record(actor=actor, action="evaluation.reminded", obj=iteration, after={"reminded": sent}, source=source)
    return sent


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("nomination__person", "nomination__iteration__course")
        .filter(token_digest=_digest(token or ""))
        .first()
    )


def invitations_of(user):
    """The evaluations a logged-in participant has been asked to fill (their own, never a supervisor's)."""
    if policy.role_of(user) != "participant":
        return Invitation.objects.none()
    own = policy.visible_party_rows(user, Nomination.objects.all())
    return (
        Invitation.objects.filter(nomination__in=own, kind__in=[Kind.REACTION, Kind.GRADUATE])
        .select_related("nomination__iteration__course")
        .order_by("-sent_at")
    )


# --- answers -------------------------------------------------------------------------------------


def respond(*, invitation: Invitation, answers: dict, actor=None, source: str) -> Response:
    """Record the answers {question id: "1".."5" or text} of an invitation, once. Every problem is
    reported at once (QuestionnaireRejected with (question id, message)); nothing is saved unless all
    is right. An anonymous questionnaire's response keeps no link to whoever gave it."""
    nomination = invitation.nomination
    questionnaire = questionnaire_for(nomination.iteration.course, invitation.kind)
    problems: list[tuple[int, str]] = []
    values: list[tuple[Question, int | None, str]] = []
    for question in questionnaire.questions.filter(retired=False):
        raw = str(answers.get(question.pk) or answers.get(str(question.pk)) or "").strip()
        if not raw:
            if question.required:
                problems.append((question.pk, _("Answer this question.")))
            continue
        if question.answer == Question.Answer.SCALE:
            if raw not in {"1", "2", "3", "4", "5"}:
                problems.append((question.pk, _("Choose from 1 to 5.")))
                continue
            values.append((question, int(raw), ""))
        else:
            if len(raw) > MAX_TEXT:
                problems.append((question.pk, _("At most %(limit)d characters.") % {"limit": MAX_TEXT}))
                continue
            values.append((question, None, raw))
    if problems:
        raise QuestionnaireRejected(problems)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.answered_at is not None:
            raise Conflict(_("This questionnaire has already been answered. Thank you."))
        if timezone.localdate() > invitation.closes_on:
            raise Conflict(_("This questionnaire closed on %(day)s.") % {"day": invitation.closes_on.isoformat()})
        response = Response.objects.create(
            iteration=nomination.iteration,
            questionnaire=questionnaire,
            kind=invitation.kind,
            nomination=None if questionnaire.anonymous else nomination,
        )
        Answer.objects.bulk_create(
            Answer(response=response, question=question, score=score, text=text) for question, score, text in values
        )
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answered_at"])
        record(
            actor=actor,
            action="evaluation.answered",
            obj=invitation.nomination,
            after={"kind": invitation.kind, "anonymous": questionnaire.anonymous},
            source=source,
        )
    return response


# --- results -------------------------------------------------------------------------------------


@dataclasses.dataclass
class QuestionResult:
    question: Question
    count: int
    mean: float | None
    distribution: list[int]  # how many answered 1, 2, 3, 4, 5
    texts: list[str]


@dataclasses.dataclass
class KindResult:
    kind: str
    label: str
    invited: int
    answered: int
    questions: list[QuestionResult]
    withheld: bool = False  # anonymous answers too few to show without pointing at someone

    @property
    def rate(self) -> int | None:
        return round(100 * self.answered / self.invited) if self.invited else None


@dataclasses.dataclass
class Level2:
    tested: int
    pre_mean: float | None
    post_mean: float | None
    gain_mean: float | None
    pass_mark: int | None
    passed: int | None


def results(iteration: Iteration) -> dict:
    """Response rates and answers of every kind, the test results (level 2) and completion."""
    kinds = []
    invited = dict(
        Invitation.objects.filter(nomination__iteration=iteration)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    answered = dict(
        Invitation.objects.filter(nomination__iteration=iteration, answered_at__isnull=False)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    for kind, label in Kind.choices:
        answers = Answer.objects.filter(response__iteration=iteration, response__kind=kind).select_related("question")
        by_question: dict[int, list[Answer]] = {}
        for answer in answers:
            by_question.setdefault(answer.question_id, []).append(answer)
        questions = Question.objects.filter(pk__in=by_question).select_related("questionnaire")
        rows = []
        for question in sorted(questions, key=lambda q: (q.position, q.pk)):
            given = by_question[question.pk]
            scores = [a.score for a in given if a.score is not None]
            rows.append(
                QuestionResult(
                    question=question,
                    count=len(given),
                    mean=round(mean(scores), 2) if scores else None,
                    distribution=[scores.count(n) for n in range(1, 6)],
                    texts=sorted(a.text for a in given if a.text),
                )
            )
        anonymous = Response.objects.filter(iteration=iteration, kind=kind, nomination__isnull=True).count()
        withheld = 0 < anonymous < MIN_ANONYMOUS
        kinds.append(
            KindResult(kind, label, invited.get(kind, 0), answered.get(kind, 0), [] if withheld else rows, withheld)
        )
    scores = list(
        TestScore.objects.filter(nomination__iteration=iteration, nomination__status=Status.CONFIRMED).values_list(
            "pre_score", "post_score"
        )
    )
    pre = [p for p, _post in scores if p is not None]
    post = [q for _pre, q in scores if q is not None]
    gains = [q - p for p, q in scores if p is not None and q is not None]
    pass_mark = rule_of(iteration).pass_mark
    level2 = Level2(
        tested=len(post),
        pre_mean=round(mean(pre), 1) if pre else None,
        post_mean=round(mean(post), 1) if post else None,
        gain_mean=round(mean(gains), 1) if gains else None,
        pass_mark=pass_mark,
        passed=sum(1 for q in post if q >= pass_mark) if pass_mark is not None else None,
    )
    completions = Completion.objects.filter(nomination__iteration=iteration, nomination__status=Status.CONFIRMED)
    return {
        "kinds": kinds,
        "level2": level2,
        "participants": Nomination.objects.filter(iteration=iteration, status=Status.CONFIRMED).count(),
        "completed": completions.filter(completed=True).count(),
        "assessed": completions.count(),
    }
