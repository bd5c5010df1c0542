"""Certificates of completion: what was issued to whom, the signed credential, and revocation. The
holder, course and dates are kept as they were at issue, so a certificate says what it said then."""

import base64
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from icihub.nominations.models import Nomination
from icihub.planning.models import Iteration


def new_verification_code() -> str:
    """128 random bits in base32, in groups of four for reading aloud: XXXX-XXXX-...-XXXX (26 letters)."""
    letters = base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=")
    return "-".join(letters[start : start + 4] for start in range(0, len(letters), 4))


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
    # Printed on the certificate and in its QR code: whoever holds the paper proves it and sees the
    # holder's name on the verification page. The number alone shows the course, never the person.
    verification_code = models.CharField(
        _("verification code"), max_length=40, unique=True, default=new_verification_code, editable=False
    )

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


class CertificateRun(models.Model):
    """Certificates for a whole iteration, made in the background: every participant who completed
    gets their certificate (issued if missing), and the PDFs of the valid ones go into one ZIP file to
    print. Only one run per iteration works at a time."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", pgettext_lazy("a background job", "running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    iteration = models.ForeignKey(Iteration, on_delete=models.PROTECT, related_name="certificate_runs")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("certificates"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    issued = models.PositiveIntegerField(_("newly issued"), default=0)
    archive = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("certificate run")
        verbose_name_plural = _("certificate runs")
        constraints = [
            models.UniqueConstraint(
                fields=["iteration"],
                condition=Q(state__in=["queued", "running"]),
                name="one_working_certificate_run_per_iteration",
            ),
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="certificate_run_done_le_total"),
        ]

    def __str__(self) -> str:
        return f"{self.iteration_id} {self.state} {self.done}/{self.total}"

    @property
    def working(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
