"""How an event is hashed into the chain: pure functions over its stored fields, shared by sealing
(which links events) and verification (which checks the links)."""

import datetime
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

HASHED_FIELDS = ("at", "actor_name", "action", "object_type", "object_id", "before", "after", "source")


def canonical(fields: dict) -> dict:
    """Round-trip through JSON so what is stored and what is hashed are exactly the same values.
    The time is written with all its microseconds in UTC, as both databases keep it."""
    at = fields["at"].astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {**json.loads(json.dumps({**fields, "at": None}, cls=DjangoJSONEncoder, ensure_ascii=False)), "at": at}


def digest(previous_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(f"{previous_hash}\n{payload}".encode()).hexdigest()


def content_hash(event, previous_hash: str) -> str:
    """The hash the event has when it follows `previous_hash`, from its content as stored."""
    return digest(previous_hash, canonical({name: getattr(event, name) for name in HASHED_FIELDS}))
