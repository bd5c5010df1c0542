"""Backup and restore of a centre, on SQLite and PostgreSQL alike.

A backup is one .tar.gz file:
- `manifest.json` (first): when, from which database engine, icihub's migrations, the row count of each
  table, the SHA-256 of the data, the audit trail's newest event and hash, and where the signing keys
  live with their ids;
- `data.jsonl`: every row of every icihub table, one a line (Django's serialised form, with natural keys
  for users, groups, content types and permissions, times to the microsecond), read in ONE transaction,
  so the snapshot is consistent even while the centre works (PostgreSQL: REPEATABLE READ; SQLite: one
  read transaction). It is written and read a chunk of rows at a time: neither command holds a big
  table in memory. Backups of format 1 (all rows as one JSON list, `data.json`) still restore;
- `keys/`: the certificate signing keys, only with `--include-keys` (they are secret: keep such a
  backup as carefully as the keys themselves). Without them the manifest says where they are and
  which ids the certificates need, so they can be backed up separately.

A restore reads the whole file once before it changes anything (checksum, every row readable, the
counts its manifest gives), then goes into a new database (no users yet; or, with `--replace`, one it
empties, ending its sessions), migrates it, loads the rows in bulk in one transaction (loading.py),
checks every table's count against the manifest and the audit trail's chain, and only then commits: a
restore that fails half-way leaves nothing. Because the rows are Django's portable form, a SQLite backup restores into
PostgreSQL and back. The reports' summary of each run is not in the file: the restore makes it again
from the restored rows. Backups made before issue 16 hold API tokens and recovery codes in clear, in
tables no longer installed; upgrade.py turns those rows into today's digests as they are read."""

import datetime
import gzip
import hashlib
import io
import itertools
import json
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icihub.operations import loading, upgrade

FORMAT = 2
# The part holding the rows, by format: 1 wrote them as one JSON list, 2 writes one row a line.
DATA = {1: "data.json", 2: "data.jsonl"}
# Rows read from the database, serialised and written per round trip.
CHUNK = 2000
# Tables that are not the centre's data: rebuilt by migrate, or only meaningful on the running server.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "accounts.usersession"}
# The sessions of the replaced database's users: emptied by a restore, since those users are replaced.
SESSIONS = ("sessions.session", "accounts.usersession")
# Tables made from the others (the reports' summary of each run): not in the file, emptied and made
# again from the restored rows by the restore.
DERIVED = {"reports.changedrun", "reports.runfigures"}


class BackupError(Exception):
    """A backup file that cannot be restored here: the message says why."""


def _models(*, derived: bool = False):
    for model in apps.get_models():
        if model._meta.label_lower in SKIPPED or model._meta.proxy or not model._meta.managed:
            continue
        if model._meta.label_lower in DERIVED and not derived:
            continue
        yield model


def _key_note() -> dict:
    directory = Path(settings.ICIHUB_KEY_DIR)
    ids = sorted(path.stem for path in directory.glob("*.pem")) if directory.is_dir() else []
    return {"directory": str(directory), "key_ids": ids}


def _audit_head() -> dict:
    from icihub.audit.models import AuditEvent

    newest = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values("id", "hash").first()
    return {"event_id": newest["id"], "hash": newest["hash"]} if newest else {"event_id": None, "hash": None}


def create(output: Path, *, include_keys: bool = False) -> dict:
    """Write a backup to `output`; returns its manifest."""
    from icihub.audit.sealing import seal

    seal()  # the manifest names the newest event of the chain: link what is committed first
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=output.parent, prefix=".icihub-backup-") as data:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            counts, checksum = _write_rows(data)
            manifest = {
                "format": FORMAT,
                "made_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": _migrations(),
                "counts": counts,
                "data_sha256": checksum,
                "audit": _audit_head(),
                "keys": {**_key_note(), "included": include_keys},
            }
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            _add(archive, "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode())
            _add(archive, DATA[FORMAT], data, size=data.tell())
            if include_keys:
                for path in sorted(Path(settings.ICIHUB_KEY_DIR).glob("*")):
                    if path.is_file():
                        archive.add(path, arcname=f"keys/{path.name}")
    partial.replace(output)  # a backup killed half-way leaves no file that looks whole
    return manifest


def _write_rows(out: BinaryIO) -> tuple[dict[str, int], str]:
    """Every row of every table, one JSON line each, CHUNK rows at a time; (count of each table, SHA-256)."""
    counts, digest = {}, hashlib.sha256()
    for model in _models():
        counts[model._meta.label_lower] = 0
        # The users (or groups, content types) a row names go in by natural key: read with the row, not
        # a query each.
        named = [column.name for column in model._meta.concrete_fields if hasattr(column.related_model, "natural_key")]
        rows = model._default_manager.order_by("pk")
        rows = (rows.select_related(*named) if named else rows).iterator(chunk_size=CHUNK)
        for chunk in itertools.batched(rows, CHUNK):
            lines = "".join(
                json.dumps(row, cls=_ExactEncoder, ensure_ascii=False) + "\n"
                for row in serializers.serialize("python", chunk, use_natural_foreign_keys=True)
            ).encode()
            digest.update(lines)
            out.write(lines)
            counts[model._meta.label_lower] += len(chunk)
    return counts, digest.hexdigest()


class _ExactEncoder(DjangoJSONEncoder):
    """Django's JSON encoder keeps times to the millisecond; a backup keeps them to the microsecond, as
    the database does (the audit trail's hashes cover the exact time)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _add(archive: tarfile.TarFile, name: str, content: bytes | BinaryIO, *, size: int | None = None) -> None:
    """Add `content` (bytes, or a file of `size` bytes, read from its start) as `name`."""
    info = tarfile.TarInfo(name)
    if isinstance(content, bytes):
        content, size = io.BytesIO(content), len(content)
    content.seek(0)
    info.size = size
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, content)


def _migrations() -> dict:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app.startswith("icihub") or apps.is_installed(f"icihub.{app}"):
            latest[app] = max(latest.get(app, ""), name)
    return latest


@dataclass
class Backup:
    """A backup file, read through once and found whole (`read`); `rows()` streams its rows again."""

    path: Path
    manifest: dict
    keys: dict[str, bytes] = field(default_factory=dict)
    # The primary key of each row that others name by natural key (users, groups), from the file itself:
    # a row may name a user whose row comes later.
    natural_keys: dict = field(default_factory=dict)
    sha256: str = ""

    @property
    def data_name(self) -> str:
        return DATA[self.manifest["format"]]

    def rows(self) -> Iterator[dict]:
        """The rows again, a line at a time; BackupError at the end if they are not those `read` checked
        (the file changed in between): the restore's transaction then undoes what was loaded."""
        digest = hashlib.sha256()
        try:
            with tarfile.open(self.path, "r|gz") as archive:
                for member in archive:
                    if member.name == self.data_name:
                        older = upgrade.Upgrader()
                        rows = _parse(_hashed(archive.extractfile(member), digest), self.manifest["format"])
                        yield from map(older.row, rows)
                        break
        except (EOFError, zlib.error, gzip.BadGzipFile, tarfile.TarError, OSError) as error:
            raise BackupError(_damaged(self.path, error)) from None
        if digest.hexdigest() != self.sha256:
            raise BackupError(
                _("%(path)s changed while it was being restored. Nothing was restored.") % {"path": self.path}
            )


def read(path: Path) -> Backup:
    """The backup at `path`, read through once (a chunk at a time: memory stays flat) and checked before
    anything is changed, or BackupError saying in words what is wrong with it: missing, cut short, not
    gzip, not a backup, of another format, or damaged (its data does not match the checksum its manifest
    holds, a row cannot be read, or the rows are not those its manifest counts)."""
    try:
        with tarfile.open(path, "r|gz") as archive:
            backup = Backup(path, _manifest(path, archive))
            found, counts, problem = _read_through(backup, archive)
    except FileNotFoundError:
        raise BackupError(_("%(path)s: there is no such file.") % {"path": path}) from None
    except (EOFError, zlib.error, gzip.BadGzipFile, tarfile.TarError, OSError) as error:
        raise BackupError(_damaged(path, error)) from None
    if not found:
        raise BackupError(_damaged(path, tarfile.TarError(_("it holds no %(name)s") % {"name": backup.data_name})))
    checksum = backup.manifest.get("data_sha256")  # backups made before it was added have none
    if checksum is not None and backup.sha256 != checksum:
        raise BackupError(
            _("%(path)s is damaged: its data does not match the checksum its manifest holds.") % {"path": path}
        )
    if problem:
        raise BackupError(
            _("%(path)s is damaged: a row cannot be read (%(error)s). Nothing was restored.")
            % {"path": path, "error": problem}
        )
    expected = Counter({label: count for label, count in backup.manifest["counts"].items() if count})
    if counts != expected:
        wrong = {
            label: (expected[label], counts[label])
            for label in sorted(expected.keys() | counts.keys())
            if expected[label] != counts[label]
        }
        raise BackupError(
            f"{path} is damaged: its rows' counts differ from its manifest's (manifest, file): {wrong}. "
            "Nothing was changed."
        )
    return backup


def _manifest(path: Path, archive: tarfile.TarFile) -> dict:
    """The manifest, the archive's first part."""
    member = archive.next()
    if member is None or member.name != "manifest.json":
        raise tarfile.TarError(_("it holds no %(name)s") % {"name": "manifest.json"})
    try:
        manifest = json.loads(archive.extractfile(member).read())
    except (ValueError, UnicodeDecodeError):
        manifest = None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("counts"), dict):
        raise BackupError(_("%(path)s is not an icihub backup: its manifest cannot be read.") % {"path": path})
    if manifest.get("format") not in DATA:
        raise BackupError(
            _("%(path)s is a backup of format %(format)s; this icihub reads format %(ours)s.")
            % {"path": path, "format": manifest.get("format"), "ours": FORMAT}
        )
    return manifest


def _read_through(backup: Backup, archive: tarfile.TarFile) -> tuple[bool, Counter, str | None]:
    """Read the rest of the archive once: the data (hashed, every row checked and counted, natural keys
    noted) and the keys. (whether the data was there, rows of each table, the first unreadable row)."""
    restorable = {model._meta.label_lower: model for model in _models()}
    found, counts, problem = False, Counter(), None
    digest = hashlib.sha256()
    for member in archive:
        if member.name == backup.data_name:
            found = True
            lines = _hashed(archive.extractfile(member), digest)
            try:
                older = upgrade.Upgrader(digests=False)
                for row in _parse(lines, backup.manifest["format"]):
                    problem = problem or loading.check(older.row(row), restorable, backup.natural_keys)
                    if problem:
                        break
                    counts[row["model"]] += 1  # as the manifest counts it, under the old label
            except (ValueError, UnicodeDecodeError) as error:
                problem = f"invalid JSON: {error}"
            for _line in lines:  # the checksum covers the rest, even past an unreadable row
                pass
        elif member.isfile() and member.name.startswith("keys/") and "/" not in member.name[5:]:
            backup.keys[member.name[5:]] = archive.extractfile(member).read()
    backup.sha256 = digest.hexdigest()
    return found, counts, problem


def _hashed(lines: BinaryIO, digest) -> Iterator[bytes]:
    for line in lines:
        digest.update(line)
        yield line


def _parse(lines: Iterator[bytes], data_format: int) -> Iterator[dict]:
    if data_format == 1:  # one JSON list: read whole, as format 1 always was
        rows = json.loads(b"".join(lines))
        if not isinstance(rows, list):
            raise ValueError("the data is not a list of rows")
        yield from rows
    else:
        for line in lines:
            yield json.loads(line)


def _damaged(path: Path, error: Exception) -> str:
    if isinstance(error, EOFError) or "unexpected end" in str(error).lower():
        reason = _("the file ends early: it was cut short (a copy or a download that did not finish?)")
    elif isinstance(error, zlib.error | gzip.BadGzipFile) or "gzip" in str(error).lower():
        reason = _("it is not a whole gzip-compressed file")
    else:
        reason = str(error)
    return _("%(path)s is not an icihub backup, or it is damaged: %(reason)s. Nothing was changed.") % {
        "path": path,
        "reason": reason,
    }


def restore(path: Path, *, replace: bool = False) -> dict:
    """Restore a backup into this database (empty, or emptied with `replace`); returns the manifest."""
    from icihub.audit.anchor import Anchor, write_anchor
    from icihub.audit.models import AuditEvent
    from icihub.audit.services import verify_trail

    backup = read(path)
    manifest = backup.manifest
    call_command("migrate", verbosity=0)
    users = _count("accounts.user")
    if users and not replace:
        raise BackupError(
            f"The database already holds a centre ({users} users); restore into a new database, or give "
            "--replace to empty this one first."
        )
    with transaction.atomic():
        _empty()  # also what a new database's migrations put in (the default questionnaires)
        try:
            # As loaddata does: foreign keys are checked once every row is in, so a row may name one that
            # comes later in the file (or itself: a nomination that replaces another).
            with connection.constraint_checks_disabled():
                loading.load(backup.rows(), backup.natural_keys)
                connection.check_constraints(table_names=_tables())
        except (serializers.base.DeserializationError, DatabaseError) as error:
            raise BackupError(
                _("%(path)s cannot be restored: a row does not fit this database (%(error)s). Nothing was restored.")
                % {"path": path, "error": error}
            ) from None
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(_no_style(), list(_models())):
                cursor.execute(statement)
        expected = Counter()
        for label, count in manifest["counts"].items():
            expected[upgrade.LABELS.get(label, label)] += count
        wrong = {label: (count, _count(label)) for label, count in expected.items() if _count(label) != count}
        if wrong:
            raise BackupError(f"Restored counts differ from the backup's: {wrong}; nothing was restored.")
        from icihub.reports import summary

        summary.rebuild()  # the reports' summary, made from the restored rows
        # The restored trail must verify on its own; the anchor outside the database follows it only once
        # it is committed, so a restore killed before its commit leaves the old database and the old
        # anchor, which agree.
        problems = verify_trail(against_anchor_file=False).problems
        if problems:
            raise BackupError(f"The restored audit trail does not verify: {problems[:3]}; nothing was restored.")
        newest = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()
    if newest is not None:
        write_anchor(Anchor(event_id=newest.id, hash=newest.hash, seq=newest.seq))
    _restore_keys(backup.keys)
    _record(manifest)
    return manifest


def _record(manifest: dict) -> None:
    """The restore itself is the restored trail's next event."""
    from icihub.audit.models import AuditHead
    from icihub.audit.services import record

    with transaction.atomic():
        head, _created = AuditHead.objects.get_or_create(pk=1)
        record(
            actor=None,
            action="operations.restored",
            obj=head,
            after={
                "made_at": manifest["made_at"],
                "database": manifest["database"],
                "rows": sum(manifest["counts"].values()),
            },
            source="command",
        )


def _count(label: str) -> int:
    try:
        model = apps.get_model(label)
    except LookupError:
        return 0
    return model._default_manager.count()


def _tables(*, derived: bool = False) -> list[str]:
    """The tables a restore fills: every model's, and those of their many-to-many fields."""
    tables = []
    for model in _models(derived=derived):
        tables.append(model._meta.db_table)
        tables += [many._meta.db_table for many in loading.link_tables(model)]
    return tables


def _empty() -> None:
    """Delete every row of the centre's tables, and the sessions of the users they replace (the
    restore's transaction undoes it if anything fails)."""
    tables = _tables(derived=True) + [apps.get_model(label)._meta.db_table for label in SESSIONS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
        else:
            cursor.execute("PRAGMA defer_foreign_keys = ON")
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608


def _no_style():
    from django.core.management.color import no_style

    return no_style()


def _restore_keys(keys: dict[str, bytes]) -> None:
    """Put the backup's keys back, never over a key file that is already there."""
    if not keys:
        return
    directory = Path(settings.ICIHUB_KEY_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, content in keys.items():
        target = directory / name
        if not target.exists():
            target.write_bytes(content)
            target.chmod(0o600)
