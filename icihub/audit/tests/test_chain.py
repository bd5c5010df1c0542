"""The audit trail is one hash chain: every event links to the one before, edits are detected."""

import datetime
import threading
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from icihub.audit.models import AuditEvent
from icihub.audit.sealing import seal
from icihub.audit.services import verify_chain
from icihub.testing import make_course


@pytest.mark.django_db
def test_events_link_into_one_chain_that_verifies(personas):
    make_course()
    make_course()
    seal()
    events = list(AuditEvent.objects.order_by("seq"))
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    assert events[0].previous_hash == ""
    assert all(later.previous_hash == earlier.hash for earlier, later in zip(events, events[1:], strict=False))
    assert verify_chain() == []


@pytest.mark.django_db
@pytest.mark.parametrize("microsecond", [0, 500, 123456])
def test_events_verify_whatever_their_microseconds(personas, microsecond):
    moment = datetime.datetime(2026, 11, 29, 4, 50, 0, microsecond, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=moment):
        make_course()
    assert verify_chain() == []


@pytest.mark.django_db
def test_a_changed_event_is_named(personas):
    course = make_course()
    seal()
    event = AuditEvent.objects.get(object_id=course.code)
    AuditEvent.objects.filter(pk=event.pk).update(actor_name="someone-else")
    assert verify_chain() == [f"event {event.id}: its content was changed after it was written"]


@pytest.mark.django_db
def test_a_deleted_event_breaks_the_chain_at_the_next_one(personas):
    make_course()
    seal()
    events = list(AuditEvent.objects.order_by("id"))
    events[3].delete()
    assert verify_chain() == [
        f"event {events[4].id}: one or more events before it are missing "
        f"(it does not follow event #{events[2].id}, and links to a hash no event has)"
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(personas):
    """Eight clients create courses at once on PostgreSQL; the head row lock keeps one chain."""
    errors = []
    start = threading.Barrier(8)

    def create(index):
        try:
            start.wait()
            make_course(code=f"LL-CAP-{90000 + index}")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()  # each thread's own connection; the test database is dropped after

    threads = [threading.Thread(target=create, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="course.created").count() == 8
    assert verify_chain() == []
