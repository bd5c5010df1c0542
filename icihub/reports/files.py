"""Report files made in the background, with progress, kept for download: the annual activity report
(PDF or XLSX workbook) and the nominations behind a figure as a workbook (a million rows take minutes
in XLSX; their CSV is streamed at once by the page instead).

`request` checks the reader may see reports and the file's filters, records the request (audited) and
hands the job to the background (a thread, or an `icihub db_worker --queue-name reports` process with
ICIHUB_BACKGROUND=worker). `make` claims the job, makes the file under a temporary name as its asker,
who sees what the access policy lets them see when it is made, and moves it into place. A job killed
half-way leaves no file and is marked stopped when its asker next asks, so that they may ask again: at
once when its process ran on this machine and is gone (background.owner_gone), else once its heartbeat
is older than LOST_AFTER (or, still queued, after STALE_AFTER). Files are kept KEEP_DAYS, then removed
with their rows when anyone next asks for one."""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.background import HEARTBEAT_LOST_SECONDS, after_commit, heartbeat, owner_gone
from icihub.errors import Conflict
from icihub.reports import annual, exports
from icihub.reports.models import ReportFile
from icihub.reports.queries import FIGURE_FILTERS, Filters

logger = logging.getLogger(__name__)
# A queued file waits for a worker; one being made beats every few seconds (background.heartbeat).
STALE_AFTER = datetime.timedelta(minutes=10)
LOST_AFTER = datetime.timedelta(seconds=HEARTBEAT_LOST_SECONDS)
KEEP_DAYS = 30
SHOWN = 10  # the latest files listed to their asker
# Rows written between two progress updates of a rows workbook.
PROGRESS_EVERY = 5000
SUFFIX = {ReportFile.Kind.ANNUAL_PDF: "pdf", ReportFile.Kind.ANNUAL_XLSX: "xlsx", ReportFile.Kind.ROWS_XLSX: "xlsx"}
STOPPED, FAILED = "stopped", "failed"  # what `error` holds; the page says it in the reader's language


def folder() -> Path:
    return Path(settings.VAR_DIR) / "report-files"


def request(*, actor, kind: str, query: dict, source: str) -> ReportFile:
    """Queue a file of `kind` for `actor`; `query` holds the filters (Filters.from_query validates them)
    and for rows the figure (`stage`) with an optional `course` or `party`. Raises ValidationError for
    wrong filters, Conflict when the actor has a file on its way already."""
    policy.require(actor, "report", "view")
    if kind not in ReportFile.Kind.values:
        raise Conflict(_("Unknown kind of report file."))
    filters = Filters.from_query(query)
    kept = filters.as_query(year=filters.year)
    if kind == ReportFile.Kind.ROWS_XLSX:
        kept |= exports.narrowing(query)
        if query.get("stage") not in FIGURE_FILTERS:
            raise Conflict(_("The reports have no figure of that name."))
        kept["stage"] = query["stage"]
        kept["language"] = translation.get_language() or settings.LANGUAGE_CODE
    end_stale(actor)
    prune()
    try:
        with transaction.atomic():
            made = ReportFile.objects.create(kind=kind, query=kept, requested_by=actor)
            record(actor=actor, action="report.file_requested", obj=made, after={"kind": kind, **kept}, source=source)
            from icihub.reports.tasks import make_report_file

            after_commit(make_report_file, make, made.pk)
    except IntegrityError:
        raise Conflict(_("A report file of yours is being made already; wait for it to finish.")) from None
    return made


def make(file_id: int) -> None:
    """Make a queued file (in the background); a failure marks it failed and leaves no file."""
    claimed = ReportFile.objects.filter(pk=file_id, state=ReportFile.State.QUEUED).update(
        state=ReportFile.State.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        logger.info("report file %s is not queued; nothing to do", file_id)
        return
    job = ReportFile.objects.get(pk=file_id)
    with heartbeat(ReportFile, file_id, _owner_file(job.public_id)):
        _make_claimed(job)


def _owner_file(public_id) -> Path:
    return folder() / f"{public_id}.owner"


def _make_claimed(job: ReportFile) -> None:
    file_id = job.pk
    user = get_user_model().objects.select_related("nation", "organisation").get(pk=job.requested_by_id)
    folder().mkdir(parents=True, exist_ok=True)
    name = f"{job.public_id}.{SUFFIX[job.kind]}"
    partial = folder() / f"{name}.part"
    done = 0

    def progress(step: int = 1) -> None:
        nonlocal done
        done += step
        ReportFile.objects.filter(pk=file_id).update(done=done, updated_at=timezone.now())

    try:
        policy.require(user, "report", "view")  # the asker may have lost the right since asking
        filters = Filters.from_query(job.query)
        if job.kind == ReportFile.Kind.ROWS_XLSX:
            with translation.override(job.query.get("language") or settings.LANGUAGE_CODE):
                rows = exports.nominations(user, filters, job.query)
                ReportFile.objects.filter(pk=file_id).update(total=rows.count())
                exports.write_xlsx(rows, partial, progress=progress, every=PROGRESS_EVERY)
        else:
            # The PDF: each language's summary, then the whole; the workbook: three steps.
            ReportFile.objects.filter(pk=file_id).update(total=3)
            if job.kind == ReportFile.Kind.ANNUAL_PDF:
                partial.write_bytes(annual.pdf(user, filters, progress=progress))
                progress()
            else:
                annual.xlsx(user, filters, partial, progress=progress)
        partial.replace(folder() / name)
    except Exception:  # noqa: BLE001 - any failure is shown to its asker on the page
        logger.exception("report file %s failed", job.public_id)
        partial.unlink(missing_ok=True)
        ReportFile.objects.filter(pk=file_id).update(
            state=ReportFile.State.FAILED, error=FAILED, finished_at=timezone.now()
        )
        return
    job.refresh_from_db()
    ReportFile.objects.filter(pk=file_id).update(
        state=ReportFile.State.DONE, file=name, done=job.total, finished_at=timezone.now()
    )


def end_stale(user) -> None:
    """Mark stopped the user's files whose process died: being made by a process on this machine that
    is gone (at once), or with a heartbeat older than LOST_AFTER, or queued and taken by no worker for
    STALE_AFTER; and remove what a killed process left half-written."""
    now = timezone.now()
    State = ReportFile.State
    unfinished = ReportFile.objects.filter(requested_by=user, state__in=[State.QUEUED, State.RUNNING])
    for job in unfinished:
        if job.state == State.QUEUED:
            dead = job.updated_at < now - STALE_AFTER
        else:
            dead = job.updated_at < now - LOST_AFTER or owner_gone(_owner_file(job.public_id))
        if not dead:
            continue
        ReportFile.objects.filter(pk=job.pk, state=job.state).update(
            state=ReportFile.State.FAILED, error=STOPPED, finished_at=timezone.now()
        )
        (folder() / f"{job.public_id}.{SUFFIX[job.kind]}.part").unlink(missing_ok=True)
        _owner_file(job.public_id).unlink(missing_ok=True)


def prune() -> int:
    """Remove the files (and their rows) older than KEEP_DAYS; returns how many."""
    old = ReportFile.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=KEEP_DAYS))
    removed = 0
    for job in old.exclude(state__in=[ReportFile.State.QUEUED, ReportFile.State.RUNNING]):
        if job.file:
            (folder() / job.file).unlink(missing_ok=True)
        job.delete()
        removed += 1
    return removed


def path(job: ReportFile) -> Path | None:
    """The finished file of a job, or None (not finished, or removed)."""
    if job.state != ReportFile.State.DONE or not job.file:
        return None
    found = folder() / job.file
    return found if found.is_file() else None


def period_of(query: dict) -> str:
    """The year or years of a file's filters, e.g. "2025" or "2016-2025"."""
    return f"{query['since']}-{query['year']}" if query.get("since") else str(query["year"])


def download_name(job: ReportFile) -> str:
    query, asker = job.query, job.requested_by
    period = period_of(query)
    if job.kind == ReportFile.Kind.ROWS_XLSX:
        return f"nominations-{query['stage']}-{period}.xlsx"
    party = None if policy.sees_everything(asker) else (asker.organisation or asker.nation)
    scope = party.code if party else query.get("nation") or "centre"
    return f"annual-report-{scope.lower()}-{period}.{SUFFIX[job.kind]}"
