"""The audit trail as CSV, one line at a time, for the staff page's download and `icihub audit export`.

Times are in UTC, written as they are hashed; before and after are JSON. With previous_hash and hash
each line can be checked against the next. Cells that a spreadsheet would run as a formula are
prefixed with an apostrophe."""

import csv
import datetime
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder

from icihub.audit.models import AuditEvent
from icihub.catalogue.transfer import safe_for_spreadsheets

COLUMNS = (
    "id",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "source",
    "before",
    "after",
    "previous_hash",
    "hash",
)


def compact_json(value) -> str:
    """Before and after as JSON on one line, keys sorted, Arabic left readable; empty for none."""
    if value is None:
        return ""
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def event_row(event: AuditEvent) -> list[str]:
    return [
        str(event.id),
        event.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        event.actor_name,
        event.action,
        event.object_type,
        event.object_id,
        event.source,
        compact_json(event.before),
        compact_json(event.after),
        event.previous_hash,
        event.hash,
    ]


class _Line:
    """What csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The heading, then one line per event; pass a queryset's .iterator() to stream a long trail."""
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for event in events:
        yield writer.writerow(safe_for_spreadsheets(event_row(event)))
