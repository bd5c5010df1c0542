"""A nation's frameworks: read once by an instance (the access policy and eligibility both ask on every
nomination), and read again after refresh_from_db, so a membership change is seen by a fresh look."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icihub.partners.models import Framework, Membership, Nation

pytestmark = pytest.mark.django_db


def test_an_instance_reads_its_frameworks_once_a_day_and_again_after_a_refresh(personas):
    saudi = Nation.objects.get(code="SAU")
    framework = Framework.objects.create(code="TST", name_en="Test framework", name_ar="إطار تجريبي")
    with CaptureQueriesContext(connection) as queries:
        before = saudi.framework_codes()
        assert saudi.framework_codes() == before
    assert len(queries) == 1
    Membership.objects.create(nation=saudi, framework=framework)
    assert "TST" not in saudi.framework_codes()  # this instance's memory
    assert "TST" in Nation.objects.get(code="SAU").framework_codes()  # a fresh look
    saudi.refresh_from_db()
    assert saudi.framework_codes() == before | {"TST"}
    # Another day is another question.
    long_ago = datetime.date(1990, 1, 1)
    Membership.objects.filter(framework=framework).update(joined_on=datetime.date(2000, 1, 1))
    assert "TST" not in Nation.objects.get(code="SAU").framework_codes(on=long_ago)


def test_the_returned_set_is_the_callers_own(personas):
    kuwait = Nation.objects.get(code="KWT")
    kuwait.framework_codes().add("NOT-A-FRAMEWORK")
    assert "NOT-A-FRAMEWORK" not in kuwait.framework_codes()
