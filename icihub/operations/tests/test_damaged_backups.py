"""A damaged backup (cut short, not gzip, garbage, another format, data not matching its checksum, a
part missing, rows that cannot be read) is refused with words saying what is wrong, by the function
and by `icihub restore`, and nothing in the database or the anchor changes."""

import gzip
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from icihub.audit.anchor import anchor_path
from icihub.operations import backup
from icihub.operations.tests.test_backup import _everything, centre  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)  # a backup reads in a transaction of its own


def _parts(path):
    with tarfile.open(path, "r:gz") as archive:
        return json.loads(archive.extractfile("manifest.json").read()), archive.extractfile("data.jsonl").read()


def _write(path, members: dict[str, bytes]):
    with tarfile.open(path, "w:gz") as archive:
        for name, content in members.items():
            backup._add(archive, name, content)
    return path


def _damaged(folder, good):
    whole = good.read_bytes()
    manifest, data = _parts(good)
    other_format = {**manifest, "format": 99}
    rows = [json.loads(line) for line in data.splitlines()]
    rows[0]["fields"]["username" if "username" in rows[0]["fields"] else next(iter(rows[0]["fields"]))] = "changed"
    changed = "".join(json.dumps(row) + "\n" for row in rows).encode()
    unknown_model = json.dumps({"model": "nosuch.thing", "pk": 1, "fields": {}}).encode() + b"\n"
    unchecked = {key: value for key, value in manifest.items() if key != "data_sha256"}
    return {
        "the file ends early": _bytes(folder / "cut.tar.gz", whole[: len(whole) // 2]),
        "not a whole gzip-compressed file": _bytes(folder / "plain.tar.gz", gzip.decompress(whole)[:4000]),
        "not an icihub backup": _bytes(folder / "garbage.tar.gz", b"\x00garbage" * 100),
        "of format 99": _write(
            folder / "format.tar.gz", {"manifest.json": json.dumps(other_format).encode(), "data.jsonl": data}
        ),
        "does not match the checksum": _write(
            folder / "checksum.tar.gz",
            {"manifest.json": json.dumps(manifest).encode(), "data.jsonl": changed},
        ),
        "holds no data.json": _write(folder / "half.tar.gz", {"manifest.json": json.dumps(manifest).encode()}),
        "its manifest cannot be read": _write(
            folder / "manifest.tar.gz", {"manifest.json": b"{not json", "data.jsonl": data}
        ),
        "a row cannot be read": _write(
            folder / "rows.tar.gz", {"manifest.json": json.dumps(unchecked).encode(), "data.jsonl": unknown_model}
        ),
        "there is no such file": folder / "missing.tar.gz",
    }


def _bytes(path, content: bytes):
    path.write_bytes(content)
    return path


def test_every_kind_of_damage_is_refused_in_words_and_changes_nothing(centre):  # noqa: F811
    good = centre / "good.tar.gz"
    backup.create(good)
    anchor_before = anchor_path().read_bytes()
    before = _everything()
    for words, path in _damaged(centre, good).items():
        with pytest.raises(CommandError, match=words):
            call_command("restore", str(path), "--replace")
        assert _everything() == before, words
        assert anchor_path().read_bytes() == anchor_before, words
    call_command("restore", str(good), "--replace", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(_everything()) == len(before) + 1  # and the restore is recorded in the trail
