"""The anchor: the newest event's id and hash, kept in a file outside the database.

Someone who can write to the database can change an event and compute every later hash again, head
included, so the chain alone would still verify. The anchor is the copy they cannot reach from the
database: `verify_trail` compares the chain with it. The anchor is moved after each commit, and only
along the chain: it never leaves an event for one that does not follow from it, so deleting the newest
events and carrying on writing cannot move the anchor past the gap.

The file is ICIHUB_AUDIT_ANCHOR when that setting is given, else VAR_DIR/audit-anchor. One small JSON
object, replaced atomically; a lock file next to it keeps two processes from moving it at once. It is
moved by sealing (audit/sealing.py), in the background, never on a request's path.
"""

import datetime
import fcntl
import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings


class UnreadableAnchor(Exception):
    """The anchor file is there but is not an anchor (damaged, or not written by icihub)."""


@dataclass(frozen=True)
class Anchor:
    """An event named by its id and hash (which identify it), and its place in the chain."""

    event_id: int
    hash: str
    # Anchors written before events had a place of their own were in id order, which was their place.
    seq: int | None = field(default=None, compare=False)

    @property
    def place(self) -> int:
        return self.seq if self.seq is not None else self.event_id


def anchor_path() -> Path:
    configured = getattr(settings, "ICIHUB_AUDIT_ANCHOR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "audit-anchor"


def read_anchor(path: Path | None = None) -> Anchor | None:
    """The anchor in the file; None when there is no file; UnreadableAnchor when it is damaged."""
    path = path or anchor_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UnreadableAnchor(error.strerror or error.__class__.__name__) from None
    try:
        data = json.loads(text)
        event_id = int(data["event_id"])
        anchor = Anchor(event_id=event_id, hash=str(data["hash"]), seq=int(data.get("seq", event_id)))
    except (ValueError, KeyError, TypeError) as error:
        raise UnreadableAnchor(f"not an audit anchor ({error.__class__.__name__})") from None
    if len(anchor.hash) != 64:
        raise UnreadableAnchor("not an audit anchor (the hash is not 64 characters)")
    return anchor


def write_anchor(anchor: Anchor, path: Path | None = None) -> None:
    """Replace the anchor file in one step: a reader sees the old anchor or the new, never half."""
    path = path or anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    content = json.dumps(
        {
            "event_id": anchor.event_id,
            "seq": anchor.place,
            "hash": anchor.hash,
            "written_at": datetime.datetime.now(datetime.UTC).isoformat(),
        }
    )
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(content + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def locked(path: Path):
    """One process at a time moves the anchor (reading it, checking the chain, replacing it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
