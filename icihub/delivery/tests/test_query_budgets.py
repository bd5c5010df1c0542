"""Query budgets of the course day's writes: a participant's check-in runs a fixed number of statements
and locks only that participant's own nomination row, so a class checking in at 08:00 does not queue
behind one lock; marking the whole class costs a fixed number plus two a participant (the mark and its
audit event)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from icihub.delivery import checkin, services
from icihub.delivery.models import Attendance

pytestmark = pytest.mark.django_db


def test_a_check_in_stays_within_its_budget_and_locks_no_iteration(personas, course_today, settings):
    iteration, (mine, *_others) = course_today
    settings.ICIHUB_CHECK_IN_GRACE_MINUTES = 24 * 60
    code = checkin.code_for_today(actor=personas["instructor"], iteration=iteration, source="test").code
    with CaptureQueriesContext(connection) as queries:
        checkin.check_in(user=personas["participant"], code=code, source="check-in")
    assert Attendance.objects.get(nomination=mine, day=timezone.localdate()).mark == "present"
    assert len(queries) <= 8, [query["sql"][:80] for query in queries]
    locks = [query["sql"] for query in queries if "FOR UPDATE" in query["sql"]]
    assert all("planning_iteration" not in sql.split("FROM")[1].split("WHERE")[0] for sql in locks)


def test_marking_the_class_costs_two_statements_a_participant(personas, course_today):
    iteration, people = course_today
    with CaptureQueriesContext(connection) as queries:
        marked = services.mark_class(
            actor=personas["instructor"], iteration=iteration, day=timezone.localdate(), source="test"
        )
    assert marked == 3  # the three with a seat; the fourth waits
    assert len(queries) <= 5 + 2 * marked, [query["sql"][:80] for query in queries]
