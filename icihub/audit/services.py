"""Writing, verifying and exporting the audit trail.

Every service that changes state calls `record` in its own transaction; sealing.py links the committed
events into the hash chain afterwards. `verify_trail` walks the whole chain and compares its end with
the head row, with the anchor kept outside the database (anchor.py) and with any exported anchors
(exported_anchor.py) it is given; `export_events` hands out part of the trail and records that it did;
`export_anchor` signs the head of the chain, to be sent off the machine.
"""

import datetime
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icihub.audit import exported_anchor, sealing
from icihub.audit.anchor import Anchor, UnreadableAnchor, anchor_path, read_anchor
from icihub.audit.chain import canonical, content_hash
from icihub.audit.exported_anchor import ExportedAnchor, InvalidExportedAnchor
from icihub.audit.models import AuditEvent, AuditHead
from icihub.audit.queries import AuditFilters, events_matching
from icihub.certificates.keys import KeyStore

CHUNK = sealing.CHUNK

logger = logging.getLogger("icihub.audit")


def record(*, actor, action: str, obj, before=None, after=None, source: str) -> AuditEvent:
    """Add one event to the trail. Must run inside the transaction of the change it records, so the
    change and its event are saved together or not at all. It only inserts a row: no lock is shared
    with other writers. Once the transaction commits, sealing (sealing.py) links the event into the
    hash chain and moves the anchor, off the request's path."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction of the change it records")
    actor = actor if getattr(actor, "is_authenticated", False) else None
    fields = {
        "at": timezone.now(),
        "actor_name": actor.get_username() if actor else "system",
        "action": action,
        "object_type": obj._meta.label if hasattr(obj, "_meta") else str(type(obj).__name__),
        "object_id": str(getattr(obj, "code", None) or obj.pk),
        "before": before,
        "after": after,
        "source": source,
    }
    # Stored exactly as it will be hashed (JSON values, the time to the microsecond).
    event = AuditEvent.objects.create(actor=actor, **{**canonical(fields), "at": fields["at"]})
    transaction.on_commit(sealing.request_seal, robust=True)
    return event


@dataclass
class Verification:
    """What `verify_trail` found. A problem means the trail was changed outside `record`; a warning
    means part of it could not be checked."""

    events: int = 0
    newest: Anchor | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    anchor_path: Path | None = None  # for the operator; the messages leave it out, as pages show them
    # The exported anchors given that are signed by the centre and that the trail still holds.
    exported_anchors_held: list[tuple[Path, ExportedAnchor]] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.intact:
            return ngettext(
                "audit trail NOT intact: %(count)d problem",
                "audit trail NOT intact: %(count)d problems",
                len(self.problems),
            ) % {"count": len(self.problems)}
        if self.newest is None:
            return _("audit trail intact: no events yet")
        return ngettext(
            "audit trail intact: %(count)d event, newest #%(id)d %(hash)s",
            "audit trail intact: %(count)d events, newest #%(id)d %(hash)s",
            self.events,
        ) % {"count": self.events, "id": self.newest.event_id, "hash": self.newest.hash[:12]}


@dataclass
class _Walk:
    """The chain as read in its order: the problems found on the way, each with its event's place."""

    events: int = 0
    newest: Anchor | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)
    # (place, event id, id of the event before it, the hash it links to) for every broken link
    broken_links: list[tuple[int, int, int | None, str]] = field(default_factory=list)
    hash_of: dict[int, str] = field(default_factory=dict)  # only for the ids asked for
    place_of: dict[int, int] = field(default_factory=dict)  # the same ids' places


def _walk(watched_ids: set[int]) -> _Walk:
    walk = _Walk()
    previous_hash, previous_id = "", None
    previous_recomputed = ""  # the hash the event before should have, from its own content
    previous_changed = None  # index in walk.problems of the "content changed" of the event before
    previous_seq = None
    sealed = AuditEvent.objects.filter(seq__isnull=False).order_by("seq")
    for event in sealed.iterator(chunk_size=CHUNK):
        walk.events += 1
        own = content_hash(event, event.previous_hash)
        changed = None
        if event.previous_hash != previous_hash:
            if previous_changed is not None and event.previous_hash == previous_recomputed:
                # This event still follows the one before, as that one was written: only the stored
                # hash of the one before was overwritten.
                walk.problems[previous_changed] = (
                    previous_seq,
                    _("event %(id)s: its hash was changed after it was written") % {"id": previous_id},
                )
            elif own != event.hash and content_hash(event, previous_hash) == event.hash:
                walk.problems.append(
                    (event.seq, _("event %(id)s: its link to the event before it was changed") % {"id": event.id})
                )
                own = event.hash
            else:
                walk.broken_links.append((event.seq, event.id, previous_id, event.previous_hash))
        if own != event.hash:
            changed = len(walk.problems)
            walk.problems.append(
                (event.seq, _("event %(id)s: its content was changed after it was written") % {"id": event.id})
            )
        if event.id in watched_ids:
            walk.hash_of[event.id] = event.hash
            walk.place_of[event.id] = event.seq
        previous_hash, previous_id, previous_recomputed, previous_changed = event.hash, event.id, own, changed
        previous_seq = event.seq
    if previous_id is not None:
        walk.newest = Anchor(previous_id, previous_hash, previous_seq)
    return walk


def _link_problems(broken_links: list[tuple[int, int, int | None, str]]) -> list[tuple[int, str]]:
    """Name each broken link: the hash it links to belongs to another event (out of order), or to no
    event at all (the events between were deleted)."""
    wanted = [link for _place, _event, _before, link in broken_links if link]
    owner: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        owner.update(AuditEvent.objects.filter(hash__in=wanted[start : start + 500]).values_list("hash", "id"))
    problems = []
    for place, event_id, before_id, link in broken_links:
        values = {"id": event_id, "before": before_id, "linked": owner.get(link)}
        if link == "" or link in owner:
            target = _("the start of the chain") if link == "" else _("event #%(linked)s") % values
            values["target"] = target
            if before_id is None:
                message = _("event %(id)s: out of order: it links to %(target)s, but comes first") % values
            else:
                message = (
                    _("event %(id)s: out of order: it links to %(target)s, but comes after event #%(before)s") % values
                )
        elif before_id is None:
            message = _("event %(id)s: one or more events before it are missing (it is the first event left)") % values
        else:
            message = (
                _(
                    "event %(id)s: one or more events before it are missing (it does not follow event "
                    "#%(before)s, and links to a hash no event has)"
                )
                % values
            )
        problems.append((place, message))
    return problems


def _head_hash() -> str | None:
    """The hash in the head row; None when the row is missing."""
    return AuditHead.objects.filter(pk=1).values_list("last_hash", flat=True).first()


def _head_matches(head: str | None, walk: _Walk) -> bool:
    if walk.newest is None:
        return head is None or head == ""
    return head == walk.newest.hash


def _head_problem(head_before: str | None, walk: _Walk) -> str | None:
    if _head_matches(head_before, walk):
        return None
    # Events committed while the walk ran move the head past what the walk saw: that is no problem.
    head = _head_hash()
    if _head_matches(head, walk):
        return None
    newest_place = walk.newest.place if walk.newest else 0
    if head and AuditEvent.objects.filter(hash=head, seq__gt=newest_place).exists():
        return None
    if head is None:
        return _("the head row is missing: the hash of the newest event kept in the database was deleted")
    if walk.newest is None:
        return _("the trail is empty, but the head names a hash: every event was deleted")
    values = {"newest": walk.newest.event_id}
    if head == "":
        return _("the head is empty, but the trail goes on to event #%(newest)s") % values
    values["named"] = AuditEvent.objects.filter(hash=head).values_list("id", flat=True).first()
    if values["named"] is None:
        return (
            _(
                "the head names a hash no event has: the newest events were deleted or the head was changed "
                "(the trail ends at event #%(newest)s)"
            )
            % values
        )
    return _("the head names event #%(named)s, not the newest event #%(newest)s") % values


def _anchor_problem(anchor: Anchor, walk: _Walk) -> str | None:
    values = {"id": anchor.event_id, "newest": walk.newest.event_id if walk.newest else None}
    found = walk.hash_of.get(anchor.event_id)
    if found == anchor.hash:
        return None
    if found is not None:
        return (
            _(
                "event #%(id)s does not match the anchor kept outside the database: the chain was rewritten "
                "(changed and hashed again) at or before it"
            )
            % values
        )
    if walk.newest is None:
        return _("the anchor names event #%(id)s, but the trail is empty: every event was deleted") % values
    if anchor.place > walk.newest.place:
        return (
            _("the anchor names event #%(id)s, but the trail ends at #%(newest)s: the newest events were deleted")
            % values
        )
    return (
        _(
            "event #%(id)s, named by the anchor kept outside the database, was deleted "
            "(the trail goes on to #%(newest)s)"
        )
        % values
    )


def _key_store() -> KeyStore:
    """The centre's signing keys, those that sign certificates (exported_anchor.py says why)."""
    return KeyStore(settings.ICIHUB_KEY_DIR)


def read_exported_anchor(path: Path) -> ExportedAnchor:
    """The exported anchor in the file, once its signature is checked against the centre's keys;
    InvalidExportedAnchor, saying why, when it cannot be read or is not signed by the centre."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidExportedAnchor("there is no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidExportedAnchor(f"it cannot be read ({getattr(error, 'strerror', None) or error})") from None
    return exported_anchor.read(text, _key_store().public_key)


def _exported_anchor_problem(file: Path, held: ExportedAnchor, walk: _Walk) -> str | None:
    """What became of the event an exported anchor names: None when the trail still holds it, with
    its hash, at its place (the walk has checked that every event after it links on). The messages
    are for the operator running the command only, so they are not translated."""
    named = f"the anchor exported at {held.exported_at} ({file})"
    newest = walk.newest.event_id if walk.newest else None
    found = walk.hash_of.get(held.event_id)
    if found is None:
        # Exported while the walk ran, after the event it saw last: no problem if it is there now.
        if AuditEvent.objects.filter(id=held.event_id, hash=held.hash, seq=held.seq).exists() and (
            walk.newest is None or held.seq > walk.newest.place
        ):
            return None
        if walk.newest is None:
            return f"{named} names event #{held.event_id}, but the trail is empty: every event was deleted"
        if held.seq > walk.newest.place:
            return (
                f"{named} names event #{held.event_id}, but the trail ends at #{newest}: the newest events were deleted"
            )
        return f"event #{held.event_id}, named by {named}, was deleted (the trail goes on to #{newest})"
    if found != held.hash:
        now = AuditEvent.objects.filter(seq__isnull=False, seq__lte=walk.place_of[held.event_id]).count()
        counted = "" if now == held.events else f"; {held.events} events led to it then, {now} now"
        return (
            f"event #{held.event_id} does not match {named}: the history up to it was rewritten "
            f"(changed and hashed again){counted}"
        )
    if walk.place_of[held.event_id] != held.seq:
        return (
            f"event #{held.event_id} is at place {walk.place_of[held.event_id]}, not {held.seq} as in {named}: "
            "events before it were deleted, added or moved"
        )
    return None


def verify_trail(*, against_anchor_file: bool = True, exported_anchors: Sequence[Path] = ()) -> Verification:
    """Seal what is committed and not yet sealed, walk the whole chain in its order, then compare its
    end with the head row and the anchor (unless `against_anchor_file` is False: a restore checks the
    trail it is about to commit before it moves the anchor to it), and check that the trail still
    holds the event each exported anchor file names (`icihub audit verify --anchor`).

    Each changed, deleted or reordered event is named. The walk streams the events, so any length of
    trail fits in memory, but it reads all of them: run it from the command or on request, not on
    every page. Writers may carry on meanwhile: the anchors and head are read before the walk, so they
    name events the walk must find, and events committed during it are not counted as problems."""
    sealing.seal()
    path = anchor_path()
    anchor, outside = None, None
    try:
        anchor = read_anchor(path) if against_anchor_file else None
    except UnreadableAnchor as error:
        outside = _("the anchor file cannot be read: %(error)s") % {"error": error}
    exported, unreadable = [], []
    for file in exported_anchors:
        try:
            exported.append((file, read_exported_anchor(file)))
        except InvalidExportedAnchor as error:
            unreadable.append(f"the exported anchor {file} is refused: {error}")
    head_before = _head_hash()
    watched = {held.event_id for _file, held in exported} | ({anchor.event_id} if anchor else set())
    walk = _walk(watched)
    verification = Verification(events=walk.events, newest=walk.newest, anchor_path=path)
    problems = sorted(walk.problems + _link_problems(walk.broken_links), key=lambda problem: problem[0])
    verification.problems = [message for _place, message in problems]
    if anchor is not None:
        outside = _anchor_problem(anchor, walk)
    elif outside is None and against_anchor_file:
        verification.warnings.append(
            _(
                "no anchor file: the newest event could not be checked against storage outside the database "
                "(a new installation has none until its first event is written)"
            )
        )
    verification.problems += [problem for problem in (_head_problem(head_before, walk), outside) if problem]
    verification.problems += unreadable
    for file, held in exported:
        if problem := _exported_anchor_problem(file, held, walk):
            verification.problems.append(problem)
        else:
            verification.exported_anchors_held.append((file, held))
    return verification


def verify_chain() -> list[str]:
    """The problems `verify_trail` finds; empty when the trail is intact (warnings are left out)."""
    return verify_trail().problems


def export_events(filters: AuditFilters, *, actor, source: str) -> QuerySet:
    """The events matching the filters, oldest first, as they stand now. Reading the trail is a
    sensitive read, so the export is recorded in the trail first, with the filters and the number of
    events; it is not part of its own export. What is committed is sealed first, so every exported
    event carries its hashes."""
    sealing.seal()
    with transaction.atomic():
        head, _created = AuditHead.objects.get_or_create(pk=1)
        newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        events = events_matching(filters).filter(id__lte=newest).order_by("id")
        record(
            actor=actor,
            action="audit.exported",
            obj=head,
            after={"filters": filters.as_dict(), "rows": events.count()},
            source=source,
        )
    return events


class AnchorExportRefused(Exception):
    """The head of the chain cannot be exported; the message says why and what to do."""


def exported_anchors_directory() -> Path:
    return Path(settings.VAR_DIR) / "audit-anchors"


def export_anchor() -> dict:
    """The head of the chain, signed by the centre's current key, as the document to write and send
    off the machine (exported_anchor.py). What is committed is sealed first, so the anchor names the
    newest event. The chain is not walked (that is `verify_trail`'s work, and an anchor is cheap to
    export often): only the head event is checked, so as not to sign a head that names no event.

    Not recorded in the trail, like verifying: it reads no personal data (an id, a hash, a count),
    changes nothing in the database, and an event of its own at every scheduled run would both fill
    the trail and leave every anchor one event behind the head."""
    sealing.seal()
    with transaction.atomic():
        head = AuditHead.objects.filter(pk=1).first()
        if head is None or not head.last_hash:
            if AuditEvent.objects.exists():
                raise AnchorExportRefused("the head of the chain is missing: run `icihub audit verify`")
            raise AnchorExportRefused("there is nothing to anchor: the audit trail has no events yet")
        event = AuditEvent.objects.filter(seq=head.last_seq, hash=head.last_hash).first()
        if event is None or content_hash(event, event.previous_hash) != event.hash:
            raise AnchorExportRefused(
                f"the head of the chain (place {head.last_seq}) names no intact event: run `icihub audit verify`"
            )
        events = AuditEvent.objects.filter(seq__isnull=False, seq__lte=event.seq).count()
    key = _key_store().current()
    anchor = ExportedAnchor(
        event_id=event.id,
        seq=event.seq,
        hash=event.hash,
        events=events,
        exported_at=timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        key_id=key.id,
    )
    return exported_anchor.sign(anchor, key)


def write_exported_anchor(document: dict, path: Path | None = None) -> Path:
    """Write the document in one step (a shipper never picks up half a file). By default a new file
    VAR_DIR/audit-anchors/<time exported>.json, never over an older one; `path` is replaced if there."""
    target = path or exported_anchors_directory() / (
        document["exported_at"].replace("-", "").replace(":", "") + ".json"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(exported_anchor.to_text(document))
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # nothing secret in it; mkstemp makes it the owner's only
        if path is None:
            os.link(temporary, target)  # FileExistsError rather than replace an anchor already there
        else:
            os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target
