"""Sealing: linking committed events into the hash chain, after their transactions, in the background.

`record` (services.py) only inserts an event, in the transaction of the change it records: writers of
unrelated objects never wait for one another. Sealing then gives each committed event that is not yet
in the chain its place (`seq`), the hash of the event before it and its own hash, under the one lock
that only sealers take (the head row), and moves the anchor outside the database along the chain.
The chain's order is the order events were sealed in, which follows the order they were committed in.

Sealing runs after each commit that recorded an event: in a thread of the process (one a process,
ICIHUB_AUDIT_SEALING=background, the default), or at once in the committing thread (`inline`: the
tests, so what they check is sealed when the change returns). The thread also looks for events left
unsealed every ICIHUB_AUDIT_SEAL_SECONDS (a process killed between commit and sealing), the process
seals what it wrote before it exits, and `verify_trail` seals before it checks. docs/decisions/
0004-audit-sealing.md says what this gives up: an event is covered by the chain from its sealing on.
"""

import atexit
import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from icihub.audit.anchor import Anchor, UnreadableAnchor, anchor_path, locked, read_anchor, write_anchor
from icihub.audit.chain import content_hash
from icihub.audit.models import AuditEvent, AuditHead

logger = logging.getLogger("icihub.audit")
# Events linked per transaction; a backlog is sealed in several, so the head is never held for long.
BATCH = 1000
# Events read per round trip when following the chain: memory stays flat however long the trail is.
CHUNK = 2000
# How long the sealing thread waits, once woken, for more commits to seal together.
COALESCE_SECONDS = 0.1


def _unsealed():
    return AuditEvent.objects.filter(seq__isnull=True)


BUSY = object()  # another sealer holds the head: it seals what is committed, this one need not wait


def _locked_head(*, wait: bool):
    """The head row, locked (sealers take turns here, and only sealers); BUSY when another sealer holds
    it and `wait` is false. Made for the first event; None when it is missing although sealed events
    exist: someone deleted it, and `verify_trail` says so."""
    head = AuditHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
    if head is not None:
        return head
    if not wait and AuditHead.objects.filter(pk=1).exists():
        return BUSY
    if AuditEvent.objects.filter(seq__isnull=False).exists():
        logger.error("The audit head row is missing: events are left unsealed until it is put back.")
        return None
    AuditHead.objects.get_or_create(pk=1)
    return AuditHead.objects.select_for_update().get(pk=1)


def _seal_batch(*, wait: bool) -> Anchor | None:
    """Link up to BATCH unsealed events after the head, oldest id first; the newest one sealed."""
    with transaction.atomic():
        head = _locked_head(wait=wait)
        if head is None or head is BUSY:
            return None
        # Read after the lock is held: whatever an earlier sealer linked is no longer unsealed.
        pending = list(_unsealed().order_by("id")[:BATCH])
        if not pending:
            return None
        previous, seq = head.last_hash, head.last_seq
        links = []
        for event in pending:
            seq += 1
            event.seq, event.previous_hash, event.hash = seq, previous, content_hash(event, previous)
            previous = event.hash
            links.append((event.seq, event.previous_hash, event.hash, event.id))
        # One statement prepared once and sent for every event (a pipeline on PostgreSQL): the ORM's
        # bulk_update compiles a CASE over every row, which cost more than the sealing itself.
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, previous_hash = %s, hash = %s WHERE id = %s",  # noqa: S608  # the model's own table name, values bound  # nosec B608
                links,
            )
        head.last_hash, head.last_seq = previous, seq
        head.save(update_fields=["last_hash", "last_seq"])
    return Anchor(pending[-1].id, previous, seq)


def seal(*, wait: bool = True) -> Anchor | None:
    """Link every committed event not yet in the chain, then move the anchor to the newest. Safe to
    run from any number of processes at once. Returns the newest event it sealed, if any.

    With `wait` false (the background thread), a sealer finding another at work leaves it to that one,
    which goes on until nothing is left; an event committed just as that one finishes waits for the
    next commit's sealing or the next tick. Verifying, exporting and backing up wait their turn, so
    everything committed before them is sealed."""
    newest = None
    while _unsealed().exists():
        sealed = _seal_batch(wait=wait)
        if sealed is None:
            break
        newest = sealed
    if newest is not None:
        advance_anchor(newest)
    return newest


def unbroken_from(anchor: Anchor | None) -> Anchor | None:
    """The newest sealed event, as an anchor, when the chain runs unbroken and unchanged from the
    anchored event to it; None when there is no event, or the chain no longer leads from the anchor
    (logged: the anchor then stays, and `verify_trail` names what happened)."""
    sealed = AuditEvent.objects.filter(seq__isnull=False)
    if anchor is None:  # nothing to continue from: a new installation, or a trail older than anchors
        newest = sealed.order_by("-seq").first()
        return Anchor(newest.id, newest.hash, newest.seq) if newest else None
    previous = None
    for event in sealed.filter(seq__gte=anchor.place).order_by("seq").iterator(chunk_size=CHUNK):
        if previous is None:
            if (event.id, event.hash) != (anchor.event_id, anchor.hash):
                break
        elif event.previous_hash != previous.hash or content_hash(event, previous.hash) != event.hash:
            break
        previous = event
    else:
        if previous is not None:
            return Anchor(previous.id, previous.hash, previous.seq)
    logger.error(
        "The audit anchor stays at event %s: the chain no longer leads from it to the newest event.",
        anchor.event_id,
    )
    return None


def advance_anchor(sealed: Anchor) -> None:
    """Move the anchor to the newest event, once `sealed` is committed in the chain.

    The anchor moves only when the events from the anchored one to the newest form an unbroken,
    unchanged chain; otherwise it stays where it is, so `verify_trail` names the gap or the rewrite.
    A failure here never undoes anything: it is logged, and the next sealing tries again."""
    path = anchor_path()
    try:
        with locked(path):
            current = read_anchor(path)
            if current is not None and current.place >= sealed.place:
                return  # another sealer has moved it already
            newest = unbroken_from(current)
            if newest is not None:
                write_anchor(newest, path)
    except UnreadableAnchor as error:
        logger.error("The audit anchor %s is damaged (%s): it is left as it is.", path, error)
    except OSError as error:
        logger.error("The audit anchor %s could not be written: %s", path, error)


class _Sealer(threading.Thread):
    """The process's sealing thread: seals when a commit asks, and every few seconds in case a process
    died between committing an event and sealing it."""

    def __init__(self):
        super().__init__(name="icihub-audit-sealer", daemon=True)
        self.wanted = threading.Event()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            woken = self.wanted.wait(timeout=settings.ICIHUB_AUDIT_SEAL_SECONDS)
            if woken:
                # Let the commits of the next moment join this sealing: one pass for many events, not
                # one for each, under a busy hour's load.
                self.stopping.wait(timeout=COALESCE_SECONDS)
            self.wanted.clear()
            if not self.stopping.is_set():
                _seal_logged()


def _seal_logged() -> None:
    """Seal on a connection of this thread's own; a failure (the database away) is logged and the
    next request or tick tries again."""
    close_old_connections()
    try:
        seal(wait=False)
    except Exception:
        logger.exception("Sealing the audit trail failed; the next commit or tick tries again.")
    finally:
        close_old_connections()


_sealer: _Sealer | None = None
_sealer_pid: int | None = None
_sealer_lock = threading.Lock()
_seals_at_exit = False


def _background() -> _Sealer:
    """This process's sealing thread, started on first use (after a fork, the child starts its own)."""
    global _sealer, _sealer_pid, _seals_at_exit
    with _sealer_lock:
        if _sealer is None or _sealer_pid != os.getpid() or not _sealer.is_alive():
            _sealer, _sealer_pid = _Sealer(), os.getpid()
            _sealer.start()
        if not _seals_at_exit:  # a command's events are sealed before its process ends
            atexit.register(_seal_at_exit)
            _seals_at_exit = True
    return _sealer


def _seal_at_exit() -> None:
    """A process ending seals what it committed; the next sealing anywhere does it otherwise."""
    if _sealer is None or _sealer_pid != os.getpid():
        return
    try:
        seal()
    except Exception as error:  # noqa: BLE001 - the process is ending; its events stay for the next sealer
        logger.warning("Audit events left unsealed at exit, for the next sealing: %s", error)


def request_seal() -> None:
    """Run after each commit that recorded an event."""
    if settings.ICIHUB_AUDIT_SEALING == "inline":
        seal()
    else:
        _background().wanted.set()


def stop_background() -> None:
    """Stop this process's sealing thread, if it runs (a test that started one cleans up with it)."""
    global _sealer
    with _sealer_lock:
        sealer, _sealer = _sealer, None
    if sealer is not None:
        sealer.stopping.set()
        sealer.wanted.set()
        sealer.join(timeout=10)
