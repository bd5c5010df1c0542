"""Certificates for a whole iteration as a background job with progress.

`start` records a run and hands it to the background (a thread of the web process by default, or an
`icihub db_worker --queue-name certificates` process with ICIHUB_BACKGROUND=worker). `execute` claims
the run, issues each missing certificate in its own transaction (services.issue: audited, one per
nomination, numbered in the database), renders every valid certificate's PDF into a ZIP file written
under a temporary name, and moves the finished file into place. A run killed half-way leaves only
whole certificates and no ZIP; the next run issues what is missing and writes the file again. A run
whose process is gone is taken as dead, so it does not block the next one, and the half-written file
its process left is removed: at once when that process ran on this machine (it names itself in an
`.owner` file beside the ZIP: host, pid, start time), else once its heartbeat, beaten every few seconds
while it works (background.heartbeat), is older than LOST_AFTER; a queued run no worker took after
STALE_AFTER.

The PDFs are rendered in ICIHUB_CERTIFICATE_PROCESSES worker processes (`_renderer`): this process
issues, in order, fills each certificate's HTML and writes the PDFs into the ZIP in the graduates' order
as they come back, a few certificates behind the issuing. With 1 it renders each in turn itself.

The workers are started with 'spawn', not 'fork'. A run works in a thread of the web process
(ICIHUB_BACKGROUND=thread) beside the server's other threads, and a process forked from a threaded one
copies locks those threads may hold (Python warns about it, and stops forking by default in 3.14); a
forked child would also hold copies of the parent's database connections (a PostgreSQL socket, an
SQLite handle) that it must never use, nor close. A spawned worker is a fresh interpreter that imports
only rendering.py: no Django settings and no database connection, whichever the engine; it gets HTML
and gives back the PDF. The price, a few seconds per worker to start and warm WeasyPrint up, is paid
once per run, in parallel. ('forkserver' would start them faster but keeps one server per parent
process, its modules and environment fixed when first used.) As with any 'spawn', a worker first
imports the parent's main module, so a program that starts runs keeps its work under
`if __name__ == "__main__"`, as `icihub`, `python -m icihub.cli` and the benchmark do; one that does
not gets no PDF at all, and the run fails."""

import collections
import contextlib
import datetime
import logging
import multiprocessing
import os
import zipfile
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.background import HEARTBEAT_LOST_SECONDS, after_commit, heartbeat, owner_gone
from icihub.certificates import rendering, services
from icihub.certificates.models import Certificate, CertificateRun
from icihub.errors import Conflict
from icihub.nominations.models import Nomination, Status
from icihub.planning.models import Iteration

logger = logging.getLogger(__name__)
# A queued run waits for a worker; a running one beats every few seconds (background.heartbeat).
STALE_AFTER = datetime.timedelta(minutes=10)
LOST_AFTER = datetime.timedelta(seconds=HEARTBEAT_LOST_SECONDS)


def archive_dir() -> Path:
    return Path(settings.VAR_DIR) / "certificate-runs"


def _graduates(iteration: Iteration):
    return Nomination.objects.filter(iteration=iteration, status=Status.CONFIRMED, completion__completed=True).order_by(
        "person__family_name", "person__given_names", "pk"
    )


STOPPED, FAILED = "stopped", "failed"  # what `error` holds; the page says it in the reader's language


def end_stale(iteration: Iteration) -> None:
    """Mark stopped the runs of this iteration whose process died: running ones whose process on this
    machine is gone (at once) or whose heartbeat is older than LOST_AFTER, queued ones no worker took
    for STALE_AFTER; and remove the half-written ZIP file a killed process left behind."""
    now = timezone.now()
    State = CertificateRun.State
    unfinished = CertificateRun.objects.filter(iteration=iteration, state__in=[State.QUEUED, State.RUNNING])
    lost = Q(state=State.RUNNING, updated_at__lt=now - LOST_AFTER) | Q(
        state=State.QUEUED, updated_at__lt=now - STALE_AFTER
    )
    ended = list(unfinished.filter(lost).values_list("public_id", flat=True))
    ended += [
        public_id
        for public_id in unfinished.filter(state=State.RUNNING).exclude(lost).values_list("public_id", flat=True)
        if owner_gone(_owner_file(public_id))
    ]
    unfinished.filter(public_id__in=ended).update(
        state=CertificateRun.State.FAILED,
        error=STOPPED,
        finished_at=timezone.now(),
    )
    for public_id in ended:
        (archive_dir() / f"{public_id}.zip.part").unlink(missing_ok=True)
        _owner_file(public_id).unlink(missing_ok=True)


def _owner_file(public_id) -> Path:
    return archive_dir() / f"{public_id}.owner"


def start(*, actor, iteration: Iteration, source: str, background: bool = True) -> CertificateRun:
    policy.require(actor, "certificate", "issue")
    if iteration.status not in (Iteration.Status.RUNNING, Iteration.Status.COMPLETED):
        raise Conflict(_("Certificates are made once the course has run."))
    total = _graduates(iteration).count()
    if not total:
        raise Conflict(_("Nobody has completed the course yet: work out completion first."))
    end_stale(iteration)
    try:
        with transaction.atomic():
            run = CertificateRun.objects.create(iteration=iteration, total=total, created_by=actor)
            record(actor=actor, action="certificate.run_started", obj=iteration, after={"total": total}, source=source)
    except IntegrityError:
        raise Conflict(_("Certificates for this iteration are being made already; wait for that run.")) from None
    if not background:
        execute(run.pk)
    else:
        from icihub.certificates.tasks import make_certificates

        after_commit(make_certificates, execute, run.pk)
    return run


class CertificateNotRendered(Exception):
    """A certificate's PDF could not be made; the run fails, naming it."""


class _InProcess:
    """Renders each PDF at once in this process, as `submit` is called (a run of one process)."""

    def submit(self, function, *args) -> Future:
        future = Future()
        try:
            future.set_result(function(*args))
        except Exception as error:  # noqa: BLE001 - handed back, raised where the PDF is written
            future.set_exception(error)
        return future


@contextlib.contextmanager
def _renderer(processes: int):
    """Where a run's PDFs are rendered: `processes` spawned worker processes, or this one for 1. On the way
    out, even on a failure, PDFs not yet started are cancelled and the workers are waited for."""
    if processes <= 1:
        yield _InProcess()
        return
    pool = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=rendering.start_worker,
        initargs=(os.getpid(), logging.getLogger("weasyprint").getEffectiveLevel()),
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _write(archive: zipfile.ZipFile, number: str, rendered: Future | None) -> None:
    """Put one certificate's PDF into the ZIP (nothing for a revoked one)."""
    if rendered is None:
        return
    try:
        content = rendered.result()
    except Exception as error:
        raise CertificateNotRendered(f"The PDF of certificate {number} could not be made: {error!r}") from error
    archive.writestr(f"{number}.pdf", content)


def execute(run_id: int) -> None:

    claimed = CertificateRun.objects.filter(pk=run_id, state=CertificateRun.State.QUEUED).update(
        state=CertificateRun.State.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        logger.info("certificate run %s is not queued; nothing to do", run_id)
        return
    public_id = CertificateRun.objects.values_list("public_id", flat=True).get(pk=run_id)
    with heartbeat(CertificateRun, run_id, _owner_file(public_id)):
        _execute_claimed(run_id)


def _execute_claimed(run_id: int) -> None:
    from icihub.certificates.pdf import certificate_html

    run = CertificateRun.objects.select_related("iteration", "created_by").get(pk=run_id)
    folder = archive_dir()
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{run.public_id}.zip"
    partial = folder / f"{run.public_id}.zip.part"
    issued = done = 0
    graduates = list(_graduates(run.iteration).select_related("person"))
    CertificateRun.objects.filter(pk=run_id).update(total=len(graduates), updated_at=timezone.now())

    def progress() -> None:
        CertificateRun.objects.filter(pk=run_id).update(done=done, issued=issued, updated_at=timezone.now())

    processes = max(1, min(settings.ICIHUB_CERTIFICATE_PROCESSES, len(graduates)))
    # The PDFs on their way, in the graduates' order: (number, its PDF to come, or None when revoked).
    pending: collections.deque[tuple[str, Future | None]] = collections.deque()
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive, _renderer(processes) as pool:
            for nomination in graduates:
                certificate = Certificate.objects.filter(nomination=nomination).first()
                if certificate is None:
                    certificate = services.issue(actor=run.created_by, nomination=nomination, source="job")
                    issued += 1
                rendered = None
                if not certificate.revoked:
                    rendered = pool.submit(rendering.html_to_pdf, certificate_html(certificate))
                pending.append((certificate.number, rendered))
                # Write what is ready; wait for the oldest once a few per worker are on their way.
                while pending and (len(pending) > 2 * processes or pending[0][1] is None or pending[0][1].done()):
                    _write(archive, *pending.popleft())
                    done += 1
                progress()
            while pending:
                _write(archive, *pending.popleft())
                done += 1
                progress()
        partial.replace(final)
    except Exception:  # noqa: BLE001 - any failure is shown to staff on the page
        logger.exception("certificate run %s failed", run.public_id)
        partial.unlink(missing_ok=True)
        CertificateRun.objects.filter(pk=run_id).update(
            state=CertificateRun.State.FAILED,
            error=FAILED,  # the details are in the log, not on the page
            finished_at=timezone.now(),
        )
        return
    CertificateRun.objects.filter(pk=run_id).update(
        state=CertificateRun.State.DONE, archive=final.name, finished_at=timezone.now()
    )


def archive_path(run: CertificateRun) -> Path | None:
    """The finished ZIP of a run, or None (not finished, or removed)."""
    if run.state != CertificateRun.State.DONE or not run.archive:
        return None
    path = archive_dir() / run.archive
    return path if path.is_file() else None
