"""Personal data: an export holds everything on the person and nobody else's; erasure anonymises the
person, revokes and empties their certificate, unlinks named answers, deactivates their account, keeps
the counts true and is audited; the retention job erases those past the period, once."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from icihub import testing
from icihub.accounts.models import User
from icihub.audit.models import AuditEvent
from icihub.certificates import services as certificates
from icihub.delivery.models import Completion
from icihub.nominations import services as nominations
from icihub.nominations.models import Nomination, Person
from icihub.operations import privacy
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


@pytest.fixture
def graduate(personas, settings, tmp_path):
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    iteration = testing.make_iteration(capacity=4)
    testing.seats_for(iteration, {"KWT": 2}, personas=personas)
    participant = personas["participant"]
    participant.email = "yousef@mod.example.kw"
    participant.save()
    mine = nominations.nominate(
        actor=personas["poc_kwt"],
        iteration=iteration,
        person_data=testing.person_data(family_name="Al-Rashidi", email=participant.email),
        source="test",
    )
    other = nominations.nominate(
        actor=personas["poc_kwt"],
        iteration=iteration,
        person_data=testing.person_data(family_name="Al-Enezi"),
        source="test",
    )
    Iteration.objects.filter(pk=iteration.pk).update(status=Iteration.Status.COMPLETED)
    for nomination in (mine, other):
        Completion.objects.create(nomination=nomination, completed=True, attendance_pct=100)
    certificate = certificates.issue(actor=personas["registrar"], nomination=mine, source="test")
    return mine.person, other.person, certificate, iteration


def test_an_export_holds_everything_on_the_person_and_nothing_of_others(graduate):
    person, other, certificate, iteration = graduate
    data = privacy.export(person)
    assert data["person"]["family_name"] == "Al-Rashidi" and data["person"]["email"] == "yousef@mod.example.kw"
    [nomination] = data["nominations"]
    assert nomination["iteration"] == iteration.code and nomination["completion"]["completed"] is True
    assert nomination["certificate"]["number"] == certificate.number
    assert "Al-Enezi" not in json.dumps(data, default=str)
    out = StringIO()
    call_command("privacy", "export", str(person.public_id), stdout=out)
    assert json.loads(out.getvalue())["person"]["id"] == str(person.public_id)


def test_erasure_anonymises_and_keeps_the_counts_true(graduate, personas):
    person, other, certificate, iteration = graduate
    confirmed = Nomination.objects.filter(iteration=iteration, status="confirmed").count()
    call_command("privacy", "erase", "yousef@mod.example.kw", "--reason", "Asked by the person", stdout=StringIO())
    person.refresh_from_db()
    assert (person.family_name, person.given_names, person.position) == ("—", "—", "")
    assert person.email.startswith("erased-") and "yousef" not in json.dumps(privacy.export(person), default=str)
    assert Nomination.objects.filter(iteration=iteration, status="confirmed").count() == confirmed
    assert Completion.objects.filter(nomination__person=person, completed=True).exists()  # figures stay true
    result = certificates.verify(certificate.number, code=certificate.verification_code)
    assert result.status == "revoked" and result.holder == "—"
    assert certificates.verify(certificate.number).holder == ""  # the number alone names nobody
    participant = User.objects.get(pk=personas["participant"].pk)
    assert not participant.is_active and participant.email == ""
    other.refresh_from_db()
    assert other.family_name == "Al-Enezi"  # nobody else is touched
    event = AuditEvent.objects.get(action="person.erased")
    assert event.after["reason"] == "Asked by the person" and "Al-Rashidi" not in json.dumps(event.after)
    with pytest.raises(CommandError, match="reason"):
        call_command("privacy", "erase", str(other.public_id), "--reason", " ")
    with pytest.raises(CommandError, match="No person"):
        call_command("privacy", "erase", "nobody@example.org", "--reason", "x")


def test_the_retention_job_erases_those_past_the_period_once(graduate, settings):
    person, other, _certificate, iteration = graduate
    settings.ICIHUB_RETENTION_YEARS = 5
    Person.objects.update(created_at=timezone.now() - datetime.timedelta(days=6 * 366))
    today = timezone.localdate()
    assert privacy.apply_retention(today) == 0  # their course ended recently
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=today.replace(year=today.year - 6) - datetime.timedelta(days=4),
        end_date=today.replace(year=today.year - 6),
    )
    out = StringIO()
    call_command("privacy", "retain", "--today", today.isoformat(), stdout=out)
    assert "2 persons erased" in out.getvalue()
    assert Person.objects.filter(email__startswith="erased-").count() == 2
    assert privacy.apply_retention(today) == 0  # nothing more the next day
    assert AuditEvent.objects.filter(action="person.erased", source="job").count() == 2
