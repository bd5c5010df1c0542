"""Backup and restore: a round trip loses nothing (every row of every table, the audit chain, the
signing keys when asked), a restore refuses a database that holds a centre unless told to replace it,
a damaged or wrong backup changes nothing, and a backup restores into a new database of its own."""

import json
import os
import subprocess
import sys
import tarfile

import pytest
from django.core import serializers

from icihub import testing
from icihub.accounts.models import User
from icihub.audit.models import AuditEvent
from icihub.audit.services import verify_chain
from icihub.certificates import services as certificates
from icihub.delivery.models import Completion
from icihub.nominations import services as nominations
from icihub.operations import backup
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def centre(personas, settings, tmp_path):
    """A small centre with a nomination, a completion, a certificate (so a signing key) and its audit."""
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    iteration = testing.make_iteration(capacity=4)
    testing.seats_for(iteration, {"KWT": 2, "QAT": 1}, personas=personas)
    nomination = nominations.nominate(
        actor=personas["poc_kwt"],
        iteration=iteration,
        person_data=testing.person_data(family_name="الصباح"),
        source="test",
    )
    Iteration.objects.filter(pk=iteration.pk).update(status=Iteration.Status.COMPLETED)
    Completion.objects.create(nomination=nomination, completed=True, attendance_pct=100)
    certificates.issue(actor=personas["registrar"], nomination=nomination, source="test")
    return tmp_path


def _everything() -> list[dict]:
    rows = [obj for model in backup._models() for obj in model._default_manager.order_by("pk")]
    return sorted(
        json.loads(serializers.serialize("json", rows, use_natural_foreign_keys=True)),
        key=lambda row: (row["model"], str(row["pk"])),
    )


def test_a_round_trip_loses_nothing(centre, settings):
    before = _everything()
    path = centre / "centre.tar.gz"
    manifest = backup.create(path, include_keys=True)
    assert manifest["counts"]["certificates.certificate"] == 1 and manifest["keys"]["key_ids"]
    for key in (centre / "keys").iterdir():
        key.unlink()
    User.objects.filter(username="poc-qat").delete()  # a change after the backup, undone by the restore
    backup.restore(path, replace=True)
    restored_event = AuditEvent.objects.get(action="operations.restored")  # the restore is audited too
    assert restored_event.previous_hash == manifest["audit"]["hash"]

    def without_the_restore(rows):
        return [
            row
            for row in rows
            if row["model"] != "audit.audithead"
            and not (row["model"] == "audit.auditevent" and row["pk"] == restored_event.pk)
        ]

    after = without_the_restore(_everything())
    differ = [(b, a) for b, a in zip(without_the_restore(before), after, strict=False) if b != a]
    assert len(after) == len(without_the_restore(before)) and differ == []
    assert verify_chain() == []
    assert sorted(p.stem for p in (centre / "keys").glob("*.pem")) == manifest["keys"]["key_ids"]
    number = __import__("icihub.certificates.models", fromlist=["Certificate"]).Certificate.objects.get().number
    assert certificates.verify(number).status == "valid"  # the restored key still verifies it


def test_a_restore_refuses_a_database_that_holds_a_centre(centre):
    path = centre / "centre.tar.gz"
    backup.create(path)
    before = _everything()
    with pytest.raises(backup.BackupError, match="already holds a centre"):
        backup.restore(path)
    assert _everything() == before


def test_a_damaged_backup_changes_nothing(centre):
    path = centre / "centre.tar.gz"
    backup.create(path)
    with tarfile.open(path) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        data = archive.extractfile("data.jsonl").read()
    manifest["counts"]["nominations.nomination"] += 1  # the rows no longer match what the backup says
    damaged = centre / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as archive:
        backup._add(archive, "manifest.json", json.dumps(manifest).encode())
        backup._add(archive, "data.jsonl", data)
    before = _everything()
    with pytest.raises(backup.BackupError, match="counts differ"):
        backup.restore(damaged, replace=True)
    assert _everything() == before  # the emptying was undone with the rest
    (centre / "junk.tar.gz").write_bytes(b"not a backup")
    with pytest.raises(backup.BackupError, match="not an icihub backup"):
        backup.restore(centre / "junk.tar.gz", replace=True)


def test_the_commands_restore_into_a_new_database_of_another_process(centre):
    from django.db import connection

    path = centre / "centre.tar.gz"
    env = {
        **os.environ,
        "DATABASE_URL": testing.worker_database_url(),
        "ICIHUB_KEY_DIR": str(centre / "keys"),
        "ICIHUB_AUDIT_ANCHOR": str(centre / "new-machine-anchor"),
    }
    made = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "icihub.cli", "backup", "--output", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert made.returncode == 0 and "Backup written" in made.stdout, made.stderr
    assert "back up" in made.stdout and "separately" in made.stdout  # where the keys are, since not included
    fresh = centre / "fresh.sqlite3"
    restored = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "icihub.cli", "restore", str(path)],
        env={**env, "DATABASE_URL": f"sqlite:///{fresh}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert restored.returncode == 0 and "the audit trail verifies" in restored.stdout, restored.stderr
    counted = subprocess.run(  # noqa: S603 - our own command
        [
            sys.executable,
            "-m",
            "icihub.cli",
            "shell",
            "-c",
            "from icihub.nominations.models import Nomination as N; print(N.objects.count())",
        ],
        env={**env, "DATABASE_URL": f"sqlite:///{fresh}"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert counted.stdout.strip().splitlines()[-1] == "1", counted.stderr
    again = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "icihub.cli", "restore", str(path)],
        env={**env, "DATABASE_URL": f"sqlite:///{fresh}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode != 0 and "already holds a centre" in again.stderr
    assert connection.vendor in ("sqlite", "postgresql")
