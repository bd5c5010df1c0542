"""Seat allocations, persons, nominations and calendar feed tokens.

A seat moves from the iteration to a nation (a SeatAllocation) to a person (a confirmed Nomination).
The counters `SeatAllocation.seats`/`confirmed` and `Iteration.seats_allocated`/`seats_confirmed` are
changed only by nominations/services.py with conditional UPDATEs; the check constraints here and on
Iteration are the last line of defence: the database refuses any write that would overbook."""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from icihub.catalogue.models import Classification
from icihub.partners.models import ONE_NATION_OR_ORGANISATION, Nation, Organisation
from icihub.planning.models import Iteration


class PartyQuerySet(models.QuerySet):
    """Rows owned by a nation or an organisation, scoped to what a user may see."""

    def visible_to(self, user):
        from icihub.accounts import policy

        return policy.visible_party_rows(user, self)

    def of_party(self, code: str):
        """Rows of the nation or organisation with this code."""
        return self.filter(Q(nation__code=code) | Q(organisation__code=code))


class SeatAllocation(models.Model):
    """The seats of one iteration held by one nation (or organisation): what it asked for, the
    guaranteed minimum and cap set by staff, what it was given and how many are confirmed."""

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="allocations")
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested = models.PositiveSmallIntegerField(_("seats requested"), default=0)
    guaranteed = models.PositiveSmallIntegerField(_("guaranteed minimum"), default=0)
    cap = models.PositiveSmallIntegerField(_("cap"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats allocated"), default=0)
    confirmed = models.PositiveSmallIntegerField(_("seats confirmed"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["iteration_id", "nation__code", "organisation__code"]
        verbose_name = _("seat allocation")
        verbose_name_plural = _("seat allocations")
        constraints = [
            models.CheckConstraint(
                condition=ONE_NATION_OR_ORGANISATION, name="allocation_for_one_nation_or_organisation"
            ),
            models.CheckConstraint(condition=Q(confirmed__lte=F("seats")), name="allocation_confirmed_within_seats"),
            models.UniqueConstraint(
                fields=["iteration", "nation"], condition=Q(nation__isnull=False), name="one_allocation_per_nation"
            ),
            models.UniqueConstraint(
                fields=["iteration", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_allocation_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iteration.code} {self.party_code}: {self.confirmed}/{self.seats}"

    @property
    def party(self):
        return self.nation or self.organisation

    @property
    def party_code(self) -> str:
        return self.party.code

    @property
    def unfilled(self) -> int:
        return self.seats - self.confirmed


class Service(models.TextChoices):
    ARMY = "A", _("army")
    NAVY = "N", _("navy")
    AIR_FORCE = "AF", _("air force")
    JOINT = "SI", _("joint or other service")
    CIVILIAN = "CIV", _("civilian")


class Person(models.Model):
    """Someone a point of contact nominates; one record is reused across nominations. Owned by the
    nation (or organisation) whose point of contact registered them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="persons", verbose_name=_("nation"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="persons"
    )
    family_name = models.CharField(_("family name"), max_length=100)
    given_names = models.CharField(_("given names"), max_length=150)
    service = models.CharField(_("service"), max_length=3, choices=Service.choices)
    rank = models.CharField(_("rank code"), max_length=6, blank=True, help_text=_("STANAG 2116, e.g. OF-3"))
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    supervisor_email = models.EmailField(
        _("supervisor's e-mail"), blank=True, help_text=_("Asked about the course's effect six months after it.")
    )
    slp_profile = models.CharField(_("language profile (SLP)"), max_length=12, blank=True)
    clearance = models.CharField(_("security clearance"), max_length=3, choices=Classification.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            # The lists by name: everyone's (staff), and a nation's own register.
            models.Index(fields=["family_name", "given_names", "id"], name="person_by_name"),
            models.Index(fields=["nation", "family_name", "given_names", "id"], name="person_of_nation_by_name"),
            # E-mails are matched without regard to case: a participant's own nominations, the privacy search.
            models.Index(Upper("email"), name="person_email_any_case"),
            # The retention rule looks only at persons on record longer than the retention period.
            models.Index(fields=["created_at"], name="person_created_at"),
        ]
        constraints = [
            # One record per e-mail and owner: a nation's own register, or an organisation's.
            models.UniqueConstraint(
                fields=["nation", "email"],
                condition=Q(organisation__isnull=True),
                name="one_person_per_email_in_a_nations_register",
            ),
            models.UniqueConstraint(
                fields=["organisation", "nation", "email"],
                condition=Q(organisation__isnull=False),
                name="one_person_per_email_in_an_organisations_register",
            ),
            models.CheckConstraint(condition=Q(service="CIV") | ~Q(rank=""), name="person_in_service_has_rank"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.rank} {self.given_names} {self.family_name}".strip()


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    DEFERRED = "deferred", _("decision deferred")
    APPROVED = "approved", _("approved")
    CONFIRMED = "confirmed", _("confirmed")
    WAITLISTED = "waitlisted", _("waiting list")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REPLACED = "replaced", _("replaced")
    REJECTED = "rejected", _("rejected")
    EXPIRED = "expired", _("expired")


# The nominations that still hold or wait for a seat; a person may have only one per iteration.
ACTIVE = (Status.SUBMITTED, Status.DEFERRED, Status.APPROVED, Status.CONFIRMED, Status.WAITLISTED)


class Nomination(models.Model):
    """A point of contact's request for a seat for one person on one iteration."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of their own: the composite indexes below begin with them (Meta.indexes).
    iteration = models.ForeignKey(Iteration, on_delete=models.PROTECT, related_name="nominations", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nominations")
    nation = models.ForeignKey(
        Nation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    allocation = models.ForeignKey(
        SeatAllocation, on_delete=models.PROTECT, null=True, blank=True, related_name="holders"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    priority = models.PositiveSmallIntegerField(
        _("national priority"), default=5, help_text=_("1 is the nation's first choice; the waiting list goes by it.")
    )
    reason = models.TextField(_("reason"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # When the nation withdrew it (the reports count a withdrawal after the nominations closed as late).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by")
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = PartyQuerySet.as_manager()

    class Meta:
        # By the iteration's id, not "iteration" (which would sort through a join on the iterations'
        # own order); within an iteration, the waiting list's order.
        ordering = ["iteration_id", "priority", "submitted_at", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        indexes = [
            # An iteration's nominations by status in the waiting list's order: the iteration page,
            # its per-nation summary, the participants of the class sheet and attendance file.
            models.Index(
                fields=["iteration", "status", "priority", "submitted_at", "id"], name="nomination_of_iteration"
            ),
            # Newest first: everyone's (staff, the API), by status (the approval queue), a nation's, an
            # organisation's. The id breaks ties, so keyset pages neither repeat nor lose a row.
            models.Index(fields=["submitted_at", "id"], name="nomination_newest"),
            models.Index(fields=["status", "submitted_at", "id"], name="nomination_by_status_newest"),
            models.Index(fields=["nation", "submitted_at", "id"], name="nomination_of_nation_newest"),
            models.Index(
                fields=["organisation", "submitted_at", "id"],
                name="nomination_of_organisation_new",
                condition=Q(organisation__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=ONE_NATION_OR_ORGANISATION, name="nomination_for_one_nation_or_organisation"
            ),
            models.UniqueConstraint(
                fields=["iteration", "person"],
                condition=Q(status__in=ACTIVE),
                name="one_active_nomination_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status="confirmed", allocation__isnull=False)
                | (~Q(status="confirmed") & Q(allocation__isnull=True)),
                name="confirmed_nomination_holds_a_seat",
            ),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(reason=""), name="rejection_has_a_reason"),
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=9), name="nomination_priority_1_to_9"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iteration.code}: {self.person}"

    @property
    def party(self):
        return self.nation or self.organisation

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class CalendarFeed(models.Model):
    """A user's private calendar feed. Only a digest of the token is kept; a new token revokes the old."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
