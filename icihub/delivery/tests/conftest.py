"""A course running today, for the check-in and attendance file tests."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from icihub import testing
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration

PARTICIPANT_EMAIL = "participant@mod.example.kw"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the counters of wrong check-in codes


@pytest.fixture
def course_today(personas, settings):
    """A course that began four days ago and ends in two, every day a course day (so the tests run on
    any weekday), with three Kuwaiti participants (the first is the participant persona, matched by
    e-mail) and a fourth on the waiting list."""
    settings.ICIHUB_WORKING_WEEK = tuple(range(7))
    participant = personas["participant"]
    participant.email = PARTICIPANT_EMAIL
    participant.save()
    iteration = testing.seats_for(testing.make_iteration(capacity=6), {"KWT": 3}, personas=personas)
    people = [
        nominations.nominate(
            actor=personas["poc_kwt"],
            iteration=iteration,
            person_data=person,
            source="test",
        )
        for person in [testing.person_data(email=PARTICIPANT_EMAIL)] + [testing.person_data() for _ in range(3)]
    ]
    today = timezone.localdate()
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=today - datetime.timedelta(days=4),
        end_date=today + datetime.timedelta(days=2),
        status=Iteration.Status.RUNNING,
    )
    iteration.refresh_from_db()
    return iteration, people
