"""The class sheet: staff and instructors mark a day from the page, staff work out completion and issue
certificates from it; a refused action shows its message and changes nothing; points of contact and
HQ observers cannot open it."""

import datetime

import pytest
from django.utils import timezone

from icihub import testing
from icihub.certificates.models import Certificate
from icihub.delivery.models import Attendance, Completion
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"


@pytest.fixture
def finished(personas):
    """A five-day course that ended on the last Thursday before today, with two Kuwaiti participants."""
    iteration = testing.make_iteration(capacity=4)
    testing.seats_for(iteration, {"KWT": 2}, personas=personas)
    people = [
        nominations.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
        )
        for _ in range(2)
    ]
    end = timezone.localdate() - datetime.timedelta(days=1)
    while end.weekday() != 3:
        end -= datetime.timedelta(days=1)
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=end - datetime.timedelta(days=4), end_date=end, status=Iteration.Status.RUNNING
    )
    iteration.refresh_from_db()
    return iteration, people


def test_a_week_is_marked_assessed_and_certified_from_the_page(personas, finished, client_for):
    iteration, (first, second) = finished
    client = client_for(personas["registrar"])
    url = f"/en/staff/iterations/{iteration.code}/class/"
    days = [iteration.start_date + datetime.timedelta(days=n) for n in range(5)]
    for day in days:
        client.post(url, {"action": "mark_class", "day": day.isoformat()})
    for day in days[:2]:  # the second participant missed the first two days
        client.post(url, {"action": "mark", "day": day.isoformat(), f"mark-{second.public_id}": "absent"})
    assert Attendance.objects.filter(mark="present").count() == 8
    client.post(url, {"action": "assess"})
    assert (
        Completion.objects.get(nomination=first).completed and not Completion.objects.get(nomination=second).completed
    )
    page = client.get(url).content.decode()
    assert "5 / 5" in page and "3 / 5" in page and "below the 80 % required" in page
    client.post(url, {"action": "issue"})
    assert list(Certificate.objects.values_list("nomination", flat=True)) == [first.pk]
    assert Certificate.objects.get().number in client.get(url).content.decode()


def test_a_refused_action_shows_why_and_changes_nothing(personas, finished, client_for):
    iteration, (first, _second) = finished
    client = client_for(personas["instructor"])
    url = f"/en/staff/iterations/{iteration.code}/class/"
    response = client.post(
        url,
        {"action": "mark", "day": iteration.start_date.isoformat(), f"mark-{first.public_id}": "asleep"},
        follow=True,
    )
    assert "is not an attendance mark" in response.content.decode() and not Attendance.objects.exists()
    response = client.post(url, {"action": "override", "nomination": first.public_id, "completed": "yes", "reason": ""})
    assert not Completion.objects.exists()  # instructors mark attendance; they do not decide completion


@pytest.mark.parametrize("name", ["poc_kwt", "hq_observer", "participant"])
def test_only_staff_and_instructors_open_the_class_sheet(name, personas, finished, client_for):
    iteration, (first, _second) = finished
    client = client_for(personas[name])
    url = f"/en/staff/iterations/{iteration.code}/class/"
    assert client.get(url).status_code in (403, 404)
    client.post(url, {"action": "mark_class", "day": iteration.start_date.isoformat()})
    assert not Attendance.objects.exists()


def test_the_class_sheet_reads_right_to_left_in_arabic(personas, finished, client_for):
    iteration, _people = finished
    page = client_for(personas["instructor"]).get(f"/ar/staff/iterations/{iteration.code}/class/").content.decode()
    assert 'dir="rtl"' in page and "حاضر" in page


def test_the_completion_reasons_are_in_the_pages_language(personas, finished, client_for):
    iteration, (_first, second) = finished
    client = client_for(personas["registrar"])
    days = [iteration.start_date + datetime.timedelta(days=n) for n in range(5)]
    url = f"/ar/staff/iterations/{iteration.code}/class/"
    for day in days:
        client.post(url, {"action": "mark_class", "day": day.isoformat()})
    for day in days[:2]:
        client.post(url, {"action": "mark", "day": day.isoformat(), f"mark-{second.public_id}": "absent"})
    client.post(url, {"action": "assess"})
    arabic = client.get(url).content.decode()
    assert "حضر 3 من 5 أيام (60 %)، أقل من نسبة الحضور المطلوبة 80 %" in arabic
    assert "attended" not in arabic and "below the" not in arabic
    english = client.get(url.replace("/ar/", "/en/")).content.decode()
    assert "attended 3 of 5 days (60 %), below the 80 % required" in english


def test_the_iteration_page_leads_staff_to_the_class_sheet_once_the_course_runs(personas, finished, client_for):
    iteration, _people = finished
    page = client_for(personas["instructor"]).get(f"/en/iterations/{iteration.code}/").content.decode()
    assert f"/en/staff/iterations/{iteration.code}/class/" in page
    assert "/class/" not in client_for(personas["poc_kwt"]).get(f"/en/iterations/{iteration.code}/").content.decode()


def test_a_no_show_results_and_the_certificate_are_visible_to_the_point_of_contact_only(personas, finished, client_for):
    iteration, (first, second) = finished
    staff = client_for(personas["registrar"])
    url = f"/en/staff/iterations/{iteration.code}/class/"
    for n in range(5):
        day = (iteration.start_date + datetime.timedelta(days=n)).isoformat()
        staff.post(
            url,
            {"action": "mark", "day": day, f"mark-{first.public_id}": "present", f"mark-{second.public_id}": "absent"},
        )
    staff.post(url, {"action": "scores", "nomination": str(first.public_id), "pre": "45", "post": "85"})
    staff.post(url, {"action": "assess"})
    staff.post(url, {"action": "issue"})
    poc = client_for(personas["poc_kwt"])
    absent = poc.get(f"/en/nominations/{second.public_id}/").content.decode()
    assert "No-show: did not attend" in absent and "0 of 5 days attended" in absent
    present = poc.get(f"/en/nominations/{first.public_id}/").content.decode()
    assert "5 of 5 days attended" in present and Certificate.objects.get().number in present
    assert "No-show" not in present
    assert "pre-test 45 · final test 85" in " ".join(present.split())
    for nomination in (first, second):  # another nation's point of contact sees nothing of them
        assert client_for(personas["poc_qat"]).get(f"/en/nominations/{nomination.public_id}/").status_code == 404


def test_a_mark_changed_after_completion_was_worked_out_changes_it_at_once(personas, finished, client_for):
    iteration, (_first, second) = finished
    client = client_for(personas["registrar"])
    url = f"/en/staff/iterations/{iteration.code}/class/"
    days = [iteration.start_date + datetime.timedelta(days=n) for n in range(5)]
    for day in days:
        client.post(url, {"action": "mark_class", "day": day.isoformat()})
    client.post(url, {"action": "mark", "day": days[0].isoformat(), f"mark-{second.public_id}": "absent"})
    client.post(url, {"action": "mark", "day": days[1].isoformat(), f"mark-{second.public_id}": "absent"})
    client.post(url, {"action": "assess"})
    assert not Completion.objects.get(nomination=second).completed
    client.post(url, {"action": "mark", "day": days[1].isoformat(), f"mark-{second.public_id}": "present"})
    completion = Completion.objects.get(nomination=second)
    assert completion.completed and completion.attendance_pct == 80 and completion.reasons == []
    assert "4 / 5" in client.get(url).content.decode()
