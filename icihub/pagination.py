"""Pagination of lists that can be deep (a decade of nominations, every person on record).

Pages use keyset ("seek") pagination: a page is "the next N rows after this one in the list's order",
found through the index that backs the order, so page 40,000 costs what page 1 costs and no total is
counted. The cursor in the address is the last (or first) row's sort key, opaque to the reader.
The API lists that can be deep use DRF's CursorPagination, the same idea (`NewestFirst`, `ByName`).

An order must end with a unique field (the id), so no two rows tie and no row is shown twice or lost
between pages; every field of it goes the same way (all ascending or all descending), as the index
that backs it is read one way."""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from rest_framework.pagination import CursorPagination

PAGE_SIZE = 25


class NewestFirst(CursorPagination):
    """API lists by time of submission, newest first (an index on (…, submitted_at, id) backs it)."""

    ordering = ("-submitted_at", "-id")
    page_size = PAGE_SIZE


class ByName(CursorPagination):
    """API lists of persons by family name, then given names (indexes on (…, family_name, given_names, id))."""

    ordering = ("family_name", "given_names", "id")
    page_size = PAGE_SIZE


@dataclass
class KeysetPage:
    """One page of a keyset-paginated list: its rows and the cursors of the pages beside it."""

    rows: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    is_first: bool = field(default=True)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def keyset_page(queryset, ordering: tuple[str, ...], cursor: str | None, size: int = PAGE_SIZE) -> KeysetPage:
    """The page of `queryset` in `ordering` that `cursor` points to (None, or a cursor that cannot be
    read: the first page)."""
    descending = ordering[0].startswith("-")
    if any(name.startswith("-") != descending for name in ordering):
        raise ValueError("Every field of a keyset order goes the same way.")
    names = [name.lstrip("-") for name in ordering]
    key, backwards = _decode(cursor, queryset.model, names)
    forwards_descending = descending != backwards
    if key is not None:
        queryset = queryset.filter(_beyond(names, key, descending=forwards_descending))
    direction = "-" if forwards_descending else ""
    rows = list(queryset.order_by(*(direction + name for name in names))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = more if not backwards else True
    has_previous = key is not None if not backwards else more
    return KeysetPage(
        rows=rows,
        next_cursor=_encode(rows[-1], names, backwards=False) if rows and has_next else None,
        previous_cursor=_encode(rows[0], names, backwards=True) if rows and has_previous else None,
        is_first=not has_previous,
    )


def _beyond(names: list[str], key: list, *, descending: bool) -> Q:
    """Rows strictly after `key` in the order. The first field's bound (>= or <=) comes first and on
    its own, so the database starts its index scan at the key instead of filtering from the start."""
    step = "lt" if descending else "gt"
    alternatives = Q()
    for position, name in enumerate(names):
        equal = {earlier: key[index] for index, earlier in enumerate(names[:position])}
        alternatives |= Q(**equal, **{f"{name}__{step}": key[position]})
    return Q(**{f"{names[0]}__{step}e": key[0]}) & alternatives


def _encode(row, names: list[str], *, backwards: bool) -> str:
    values = []
    for name in names:
        value = getattr(row, name)
        values.append(value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value)
    text = json.dumps({"key": values, "back": backwards}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str | None, model, names: list[str]) -> tuple[list | None, bool]:
    """(key, backwards) of a cursor; (None, False) for none, or for one that was not ours."""
    if not cursor:
        return None, False
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values, backwards = data["key"], bool(data["back"])
        if len(values) != len(names):
            return None, False
        key = [model._meta.get_field(name).to_python(value) for name, value in zip(names, values, strict=True)]
    except (binascii.Error, ValueError, TypeError, KeyError, ValidationError):
        return None, False
    if any(value is None for value in key):
        return None, False
    return key, backwards
