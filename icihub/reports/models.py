"""The reports' summary of each run (decision record 0006): the figures of one iteration's nominations
for one nation or organisation, kept by `summary.refresh()` from the runs database triggers marked as
changed. Never written by anything else; `icihub reports rebuild` makes it again from the rows."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RunFigures(models.Model):
    """What one run's nominations of one party (a nation or an organisation) add up to."""

    iteration = models.ForeignKey("planning.Iteration", on_delete=models.CASCADE, related_name="+")
    # Copied from the iteration when the row is made, so a year's rows are read without a join; a change
    # of the run's dates or status marks the run changed and its rows are made again.
    year = models.PositiveSmallIntegerField()
    run_status = models.CharField(max_length=12)
    course = models.ForeignKey("catalogue.Course", on_delete=models.CASCADE, related_name="+")
    nation = models.ForeignKey("partners.Nation", on_delete=models.CASCADE, null=True, related_name="+")
    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, null=True, related_name="+")
    nominated = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    deferred = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    confirmed = models.PositiveIntegerField(default=0)
    waitlisted = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    replaced = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    graduated = models.PositiveIntegerField(default=0)
    no_show = models.PositiveIntegerField(default=0)
    late_withdrawn = models.PositiveIntegerField(default=0)  # withdrawn after the nominations closed
    certified = models.PositiveIntegerField(default=0)
    revoked = models.PositiveIntegerField(default=0)
    oldest_awaiting = models.DateTimeField(null=True)
    tested = models.PositiveIntegerField(default=0)
    gain_total = models.IntegerField(default=0)  # the sum of (final test - pre-test) of those tested

    class Meta:
        indexes = [models.Index(fields=["year", "course"], name="run_figures_of_year")]

    def __str__(self) -> str:
        return f"run {self.iteration_id}, {self.nation_id or self.organisation_id}"


class ChangedRun(models.Model):
    """A run whose summary must be made again: written by database triggers on nominations, attendance,
    completions, certificates, test scores and the run itself, in the writing transaction; read and
    deleted by `summary.refresh()`. Several rows for one run are one change."""

    iteration_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"run {self.iteration_id} changed"


class ReportFile(models.Model):
    """A report file made in the background for the user who asked (the annual activity report as PDF
    or workbook, or the nominations behind a figure as a workbook), with its progress; kept for
    download under the var directory for KEEP_DAYS (files.py). It counts what its asker may see
    when it is made."""

    class Kind(models.TextChoices):
        ANNUAL_PDF = "annual_pdf", _("Annual activity report (PDF)")
        ANNUAL_XLSX = "annual_xlsx", _("Annual activity report (XLSX workbook)")
        ROWS_XLSX = "rows_xlsx", _("Nominations behind a figure (XLSX workbook)")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", pgettext_lazy("a background job", "running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The filters as query-string values, and for rows the figure (stage) with its course or party.
    query = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=20, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One file at a time per person: a second request waits for the first to finish.
            models.UniqueConstraint(
                fields=["requested_by"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_working_report_file_per_user",
            ),
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="report_file_done_le_total"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.state} {self.done}/{self.total}"

    @property
    def working(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
