"""Certificates of completion: what was issued to whom, the signed credential, and revocation. The
holder, course and dates are kept as they were at issue, so a certificate says what it said then."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from icihub.nominations.models import Nomination


class Certificate(models.Model):
    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("nomination")
    )
    holder_name = models.CharField(_("holder"), max_length=300)
    course_code = models.CharField(_("course"), max_length=40)
    course_title_en = models.CharField(_("course title (English)"), max_length=250)
    course_title_ar = models.CharField(_("course title (Arabic)"), max_length=250)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key_id = models.CharField(_("signing key"), max_length=40)
    credential = models.JSONField(_("signed credential"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificate_revocation_has_a_reason",
            ),
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="certificate_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
