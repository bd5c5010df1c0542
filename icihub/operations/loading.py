"""Loading a backup's rows into the database in bulk: the restore's inner loop (backup.py).

Rows come in the file's order, a table at a time, and go in BATCH at a time: one INSERT of many rows
per batch (as many as the database takes in one statement), and one for the batch's many-to-many
links, instead of an UPDATE and an INSERT for every row and every link as Django's loaddata does (13
times as long as the backup took, issue 16). Natural keys (users, groups) are looked up in what the
file itself holds, content types and permissions once each: not a query a row.

The rows go in raw, as loaddata's do: no `save()`, no signals, no field's `pre_save`, so an `auto_now`
time keeps the backed-up value instead of the restore's. This is deliberate, and nothing relies on
them: icihub's models have no `save()` of their own; the two signal receivers are django-tasks-db's
`pre_save` (it fills `run_after` only when it is empty, and a backed-up row has it already) and
`accounts.security._deactivated` (it ends the sessions of a deactivated user; a restore ends every
session of the database it replaces, backup._empty). The audit trail is not written row by row
either: the restored events carry their chain, which the restore verifies before it commits."""

import itertools
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers import base, python
from django.db import connection, models

# Rows deserialised and inserted together: memory holds one batch, not the table.
BATCH = 2000


def check(row, restorable: dict[str, type[models.Model]], natural_keys: dict) -> str | None:
    """What is wrong with a row of the file, in words, or None; notes the natural key of a user's or
    group's row so that rows naming it, even before it, find it."""
    if not isinstance(row, dict) or not isinstance(row.get("fields"), dict) or "pk" not in row:
        return f"not a row: {str(row)[:80]}"
    model = restorable.get(row.get("model"))
    if model is None:
        return f"no table {str(row.get('model'))[:60]} to restore into"
    for name in row["fields"]:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            return f"{model._meta.label_lower} {row['pk']}: it has no field {name[:60]}"
    if hasattr(model, "natural_key"):
        try:
            natural_keys[(model._meta.label_lower, _natural_key_of(model, row))] = model._meta.pk.to_python(row["pk"])
        except Exception as error:  # noqa: BLE001 - any value the model refuses makes the row unreadable
            return f"{model._meta.label_lower} {row['pk']}: {error}"
    return None


def _natural_key_of(model: type[models.Model], row: dict) -> tuple:
    fields = row["fields"]
    values = {
        field.attname: field.to_python(fields[field.name])
        for field in model._meta.concrete_fields
        if not field.is_relation and field.name in fields
    }
    return tuple(model(**values).natural_key())


def load(rows: Iterable[dict], natural_keys: dict) -> None:
    """Insert the rows, in their order, BATCH at a time, with their many-to-many links."""
    for _label, same_table in itertools.groupby(rows, key=lambda row: row["model"]):
        for chunk in itertools.batched(same_table, BATCH):
            objects = list(_Deserializer(chunk, natural_keys))
            model = type(objects[0].object)
            _insert(model, [deserialized.object for deserialized in objects])
            _link(model, objects)


def link_tables(model: type[models.Model]) -> list[type[models.Model]]:
    """The tables of a model's many-to-many fields that a backup holds as lists on its rows."""
    return [
        field.remote_field.through
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    # Model.save(raw=True)'s own insert (what loaddata calls a row at a time), given a batch: bulk_create
    # would run every field's pre_save, and an auto_now time would become the restore's.
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objects)))
    for batch in itertools.batched(objects, size):
        model._base_manager._insert(list(batch), fields=fields, raw=True, using=connection.alias)


def _link(model: type[models.Model], objects: list[base.DeserializedObject]) -> None:
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:  # its rows are a model of their own in the file
            continue
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        links = [
            through(**{source: deserialized.object.pk, target: pk})
            for deserialized in objects
            for pk in deserialized.m2m_data.get(field.name, ())
        ]
        through._base_manager.bulk_create(links, batch_size=BATCH)


class _Deserializer(python.Deserializer):
    """Django's deserializer, but a natural key is looked up in `natural_keys` (the file's users and
    groups, noted by `check`) or, failing that, in the database once (content types, permissions),
    instead of a query for every row that names it."""

    def __init__(self, rows, natural_keys: dict):
        super().__init__(rows)
        self.natural_keys = natural_keys

    def _pk_of(self, model: type[models.Model], key) -> object:
        name = (model._meta.label_lower, tuple(key))
        if name not in self.natural_keys:
            self.natural_keys[name] = model._default_manager.get_by_natural_key(*key).pk
        return self.natural_keys[name]

    @staticmethod
    def _is_natural_key(model: type[models.Model], value) -> bool:
        return hasattr(model._default_manager, "get_by_natural_key") and isinstance(value, list | tuple)

    def _handle_fk_field_node(self, field, field_value):
        model = field.remote_field.model
        if self._is_natural_key(model, field_value) and field.remote_field.field_name == model._meta.pk.name:
            return self._pk_of(model, field_value)
        return super()._handle_fk_field_node(field, field_value)

    def _handle_m2m_field_node(self, field, field_value):
        model = field.remote_field.model
        try:
            return [
                self._pk_of(model, value) if self._is_natural_key(model, value) else model._meta.pk.to_python(value)
                for value in field_value
            ]
        except Exception as error:  # noqa: BLE001 - reported as the row's, as Django's deserializer does
            raise base.M2MDeserializationError(error, field_value) from error
