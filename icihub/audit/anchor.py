"""The anchor: the newest event's id and hash, kept in a file outside the database.

Someone who can write to the database can change an event and compute every later hash again, head
included, so the chain alone would still verify. The anchor is the copy they cannot reach from the
database: `verify_trail` compares the chain with it. The anchor is moved after each commit, and only
along the chain: it never leaves an event for one that does not follow from it, so deleting the newest
events and carrying on writing cannot move the anchor past the gap.

The file is ICIHUB_AUDIT_ANCHOR when that setting is given, else VAR_DIR/audit-anchor. One small JSON
object, replaced atomically; a lock file next to it keeps two processes from moving it at once.
"""

import datetime
import fcntl
import json
import logging
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("icihub.audit")


class UnreadableAnchor(Exception):
    """The anchor file is there but is not an anchor (damaged, or not written by icihub)."""


@dataclass(frozen=True)
class Anchor:
    event_id: int
    hash: str


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
        anchor = Anchor(event_id=int(data["event_id"]), hash=str(data["hash"]))
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
def _locked(path: Path):
    """One process at a time moves the anchor (reading it, checking the chain, replacing it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def advance_anchor(committed_event_id: int) -> None:
    """Move the anchor to the newest event, once `committed_event_id` is committed (run on commit).

    The anchor moves only when the events from the anchored one to the newest form an unbroken,
    unchanged chain; otherwise it stays where it is, so `verify_trail` names the gap or the rewrite.
    A failure here never undoes the change that was just committed: it is logged, and the next commit
    tries again."""
    from icihub.audit.services import unbroken_from

    path = anchor_path()
    try:
        with _locked(path):
            current = read_anchor(path)
            if current is not None and current.event_id >= committed_event_id:
                return  # a later commit has moved it already
            newest = unbroken_from(current)
            if newest is not None:
                write_anchor(newest, path)
    except UnreadableAnchor as error:
        logger.error("The audit anchor %s is damaged (%s): it is left as it is.", path, error)
    except OSError as error:
        logger.error("The audit anchor %s could not be written: %s", path, error)
