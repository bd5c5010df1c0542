"""The audit trail: an append-only, hash-chained record of every state change."""

from django.conf import settings
from django.db import models


class AuditHead(models.Model):
    """One row holding the hash of the newest event. Writers lock it, so the chain never forks."""

    last_hash = models.CharField(max_length=64, default="")

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
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["previous_hash"], name="audit_chain_does_not_fork"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type} {self.object_id}"
