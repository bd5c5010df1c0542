"""Sealing: writers only insert their events, with no lock shared between them; committed events are
linked into the chain afterwards, in the order they were committed, by a thread of each process or at
verify time, and the anchor follows."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from icihub import testing
from icihub.audit import anchor, sealing
from icihub.audit.models import AuditEvent, AuditHead
from icihub.audit.services import record, verify_trail


def write(action: str) -> AuditEvent:
    with transaction.atomic():
        return record(actor=None, action=action, obj=AuditHead.objects.get_or_create(pk=1)[0], source="test")


@pytest.mark.django_db
def test_recording_an_event_is_one_insert_and_takes_no_lock(personas):
    head = AuditHead.objects.get(pk=1)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        record(actor=None, action="test.one", obj=head, source="test")
    assert [query["sql"].split()[0] for query in queries] == ["INSERT"]


@pytest.mark.django_db
def test_an_event_is_unsealed_until_sealing_links_it_after_the_newest(personas):
    newest = AuditEvent.objects.order_by("-seq").first()
    with transaction.atomic():
        event = record(actor=None, action="test.fresh", obj=AuditHead.objects.get(pk=1), source="test")
    event.refresh_from_db()
    assert (event.seq, event.previous_hash, event.hash) == (None, None, None)
    assert sealing.seal() == anchor.Anchor(event.id, AuditEvent.objects.get(pk=event.pk).hash)
    event.refresh_from_db()
    assert event.seq == newest.seq + 1 and event.previous_hash == newest.hash
    assert AuditHead.objects.get(pk=1).last_seq == event.seq
    assert anchor.read_anchor() == anchor.Anchor(event.id, event.hash)
    assert sealing.seal() is None  # nothing left to seal


@pytest.mark.django_db
def test_a_backlog_is_sealed_in_batches_into_one_chain(personas, monkeypatch):
    monkeypatch.setattr(sealing, "BATCH", 7)
    for number in range(30):
        write(f"test.backlog-{number}")
    sealing.seal()
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    verification = verify_trail()
    assert verification.problems == [] and verification.warnings == []


@pytest.mark.django_db
def test_verify_seals_what_is_committed_before_it_checks(personas):
    event = write("test.unsealed")
    verification = verify_trail()
    assert verification.intact and verification.newest.event_id == event.id


@pytest.mark.django_db
def test_without_the_head_row_events_stay_unsealed_and_verify_says_why(personas):
    AuditHead.objects.all().delete()
    with transaction.atomic():
        record(actor=None, action="test.orphan", obj=testing.make_course(), source="test")
    assert sealing.seal() is None
    assert AuditEvent.objects.filter(seq__isnull=True).exists()
    assert verify_trail().problems == [
        "the head row is missing: the hash of the newest event kept in the database was deleted"
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_do_not_wait_for_each_other_and_the_chain_follows_commit_order(personas):
    """A transaction that recorded an event and has not committed holds up no other writer (a lock
    timeout of one second would fail the second writer); the event committed first is sealed first,
    even though the one still open was inserted before it."""
    recorded, release, errors = threading.Event(), threading.Event(), []

    def slow_writer():
        try:
            with transaction.atomic():
                record(actor=None, action="test.slow", obj=AuditHead.objects.get(pk=1), source="test")
                recorded.set()
                release.wait(timeout=30)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert recorded.wait(timeout=30)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
        record(actor=None, action="test.quick", obj=AuditHead.objects.get(pk=1), source="test")
    release.set()
    thread.join()
    assert errors == []
    slow, quick = (AuditEvent.objects.get(action=action) for action in ("test.slow", "test.quick"))
    assert slow.id < quick.id and slow.seq > quick.seq
    assert verify_trail().problems == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_writers_at_once_leave_one_chain_and_the_anchor_at_its_end(personas):
    errors, start = [], threading.Barrier(12)

    def writer(index):
        try:
            start.wait()
            for number in range(5):
                write(f"test.writer-{index}-{number}")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    newest = AuditEvent.objects.order_by("-seq").first()
    assert anchor.read_anchor() == anchor.Anchor(newest.id, newest.hash)
    assert verify_trail().problems == []


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_seals_after_commits_and_picks_up_what_a_dead_process_left(personas, settings):
    settings.ICIHUB_AUDIT_SEALING = "background"
    settings.ICIHUB_AUDIT_SEAL_SECONDS = 0.2
    try:
        course = testing.make_course()  # its commit wakes the thread
        # An event committed by a process that died before sealing: no commit hook asks for it.
        with transaction.atomic():
            AuditEvent.objects.create(
                at=AuditEvent.objects.latest("id").at,
                actor_name="system",
                action="test.left-behind",
                object_type="x",
                object_id="1",
                source="test",
            )
        deadline = time.monotonic() + 20
        while AuditEvent.objects.filter(seq__isnull=True).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not AuditEvent.objects.filter(seq__isnull=True).exists()
        assert AuditEvent.objects.filter(object_id=course.code).exclude(hash=None).exists()
    finally:
        sealing.stop_background()
    newest = AuditEvent.objects.order_by("-seq").first()
    assert newest.action == "test.left-behind"
    deadline = time.monotonic() + 5
    while anchor.read_anchor() != anchor.Anchor(newest.id, newest.hash) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert anchor.read_anchor() == anchor.Anchor(newest.id, newest.hash)
    assert verify_trail().problems == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_background_sealer_leaves_the_work_to_the_one_holding_the_head(personas):
    """The sealing thread does not queue behind another process's sealer: it finds the head taken and
    returns at once; what it left is sealed by the next sealing."""
    holding, release = threading.Event(), threading.Event()

    def other_sealer():
        with transaction.atomic():
            AuditHead.objects.select_for_update().get(pk=1)
            holding.set()
            release.wait(timeout=30)
        connection.close()

    event = write("test.while-busy")  # sealed inline; the next one is left for the background
    thread = threading.Thread(target=other_sealer)
    thread.start()
    assert holding.wait(timeout=30)
    try:
        with transaction.atomic():
            left = AuditEvent.objects.create(
                at=event.at, actor_name="system", action="test.left", object_type="x", object_id="1", source="test"
            )
        started = time.monotonic()
        assert sealing.seal(wait=False) is None
        assert time.monotonic() - started < 5
        assert AuditEvent.objects.get(pk=left.pk).seq is None
    finally:
        release.set()
        thread.join()
    assert sealing.seal(wait=False).event_id == left.id
    assert verify_trail().problems == []
