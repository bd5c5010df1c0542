"""`icihub audit verify` says the trail is intact or names each problem with exit status 1;
`icihub audit export` writes the events as CSV, filtered, and is itself recorded."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from icihub import testing
from icihub.audit.anchor import anchor_path
from icihub.audit.management.commands.audit import Command
from icihub.audit.models import AuditEvent
from icihub.audit.transfer import COLUMNS

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verify_says_the_trail_is_intact_with_its_newest_event(personas):
    newest = AuditEvent.objects.order_by("-seq").first()
    out, err = run("verify")
    count = AuditEvent.objects.count()
    assert out == f"audit trail intact: {count} events, newest #{newest.id} {newest.hash[:12]}\n"
    assert err == ""


def test_verify_warns_without_an_anchor_file_and_says_where_it_looked(personas):
    anchor_path().unlink()
    out, err = run("verify")
    assert out.startswith("audit trail intact:")
    assert err.splitlines() == [
        f"anchor file: {anchor_path()}",
        "warning: no anchor file: the newest event could not be checked against storage outside the database "
        "(a new installation has none until its first event is written)",
    ]


def test_verify_names_each_problem_and_fails(personas):
    changed = AuditEvent.objects.order_by("id")[3]
    AuditEvent.objects.filter(pk=changed.pk).update(source="api")
    out = io.StringIO()
    with pytest.raises(CommandError, match="audit trail NOT intact: 1 problem") as failure:
        call_command("audit", "verify", stdout=out, stderr=io.StringIO())
    assert out.getvalue() == f"event {changed.id}: its content was changed after it was written\n"
    assert failure.value.returncode == 1


def test_verify_exits_with_status_1_from_the_shell(personas, capsys):
    AuditEvent.objects.order_by("id")[2].delete()
    with pytest.raises(SystemExit) as exit_status:
        Command().run_from_argv(["icihub", "audit", "verify"])
    assert exit_status.value.code == 1
    captured = capsys.readouterr()
    assert "one or more events before it are missing" in captured.out
    assert "CommandError: audit trail NOT intact: 1 problem" in captured.err


def test_export_writes_every_event_as_csv_oldest_first(personas):
    events = list(AuditEvent.objects.order_by("id"))
    out, _err = run("export")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(COLUMNS)
    assert [int(row[0]) for row in rows[1:]] == [event.id for event in events]
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["previous_hash"] == "" and first["hash"] == events[0].hash
    assert first["at"].endswith("Z")


def test_export_filters_by_action_and_date(personas):
    course = testing.make_course()
    out, _err = run("export", "--action", "course.", "--since", "2000-01-01", "--until", "2100-12-31")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["object_id"] for row in rows] == [course.code]
    out, _err = run("export", "--action", "course.", "--until", "2000-01-01")
    assert list(csv.DictReader(io.StringIO(out))) == []


def test_an_export_is_recorded_as_done_by_a_command(personas):
    testing.make_course()
    run("export", "--action", "course.")
    exported = AuditEvent.objects.get(action="audit.exported")
    assert (exported.actor_name, exported.source) == ("system", "command")
    assert exported.after == {"filters": {"action": "course."}, "rows": 1}


def test_export_refuses_a_bad_date(personas):
    with pytest.raises(CommandError, match="--since"):
        run("export", "--since", "29/11/2026")
    assert not AuditEvent.objects.filter(action="audit.exported").exists()
