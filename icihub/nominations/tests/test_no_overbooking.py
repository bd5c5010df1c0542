"""No overbooking, ever: many clients nominate at once for the last seats of one iteration on
PostgreSQL (real threads, real connections, real row locks) and exactly the free seats are confirmed."""

import threading

import pytest
from django.db import connection

from icihub import testing
from icihub.accounts.models import Role, User
from icihub.nominations import services
from icihub.nominations.models import Nomination, SeatAllocation, Status
from icihub.partners.models import Nation
from icihub.planning.models import Iteration

CLIENTS = 24


def _burst(iteration, points_of_contact):
    errors, results = [], []
    start = threading.Barrier(len(points_of_contact))

    def nominate(poc):
        try:
            start.wait()
            nomination = services.nominate(
                actor=poc, iteration=iteration, person_data=testing.person_data(), source="api"
            )
            results.append(nomination.status)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()  # each thread's own connection; the test database is dropped after

    threads = [threading.Thread(target=nominate, args=(poc,)) for poc in points_of_contact]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors, results


def _points_of_contact(code, count):
    nation = Nation.objects.get(code=code)
    return [
        User.objects.create_user(f"poc-{code.lower()}-{n}", role=Role.POINT_OF_CONTACT, nation=nation)
        for n in range(count)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_nominations_for_the_last_pool_seats_confirm_exactly_the_free_seats(personas):
    iteration = testing.make_iteration(capacity=10)
    services.open_pool(actor=personas["registrar"], iteration=iteration, source="test")
    for _ in range(7):  # seven seats are gone already; three remain
        services.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
        )
    clients = _points_of_contact("KWT", CLIENTS // 2) + _points_of_contact("QAT", CLIENTS // 2)
    errors, results = _burst(iteration, clients)
    assert errors == []
    assert sorted(results) == [Status.CONFIRMED] * 3 + [Status.WAITLISTED] * (CLIENTS - 3)
    iteration = Iteration.objects.get(pk=iteration.pk)
    assert iteration.seats_confirmed == iteration.capacity == 10
    assert Nomination.objects.filter(iteration=iteration, status=Status.CONFIRMED).count() == 10
    assert sum(SeatAllocation.objects.filter(iteration=iteration).values_list("confirmed", flat=True)) == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_nominations_never_exceed_a_nations_allocation(personas):
    iteration = testing.seats_for(testing.make_iteration(capacity=6), {"KWT": 2, "QAT": 4}, personas=personas)
    errors, results = _burst(iteration, _points_of_contact("KWT", 12))
    assert errors == []
    assert results.count(Status.CONFIRMED) == 2 and results.count(Status.WAITLISTED) == 10
    kuwait = SeatAllocation.objects.get(iteration=iteration, nation__code="KWT")
    assert (kuwait.seats, kuwait.confirmed) == (2, 2)
    assert Iteration.objects.get(pk=iteration.pk).seats_confirmed == 2
