"""Partnership programmes and activities (DOMAIN.md, "Partnership programmes").

A partner's programme (IPCP, or its successor the ITPP) runs for a period: strategic objectives ->
partnership goals -> supporting activities, each goal with an owner, a target date and a measurable
indicator. Activities come from the cooperation menu: a catalogue course run as an iteration, or an
event of its own (a seminar, a conference, a table-top exercise, a visit, a political dialogue event)
that follows the cycle propose -> approve -> invite -> register -> report."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from icihub.catalogue.models import Course
from icihub.nominations.models import Person
from icihub.partners.models import Framework, Nation
from icihub.planning.models import Iteration


class Bilingual(models.Model):
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        return self.title_ar if get_language() == "ar" and self.title_ar else self.title_en


class Programme(Bilingual):
    class Kind(models.TextChoices):
        ITPP = "ITPP", _("Individually Tailored Partnership Programme")
        IPCP = "IPCP", _("Individual Partnership and Cooperation Programme")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AGREED = "agreed", _("agreed by the partner")
        APPROVED = "approved", _("approved")
        UNDER_REVIEW = "under_review", _("under review")
        CLOSED = "closed", _("closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("partner"))
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.ITPP)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nation__code", "-starts_on"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["nation", "starts_on"], name="one_programme_per_partner_and_start"),
            models.CheckConstraint(condition=Q(starts_on__lt=F("ends_on")), name="programme_period_in_order"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "agreed", "approved", "under_review", "closed"]),
                name="programme_status_known",
            ),
        ]


class Objective(Bilingual):
    """A strategic objective of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")


class Goal(Bilingual):
    """A partnership goal: who owns it, when it is due, and how progress is measured."""

    class Measure(models.TextChoices):
        PEOPLE_TRAINED = "people", _("people trained")
        ACTIVITIES_HELD = "activities", _("activities held")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(_("position"))
    owner = models.CharField(_("owner"), max_length=200, help_text=_("Who answers for the goal, e.g. MOD J7."))
    target_date = models.DateField(_("target date"))
    indicator_en = models.CharField(_("indicator (English)"), max_length=300)
    indicator_ar = models.CharField(_("indicator (Arabic)"), max_length=300)
    measure = models.CharField(_("measured by"), max_length=10, choices=Measure.choices)
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("partnership goal")
        verbose_name_plural = _("partnership goals")
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="goal_target_positive"),
            models.CheckConstraint(condition=Q(measure__in=["people", "activities"]), name="goal_measure_known"),
        ]

    @property
    def indicator(self) -> str:
        return self.indicator_ar if get_language() == "ar" and self.indicator_ar else self.indicator_en


class Kind(models.TextChoices):
    COURSE = "course", _("course")
    SEMINAR = "seminar", _("seminar")
    CONFERENCE = "conference", _("conference")
    TABLETOP = "tabletop", _("table-top exercise")
    VISIT = "visit", _("visit")
    DIALOGUE = "dialogue", _("political dialogue event")


class MenuActivity(Bilingual):
    """An entry of the cooperation menu: what partners may ask for, open to given frameworks."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="menu_activities",
        verbose_name=_("catalogue course"),
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    open_to = models.ManyToManyField(Framework, related_name="menu_activities", verbose_name=_("open to"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("cooperation menu activity")
        verbose_name_plural = _("cooperation menu")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="course", course__isnull=False) | (~Q(kind="course") & Q(course__isnull=True)),
                name="menu_course_activity_names_its_course",
            )
        ]


class Event(Bilingual):
    """An activity of its own (not a catalogue course), through propose -> approve -> invite ->
    register -> report."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        INVITING = "inviting", _("invitations sent")
        HELD = "held", _("held")
        REPORTED = "reported", _("reported")
        CANCELLED = "cancelled", _("cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(MenuActivity, on_delete=models.PROTECT, related_name="events")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    location_en = models.CharField(_("location (English)"), max_length=200, blank=True)
    location_ar = models.CharField(_("location (Arabic)"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    invited = models.ManyToManyField(Nation, blank=True, related_name="event_invitations", verbose_name=_("invited"))
    report_en = models.TextField(_("feedback report (English)"), blank=True)
    report_ar = models.TextField(_("feedback report (Arabic)"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="event_dates_in_order"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=~Q(status="reported") | (~Q(report_en="") & ~Q(report_ar="")),
                name="reported_event_has_its_report",
            ),
        ]

    @property
    def location(self) -> str:
        return self.location_ar if get_language() == "ar" and self.location_ar else self.location_en


class Registration(models.Model):
    """A person registered for an event by their nation's point of contact."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="event_registrations")
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["registered_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="one_registration_per_person")]

    def __str__(self) -> str:
        return f"{self.person} at {self.event}"


class Support(models.Model):
    """An activity supporting a goal: an iteration of a catalogue course, or an event."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="supports")
    iteration = models.ForeignKey(Iteration, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="supports")

    class Meta:
        verbose_name = _("supporting activity")
        verbose_name_plural = _("supporting activities")
        constraints = [
            models.CheckConstraint(
                condition=(Q(iteration__isnull=False) & Q(event__isnull=True))
                | (Q(iteration__isnull=True) & Q(event__isnull=False)),
                name="support_is_an_iteration_or_an_event",
            ),
            models.UniqueConstraint(fields=["goal", "iteration"], name="one_support_per_goal_and_iteration"),
            models.UniqueConstraint(fields=["goal", "event"], name="one_support_per_goal_and_event"),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.iteration_id or self.event_id}"
