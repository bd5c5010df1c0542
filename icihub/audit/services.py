"""Writing, verifying and exporting the audit trail.

Every service that changes state calls `record` in its own transaction. `verify_trail` walks the whole
chain and compares its end with the head row and with the anchor kept outside the database
(anchor.py); `export_events` hands out part of the trail and records that it did.
"""

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icihub.audit.anchor import Anchor, UnreadableAnchor, advance_anchor, anchor_path, read_anchor
from icihub.audit.models import AuditEvent, AuditHead
from icihub.audit.queries import AuditFilters, events_matching

HASHED_FIELDS = ("at", "actor_name", "action", "object_type", "object_id", "before", "after", "source")
# Events read per round trip while walking the chain: memory stays flat however long the trail is.
CHUNK = 2000

logger = logging.getLogger("icihub.audit")


def _canonical(fields: dict) -> dict:
    """Round-trip through JSON so what is stored and what is hashed are exactly the same values.
    The time is written with all its microseconds in UTC, as both databases keep it."""
    at = fields["at"].astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {**json.loads(json.dumps({**fields, "at": None}, cls=DjangoJSONEncoder, ensure_ascii=False)), "at": at}


def _digest(previous_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(f"{previous_hash}\n{payload}".encode()).hexdigest()


def _content_hash(event: AuditEvent, previous_hash: str) -> str:
    """The hash the event would have if it followed `previous_hash` with its stored content."""
    return _digest(previous_hash, _canonical({name: getattr(event, name) for name in HASHED_FIELDS}))


def record(*, actor, action: str, obj, before=None, after=None, source: str) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change it records.
    Once that transaction commits, the anchor outside the database moves to the newest event."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction of the change it records")
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # the very first event
        AuditHead.objects.get_or_create(pk=1)
        head = AuditHead.objects.select_for_update().get(pk=1)
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
    hashed = _canonical(fields)
    event_hash = _digest(head.last_hash, hashed)
    event = AuditEvent.objects.create(
        actor=actor, previous_hash=head.last_hash, hash=event_hash, **{**hashed, "at": fields["at"]}
    )
    head.last_hash = event_hash
    head.save(update_fields=["last_hash"])
    # robust: a full disk or a damaged anchor must not turn a committed change into an error page.
    transaction.on_commit(partial(advance_anchor, event.id), robust=True)
    return event


def unbroken_from(anchor: Anchor | None) -> Anchor | None:
    """The newest event, as an anchor, when the chain runs unbroken and unchanged from the anchored
    event to it; None when there is no event, or the chain no longer leads from the anchor (logged:
    the anchor then stays, and `verify_trail` names what happened)."""
    if anchor is None:  # nothing to continue from: a new installation, or a trail older than anchors
        newest = AuditEvent.objects.order_by("-id").first()
        return Anchor(newest.id, newest.hash) if newest else None
    previous = None
    for event in AuditEvent.objects.filter(id__gte=anchor.event_id).order_by("id").iterator(chunk_size=CHUNK):
        if previous is None:
            if (event.id, event.hash) != (anchor.event_id, anchor.hash):
                break
        elif event.previous_hash != previous.hash or _content_hash(event, previous.hash) != event.hash:
            break
        previous = event
    else:
        if previous is not None:
            return Anchor(previous.id, previous.hash)
    logger.error(
        "The audit anchor stays at event %s: the chain no longer leads from it to the newest event.",
        anchor.event_id,
    )
    return None


@dataclass
class Verification:
    """What `verify_trail` found. A problem means the trail was changed outside `record`; a warning
    means part of it could not be checked."""

    events: int = 0
    newest: Anchor | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    anchor_path: Path | None = None  # for the operator; the messages leave it out, as pages show them

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
    """The chain as read oldest first: the event problems found on the way, in the order of the events."""

    events: int = 0
    newest: Anchor | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)
    # (event id, id of the event before it, the hash it links to) for every link that is broken
    broken_links: list[tuple[int, int | None, str]] = field(default_factory=list)
    hash_of: dict[int, str] = field(default_factory=dict)  # only for the ids asked for


def _walk(watched_ids: set[int]) -> _Walk:
    walk = _Walk()
    previous_hash, previous_id = "", None
    previous_recomputed = ""  # the hash the event before should have, from its own content
    previous_changed = None  # index in walk.problems of the "content changed" of the event before
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=CHUNK):
        walk.events += 1
        own = _content_hash(event, event.previous_hash)
        changed = None
        if event.previous_hash != previous_hash:
            if previous_changed is not None and event.previous_hash == previous_recomputed:
                # This event still follows the one before, as that one was written: only the stored
                # hash of the one before was overwritten.
                walk.problems[previous_changed] = (
                    previous_id,
                    _("event %(id)s: its hash was changed after it was written") % {"id": previous_id},
                )
            elif own != event.hash and _content_hash(event, previous_hash) == event.hash:
                walk.problems.append(
                    (event.id, _("event %(id)s: its link to the event before it was changed") % {"id": event.id})
                )
                own = event.hash
            else:
                walk.broken_links.append((event.id, previous_id, event.previous_hash))
        if own != event.hash:
            changed = len(walk.problems)
            walk.problems.append(
                (event.id, _("event %(id)s: its content was changed after it was written") % {"id": event.id})
            )
        if event.id in watched_ids:
            walk.hash_of[event.id] = event.hash
        previous_hash, previous_id, previous_recomputed, previous_changed = event.hash, event.id, own, changed
    if previous_id is not None:
        walk.newest = Anchor(previous_id, previous_hash)
    return walk


def _link_problems(broken_links: list[tuple[int, int | None, str]]) -> list[tuple[int, str]]:
    """Name each broken link: the hash it links to belongs to another event (out of order), or to no
    event at all (the events between were deleted)."""
    wanted = [link for _event, _before, link in broken_links if link]
    owner: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        owner.update(AuditEvent.objects.filter(hash__in=wanted[start : start + 500]).values_list("hash", "id"))
    problems = []
    for event_id, before_id, link in broken_links:
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
        problems.append((event_id, message))
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
    newest_id = walk.newest.event_id if walk.newest else 0
    if head and AuditEvent.objects.filter(hash=head, id__gt=newest_id).exists():
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
    if anchor.event_id > walk.newest.event_id:
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


def verify_trail() -> Verification:
    """Walk the whole chain, oldest first, then compare its end with the head row and the anchor.

    Each changed, deleted or reordered event is named. The walk streams the events, so any length of
    trail fits in memory, but it reads all of them: run it from the command or on request, not on
    every page. Writers may carry on meanwhile: the anchor and head are read before the walk, so they
    name events the walk must find, and events committed during it are not counted as problems."""
    path = anchor_path()
    anchor, outside = None, None
    try:
        anchor = read_anchor(path)
    except UnreadableAnchor as error:
        outside = _("the anchor file cannot be read: %(error)s") % {"error": error}
    head_before = _head_hash()
    walk = _walk({anchor.event_id} if anchor else set())
    verification = Verification(events=walk.events, newest=walk.newest, anchor_path=path)
    problems = sorted(walk.problems + _link_problems(walk.broken_links), key=lambda problem: problem[0])
    verification.problems = [message for _event, message in problems]
    if anchor is not None:
        outside = _anchor_problem(anchor, walk)
    elif outside is None:
        verification.warnings.append(
            _(
                "no anchor file: the newest event could not be checked against storage outside the database "
                "(a new installation has none until its first event is written)"
            )
        )
    verification.problems += [problem for problem in (_head_problem(head_before, walk), outside) if problem]
    return verification


def verify_chain() -> list[str]:
    """The problems `verify_trail` finds; empty when the trail is intact (warnings are left out)."""
    return verify_trail().problems


def export_events(filters: AuditFilters, *, actor, source: str) -> QuerySet:
    """The events matching the filters, oldest first, as they stand now. Reading the trail is a
    sensitive read, so the export is recorded in the trail first, with the filters and the number of
    events; it is not part of its own export."""
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
