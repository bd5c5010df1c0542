"""Iterations: the runs of a catalogue course, with dates, venue, capacity, status and nomination window.

The seat counters (`seats_allocated`, `seats_confirmed`) are written only by the nominations services,
with conditional updates; the check constraints below make overbooking impossible in the database."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from icihub.catalogue.models import Course, _in_arabic


class IterationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from icihub.accounts import policy

        return policy.visible_iterations(user, self)


class Iteration(models.Model):
    """One run of a course, e.g. M5-33-C-19: facility code M5-33, run C, 2019."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPEN = "open", _("open for nominations")
        CLOSED = "closed", _("nominations closed")
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class Venue(models.TextChoices):
        CENTRE = "centre", _("at the centre")
        MOBILE = "mobile", _("mobile training team")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("iteration code"), max_length=20, unique=True, help_text=_("e.g. M5-33-C-19"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="iterations")
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    venue = models.CharField(_("venue"), max_length=10, choices=Venue.choices, default=Venue.CENTRE)
    location_en = models.CharField(_("location (English)"), max_length=200, blank=True)
    location_ar = models.CharField(_("location (Arabic)"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    nominations_open = models.DateField(_("nominations open"))
    nominations_close = models.DateField(_("nominations close"))
    decision_deadline = models.DateField(
        _("decision deadline"), help_text=_("Nominations still undecided on this day expire.")
    )
    seats_allocated = models.PositiveSmallIntegerField(default=0, editable=False)
    seats_confirmed = models.PositiveSmallIntegerField(default=0, editable=False)
    pool_open_to_all = models.BooleanField(
        _("pool open to all nations"),
        default=False,
        help_text=_("Seats in the common pool go to any nation of the audience, first come first served."),
    )
    reallocated_at = models.DateTimeField(null=True, blank=True, editable=False)
    allocation_record = models.JSONField(default=dict, blank=True, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IterationQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "code"]
        verbose_name = _("iteration")
        verbose_name_plural = _("iterations")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="iteration_capacity_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="iteration_ends_after_start"),
            models.CheckConstraint(
                condition=Q(nominations_close__gte=F("nominations_open")), name="iteration_window_in_order"
            ),
            models.CheckConstraint(
                condition=Q(seats_allocated__lte=F("capacity")), name="iteration_allocations_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(seats_confirmed__lte=F("seats_allocated")), name="iteration_confirmed_within_allocations"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def location(self) -> str:
        if self.venue == self.Venue.CENTRE and not self.location_en:
            return str(_("NATO-ICI Regional Centre, Kuwait"))
        return (self.location_ar if _in_arabic() else self.location_en) or self.location_en

    @property
    def pool(self) -> int:
        """Seats not allocated to any nation."""
        return self.capacity - self.seats_allocated

    @property
    def free_seats(self) -> int:
        return self.capacity - self.seats_confirmed

    @property
    def reallocation_date(self) -> datetime.date:
        return self.start_date - datetime.timedelta(weeks=settings.ICIHUB_REALLOCATION_WEEKS)

    def accepts_nominations_on(self, day: datetime.date) -> bool:
        return self.status == self.Status.OPEN and self.nominations_open <= day <= self.nominations_close
