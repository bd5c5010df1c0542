"""The personal-data page: only the centre administrator finds, exports and erases a person, each
after a step-up; the export is audited as a sensitive read; erasure needs a reason and the tick, and
changes nothing without them."""

import json
import time

import pytest
from django.test import Client

from icihub import testing
from icihub.accounts.security import PROVED_AT
from icihub.audit.models import AuditEvent
from icihub.nominations import services as nominations
from icihub.nominations.models import Person
from icihub.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuwaiti(personas):
    iteration = testing.make_iteration(capacity=4)
    testing.seats_for(iteration, {"KWT": 2}, personas=personas)
    nomination = nominations.nominate(
        actor=personas["poc_kwt"],
        iteration=iteration,
        person_data=testing.person_data(family_name="Al-Rashidi", email="rashidi@mod.example.kw"),
        source="test",
    )
    return nomination.person


def _admin(*, proved_minutes_ago=0):
    client = Client()
    assert client.post("/en/accounts/login/", {"username": "centre-admin", "password": PASSWORD}).status_code == 302
    session = client.session
    session[PROVED_AT] = int(time.time()) - proved_minutes_ago * 60
    session.save()
    return client


@pytest.mark.parametrize(
    "name", ["registrar", "course_director", "instructor", "poc_kwt", "hq_observer", "participant"]
)
def test_only_the_centre_administrator_handles_personal_data(personas, client_for, kuwaiti, name):
    client = client_for(personas[name])
    assert client.get("/en/staff/privacy/?q=Al-Rashidi").status_code == 403
    assert client.get(f"/en/staff/privacy/{kuwaiti.public_id}/export.json").status_code == 403
    erase = client.post(f"/en/staff/privacy/{kuwaiti.public_id}/erase/", {"reason": "x", "understood": "yes"})
    assert erase.status_code == 403
    assert Person.objects.get(pk=kuwaiti.pk).family_name == "Al-Rashidi"
    assert "/staff/privacy/" not in client.get("/en/").content.decode()  # no link either


def test_anonymous_is_sent_to_log_in(kuwaiti):
    assert "/accounts/login/" in Client().get(f"/en/staff/privacy/{kuwaiti.public_id}/export.json")["Location"]


def test_find_by_name_email_or_id(personas, kuwaiti):
    client = _admin()
    for query in ("rashidi", "RASHIDI@mod.example.kw", str(kuwaiti.public_id)):
        page = client.get("/en/staff/privacy/", {"q": query}).content.decode()
        assert str(kuwaiti.public_id) in page, query
    assert "No person matches." in client.get("/en/staff/privacy/", {"q": "nobody"}).content.decode()
    assert "/en/staff/privacy/" in client.get("/en/").content.decode()
    assert 'dir="rtl"' in client.get("/ar/staff/privacy/", {"q": "rashidi"}).content.decode()


def test_export_needs_a_step_up_and_is_audited(personas, kuwaiti):
    client = _admin(proved_minutes_ago=60)
    url = f"/en/staff/privacy/{kuwaiti.public_id}/export.json"
    asked = client.get(url)
    assert "/accounts/confirm/" in asked["Location"] and not AuditEvent.objects.filter(action="person.exported")
    client.post("/en/accounts/confirm/", {"password": PASSWORD, "next": url})
    download = client.get(url)
    assert download["Content-Disposition"].startswith(f'attachment; filename="person-{kuwaiti.public_id}')
    data = json.loads(download.content)
    assert data["person"]["family_name"] == "Al-Rashidi" and len(data["nominations"]) == 1
    event = AuditEvent.objects.get(action="person.exported")
    assert event.actor == personas["centre_admin"] and event.object_id == str(kuwaiti.pk)


def test_erasure_needs_the_reason_the_tick_and_a_step_up(personas, kuwaiti):
    url = f"/en/staff/privacy/{kuwaiti.public_id}/erase/"
    stale = _admin(proved_minutes_ago=60)
    assert "/accounts/confirm/" in stale.post(url, {"reason": "Asked by the person", "understood": "yes"})["Location"]
    client = _admin()
    for incomplete in ({"reason": "Asked by the person"}, {"understood": "yes", "reason": "  "}):
        page = client.post(url, incomplete, follow=True).content.decode()
        assert "erasure" in page and Person.objects.get(pk=kuwaiti.pk).family_name == "Al-Rashidi"
    assert not AuditEvent.objects.filter(action="person.erased")
    done = client.post(url, {"reason": "Asked by the person", "understood": "yes"}, follow=True).content.decode()
    assert "was erased" in done and "Erased." in done
    person = Person.objects.get(pk=kuwaiti.pk)
    assert person.family_name == "—" and person.email.startswith("erased-")
    assert AuditEvent.objects.get(action="person.erased").after["reason"] == "Asked by the person"
