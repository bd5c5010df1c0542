"""The demo: loads through the services, holds what the issue asks for, and loads twice as once."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from icihub.accounts.models import Role, User
from icihub.audit.models import AuditEvent
from icihub.audit.services import verify_chain
from icihub.catalogue.models import Course
from icihub.demo import data
from icihub.demo.loader import load_demo
from icihub.nominations.models import Status
from icihub.partners.models import Membership, Nation, Organisation


@pytest.mark.django_db
def test_it_loads_the_demo_world(settings):
    load_demo()
    assert set(Nation.objects.values_list("code", flat=True)) >= {
        "KWT",
        "QAT",
        "BHR",
        "ARE",
        "SAU",
        "OMN",
        "IRQ",
        "JOR",
    }
    assert Membership.objects.get(nation__code="SAU", framework__code="ICI").status == "selected"
    assert {"JCBRN-COE", "ENSEC-COE", "JALLC", "MARCOM", "NMIOTC", "NSO", "NDC"} <= set(
        Organisation.objects.values_list("code", flat=True)
    )
    assert Course.objects.count() >= 12
    assert Course.objects.filter(releasable_to_public=False, releasable_to_frameworks__code="NATO").exists()
    assert not Course.objects.filter(title_ar="").exists() and not Course.objects.filter(aim_ar="").exists()
    assert {user.role for user in User.objects.all()} == set(Role.values)
    assert verify_chain() == []


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load_demo()
    events = AuditEvent.objects.count()
    state = sorted(Course.objects.values_list("code", "title_en", "duration_days"))
    passwords = dict(User.objects.values_list("username", "password"))
    load_demo()
    assert AuditEvent.objects.count() == events
    assert sorted(Course.objects.values_list("code", "title_en", "duration_days")) == state
    assert dict(User.objects.values_list("username", "password")) == passwords


@pytest.mark.django_db
def test_the_demo_releasability_holds_for_the_demo_users(client):
    load_demo()
    nato_only = Course.objects.filter(releasable_to_public=False, releasable_to_frameworks__code="NATO").first()
    kwt = User.objects.get(username="poc-kwt")
    client.force_login(kwt)
    assert client.get(f"/en/courses/{nato_only.code}/").status_code == 404
    client.force_login(User.objects.get(username="registrar"))
    assert client.get(f"/en/courses/{nato_only.code}/").status_code == 200
    client.logout()
    assert client.get(f"/en/courses/{nato_only.code}/").status_code == 404


@pytest.mark.django_db
def test_icihub_demo_no_serve_prints_the_log_ins(capsys):
    call_command("demo", no_serve=True)
    output = capsys.readouterr().out
    for spec in data.USERS:
        assert spec["username"] in output
    assert "Demo data loaded" in output


@pytest.mark.django_db
def test_the_demo_has_runs_open_for_nominations_with_seats_and_a_waiting_list(client):
    from icihub.nominations.models import Nomination, SeatAllocation, Status
    from icihub.planning.models import Iteration

    load_demo()
    assert Iteration.objects.filter(status="open").count() >= 3
    assert Iteration.objects.filter(venue="mobile").exists()
    allocated = Iteration.objects.exclude(allocation_record={})
    assert allocated.count() >= 2 and all(
        i.seats_allocated == sum(SeatAllocation.objects.filter(iteration=i).values_list("seats", flat=True))
        for i in allocated
    )
    assert {Status.CONFIRMED, Status.WAITLISTED, Status.SUBMITTED} <= set(
        Nomination.objects.values_list("status", flat=True)
    )
    # The demo participant finds their own nomination.
    client.force_login(User.objects.get(username="participant"))
    assert "Al-Rashidi" in client.get("/en/nominations/").content.decode()
    assert verify_chain() == []


@pytest.mark.django_db
def test_the_demo_has_a_course_that_ran_with_certificates_and_evaluations(client, settings, tmp_path):
    from icihub.certificates.models import Certificate
    from icihub.evaluation.models import Invitation, Response
    from icihub.planning.models import Iteration

    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    load_demo()
    past = Iteration.objects.get(status="completed")
    holders = set(Certificate.objects.filter(nomination__iteration=past).values_list("holder_name", flat=True))
    assert holders == {"OF-3 Yousef Al-Rashidi", "Dalal Al-Mutairi", "OF-3 Khalid Al-Marri", "OF-3 Jassim Al-Kuwari"}
    assert Invitation.objects.filter(nomination__iteration=past).count() == 5  # all but the no-show
    assert Response.objects.filter(iteration=past, nomination__isnull=True).count() == 3
    client.force_login(User.objects.get(username="participant"))
    page = client.get("/en/my/").content.decode()
    assert "Level 1: end-of-course questionnaire" in page and past.code in page
    client.force_login(User.objects.get(username="poc-qat"))
    assert client.get(f"/en/staff/iterations/{past.code}/evaluation/").status_code == 403
    client.force_login(User.objects.get(username="hq"))
    results = client.get(f"/en/staff/iterations/{past.code}/evaluation/").content.decode()
    assert "3 of 5 answered" in results and "(60 %)" in results


@pytest.mark.django_db
def test_the_demo_has_each_partners_programme_with_progress_and_events(client, settings, tmp_path):
    from icihub.programmes import progress
    from icihub.programmes.models import Event, MenuActivity, Programme

    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    load_demo()
    statuses = dict(Programme.objects.values_list("nation__code", "status"))
    assert statuses == {"KWT": "approved", "QAT": "approved", "BHR": "under_review", "ARE": "draft"}
    kuwait = Programme.objects.get(nation__code="KWT")
    result = progress.of(kuwait)
    assert result.trained >= 2 and result.held >= 2 and 0 < result.percent < 100
    assert set(Event.objects.values_list("status", flat=True)) == {"reported", "inviting", "approved", "proposed"}
    assert MenuActivity.objects.count() == len(data.MENU)
    client.force_login(User.objects.get(username="poc-kwt"))
    listing = client.get("/en/programmes/").content.decode()
    assert "Kuwait Individually" in listing and "Qatar Individually" not in listing
    qatar = Programme.objects.get(nation__code="QAT")
    assert client.get(f"/en/programmes/{qatar.public_id}/").status_code == 404
    load_demo()  # again: nothing more
    assert Programme.objects.count() == 4 and Event.objects.count() == len(data.EVENTS)


@pytest.mark.django_db
def test_the_demo_has_a_course_running_this_week_that_the_participant_checks_in_to(client):
    from icihub.delivery import checkin
    from icihub.delivery.models import Attendance
    from icihub.planning.models import Iteration

    load_demo()
    running = Iteration.objects.get(status="running")
    today = timezone.localdate()
    assert running.start_date <= today <= running.end_date or today.weekday() not in settings.ICIHUB_WORKING_WEEK
    assert running.nominations.filter(status=Status.CONFIRMED).count() == len(data.RUNNING_PARTICIPANTS)
    if today.weekday() not in settings.ICIHUB_WORKING_WEEK:
        return  # loaded on a day off: the course runs next week, and check-in waits for its days
    client.force_login(User.objects.get(username="registrar"))
    sheet = client.get(f"/en/staff/iterations/{running.code}/class/")
    assert sheet.status_code == 200
    code = checkin.code_for_today(actor=User.objects.get(username="registrar"), iteration=running, source="test")
    client.force_login(User.objects.get(username="participant"))
    assert checkin.check_in(user=User.objects.get(username="participant"), code=code.code, source="test").mark in {
        "present",
        "late",
    }
    assert Attendance.objects.filter(nomination__iteration=running, day=today).count() == 1
    assert not Attendance.objects.filter(nomination__iteration=running, day__gt=today).exists()
    load_demo()  # again: nothing more
    assert Iteration.objects.filter(status="running").count() == 1
