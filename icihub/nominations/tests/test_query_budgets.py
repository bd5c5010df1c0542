"""Query budgets of the busy writes: a nomination, and the centre's decisions. Each runs a fixed number
of statements however many nominations, persons and events the database holds, and only the last few
of them under the iteration's lock (STYLE.md: queries in loops are defects; issue 14: short critical
sections). The budgets are counted in a test transaction, so the transaction's own BEGIN and COMMIT
are not among them (its savepoints are). They are what the code runs today: a change that needs more
raises the budget here, on purpose and visibly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icihub import testing
from icihub.nominations import services
from icihub.nominations.models import Status

pytestmark = pytest.mark.django_db

# person (4), eligibility (3: frameworks, completed courses, already nominated; the course's own rules
# are cached), the nomination and its first audit event, then under the lock: the seat, the status and
# its audit event
NOMINATE = 20
COURSE_RULES = 5  # the first nomination for a course's runs reads its rules (then cached)


def nominate(personas, iteration, **person):
    return services.nominate(
        actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(**person), source="test"
    )


def statements_after_lock(queries) -> int:
    """How many statements ran from the iteration's row lock to the end."""
    sql = [query["sql"] for query in queries]
    locked = [index for index, text in enumerate(sql) if "planning_iteration" in text and "FOR UPDATE" in text]
    return len(sql) - locked[0] if locked else 0


@pytest.mark.parametrize("earlier", [1, 25])
def test_a_nomination_stays_within_its_budget_however_many_came_before(personas, earlier):
    iteration = testing.seats_for(testing.make_iteration(capacity=40), {"KWT": 30}, personas=personas)
    for _ in range(earlier):
        nominate(personas, iteration)
    with CaptureQueriesContext(connection) as queries:
        assert nominate(personas, iteration).status == Status.CONFIRMED
    assert len(queries) <= NOMINATE, [query["sql"][:80] for query in queries]
    if connection.vendor == "postgresql":
        # The person record, every eligibility check, the nomination's row and its first audit event ran
        # before the lock: under it, the lock itself, the seat (allocation and iteration), the status
        # and its audit event, and the end of the test's savepoint.
        assert statements_after_lock(queries) <= 6


def test_a_nomination_through_the_api_stays_within_its_budget(personas, api_for):
    iteration = testing.seats_for(testing.make_iteration(capacity=10), {"KWT": 5}, personas=personas)
    api = api_for(personas["poc_kwt"])
    payload = {"iteration": iteration.code, "person": testing.person_data()}
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/nominations/", payload, format="json")
    assert response.status_code == 201, response.content
    # The policy's scope (the nation's frameworks, which eligibility then reuses instead of reading them
    # again), the iteration's look-up, the answer; and the first nomination for this course.
    assert len(queries) <= NOMINATE + 2 + COURSE_RULES


def test_a_token_caller_s_nation_comes_with_the_token(personas):
    """The token's look-up reads the user's nation and organisation too: a nomination by a script costs
    one statement for the token and none for the nation every scoped query needs."""
    from rest_framework.test import APIClient

    iteration = testing.seats_for(testing.make_iteration(capacity=10), {"KWT": 5}, personas=personas)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + testing.api_key(personas["poc_kwt"]))
    payload = {"iteration": iteration.code, "person": testing.person_data()}
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/nominations/", payload, format="json")
    assert response.status_code == 201, response.content
    sql = [query["sql"] for query in queries]
    assert not [text for text in sql if text.startswith('SELECT "partners_nation"')], sql
    # The test client above authenticates with a user whose nation already knows its frameworks; a token's
    # user is read afresh, so the nation's frameworks are read once (and only once) here. The token's
    # first use is written down (then at most every five minutes: accounts/tokens.py).
    assert len(queries) <= 1 + 1 + NOMINATE + 2 + COURSE_RULES + 1, "\n".join(text[:90] for text in sql)


def test_a_decision_stays_within_its_budget(personas):
    course = testing.make_course(two_step_application=True)
    iteration = testing.seats_for(testing.make_iteration(course, capacity=10), {"KWT": 5}, personas=personas)
    waiting = [nominate(personas, iteration) for _ in range(6)]
    with CaptureQueriesContext(connection) as approving:
        services.approve(actor=personas["registrar"], nomination=waiting[0], source="test")
    assert len(approving) <= 12, [query["sql"][:80] for query in approving]
    with CaptureQueriesContext(connection) as rejecting:
        services.reject(actor=personas["registrar"], nomination=waiting[1], reason="Rank", source="test")
    assert len(rejecting) <= 7


def test_a_withdrawal_that_promotes_the_waiting_list_stays_within_its_budget(personas):
    iteration = testing.seats_for(testing.make_iteration(capacity=2), {"KWT": 2}, personas=personas)
    holder, _second, *waiting = [nominate(personas, iteration) for _ in range(12)]
    assert {nomination.status for nomination in waiting} == {Status.WAITLISTED}
    with CaptureQueriesContext(connection) as queries:
        services.withdraw(actor=personas["poc_kwt"], nomination=holder, source="test")
    assert len(queries) <= 20  # the seat freed, then the first on the waiting list takes it
