"""Reading the audit trail: the filters staff narrow it with, shared by the page, its CSV export and
the `audit export` command."""

import datetime
from dataclasses import asdict, dataclass

from django.db.models import QuerySet

from icihub.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    """Empty text or None means "any". Dates are UTC dates, both ends included."""

    action: str = ""  # a prefix: "nomination." finds every nomination event
    actor: str = ""  # a user name, as recorded
    object_type: str = ""  # a model label, as recorded: "nominations.Nomination"
    object_id: str = ""
    source: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None

    def as_dict(self) -> dict[str, str]:
        """The filters given, as text: what an export records about itself."""
        return {name: str(value) for name, value in asdict(self).items() if value not in ("", None)}


def _utc_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def events_matching(filters: AuditFilters) -> QuerySet:
    """The events that pass every filter given, in no particular order."""
    events = AuditEvent.objects.all()
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.actor:
        events = events.filter(actor_name__iexact=filters.actor)
    if filters.object_type:
        events = events.filter(object_type__iexact=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.source:
        events = events.filter(source=filters.source)
    if filters.since:
        events = events.filter(at__gte=_utc_midnight(filters.since))
    if filters.until:
        events = events.filter(at__lt=_utc_midnight(filters.until + datetime.timedelta(days=1)))
    return events
