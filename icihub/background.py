"""Work handed to the background once the transaction that asked for it commits: with
ICIHUB_BACKGROUND=worker, a task of Django's Tasks framework that an `icihub db_worker` process runs;
with `thread` (the default, for one machine without a worker), a thread of this process."""

import contextlib
import json
import os
import socket
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction


def after_commit(task, job, run_id: int) -> None:
    """Run `job(run_id)` in the background after the commit: as `task` (whose body calls `job`) on a
    worker, or in a daemon thread that closes its own database connection when done."""
    if settings.ICIHUB_BACKGROUND == "worker":
        transaction.on_commit(lambda: task.enqueue(run_id))
    else:
        transaction.on_commit(lambda: threading.Thread(target=_in_thread, args=(job, run_id), daemon=True).start())


def _in_thread(job, run_id: int) -> None:
    try:
        job(run_id)
    finally:
        connection.close()


HEARTBEAT_SECONDS = 5
# A running job whose heartbeat is older than this is dead: its process was killed.
HEARTBEAT_LOST_SECONDS = 45


def _started(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot, from /proc), or None where unknown; a pid
    reused by a later process has another start time."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def owner_gone(owner_file: Path) -> bool:
    """Whether the process named in `owner_file` (written by `heartbeat`) ran on this machine and is
    no more: then its run is dead now, without waiting for its heartbeat to age. False when the file is
    missing or names another machine (the heartbeat decides then)."""
    try:
        owner = json.loads(owner_file.read_text())
    except (OSError, ValueError):
        return False
    if owner.get("host") != socket.gethostname():
        return False
    pid = owner.get("pid")
    if not isinstance(pid, int) or not _alive(pid):
        return True
    started = _started(pid)
    return started is not None and owner.get("started") not in (None, started)


@contextlib.contextmanager
def heartbeat(model, pk: int, owner_file: Path, every: float = HEARTBEAT_SECONDS):
    """While the block runs, name this process (host, pid, its start time) in `owner_file` and touch
    `model` row `pk`'s `updated_at` every `every` seconds from a daemon thread. A run killed on this
    machine is then seen dead at once (`owner_gone`); one killed elsewhere once its heartbeat is older
    than HEARTBEAT_LOST_SECONDS, even while a live run is busy with one slow step."""
    from django.utils import timezone

    owner_file.parent.mkdir(parents=True, exist_ok=True)
    pid = os.getpid()
    owner_file.write_text(json.dumps({"host": socket.gethostname(), "pid": pid, "started": _started(pid)}))
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                model.objects.filter(pk=pk).update(updated_at=timezone.now())
        finally:
            connection.close()

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        owner_file.unlink(missing_ok=True)
