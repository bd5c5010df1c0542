"""Evaluation after Kirkpatrick. Level 1 (reaction): a questionnaire at the end of each course. Level 2
(learning): the pre- and post-test scores in delivery.TestScore. Level 3 (behaviour): a follow-up
survey six months after the course, to the graduate and to their supervisor.

A questionnaire is the centre's default for its kind, or a course's own version of it. Participants
are invited (one invitation per nomination and kind, which gives the response rate); an answer of an
anonymous questionnaire keeps no link to the invitation, the person or the time it was given, and has
a random id. (Someone with direct access to the database could still match the physical order of rows
to the order of answered invitations; the application never shows who answered what, and shows
anonymous answers only once enough were given.)"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from icihub.catalogue.models import Course
from icihub.nominations.models import Nomination
from icihub.planning.models import Iteration


class Kind(models.TextChoices):
    REACTION = "level1", _("Level 1: end-of-course questionnaire")
    GRADUATE = "level3_graduate", _("Level 3: follow-up survey of the graduate")
    SUPERVISOR = "level3_supervisor", _("Level 3: follow-up survey of the supervisor")


class Questionnaire(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("course"),
        help_text=_("Empty for the centre's default questionnaire of this kind."),
    )
    anonymous = models.BooleanField(_("anonymous"), default=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_ar = models.TextField(_("introduction (Arabic)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["course__code", "kind"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(course__isnull=True), name="one_default_questionnaire_per_kind"
            ),
            models.UniqueConstraint(fields=["kind", "course"], name="one_course_questionnaire_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["level1", "level3_graduate", "level3_supervisor"]),
                name="questionnaire_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code if self.course_id else 'default'}: {self.kind}"

    @property
    def intro(self) -> str:
        return self.intro_ar if get_language() == "ar" and self.intro_ar else self.intro_en


class Question(models.Model):
    class Answer(models.TextChoices):
        SCALE = "scale", _("scale from 1 to 5")
        TEXT = "text", _("free text")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_ar = models.CharField(_("question (Arabic)"), max_length=300)
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices, default=Answer.SCALE)
    required = models.BooleanField(_("required"), default=True)
    retired = models.BooleanField(
        _("retired"), default=False, help_text=_("No longer asked; kept because it has answers.")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.CheckConstraint(condition=Q(answer__in=["scale", "text"]), name="question_answer_known")]

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return self.text_ar if get_language() == "ar" and self.text_ar else self.text_en


class Invitation(models.Model):
    """Someone asked to answer a questionnaire about an iteration: the participant, or their supervisor.
    The e-mailed link carries a secret token; only its SHA-256 digest is kept."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="evaluation_invitations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    email = models.EmailField(_("sent to"))
    token_digest = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    closes_on = models.DateField(_("open until"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")
        constraints = [models.UniqueConstraint(fields=["nomination", "kind"], name="one_invitation_per_kind")]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.kind}"


class Response(models.Model):
    """One filled questionnaire. `nomination` is empty when the questionnaire is anonymous."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    iteration = models.ForeignKey(Iteration, on_delete=models.PROTECT, related_name="evaluation_responses")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "kind"], condition=Q(nomination__isnull=False), name="one_named_response_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} response on {self.iteration_id}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="answer_score_from_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score if self.score is not None else self.text[:40]}"
