"""A restore loads its rows in bulk (issue 16): the queries it makes do not grow with the rows, many-to-many
links and a row naming another of its own table come back, a restore that fails on a late row leaves the
database and the anchor as they were, and a backup of the first format (one JSON list) still restores."""

import hashlib
import json
import tarfile

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from icihub import testing
from icihub.audit.anchor import anchor_path
from icihub.audit.services import record, verify_chain
from icihub.nominations import services as nominations
from icihub.nominations.models import Nomination, Person
from icihub.operations import backup
from icihub.operations.tests.test_backup import _everything, centre  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)  # a backup reads in a transaction of its own


def _add_people(count: int, personas) -> None:
    """`count` more persons of Kuwait, half of them with an audit event naming the registrar. Written in
    bulk: the volume is the point here, and a person nobody nominated yet is a state the product holds."""
    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(
                nation_id=personas["poc_kwt"].nation_id,
                family_name=f"Bulk {number}",
                given_names="Test",
                service="N",
                rank="OF-3",
                email=f"bulk{number}@example.kw",
            )
            for number in range(count)
        )
        for person in people[: count // 2]:
            record(actor=personas["registrar"], action="person.save", obj=person, after={"n": 1}, source="test")


def _restore_queries(path) -> int:
    with CaptureQueriesContext(connection) as queries:
        backup.restore(path, replace=True)
    return len(queries)


def _rewrite(good, folder, name: str, change) -> object:
    """A copy of the backup `good` whose rows went through `change` (a list of rows, changed in place),
    its checksum made to match, as if written so."""
    with tarfile.open(good, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        rows = [json.loads(line) for line in archive.extractfile("data.jsonl").read().splitlines()]
    change(rows, manifest)
    data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
    manifest["data_sha256"] = hashlib.sha256(data).hexdigest()
    path = folder / name
    with tarfile.open(path, "w:gz") as archive:
        backup._add(archive, "manifest.json", json.dumps(manifest).encode())
        backup._add(archive, backup.DATA[manifest["format"]], data)
    return path


def test_a_restore_makes_as_many_queries_for_thousands_of_rows_as_for_a_few(centre, personas):  # noqa: F811
    small = centre / "small.tar.gz"
    backup.create(small)
    few = _restore_queries(small)
    _add_people(3000, personas)
    big = centre / "big.tar.gz"
    manifest = backup.create(big)
    assert manifest["counts"]["nominations.person"] > 3000 and manifest["counts"]["audit.auditevent"] > 1500
    many = _restore_queries(big)
    # Rows go in 2,000 a statement: a handful of queries more, not one or two a row as before.
    assert many - few <= 20, (few, many)
    assert Person.objects.count() == manifest["counts"]["nominations.person"]
    assert verify_chain() == []


def test_links_and_rows_naming_rows_of_their_own_table_come_back(centre, personas):  # noqa: F811
    first = testing.make_course()
    testing.make_course(prerequisites=[first.code], languages=["en", "ar"])
    iteration = testing.make_iteration(first, capacity=4)
    testing.seats_for(iteration, {"KWT": 2}, personas=personas)
    nomination = nominations.nominate(
        actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
    )
    substitute = nominations.replace(
        actor=personas["poc_kwt"], nomination=nomination, person_data=testing.person_data(), source="test"
    )
    before = _everything()
    path = centre / "links.tar.gz"
    backup.create(path)
    backup.restore(path, replace=True)
    after = [row for row in _everything() if row["model"] not in ("audit.audithead", "audit.auditevent")]
    assert after == [row for row in before if row["model"] not in ("audit.audithead", "audit.auditevent")]
    assert Nomination.objects.get(pk=substitute.pk).replaces_id == nomination.pk


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda row: row["fields"].update(nation=999999), id="a foreign key naming no row"),
        pytest.param(lambda row: row["fields"].update(created_at="not a time"), id="a value of the wrong kind"),
        pytest.param(lambda row: row.update(pk=row["pk"] - 1), id="a primary key given twice"),
    ],
)
def test_a_restore_failing_on_a_late_row_changes_nothing(centre, personas, damage):  # noqa: F811
    _add_people(2500, personas)
    good = centre / "good.tar.gz"
    backup.create(good)

    def spoil_the_last_person(rows, manifest):
        damage([row for row in rows if row["model"] == "nominations.person"][-1])

    damaged = _rewrite(good, centre, "late.tar.gz", spoil_the_last_person)
    before, anchor_before = _everything(), anchor_path().read_bytes()
    with pytest.raises(backup.BackupError, match="(?s)does not fit this database.*Nothing was restored"):
        backup.restore(damaged, replace=True)
    assert _everything() == before
    assert anchor_path().read_bytes() == anchor_before


def test_a_backup_of_the_first_format_still_restores(centre):  # noqa: F811
    good = centre / "good.tar.gz"
    backup.create(good)
    before = _everything()
    with tarfile.open(good, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        rows = [json.loads(line) for line in archive.extractfile("data.jsonl").read().splitlines()]
    data = json.dumps(rows, ensure_ascii=False).encode()  # format 1: one JSON list, data.json
    manifest.update(format=1, data_sha256=hashlib.sha256(data).hexdigest())
    old = centre / "format-1.tar.gz"
    with tarfile.open(old, "w:gz") as archive:
        backup._add(archive, "manifest.json", json.dumps(manifest).encode())
        backup._add(archive, "data.json", data)
    backup.restore(old, replace=True)
    assert len(_everything()) == len(before) + 1  # and the restore's own event
    assert verify_chain() == []


def test_a_restore_over_a_centre_ends_its_sessions(centre, personas, client):  # noqa: F811
    from django.contrib.sessions.models import Session

    from icihub.accounts.models import UserSession

    path = centre / "centre.tar.gz"
    backup.create(path)
    client.force_login(personas["registrar"])
    assert Session.objects.exists() and UserSession.objects.exists()
    # The rows go in raw, without the signal that ends a deactivated user's sessions: every session of
    # the replaced database ends instead, whoever its user was.
    backup.restore(path, replace=True)
    assert not Session.objects.exists() and not UserSession.objects.exists()
