"""The reports' summary of each run (decision record 0006): the figures of one iteration's nominations
for one nation or organisation, kept by `summary.refresh()` from the runs database triggers marked as
changed. Never written by anything else; `icihub reports rebuild` makes it again from the rows."""

from django.db import models


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
