"""Writes to reference data: frameworks, nations, organisations and points of contact.
Each is checked in full (field rules and constraints), saved and audited in one transaction."""

from django.db import transaction
from django.forms.models import model_to_dict

from icihub.accounts import policy
from icihub.audit.services import record

NEVER_AUDITED = {"password"}


def _state(instance) -> dict:
    return {
        key: value
        for key, value in model_to_dict(instance).items()
        if key not in NEVER_AUDITED and not isinstance(value, list)
    }


@transaction.atomic
def save_reference(*, actor, instance, source: str):
    """Create or update one reference-data record (already given its new values)."""
    creating = instance._state.adding
    policy.require(actor, "reference", "create" if creating else "edit")
    before = None if creating else _state(type(instance).objects.get(pk=instance.pk))
    instance.full_clean()
    instance.save()
    after = _state(instance)
    if before != after:
        label = instance._meta.model_name
        record(
            actor=actor,
            action=f"{label}.{'created' if creating else 'updated'}",
            obj=instance,
            before=before,
            after=after,
            source=source,
        )
    return instance


@transaction.atomic
def delete_reference(*, actor, instance, source: str) -> None:
    policy.require(actor, "reference", "delete")
    record(
        actor=actor,
        action=f"{instance._meta.model_name}.deleted",
        obj=instance,
        before=_state(instance),
        after=None,
        source=source,
    )
    instance.delete()
