"""The course catalogue: disciplines and areas, languages, and the ETOC-grade course record with its
numbered performance objectives, audience and releasability markings.

Reads that a user reaches go through `Course.objects.visible_to(user)`, which asks the access policy.
Writes go through services.py."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from icihub.partners.models import BilingualName, Framework, Nation, Organisation


def _in_arabic() -> bool:
    return (get_language() or "en").startswith("ar")


class Discipline(BilingualName):
    code = models.CharField(_("code"), max_length=5, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")


class Area(BilingualName):
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="areas")
    code = models.CharField(_("code"), max_length=5)

    class Meta:
        ordering = ["discipline__code", "code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [models.UniqueConstraint(fields=["discipline", "code"], name="area_code_per_discipline")]

    def __str__(self) -> str:
        return f"{self.discipline.code}-{self.code} {self.name_en}"


class Language(BilingualName):
    """A language a course is taught in (ISO 639-1 code)."""

    code = models.CharField(_("code"), max_length=3, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class Classification(models.TextChoices):
    NATO_UNCLASSIFIED = "NU", _("NATO UNCLASSIFIED")
    NATO_RESTRICTED = "NR", _("NATO RESTRICTED")
    NATO_CONFIDENTIAL = "NC", _("NATO CONFIDENTIAL")
    NATO_SECRET = "NS", _("NATO SECRET")
    COSMIC_TOP_SECRET = "CTS", _("COSMIC TOP SECRET")


class Level(models.IntegerChoices):
    AWARENESS = 100, _("100 - Awareness")
    INTERMEDIATE = 200, _("200 - Intermediate")
    INDEPENDENT = 300, _("300 - Independent")
    EXPERT = 400, _("400 - Expert")


class Certification(models.TextChoices):
    NOT_CERTIFIED = "none", _("Not certified")
    LISTED = "listed", _("Listed")
    SELECTED = "selected", _("Selected")
    APPROVED = "approved", _("Approved")


class DeliveryMethod(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    MOBILE_TRAINING_TEAM = "mtt", _("Mobile Training Team")
    DISTANCE_LEARNING = "dl", _("Distance Learning")
    BLENDED = "blended", _("Blended")


class SeatAllocationMethod(models.TextChoices):
    """How an iteration's seats are shared among the nations that bid (nominations/allocation.py)."""

    SAINTE_LAGUE = "sainte_lague", _("Sainte-Laguë (proportional to priority weights)")
    ADAMS = "adams", _("Adams (every nation one seat before anyone gets a second)")


# The longest search a person types; longer text is cut (SQLite refuses LIKE patterns past 50,000 bytes).
SEARCH_MAX_LENGTH = 200


class CourseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The courses this user may see at all; see accounts.policy.course_visibility."""
        from icihub.accounts import policy

        return policy.visible_courses(user, self)

    def with_record(self):
        """Everything a course page, an export row or an API body reads, in a fixed number of queries."""
        return self.select_related("institution", "discipline", "area").prefetch_related(
            "objectives",
            "languages",
            "releasable_to_frameworks",
            "releasable_to_nations",
            "audience_frameworks",
            "audience_nations",
            "prerequisites",
        )

    def search(self, text: str):
        text = (text or "").strip()[:SEARCH_MAX_LENGTH]
        if not text:
            return self
        return self.filter(
            Q(code__icontains=text)
            | Q(facility_code__icontains=text)
            | Q(title_en__icontains=text)
            | Q(title_ar__icontains=text)
            | Q(aim_en__icontains=text)
            | Q(aim_ar__icontains=text)
            | Q(description_en__icontains=text)
            | Q(description_ar__icontains=text)
        )


class Course(models.Model):
    """A course as NATO's Education and Training Opportunities Catalogue (ETOC) records it."""

    code = models.CharField(_("course code"), max_length=20, unique=True, help_text=_("e.g. ETE-SP-31399"))
    facility_code = models.CharField(_("facility code"), max_length=12, help_text=_("e.g. M1-117"))
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_ar = models.CharField(_("title (Arabic)"), max_length=250)
    institution = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="courses", verbose_name=_("training institution")
    )
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="courses")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="courses")
    level = models.PositiveSmallIntegerField(_("level of proficiency"), choices=Level.choices)
    certification = models.CharField(
        _("NATO course certification"),
        max_length=10,
        choices=Certification.choices,
        default=Certification.NOT_CERTIFIED,
    )
    delivery_method = models.CharField(_("delivery method"), max_length=12, choices=DeliveryMethod.choices)
    aim_en = models.TextField(_("aim (English)"))
    aim_ar = models.TextField(_("aim (Arabic)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    notes_ar = models.TextField(_("notes (Arabic)"), blank=True)
    languages = models.ManyToManyField(Language, related_name="courses", verbose_name=_("languages"))
    duration_days = models.PositiveSmallIntegerField(_("duration in days"))
    classification = models.CharField(
        _("security classification"),
        max_length=3,
        choices=Classification.choices,
        default=Classification.NATO_UNCLASSIFIED,
    )
    releasable_to_public = models.BooleanField(
        _("releasable to the public"),
        default=False,
        help_text=_("Shown in the public catalogue to anyone. Only for NATO UNCLASSIFIED courses."),
    )
    releasable_to_frameworks = models.ManyToManyField(
        Framework, blank=True, related_name="releasable_courses", verbose_name=_("releasable to frameworks")
    )
    releasable_to_nations = models.ManyToManyField(
        Nation, blank=True, related_name="releasable_courses", verbose_name=_("releasable to nations")
    )
    audience_frameworks = models.ManyToManyField(
        Framework,
        blank=True,
        related_name="audience_courses",
        verbose_name=_("training audience: frameworks"),
    )
    audience_nations = models.ManyToManyField(
        Nation, blank=True, related_name="audience_courses", verbose_name=_("training audience: nations")
    )
    rank_min = models.CharField(_("lowest rank"), max_length=6, blank=True)
    rank_max = models.CharField(_("highest rank"), max_length=6, blank=True)
    civilians_eligible = models.BooleanField(_("civilians eligible"), default=True)
    slp_requirement = models.CharField(
        _("language requirement (SLP)"),
        max_length=8,
        blank=True,
        help_text=_("STANAG 6001 profile, e.g. 3232"),
    )
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        verbose_name=_("prerequisite courses"),
    )
    eprime_reference = models.CharField(_("ePrime reference"), max_length=20, blank=True)
    tuition_fee_eur = models.DecimalField(_("tuition fee per student (EUR)"), max_digits=9, decimal_places=2, default=0)
    accommodation_fee_eur = models.DecimalField(_("accommodation fee (EUR)"), max_digits=9, decimal_places=2, default=0)
    meals_fee_eur = models.DecimalField(_("meals fee (EUR)"), max_digits=9, decimal_places=2, default=0)
    payment_authority = models.CharField(_("payment authority"), max_length=200, blank=True)
    payment_authority_ar = models.CharField(_("payment authority (Arabic)"), max_length=200, blank=True)
    level1_evaluation = models.BooleanField(_("Level 1 evaluation"), default=True)
    level2_test = models.BooleanField(_("Level 2 test"), default=False)
    two_step_application = models.BooleanField(
        _("two-step application"),
        default=False,
        help_text=_("An approval by the centre is required before a seat in an iteration is given."),
    )
    requires_secure_access = models.BooleanField(_("requires secure access"), default=False)
    seat_allocation_method = models.CharField(
        _("seat allocation method"),
        max_length=12,
        choices=SeatAllocationMethod.choices,
        default=SeatAllocationMethod.SAINTE_LAGUE,
    )
    active_from = models.DateField(_("active from"))
    deactivated_on = models.DateField(_("deactivated on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(condition=Q(duration_days__gte=1), name="course_duration_positive"),
            models.CheckConstraint(
                condition=Q(tuition_fee_eur__gte=0) & Q(accommodation_fee_eur__gte=0) & Q(meals_fee_eur__gte=0),
                name="course_fees_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(deactivated_on__isnull=True) | Q(deactivated_on__gte=F("active_from")),
                name="course_deactivated_after_active_from",
            ),
            models.CheckConstraint(
                condition=Q(releasable_to_public=False) | Q(classification="NU"),
                name="course_public_only_if_unclassified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"

    @property
    def title(self) -> str:
        return self.title_ar if _in_arabic() and self.title_ar else self.title_en

    @property
    def aim(self) -> str:
        return self.aim_ar if _in_arabic() and self.aim_ar else self.aim_en

    @property
    def description(self) -> str:
        return self.description_ar if _in_arabic() and self.description_ar else self.description_en

    @property
    def notes(self) -> str:
        return self.notes_ar if _in_arabic() and self.notes_ar else self.notes_en

    @property
    def payer(self) -> str:
        """Who pays (the payment authority) in the reader's language."""
        return self.payment_authority_ar if _in_arabic() and self.payment_authority_ar else self.payment_authority

    @property
    def releasability_marking(self) -> str:
        """e.g. 'NATO UNCLASSIFIED Releasable to ICI, PfP and SAU'."""
        parts = [fw.code for fw in self.releasable_to_frameworks.all()] + [
            nation.code for nation in self.releasable_to_nations.all()
        ]
        marking = str(self.get_classification_display())
        if self.releasable_to_public:
            return _("%(marking)s - Releasable to the public") % {"marking": marking}
        if parts:
            return _("%(marking)s Releasable to %(parties)s") % {"marking": marking, "parties": ", ".join(parts)}
        return _("%(marking)s - NATO only") % {"marking": marking}

    @property
    def rank_range(self) -> str:
        if self.rank_min and self.rank_max:
            return f"{self.rank_min} - {self.rank_max}"
        return self.rank_min or self.rank_max


class PerformanceObjective(models.Model):
    """A numbered performance objective of a course, in English and Arabic."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField(_("number"))
    text_en = models.TextField(_("objective (English)"))
    text_ar = models.TextField(_("objective (Arabic)"))

    class Meta:
        ordering = ["course", "number"]
        verbose_name = _("performance objective")
        verbose_name_plural = _("performance objectives")
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="objective_number_per_course"),
            models.CheckConstraint(condition=Q(number__gte=1), name="objective_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text_en}"

    @property
    def text(self) -> str:
        return self.text_ar if _in_arabic() and self.text_ar else self.text_en
