"""Backup and restore of a centre, on SQLite and PostgreSQL alike.

A backup is one .tar.gz file:
- `data.json`: every row of every icihub table (Django's serialised form, with natural keys for
  content types and permissions, times to the microsecond), read in ONE transaction, so the snapshot
  is consistent even while the centre works (PostgreSQL: REPEATABLE READ; SQLite: one read
  transaction);
- `manifest.json`: when, from which database engine, icihub's migrations, the row count of each table,
  the audit trail's newest event and hash, and where the signing keys live with their ids;
- `keys/`: the certificate signing keys, only with `--include-keys` (they are secret: keep such a
  backup as carefully as the keys themselves). Without them the manifest says where they are and
  which ids the certificates need, so they can be backed up separately.

A restore goes into a new database (no users yet; or, with `--replace`, one it empties), migrates it, loads
the rows in one transaction, checks every table's count against the manifest and the audit trail's
chain, and only then commits: a restore that fails half-way leaves nothing. Because the rows are
Django's portable form, a SQLite backup restores into PostgreSQL and back. The reports' summary of each
run is not in the file: the restore makes it again from the restored rows."""

import datetime
import gzip
import io
import json
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
# Tables that are not the centre's data: rebuilt by migrate, or only meaningful on the running server.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "accounts.usersession"}
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
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counts, rows = {}, []
        for model in _models():
            objects = model._default_manager.order_by("pk")
            counts[model._meta.label_lower] = objects.count()
            rows.extend(objects)
        data = json.dumps(
            serializers.serialize("python", rows, use_natural_foreign_keys=True),
            cls=_ExactEncoder,
            ensure_ascii=False,
        )
        manifest = {
            "format": FORMAT,
            "made_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": _migrations(),
            "counts": counts,
            "audit": _audit_head(),
            "keys": {**_key_note(), "included": include_keys},
        }
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    with tarfile.open(partial, "w:gz") as archive:
        _add(archive, "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode())
        _add(archive, "data.json", data.encode())
        if include_keys:
            for path in sorted(Path(settings.ICIHUB_KEY_DIR).glob("*")):
                if path.is_file():
                    archive.add(path, arcname=f"keys/{path.name}")
    partial.replace(output)  # a backup killed half-way leaves no file that looks whole
    return manifest


class _ExactEncoder(DjangoJSONEncoder):
    """Django's JSON encoder keeps times to the millisecond; a backup keeps them to the microsecond, as
    the database does (the audit trail's hashes cover the exact time)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _add(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(content))


def _migrations() -> dict:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app.startswith("icihub") or apps.is_installed(f"icihub.{app}"):
            latest[app] = max(latest.get(app, ""), name)
    return latest


def read(path: Path) -> tuple[dict, str, dict[str, bytes]]:
    """(manifest, data, key files) of a backup file."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = json.loads(archive.extractfile("manifest.json").read())
            data = archive.extractfile("data.json").read().decode()
            keys = {
                Path(member.name).name: archive.extractfile(member).read()
                for member in archive.getmembers()
                if member.isfile() and member.name.startswith("keys/") and "/" not in member.name[5:]
            }
    except (OSError, tarfile.TarError, KeyError, AttributeError, gzip.BadGzipFile, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not an icihub backup ({error.__class__.__name__}: {error}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of format {manifest.get('format')}; this icihub reads {FORMAT}.")
    return manifest, data, keys


def restore(path: Path, *, replace: bool = False) -> dict:
    """Restore a backup into this database (empty, or emptied with `replace`); returns the manifest."""
    from icihub.audit.anchor import Anchor, write_anchor
    from icihub.audit.models import AuditEvent
    from icihub.audit.services import verify_chain

    manifest, data, keys = read(path)
    call_command("migrate", verbosity=0)
    users = _count("accounts.user")
    if users and not replace:
        raise BackupError(
            f"The database already holds a centre ({users} users); restore into a new database, or give "
            "--replace to empty this one first."
        )
    with transaction.atomic():
        _empty()  # also what a new database's migrations put in (the default questionnaires)
        # As loaddata does: rows come table by table, so foreign keys are checked once all are in.
        with connection.constraint_checks_disabled():
            waiting = []  # rows naming (by natural key) a row that comes later in the file
            for obj in serializers.deserialize("python", json.loads(data), handle_forward_references=True):
                obj.save()
                if obj.deferred_fields:
                    waiting.append(obj)
            for obj in waiting:
                obj.save_deferred_fields()
        connection.check_constraints(table_names=[model._meta.db_table for model in _models()])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(_no_style(), list(_models())):
                cursor.execute(statement)
        wrong = {
            label: (expected, _count(label))
            for label, expected in manifest["counts"].items()
            if _count(label) != expected
        }
        if wrong:
            raise BackupError(f"Restored counts differ from the backup's: {wrong}; nothing was restored.")
        from icihub.reports import summary

        summary.rebuild()  # the reports' summary, made from the restored rows
        # The anchor outside the database follows the restored trail from now on (put back as it was
        # if the restore fails), and the trail must verify against it.
        previous_anchor = read_anchor_or_none()
        newest = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()
        if newest is not None:
            write_anchor(Anchor(event_id=newest.id, hash=newest.hash, seq=newest.seq))
        problems = verify_chain()
        if problems:
            _put_back(previous_anchor)
            raise BackupError(f"The restored audit trail does not verify: {problems[:3]}; nothing was restored.")
    _restore_keys(keys)
    _record(manifest)
    return manifest


def read_anchor_or_none():
    from icihub.audit.anchor import UnreadableAnchor, read_anchor

    try:
        return read_anchor()
    except UnreadableAnchor:
        return None


def _put_back(anchor) -> None:
    from icihub.audit.anchor import anchor_path, write_anchor

    if anchor is None:
        anchor_path().unlink(missing_ok=True)
    else:
        write_anchor(anchor)


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


def _empty() -> None:
    """Delete every row of the centre's tables, children first (the restore's transaction undoes it
    if anything fails)."""
    tables = [model._meta.db_table for model in _models(derived=True)]
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
