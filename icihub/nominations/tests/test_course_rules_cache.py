"""A course's rules are cached for the nominations of its runs, and a change of the course applies to
the very next nomination: in the transaction that changed it, and for everyone once it is committed."""

import pytest
from django.core.exceptions import ValidationError

from icihub import testing
from icihub.catalogue import services as catalogue
from icihub.nominations import services

pytestmark = pytest.mark.django_db


def nominate(personas, iteration, **person):
    return services.nominate(
        actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(**person), source="test"
    )


def test_a_raised_rank_minimum_applies_to_the_next_nomination(personas, django_capture_on_commit_callbacks):
    iteration = testing.seats_for(testing.make_iteration(capacity=10), {"KWT": 5}, personas=personas)
    nominate(personas, iteration, rank="OF-2")  # the course's rules are now cached
    course = iteration.course
    data = {**catalogue.course_data(course), "rank_min": "OF-3"}
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.save_course(actor=personas["registrar"], data=data, course=course, source="test")
    with pytest.raises(ValidationError) as refused:
        nominate(personas, iteration, rank="OF-2")
    assert "rank" in refused.value.message_dict


def test_the_cached_rules_are_those_of_the_course_of_the_run(personas):
    strict = testing.make_course(code="LL-CAP-00031", rank_min="OF-4")
    lenient = testing.seats_for(testing.make_iteration(capacity=10), {"KWT": 5}, personas=personas)
    other = testing.seats_for(testing.make_iteration(strict, capacity=10), {"KWT": 5}, personas=personas)
    nominate(personas, lenient, rank="OF-2")
    with pytest.raises(ValidationError):
        nominate(personas, other, rank="OF-2")
