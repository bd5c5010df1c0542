"""What happens on a course: attendance per day and participant, the daily check-in codes shown in the
classroom, test results (Kirkpatrick level 2), each course's completion rule and each participant's
completion."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from icihub.catalogue.models import Course
from icihub.nominations.models import Nomination
from icihub.planning.models import Iteration


def _percent(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": 100}), name=name)


class CompletionRule(models.Model):
    """A course's completion rule; a course without one needs 80 % attendance and has no test."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="completion_rule")
    min_attendance_pct = models.PositiveSmallIntegerField(_("least attendance (%)"), default=80)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (of 100)"), null=True, blank=True, help_text=_("Empty when the course has no test.")
    )

    class Meta:
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")
        constraints = [
            _percent("min_attendance_pct", "completion_rule_attendance_is_a_percentage"),
            _percent("pass_mark", "completion_rule_pass_mark_is_a_percentage"),
        ]

    def __str__(self) -> str:
        return f"{self.course.code}: {self.min_attendance_pct} %, pass mark {self.pass_mark}"


class Attendance(models.Model):
    class Mark(models.TextChoices):
        PRESENT = "present", _("present")
        LATE = "late", _("late")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="attendance")
    day = models.DateField(_("day"))
    mark = models.CharField(_("attendance"), max_length=8, choices=Mark.choices)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "day"], name="one_attendance_mark_per_day"),
            models.CheckConstraint(
                condition=Q(mark__in=["present", "late", "absent", "excused"]), name="attendance_mark_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination.person} {self.day.isoformat()}: {self.mark}"


class CheckInCode(models.Model):
    """The code an iteration's participants enter (or scan as a QR code) to check in on one course day.
    A code is valid on its day only; no two iterations share a code on the same day, so the code
    alone says which course a participant checks in to."""

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="check_in_codes")
    day = models.DateField(_("day"))
    code = models.CharField(_("check-in code"), max_length=6)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("check-in code")
        verbose_name_plural = _("check-in codes")
        constraints = [
            models.UniqueConstraint(fields=["iteration", "day"], name="one_check_in_code_per_iteration_and_day"),
            models.UniqueConstraint(fields=["day", "code"], name="check_in_code_unique_on_its_day"),
        ]

    def __str__(self) -> str:
        return f"{self.iteration.code} {self.day.isoformat()}"


class TestScore(models.Model):
    """Kirkpatrick level 2: the participant's scores (of 100) before and after the course."""

    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="test_score")
    pre_score = models.PositiveSmallIntegerField(_("pre-test"), null=True, blank=True)
    post_score = models.PositiveSmallIntegerField(_("final test"), null=True, blank=True)

    class Meta:
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        constraints = [
            _percent("pre_score", "test_pre_score_is_a_percentage"),
            _percent("post_score", "test_post_score_is_a_percentage"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination.person}: {self.pre_score} -> {self.post_score}"


class Completion(models.Model):
    """Whether a participant completed the course: computed from the rule, or overridden by staff with
    a reason (an override is kept when the iteration is assessed again)."""

    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="completion")
    completed = models.BooleanField(_("completed"))
    attendance_pct = models.PositiveSmallIntegerField(_("attendance (%)"))
    post_score = models.PositiveSmallIntegerField(_("final test"), null=True, blank=True)
    reasons = models.JSONField(_("why not"), default=list, blank=True)
    computed_at = models.DateTimeField(auto_now=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.CheckConstraint(
                condition=Q(overridden_by__isnull=True) | ~Q(override_reason=""),
                name="completion_override_has_a_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nomination.person}: {'completed' if self.completed else 'not completed'}"

    @property
    def overridden(self) -> bool:
        return self.overridden_by_id is not None

    def reasons_in_words(self) -> list[str]:
        """Why the rule was not met (completion.assess's reasons), in the active language."""
        return [reason_in_words(reason) for reason in self.reasons]


def reason_in_words(reason: dict | str) -> str:
    if isinstance(reason, str):  # written in words before reasons were kept as data
        return reason
    if reason["reason"] == "attendance":
        return ngettext(
            "attended %(attended)d of %(days)d day (%(pct)d %%), below the %(required)d %% required",
            "attended %(attended)d of %(days)d days (%(pct)d %%), below the %(required)d %% required",
            reason["days"],
        ) % {k: reason[k] for k in ("attended", "days", "pct", "required")}
    if reason["reason"] == "no_test":
        return gettext("no final test result")
    return gettext("final test %(score)d, below the pass mark of %(pass_mark)d") % {
        "score": reason["score"],
        "pass_mark": reason["pass_mark"],
    }


class JoiningInstructions(models.Model):
    """What a participant needs before arriving, in English and Arabic."""

    iteration = models.OneToOneField(Iteration, on_delete=models.CASCADE, related_name="joining_instructions")
    venue_en = models.TextField(_("venue and arrival (English)"), blank=True)
    venue_ar = models.TextField(_("venue and arrival (Arabic)"), blank=True)
    dress_en = models.TextField(_("dress (English)"), blank=True)
    dress_ar = models.TextField(_("dress (Arabic)"), blank=True)
    security_en = models.TextField(_("security (English)"), blank=True)
    security_ar = models.TextField(_("security (Arabic)"), blank=True)
    pre_study_en = models.TextField(_("pre-study (English)"), blank=True)
    pre_study_ar = models.TextField(_("pre-study (Arabic)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("joining instructions")
        verbose_name_plural = _("joining instructions")

    def __str__(self) -> str:
        return str(self.iteration)


class Reminder(models.Model):
    """A reminder sent to a participant (and their points of contact): each kind once, ever."""

    class Kind(models.TextChoices):
        MONTH = "month", _("one month before")
        FORTNIGHT = "fortnight", _("two weeks before")

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "kind"], name="one_reminder_of_a_kind")]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.kind}"
