"""Partners: frameworks (NATO, PfP, MD, ICI, PatG, GCC), nations and their memberships,
organisations (COEs, NATO schools, ministries, the centre itself) and points of contact."""

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """Reference data named in English and Arabic; `name` follows the active language."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    @property
    def name(self) -> str:
        return self.name_ar if (get_language() or "en").startswith("ar") and self.name_ar else self.name_en


class Framework(BilingualName):
    """A partnership framework or alliance a nation can belong to."""

    code = models.CharField(_("code"), max_length=10, unique=True, help_text=_("NATO, PfP, MD, ICI, PatG, GCC"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")


class Nation(BilingualName):
    """A nation, identified by its ISO 3166-1 alpha-3 code."""

    code = models.CharField(
        _("ISO 3166 alpha-3 code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use the three capital letters of ISO 3166 alpha-3."))],
    )
    frameworks = models.ManyToManyField(Framework, through="Membership", related_name="nations")

    class Meta:
        ordering = ["code"]
        verbose_name = _("nation")
        verbose_name_plural = _("nations")

    def framework_codes(self, *, on: datetime.date | None = None) -> set[str]:
        """Codes of the frameworks this nation is a full member of on the given day. Remembered by this
        instance (a request's: the access policy and eligibility both ask, on every nomination);
        refresh_from_db() forgets it."""
        on = on or timezone.localdate()
        remembered = self.__dict__.setdefault("_framework_codes", {})
        if on not in remembered:
            memberships = self.memberships.select_related("framework")
            remembered[on] = frozenset(m.framework.code for m in memberships if m.is_member_on(on))
        return set(remembered[on])

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("_framework_codes", None)
        super().refresh_from_db(*args, **kwargs)


class Membership(models.Model):
    """A nation's place in a framework, with its status and dates."""

    class Status(models.TextChoices):
        MEMBER = "member", _("member")
        SELECTED_ACTIVITIES = "selected", _("selected activities only")
        FORMER = "former", _("former member")

    nation = models.ForeignKey(Nation, on_delete=models.CASCADE, related_name="memberships")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["framework__code", "nation__code"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["nation", "framework"], name="one_membership_per_framework"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nation.code} in {self.framework.code} ({self.status})"

    def is_member_on(self, day: datetime.date) -> bool:
        return (
            self.status == self.Status.MEMBER
            and (self.joined_on is None or self.joined_on <= day)
            and (self.left_on is None or self.left_on > day)
        )


class Organisation(BilingualName):
    """A body that teaches at, sends people to, or runs the centre."""

    class Type(models.TextChoices):
        CENTRE = "centre", _("the centre")
        COE = "coe", _("centre of excellence")
        SCHOOL = "school", _("NATO school or college")
        COMMAND = "command", _("NATO command or agency")
        MINISTRY = "ministry", _("ministry")
        INTERNATIONAL = "international", _("international organisation")
        OTHER = "other", _("other")

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("Short name, e.g. JCBRN-COE"))
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    nation = models.ForeignKey(
        Nation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Host or owning nation; empty for multinational bodies."),
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("The framework a multinational body belongs to (NATO bodies, the GCC Secretariat)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")


# For records that belong to a nation or to an organisation, never both (points of contact, seat
# allocations, nominations, course bids).
ONE_NATION_OR_ORGANISATION = (Q(nation__isnull=False) & Q(organisation__isnull=True)) | (
    Q(nation__isnull=True) & Q(organisation__isnull=False)
)


class PointOfContact(models.Model):
    """A person who speaks for a nation or an organisation towards the centre."""

    class Role(models.TextChoices):
        NATIONAL_POC = "national_poc", _("national point of contact")
        TRAINING_COORDINATOR = "training_coordinator", _("training coordinator")
        LIAISON_OFFICER = "liaison_officer", _("liaison officer")
        COURSE_PROVIDER = "course_provider", _("course provider contact")

    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    nation = models.ForeignKey(
        Nation, on_delete=models.CASCADE, null=True, blank=True, related_name="points_of_contact"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="points_of_contact"
    )
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="point_of_contact"
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("point of contact")
        verbose_name_plural = _("points of contact")
        constraints = [
            models.CheckConstraint(condition=ONE_NATION_OR_ORGANISATION, name="poc_for_nation_or_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nation.code if self.nation else self.organisation.code})"
