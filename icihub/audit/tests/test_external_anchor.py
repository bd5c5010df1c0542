"""`icihub audit export-anchor` writes the head of the chain signed by the centre, to send off the
machine; `icihub audit verify --anchor FILE` refuses a file the centre did not sign as it stands, and
names the event when history up to an exported anchor was rewritten, even by someone who could write
both the database and the anchor file, which plain `verify` cannot see."""

import base64
import io
import json
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from icihub import testing
from icihub.audit import anchor, exported_anchor
from icihub.audit.chain import content_hash
from icihub.audit.exported_anchor import ExportedAnchor
from icihub.audit.management.commands.audit import Command
from icihub.audit.models import AuditEvent, AuditHead
from icihub.certificates.keys import KeyStore

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def centre_of_its_own(settings, tmp_path):
    """Each test has its own signing keys and its own VAR_DIR, where exported anchors go."""
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def trail(django_capture_on_commit_callbacks) -> list[AuditEvent]:
    """The reference data and personas written through the services, sealed, with the anchor file kept
    up to date as after each commit in production. The events in the chain's order."""
    with django_capture_on_commit_callbacks(execute=True):
        testing.make_world()
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) > 20
    return events


def more_events(django_capture_on_commit_callbacks) -> None:
    """The application carries on after an anchor was exported."""
    with django_capture_on_commit_callbacks(execute=True):
        testing.make_course()


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args) -> tuple[str, str]:
    """What the command printed, then the error it stopped with."""
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit", *args, stdout=out, stderr=io.StringIO())
    assert failure.value.returncode == 1
    return out.getvalue(), str(failure.value)


def export(path: Path) -> dict:
    run("export-anchor", "--output", str(path))
    return json.loads(path.read_text())


def rewrite_history_from(event: AuditEvent) -> None:
    """What someone who can write both the database and the anchor file does after changing an event:
    hash it and every later event again, move the head, and move the anchor file to the new newest
    event. The chain, the head and the anchor file agree again."""
    place = AuditEvent.objects.get(pk=event.pk).seq  # as it stands now: events may have been moved
    previous = AuditEvent.objects.filter(seq__lt=place).order_by("-seq").values_list("hash", flat=True).first() or ""
    for later in AuditEvent.objects.filter(seq__gte=place).order_by("seq"):
        rewritten = content_hash(later, previous)
        AuditEvent.objects.filter(pk=later.pk).update(previous_hash=previous, hash=rewritten)
        previous, newest = rewritten, later
    AuditHead.objects.filter(pk=1).update(last_hash=previous, last_seq=newest.seq)
    anchor.write_anchor(anchor.Anchor(newest.id, previous, newest.seq))


def test_an_exported_anchor_names_the_head_and_is_signed_by_the_centre(trail, settings):
    out, _err = run("export-anchor")
    [path] = (Path(settings.VAR_DIR) / "audit-anchors").glob("*.json")
    document = json.loads(path.read_text())
    newest = trail[-1]
    key_id = KeyStore(settings.ICIHUB_KEY_DIR).current().id
    assert {name: value for name, value in document.items() if name != "signature"} == {
        "format": "icihub-audit-anchor/1",
        "event_id": newest.id,
        "seq": newest.seq,
        "hash": newest.hash,
        "events": len(trail),
        "exported_at": document["exported_at"],
        "key_id": key_id,
    }
    assert path.name == document["exported_at"].replace("-", "").replace(":", "") + ".json"
    assert out == f"{path}: event #{newest.id} {newest.hash[:12]}, {len(trail)} events, signed with key {key_id}\n"


def test_exporting_an_anchor_is_not_recorded_in_the_trail(trail, tmp_path):
    export(tmp_path / "anchor.json")
    assert AuditEvent.objects.count() == len(trail)


def test_the_anchor_can_be_written_to_standard_output(trail):
    out, _err = run("export-anchor", "--output", "-")
    assert json.loads(out)["hash"] == trail[-1].hash


def test_an_anchor_is_never_written_over_another(trail, settings):
    at = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=at):
        run("export-anchor")
        _out, error = fails("export-anchor")
    assert error.startswith("no anchor exported: ") and error.endswith("is already there (one a second)")
    assert len(list((Path(settings.VAR_DIR) / "audit-anchors").iterdir())) == 1


def test_an_empty_trail_has_nothing_to_anchor():
    _out, error = fails("export-anchor")
    assert error == "no anchor exported: there is nothing to anchor: the audit trail has no events yet"


def test_verify_with_the_anchor_passes_as_the_trail_goes_on(trail, tmp_path, django_capture_on_commit_callbacks):
    document = export(tmp_path / "anchor.json")
    more_events(django_capture_on_commit_callbacks)
    out, _err = run("verify", "--anchor", str(tmp_path / "anchor.json"))
    newest = AuditEvent.objects.order_by("-seq").first()
    assert out.splitlines() == [
        f"the trail holds event #{trail[-1].id} {trail[-1].hash[:12]} at place {trail[-1].seq}, "
        f"as the anchor exported at {document['exported_at']} says ({tmp_path / 'anchor.json'})",
        f"audit trail intact: {AuditEvent.objects.count()} events, newest #{newest.id} {newest.hash[:12]}",
    ]


def test_verify_checks_every_anchor_given(trail, tmp_path, django_capture_on_commit_callbacks):
    export(tmp_path / "first.json")
    more_events(django_capture_on_commit_callbacks)
    export(tmp_path / "second.json")
    out, _err = run("verify", "--anchor", str(tmp_path / "first.json"), "--anchor", str(tmp_path / "second.json"))
    assert [line.split(" says ")[1] for line in out.splitlines()[:2]] == [
        f"({tmp_path / 'first.json'})",
        f"({tmp_path / 'second.json'})",
    ]


def test_an_anchor_with_its_hash_edited_is_refused(trail, tmp_path, settings):
    path = tmp_path / "anchor.json"
    document = export(path)
    path.write_text(json.dumps({**document, "hash": trail[-2].hash}))
    out, error = fails("verify", "--anchor", str(path))
    assert out == (
        f"the exported anchor {path} is refused: its signature does not match: it was changed after it was "
        f"signed, or not signed by key {document['key_id']}\n"
    )
    assert error == "audit trail NOT intact: 1 problem"


def test_an_anchor_with_a_field_added_is_refused(trail, tmp_path):
    path = tmp_path / "anchor.json"
    path.write_text(json.dumps({**export(path), "note": "checked by the auditor"}))
    out, _error = fails("verify", "--anchor", str(path))
    assert out == f"the exported anchor {path} is refused: fields the centre does not sign were added: note\n"


def test_history_rewritten_before_the_anchor_is_caught_by_it_and_not_without_it(
    trail, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "anchor.json"
    document = export(path)
    more_events(django_capture_on_commit_callbacks)
    AuditEvent.objects.filter(pk=trail[5].pk).update(actor_name="someone-else")
    rewrite_history_from(trail[5])

    out, _err = run("verify")
    assert out.startswith("audit trail intact:")
    out, error = fails("verify", "--anchor", str(path))
    assert out == (
        f"event #{trail[-1].id} does not match the anchor exported at {document['exported_at']} ({path}): "
        "the history up to it was rewritten (changed and hashed again)\n"
    )
    assert error == "audit trail NOT intact: 1 problem"


def test_an_event_deleted_before_the_anchor_and_history_rewritten_is_counted(trail, tmp_path):
    path = tmp_path / "anchor.json"
    document = export(path)
    AuditEvent.objects.filter(pk=trail[3].pk).delete()
    for later in trail[4:]:  # closing the gap, place by place upwards: places are unique
        AuditEvent.objects.filter(pk=later.pk).update(seq=later.seq - 1)
    rewrite_history_from(trail[4])

    assert run("verify")[0].startswith("audit trail intact:")
    out, _error = fails("verify", "--anchor", str(path))
    assert out == (
        f"event #{trail[-1].id} does not match the anchor exported at {document['exported_at']} ({path}): "
        f"the history up to it was rewritten (changed and hashed again); {len(trail)} events led to it then, "
        f"{len(trail) - 1} now\n"
    )


def test_the_newest_events_deleted_with_head_and_anchor_file_moved_back_are_caught(trail, tmp_path):
    path = tmp_path / "anchor.json"
    document = export(path)
    AuditEvent.objects.filter(seq__gt=trail[-3].seq).delete()
    AuditHead.objects.filter(pk=1).update(last_hash=trail[-3].hash, last_seq=trail[-3].seq)
    anchor.write_anchor(anchor.Anchor(trail[-3].id, trail[-3].hash, trail[-3].seq))

    assert run("verify")[0].startswith("audit trail intact:")
    out, _error = fails("verify", "--anchor", str(path))
    assert out == (
        f"the anchor exported at {document['exported_at']} ({path}) names event #{trail[-1].id}, "
        f"but the trail ends at #{trail[-3].id}: the newest events were deleted\n"
    )


def test_an_anchor_signed_by_a_key_that_is_not_the_centres_is_refused(trail, tmp_path):
    other = KeyStore(tmp_path / "someone-elses-keys").current()
    newest = trail[-1]
    forged = ExportedAnchor(newest.id, newest.seq, newest.hash, len(trail), "2026-11-29T04:50:00Z", other.id)
    path = tmp_path / "forged.json"
    path.write_text(exported_anchor.to_text(exported_anchor.sign(forged, other)))
    out, _error = fails("verify", "--anchor", str(path))
    assert out == (
        f"the exported anchor {path} is refused: it is signed by key {other.id}, which is not one of the "
        "centre's keys: it was not exported here\n"
    )


def test_an_anchor_signed_by_another_key_under_the_centres_key_id_is_refused(trail, tmp_path, settings):
    centre = KeyStore(settings.ICIHUB_KEY_DIR).current()
    other = KeyStore(tmp_path / "someone-elses-keys").current()
    newest = trail[-1]
    fields = ExportedAnchor(newest.id, newest.seq, newest.hash, len(trail), "2026-11-29T04:50:00Z", centre.id).fields()
    signature = base64.b64encode(other.private.sign(exported_anchor.signed_bytes(fields))).decode()
    path = tmp_path / "forged.json"
    path.write_text(json.dumps({**fields, "signature": signature}))
    out, _error = fails("verify", "--anchor", str(path))
    assert "its signature does not match" in out


def test_an_anchor_signed_before_the_key_was_rotated_still_verifies(trail, tmp_path, settings):
    export(tmp_path / "anchor.json")
    KeyStore(settings.ICIHUB_KEY_DIR).rotate()
    out, _err = run("verify", "--anchor", str(tmp_path / "anchor.json"))
    assert out.startswith(f"the trail holds event #{trail[-1].id}")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "there is no such file"),
        ("garbage\n", "not an exported audit anchor (not JSON)"),
        ('{"event_id": 4711}', "not an exported audit anchor (its format is not icihub-audit-anchor/1)"),
        ('{"format": "icihub-audit-anchor/1"}', "not an exported audit anchor (no event_id, events, "),
        ("\xff\xfe", "it cannot be read"),
    ],
)
def test_a_missing_or_damaged_anchor_file_is_named(trail, tmp_path, content, reason):
    path = tmp_path / "anchor.json"
    if content == "\xff\xfe":
        path.write_bytes(b"\xff\xfe\x00")
    elif content is not None:
        path.write_text(content)
    out, error = fails("verify", "--anchor", str(path))
    assert out.startswith(f"the exported anchor {path} is refused: {reason}")
    assert error == "audit trail NOT intact: 1 problem"


def test_a_refused_anchor_exits_with_status_1_from_the_shell(trail, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_status:
        Command().run_from_argv(["icihub", "audit", "verify", "--anchor", str(tmp_path / "nowhere.json")])
    assert exit_status.value.code == 1
    captured = capsys.readouterr()
    assert "there is no such file" in captured.out
    assert "CommandError: audit trail NOT intact: 1 problem" in captured.err
