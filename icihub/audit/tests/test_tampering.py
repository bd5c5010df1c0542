"""Tampering with the audit trail is detected and named: rows changed, deleted or reordered behind the
application's back (raw SQL and queryset updates), a tail rewritten with fresh hashes, and the newest
events deleted with the head moved back. The anchor outside the database catches what the database
alone cannot."""

import json
import threading
from unittest import mock

import pytest
from django.db import connection, transaction

from icihub import testing
from icihub.audit import anchor, services
from icihub.audit.chain import content_hash
from icihub.audit.models import AuditEvent, AuditHead
from icihub.audit.services import record, verify_chain, verify_trail

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(django_capture_on_commit_callbacks) -> list[AuditEvent]:
    """The reference data and personas, written through the services, with the anchor kept up to date
    as it is after each commit in production. The events, oldest first."""
    with django_capture_on_commit_callbacks(execute=True):
        testing.make_world()
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) > 20
    return events


def newest_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()


def raw(sql: str, *params) -> None:
    """Change the table directly, as someone with database access would."""
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", AuditEvent._meta.db_table), params)


def swap_places(first: AuditEvent, second: AuditEvent) -> None:
    """Exchange two events' places in the chain."""
    raw("UPDATE {table} SET seq = %s WHERE id = %s", -1, first.id)
    raw("UPDATE {table} SET seq = %s WHERE id = %s", first.seq, second.id)
    raw("UPDATE {table} SET seq = %s WHERE id = %s", second.seq, first.id)


def rehash_from(event_id: int) -> None:
    """What someone with database access does after changing an event: hash it and every later event
    again, and move the head, so that the chain in the database is consistent once more."""
    previous = AuditEvent.objects.filter(id__lt=event_id).order_by("-id").values_list("hash", flat=True).first()
    previous = previous or ""
    for event in AuditEvent.objects.filter(id__gte=event_id).order_by("id"):
        rewritten = content_hash(event, previous)
        AuditEvent.objects.filter(pk=event.pk).update(previous_hash=previous, hash=rewritten)
        previous = rewritten
    AuditHead.objects.filter(pk=1).update(last_hash=previous)


def test_an_intact_trail_has_no_problem_and_says_how_long_it_is(trail):
    verification = verify_trail()
    assert verification.problems == [] and verification.warnings == []
    assert verification.events == len(trail)
    assert verification.summary() == (
        f"audit trail intact: {len(trail)} events, newest #{trail[-1].id} {trail[-1].hash[:12]}"
    )
    assert verify_chain() == []


def test_an_empty_trail_is_intact():
    verification = verify_trail()
    assert verification.intact and verification.events == 0
    assert verification.summary() == "audit trail intact: no events yet"


def test_the_anchor_names_the_newest_event_after_each_commit(trail):
    written = json.loads(anchor.anchor_path().read_text())
    assert (written["event_id"], written["hash"]) == (trail[-1].id, trail[-1].hash)
    assert [path.name for path in anchor.anchor_path().parent.iterdir() if path.name.startswith(".")] == []


def test_the_anchor_does_not_move_before_the_commit(trail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        testing.make_course()
    assert anchor.read_anchor().event_id == trail[-1].id
    for callback in callbacks:
        callback()
    assert anchor.read_anchor().event_id == newest_id()


def test_a_rolled_back_change_leaves_the_anchor_where_it_was(trail, django_capture_on_commit_callbacks):
    class ChangeFailed(Exception):
        """Something after `record`, in the same transaction, goes wrong."""

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ChangeFailed), transaction.atomic():
        testing.make_course()
        raise ChangeFailed
    assert anchor.read_anchor() == anchor.Anchor(trail[-1].id, trail[-1].hash)
    assert verify_trail().intact


def test_the_anchor_path_can_be_set(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.ICIHUB_AUDIT_ANCHOR = str(tmp_path / "elsewhere" / "anchor.json")
    with django_capture_on_commit_callbacks(execute=True):
        testing.make_world()
    assert anchor.read_anchor(tmp_path / "elsewhere" / "anchor.json").event_id == newest_id()


def test_a_changed_event_is_named(trail):
    AuditEvent.objects.filter(pk=trail[5].pk).update(after={"role": "centre_admin"})
    assert verify_chain() == [f"event {trail[5].id}: its content was changed after it was written"]


def test_an_event_changed_with_raw_sql_is_named(trail):
    raw("UPDATE {table} SET actor_name = %s, action = %s WHERE id = %s", "someone", "course.viewed", trail[7].id)
    assert verify_chain() == [f"event {trail[7].id}: its content was changed after it was written"]


def test_an_overwritten_hash_is_named_as_such(trail):
    AuditEvent.objects.filter(pk=trail[3].pk).update(hash="0" * 64)
    assert verify_chain() == [f"event {trail[3].id}: its hash was changed after it was written"]


def test_a_changed_link_is_named_as_such(trail):
    AuditEvent.objects.filter(pk=trail[4].pk).update(previous_hash="f" * 64)
    assert verify_chain() == [f"event {trail[4].id}: its link to the event before it was changed"]


def test_a_deleted_event_is_named_by_the_event_after_the_gap(trail):
    AuditEvent.objects.filter(pk__in=[trail[6].pk, trail[7].pk]).delete()
    assert verify_chain() == [
        f"event {trail[8].id}: one or more events before it are missing "
        f"(it does not follow event #{trail[5].id}, and links to a hash no event has)"
    ]


def test_deleting_the_first_events_is_named(trail):
    raw("DELETE FROM {table} WHERE id <= %s", trail[1].id)
    assert verify_chain() == [
        f"event {trail[2].id}: one or more events before it are missing (it is the first event left)"
    ]


def test_swapped_events_are_named_as_out_of_order(trail):
    swap_places(trail[10], trail[11])
    problems = verify_chain()
    assert problems[:2] == [
        f"event {trail[11].id}: out of order: it links to event #{trail[10].id}, but comes after event #{trail[9].id}",
        f"event {trail[10].id}: out of order: it links to event #{trail[9].id}, but comes after event #{trail[11].id}",
    ]
    assert all("out of order" in problem for problem in problems)


def test_an_event_moved_to_the_front_is_named(trail):
    raw("UPDATE {table} SET seq = %s WHERE id = %s", -5, trail[3].id)  # the fourth event, now first
    problems = verify_chain()
    assert problems[0] == f"event {trail[3].id}: out of order: it links to event #{trail[2].id}, but comes first"
    assert problems[1] == (
        f"event {trail[0].id}: out of order: it links to the start of the chain, but comes after event #{trail[3].id}"
    )


def test_a_rewritten_tail_is_caught_by_the_anchor(trail):
    AuditEvent.objects.filter(pk=trail[12].pk).update(actor_name="someone-else")
    rehash_from(trail[12].id)
    assert verify_chain() == [
        f"event #{trail[-1].id} does not match the anchor kept outside the database: the chain was "
        "rewritten (changed and hashed again) at or before it"
    ]


def test_deleting_the_newest_events_and_moving_the_head_back_is_caught_by_the_anchor(trail):
    raw("DELETE FROM {table} WHERE id > %s", trail[-3].id)
    AuditHead.objects.filter(pk=1).update(last_hash=trail[-3].hash)
    assert verify_chain() == [
        f"the anchor names event #{trail[-1].id}, but the trail ends at #{trail[-3].id}: the newest events were deleted"
    ]


def test_deleting_every_event_and_the_head_is_caught_by_the_anchor(trail):
    AuditEvent.objects.all().delete()
    AuditHead.objects.all().delete()
    assert verify_chain() == [
        f"the anchor names event #{trail[-1].id}, but the trail is empty: every event was deleted"
    ]


def test_the_anchor_does_not_follow_a_chain_cut_short(trail, django_capture_on_commit_callbacks):
    """After the newest events are deleted and the head moved back, new events are linked to the cut
    chain and would verify; the anchor stays at the deleted event, so the cut stays visible."""
    raw("DELETE FROM {table} WHERE id > %s", trail[-3].id)
    AuditHead.objects.filter(pk=1).update(last_hash=trail[-3].hash)
    with django_capture_on_commit_callbacks(execute=True):
        testing.make_course()
    assert anchor.read_anchor().event_id == trail[-1].id
    assert verify_chain() == [
        f"event #{trail[-1].id}, named by the anchor kept outside the database, was deleted "
        f"(the trail goes on to #{newest_id()})"
    ]


def test_deleting_the_newest_events_alone_is_caught_by_the_head(trail):
    raw("DELETE FROM {table} WHERE id > %s", trail[-2].id)
    problems = verify_chain()
    assert problems[0] == (
        "the head names a hash no event has: the newest events were deleted or the head was changed "
        f"(the trail ends at event #{trail[-2].id})"
    )


def test_a_head_moved_back_is_named(trail):
    AuditHead.objects.filter(pk=1).update(last_hash=trail[-4].hash)
    assert verify_chain() == [f"the head names event #{trail[-4].id}, not the newest event #{trail[-1].id}"]


def test_a_deleted_head_is_named(trail):
    AuditHead.objects.all().delete()
    assert verify_chain() == ["the head row is missing: the hash of the newest event kept in the database was deleted"]


def test_without_an_anchor_file_the_chain_is_checked_and_a_warning_given(trail):
    anchor.anchor_path().unlink()
    verification = verify_trail()
    assert verification.intact
    assert verification.warnings == [
        "no anchor file: the newest event could not be checked against storage outside the database "
        "(a new installation has none until its first event is written)"
    ]


def test_a_damaged_anchor_file_is_a_problem(trail):
    anchor.anchor_path().write_text("not json")
    assert verify_chain() == ["the anchor file cannot be read: not an audit anchor (JSONDecodeError)"]


def test_a_damaged_anchor_file_is_left_alone_by_writers(trail, django_capture_on_commit_callbacks, caplog):
    anchor.anchor_path().write_text("not json")
    with django_capture_on_commit_callbacks(execute=True):
        testing.make_course()
    assert anchor.anchor_path().read_text() == "not json"
    assert "is damaged" in caplog.text


def test_an_anchor_that_cannot_be_written_does_not_fail_the_change(
    trail, settings, tmp_path, django_capture_on_commit_callbacks, caplog
):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.ICIHUB_AUDIT_ANCHOR = str(blocker / "audit-anchor")  # a directory that cannot be made
    with django_capture_on_commit_callbacks(execute=True):
        course = testing.make_course()
    assert AuditEvent.objects.filter(object_id=course.code).exists()
    assert "could not be written" in caplog.text


def test_events_committed_while_the_chain_is_walked_are_no_problem(trail):
    """The walk sees the trail as it was when it started; a writer may commit meanwhile."""
    real_walk = services._walk

    def walk_then_another_commit(watched):
        walked = real_walk(watched)
        with transaction.atomic():
            record(actor=None, action="test.during-walk", obj=AuditHead.objects.get(pk=1), source="test")
        return walked

    with mock.patch.object(services, "_walk", walk_then_another_commit):
        verification = verify_trail()
    assert verification.problems == []
    assert verification.newest.event_id == trail[-1].id
    assert verify_trail().newest.event_id == newest_id()


def test_several_kinds_of_tampering_are_all_named_in_order(trail):
    AuditEvent.objects.filter(pk=trail[15].pk).update(object_id="OTHER")
    AuditEvent.objects.filter(pk=trail[4].pk).delete()
    problems = verify_chain()
    assert [problem.split(":")[0] for problem in problems] == [f"event {trail[5].id}", f"event {trail[15].id}"]


@pytest.mark.django_db(transaction=True)
def test_the_anchor_follows_real_commits(personas):
    testing.make_course()
    newest = AuditEvent.objects.order_by("-id").first()
    assert anchor.read_anchor() == anchor.Anchor(newest.id, newest.hash)
    verification = verify_trail()
    assert verification.problems == [] and verification.warnings == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_the_anchor_at_the_newest_event(personas):
    """Eight clients commit at once; their on-commit writes of the anchor may run in any order, but the
    anchor only moves forward, to the newest event."""
    errors = []
    start = threading.Barrier(8)

    def create(index):
        try:
            start.wait()
            testing.make_course(code=f"LL-CAP-{91000 + index}")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    newest = AuditEvent.objects.order_by("-id").first()
    assert anchor.read_anchor() == anchor.Anchor(newest.id, newest.hash)
    assert verify_trail().problems == []
