"""Writing audit events. Every service that changes state calls `record` in its own transaction."""

import datetime
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from icihub.audit.models import AuditEvent, AuditHead

HASHED_FIELDS = ("at", "actor_name", "action", "object_type", "object_id", "before", "after", "source")


def _canonical(fields: dict) -> dict:
    """Round-trip through JSON so what is stored and what is hashed are exactly the same values.
    The time is written with all its microseconds in UTC, as both databases keep it."""
    at = fields["at"].astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {**json.loads(json.dumps({**fields, "at": None}, cls=DjangoJSONEncoder, ensure_ascii=False)), "at": at}


def _digest(previous_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(f"{previous_hash}\n{payload}".encode()).hexdigest()


def record(*, actor, action: str, obj, before=None, after=None, source: str) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change it records."""
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
    return event


def verify_chain() -> list[str]:
    """Problems found walking the chain from the first event; empty when it is intact."""
    problems = []
    previous = ""
    for event in AuditEvent.objects.order_by("id").iterator():
        fields = _canonical({name: getattr(event, name) for name in HASHED_FIELDS})
        if event.previous_hash != previous:
            problems.append(f"event {event.id}: does not follow the event before it")
        elif _digest(previous, fields) != event.hash:
            problems.append(f"event {event.id}: its content was changed after it was written")
        previous = event.hash
    return problems
