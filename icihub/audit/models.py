"""The audit trail: an append-only, hash-chained record of every state change.

Writers only insert events; a sealing step (audit/sealing.py) links them into the chain afterwards,
giving each its place (`seq`) and hashes, so that writers never wait for one another."""

from django.conf import settings
from django.db import models


class AuditHead(models.Model):
    """One row holding the place and hash of the newest sealed event. Only sealing locks it, so the
    chain never forks; the writers of events never touch it."""

    last_hash = models.CharField(max_length=64, default="")
    last_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit head {self.last_hash[:12]}"


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="Kept when the user is gone.")
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    source = models.CharField(max_length=20, help_text="web, api, import, admin, command")
    # Set by sealing, NULL until then (not "": the unique constraints must let many events wait): the
    # event's place in the chain and its links.
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    previous_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["previous_hash"], name="audit_chain_does_not_fork"),
        ]
        indexes = [
            # Sealing looks for the events not yet in the chain: a handful, however long the trail.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_event_unsealed"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type} {self.object_id}"

    @property
    def sealed(self) -> bool:
        return self.seq is not None
