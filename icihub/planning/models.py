"""Iterations: the runs of a catalogue course, with dates, venue, capacity, status and nomination window.

The seat counters (`seats_allocated`, `seats_confirmed`) are written only by the nominations services,
with conditional updates; the check constraints below make overbooking impossible in the database."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from icihub.catalogue.models import Course, _in_arabic
from icihub.partners.models import ONE_NATION_OR_ORGANISATION

# The runs still to come or under way. Named, not "all but completed and cancelled", so that the partial
# index below (iteration_current_by_date) serves the lists that ask for them, and their counts.
CURRENT_STATUSES = ("planned", "open", "closed", "running")


class IterationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from icihub.accounts import policy

        return policy.visible_iterations(user, self)

    def current(self):
        return self.filter(status__in=CURRENT_STATUSES)


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
        # The lists of iterations (pages, API, calendar exports) go by date then code.
        indexes = [
            models.Index(fields=["start_date", "code"], name="iteration_by_date"),
            # The runs still to come or under way, in date order: the iterations page's default list, a
            # few thousand runs beside a decade of completed ones.
            models.Index(
                fields=["start_date", "code"],
                condition=models.Q(status__in=CURRENT_STATUSES),
                name="iteration_current_by_date",
            ),
        ]
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
    def calendar_summary(self) -> str:
        """A calendar entry's one line, in both languages whichever page it came from: the calendar
        application shows it as it is to a reader of either."""
        return f"{self.code} {self.course.title_en} / {self.course.title_ar}"

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


# --- the planner's resources and demand -----------------------------------------------------------


class Venue(models.Model):
    """Where courses run: the centre, or a site a mobile training team goes to."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.code


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="rooms")
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    equipment = models.JSONField(_("equipment"), default=list, blank=True, help_text=_("tags, e.g. computers"))

    class Meta:
        ordering = ["venue__code", "code"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive")]

    def __str__(self) -> str:
        return f"{self.code} ({self.capacity})"


class Instructor(models.Model):
    """Someone who teaches courses at the centre, often flown in from a NATO school or centre of excellence."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="instructors"
    )
    courses = models.ManyToManyField(Course, related_name="instructors", verbose_name=_("courses taught"))
    max_weeks = models.PositiveSmallIntegerField(_("most teaching weeks a year"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("instructor")
        verbose_name_plural = _("instructors")

    def __str__(self) -> str:
        return self.name


class Availability(models.Model):
    """A window in which an instructor can teach; an instructor with none is available all year."""

    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="availability")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))

    class Meta:
        ordering = ["instructor", "start"]
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="availability_in_order")]

    def __str__(self) -> str:
        return f"{self.instructor}: {self.start} - {self.end}"


class BlackoutPeriod(models.Model):
    """Days without courses: Ramadan and the Eids (computed from the Umm al-Qura calendar), public holidays
    (estimates until staff confirm them) and the centre's closures."""

    class Kind(models.TextChoices):
        RELIGIOUS = "religious", _("religious")
        HOLIDAY = "holiday", _("public holiday")
        CLOSURE = "closure", _("closure of the centre")

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    confirmed = models.BooleanField(_("confirmed by staff"), default=False)

    class Meta:
        ordering = ["start", "code"]
        verbose_name = _("blackout period")
        verbose_name_plural = _("blackout periods")
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="blackout_in_order")]

    def __str__(self) -> str:
        return f"{self.name} ({self.start} - {self.end})"

    @property
    def display_name(self) -> str:
        """The name in the reader's language; a closure typed in English only keeps its English name."""
        return self.name_ar if _in_arabic() and self.name_ar else self.name


class Demand(models.Model):
    """How many runs of a course the centre wants in a planning year, and when."""

    year = models.PositiveSmallIntegerField(_("year"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="demand")
    runs = models.PositiveSmallIntegerField(_("runs"))
    participants = models.PositiveSmallIntegerField(_("participants per run"), default=25)
    equipment = models.JSONField(_("equipment needed"), default=list, blank=True)
    audience = models.CharField(
        _("audience group"), max_length=40, blank=True, help_text=_("Courses of one group never overlap.")
    )
    earliest = models.DateField(_("earliest start"), null=True, blank=True)
    latest = models.DateField(_("latest end"), null=True, blank=True)
    preferred_months = models.JSONField(_("preferred months"), default=list, blank=True)
    min_gap_days = models.PositiveSmallIntegerField(_("least days between runs"), default=0)
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    must_follow = models.ManyToManyField(
        Course, blank=True, related_name="+", verbose_name=_("courses that must run before")
    )

    class Meta:
        ordering = ["year", "course__code"]
        verbose_name = _("demand")
        verbose_name_plural = _("demand")
        constraints = [
            models.UniqueConstraint(fields=["year", "course"], name="one_demand_per_course_and_year"),
            models.CheckConstraint(condition=Q(priority__gte=1), name="demand_priority_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.course.code} x{self.runs}"


class PlanningRun(models.Model):
    """One solve of a planning year, run in the background; its instance and plan are kept as JSON in
    the planner's file format, so any run can be exported and solved again."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", pgettext_lazy("a planning run", "running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        PUBLISHED = "published", _("published")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=60)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    progress = models.JSONField(default=dict, blank=True)
    instance = models.JSONField(default=dict, blank=True)
    plan = models.JSONField(default=dict, blank=True)
    locks = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved every few seconds while the run is solved (background.heartbeat): a run whose heartbeat is
    # old lost its process (planner.end_stale).
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")

    def __str__(self) -> str:
        return f"{self.year} plan {self.public_id}"


class CourseBid(models.Model):
    """A nation's (or organisation's) request for seats on a course over a planning year: one of the two
    sources of demand (the other is staff)."""

    year = models.PositiveSmallIntegerField(_("year"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="bids")
    nation = models.ForeignKey("partners.Nation", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seats = models.PositiveSmallIntegerField(_("seats requested"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "course__code"]
        verbose_name = _("course bid")
        verbose_name_plural = _("course bids")
        constraints = [
            models.CheckConstraint(
                condition=ONE_NATION_OR_ORGANISATION, name="course_bid_for_one_nation_or_organisation"
            ),
            models.UniqueConstraint(
                fields=["year", "course", "nation"], condition=Q(nation__isnull=False), name="one_course_bid_per_nation"
            ),
            models.UniqueConstraint(
                fields=["year", "course", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_course_bid_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.course.code} {(self.nation or self.organisation).code}: {self.seats}"
