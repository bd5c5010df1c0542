"""Checking in with the day's code: staff show one code a day per running course and may replace it; a
participant on that course enters or scans it and is marked present, or late after the grace period,
audited like a mark on the class sheet. Wrong, old and other courses' codes change nothing, a mark
already set is kept, guessing is cut off, and only staff and instructors see the code."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from icihub import testing
from icihub.accounts.models import Role, User
from icihub.audit.models import AuditEvent
from icihub.delivery import checkin, services
from icihub.delivery.models import Attendance, CheckInCode
from icihub.errors import Conflict
from icihub.nominations.models import Status
from icihub.partners.models import Nation
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


def _at(hour: int, minute: int) -> datetime.datetime:
    """Today at this local time."""
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(hour, minute)))


def _code(personas, iteration, **kwargs) -> str:
    return checkin.code_for_today(actor=personas["instructor"], iteration=iteration, source="test", **kwargs).code


def _marked() -> set[tuple[int, str]]:
    return set(Attendance.objects.values_list("nomination", "mark"))


def test_a_participant_checks_in_with_the_code_shown_in_the_classroom(personas, course_today, client_for, settings):
    iteration, (mine, *_others) = course_today
    settings.ICIHUB_CHECK_IN_GRACE_MINUTES = 24 * 60  # on time whenever the test runs
    page = client_for(personas["instructor"]).get(f"/en/staff/iterations/{iteration.code}/check-in/").content.decode()
    code = CheckInCode.objects.get(iteration=iteration, day=timezone.localdate()).code
    assert code in page and "<svg" in page and f"/en/check-in/?code={code}" in page
    client = client_for(personas["participant"])
    form = client.get(f"/en/check-in/?code={code}").content.decode()
    assert f'value="{code}"' in form  # the QR code's address fills the code in
    typed = f" {code[:3].lower()} {code[3:]} "
    page = client.post("/en/check-in/", {"code": typed}, follow=True).content.decode()
    assert "you are marked present today" in page
    assert _marked() == {(mine.pk, "present")}
    event = AuditEvent.objects.get(action="attendance.marked")
    assert (event.actor, event.source, event.after) == (
        personas["participant"],
        "check-in",
        {"day": timezone.localdate().isoformat(), "mark": "present"},
    )


def test_after_the_grace_period_the_participant_is_marked_late(personas, course_today, settings):
    iteration, (mine, *_others) = course_today
    settings.ICIHUB_COURSE_DAY = ("08:00", "14:00")
    settings.ICIHUB_CHECK_IN_GRACE_MINUTES = 15
    code = _code(personas, iteration)
    late = checkin.check_in(user=personas["participant"], code=code, source="check-in", now=_at(8, 16))
    assert (late.mark, late.already_marked) == ("late", False)
    assert _marked() == {(mine.pk, "late")}
    assert not checkin.is_late(_at(8, 15)) and checkin.is_late(_at(8, 16))


def test_on_time_is_present(personas, course_today):
    iteration, (mine, *_others) = course_today
    done = checkin.check_in(
        user=personas["participant"], code=_code(personas, iteration), source="test", now=_at(7, 50)
    )
    assert done.mark == "present" and _marked() == {(mine.pk, "present")}


def test_a_wrong_code_changes_nothing(personas, course_today, client_for):
    iteration, _people = course_today
    right = _code(personas, iteration)
    wrong = "ABCDEF" if right != "ABCDEF" else "ABCDEG"
    response = client_for(personas["participant"]).post("/en/check-in/", {"code": wrong})
    assert response.status_code == 200 and "not today&#x27;s check-in code" in response.content.decode()
    assert not Attendance.objects.exists() and not AuditEvent.objects.filter(action="attendance.marked").exists()


def test_yesterdays_code_is_refused(personas, course_today):
    iteration, _people = course_today
    yesterday = _code(personas, iteration, today=timezone.localdate() - datetime.timedelta(days=1))
    CheckInCode.objects.filter(iteration=iteration, day=timezone.localdate()).delete()
    with pytest.raises(Conflict, match="not today's check-in code"):
        checkin.check_in(user=personas["participant"], code=yesterday, source="test")
    assert not Attendance.objects.exists()


def test_a_code_works_only_for_participants_of_that_course(personas, course_today):
    """The participant's code works for their course only; a Qatari participant with the same e-mail
    as a Kuwaiti participant cannot check in as them."""
    iteration, _people = course_today
    other = testing.make_iteration(capacity=4)
    Iteration.objects.filter(pk=other.pk).update(
        start_date=iteration.start_date, end_date=iteration.end_date, status=Iteration.Status.RUNNING
    )
    other.refresh_from_db()
    with pytest.raises(Conflict, match="not today's check-in code"):
        checkin.check_in(user=personas["participant"], code=_code(personas, other), source="test")
    stranger = User.objects.create_user(
        "qatari-participant",
        role=Role.PARTICIPANT,
        nation=Nation.objects.get(code="QAT"),
        email=personas["participant"].email,
    )
    with pytest.raises(Conflict, match="not today's check-in code"):
        checkin.check_in(user=stranger, code=_code(personas, iteration), source="test")
    assert not Attendance.objects.exists()


def test_a_participant_without_a_confirmed_seat_cannot_check_in(personas, course_today):
    iteration, (*_seated, waiting) = course_today
    assert waiting.status == Status.WAITLISTED
    waiting_user = User.objects.create_user(
        "waiting-participant", role=Role.PARTICIPANT, nation=Nation.objects.get(code="KWT"), email=waiting.person.email
    )
    with pytest.raises(Conflict, match="not today's check-in code"):
        checkin.check_in(user=waiting_user, code=_code(personas, iteration), source="test")
    assert not Attendance.objects.exists()


def test_a_mark_already_set_is_kept(personas, course_today, client_for):
    iteration, (mine, *_others) = course_today
    today = timezone.localdate()
    services.mark(
        actor=personas["instructor"], iteration=iteration, day=today, marks={mine.public_id: "excused"}, source="test"
    )
    code = _code(personas, iteration)
    page = client_for(personas["participant"]).post("/en/check-in/", {"code": code}, follow=True).content.decode()
    assert "You are already marked excused today" in page
    assert _marked() == {(mine.pk, "excused")}
    assert AuditEvent.objects.filter(action="attendance.marked").count() == 1
    again = checkin.check_in(user=personas["participant"], code=code, source="test")
    assert (again.mark, again.already_marked) == ("excused", True)


def test_guessing_is_cut_off_after_the_allowed_wrong_codes(personas, course_today, client_for, settings):
    iteration, _people = course_today
    settings.ICIHUB_CHECK_IN_ATTEMPTS = 3
    right = _code(personas, iteration)
    client = client_for(personas["participant"])
    for guess in ("AAAAAA", "BBBBBB", "not a code"):
        assert client.post("/en/check-in/", {"code": guess}).status_code == 200
    response = client.post("/en/check-in/", {"code": right})  # even the right code: ask the instructor
    assert response.status_code == 429 and "ask the instructor" in response.content.decode()
    assert not Attendance.objects.exists()
    other = User.objects.create_user("another-participant", role=Role.PARTICIPANT)
    with pytest.raises(Conflict, match="not today's check-in code"):  # the limit is each participant's own
        checkin.check_in(user=other, code="CCCCCC", source="test")


def test_a_participant_does_not_gain_the_right_to_mark(personas, course_today):
    iteration, (_mine, other, *_rest) = course_today
    checkin.check_in(user=personas["participant"], code=_code(personas, iteration), source="test")
    with pytest.raises(PermissionDenied):
        services.mark(
            actor=personas["participant"],
            iteration=iteration,
            day=timezone.localdate(),
            marks={other.public_id: "present"},
            source="test",
        )
    with pytest.raises(PermissionDenied):
        checkin.code_for_today(actor=personas["participant"], iteration=iteration, source="test")


def test_the_display_shows_one_code_a_day_and_a_new_code_replaces_it(personas, course_today, client_for):
    iteration, _people = course_today
    client = client_for(personas["registrar"])
    url = f"/en/staff/iterations/{iteration.code}/check-in/"
    first, second = client.get(url).content.decode(), client.get(url).content.decode()
    old = CheckInCode.objects.get().code
    assert len(old) == 6 and set(old) <= set(checkin.ALPHABET) and old in first and old in second
    assert not set(old) & set("0O1IL")
    response = client.post(url, follow=True)
    new = CheckInCode.objects.get().code
    assert new != old and new in response.content.decode() and "no longer works" in response.content.decode()
    assert AuditEvent.objects.filter(action="check_in.code_renewed", object_id=iteration.code).count() == 1
    with pytest.raises(Conflict, match="not today's check-in code"):
        checkin.check_in(user=personas["participant"], code=old, source="test")
    assert checkin.check_in(user=personas["participant"], code=new, source="test").mark in ("present", "late")


def test_the_class_sheet_leads_to_the_code(personas, course_today, client_for):
    iteration, _people = course_today
    page = client_for(personas["instructor"]).get(f"/en/staff/iterations/{iteration.code}/class/").content.decode()
    assert f"/en/staff/iterations/{iteration.code}/check-in/" in page


@pytest.mark.parametrize("situation", ["completed", "not_a_course_day"])
def test_no_code_is_shown_unless_the_course_runs_that_day(situation, personas, course_today, client_for, settings):
    iteration, _people = course_today
    if situation == "completed":
        Iteration.objects.filter(pk=iteration.pk).update(status=Iteration.Status.COMPLETED)
        expected = "the course is not running"
    else:
        settings.ICIHUB_WORKING_WEEK = tuple(day for day in range(7) if day != timezone.localdate().weekday())
        expected = "is not a day of this course"
    url = f"/en/staff/iterations/{iteration.code}/check-in/"
    response = client_for(personas["instructor"]).get(url)
    assert (
        response.status_code == 200
        and expected in response.content.decode()
        and "<svg" not in response.content.decode()
    )
    assert expected in client_for(personas["instructor"]).post(url, follow=True).content.decode()
    assert not CheckInCode.objects.exists()


@pytest.mark.parametrize("name", ["poc_kwt", "poc_qat", "hq_observer", "participant"])
def test_only_staff_and_instructors_see_the_code(name, personas, course_today, client_for):
    iteration, _people = course_today
    client = client_for(personas[name])
    url = f"/en/staff/iterations/{iteration.code}/check-in/"
    assert client.get(url).status_code in (403, 404)
    assert client.post(url).status_code in (403, 404)
    assert not CheckInCode.objects.exists()


def test_the_display_refuses_unknown_iterations_and_other_methods(personas, course_today, client_for):
    iteration, _people = course_today
    client = client_for(personas["instructor"])
    assert client.get("/en/staff/iterations/NO-SUCH-RUN/check-in/").status_code == 404
    assert client.put(f"/en/staff/iterations/{iteration.code}/check-in/").status_code == 405


@pytest.mark.parametrize("name", ["instructor", "registrar", "poc_kwt", "hq_observer"])
def test_only_participants_check_in(name, personas, course_today, client_for):
    iteration, _people = course_today
    code = _code(personas, iteration)
    client = client_for(personas[name])
    assert client.get("/en/check-in/").status_code == 403
    assert client.post("/en/check-in/", {"code": code}).status_code == 403
    assert not Attendance.objects.exists()


def test_the_check_in_page_asks_to_log_in_and_keeps_the_code(client_for):
    response = client_for(None).get("/en/check-in/?code=ABC234")
    assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]
    assert "code%3DABC234" in response["Location"]


def test_the_check_in_page_takes_only_get_and_post(personas, client_for):
    assert client_for(personas["participant"]).delete("/en/check-in/").status_code == 405


def test_the_check_in_page_reads_right_to_left_in_arabic(personas, course_today, client_for):
    page = client_for(personas["participant"]).get("/ar/check-in/?code=ABC234").content.decode()
    assert 'dir="rtl"' in page and 'value="ABC234"' in page


@pytest.mark.django_db(transaction=True)
def test_checking_in_twice_at_once_marks_once(personas, course_today):
    """Eight submissions of the same code at the same moment (a double tap, a flaky network): real
    threads and connections; one mark and one audit event."""
    iteration, (mine, *_others) = course_today
    code = _code(personas, iteration)
    errors, outcomes = [], []
    start = threading.Barrier(8)

    def submit():
        try:
            start.wait()
            outcomes.append(checkin.check_in(user=personas["participant"], code=code, source="test").already_marked)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == [False] + [True] * 7
    assert Attendance.objects.filter(nomination=mine).count() == 1
    assert AuditEvent.objects.filter(action="attendance.marked").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_screens_showing_the_code_at_once_show_the_same_code(personas, course_today):
    iteration, _people = course_today
    errors, codes = [], []
    start = threading.Barrier(6)

    def show():
        try:
            start.wait()
            codes.append(_code(personas, iteration))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=show) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(codes)) == 1 and CheckInCode.objects.count() == 1
    assert AuditEvent.objects.filter(action="check_in.code_created").count() == 1
