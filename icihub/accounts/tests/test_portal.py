"""The participant's own page: their courses, joining instructions, attendance and completion, and
certificates, and nothing of anyone else's; other roles are sent to their own lists."""

import pytest
from django.test import Client

from icihub import testing
from icihub.certificates import services as certificates
from icihub.delivery import joining
from icihub.delivery.models import Completion
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"


def test_a_participant_sees_their_courses_and_certificates_only(personas, client_for):
    participant = personas["participant"]
    participant.email = "participant@mod.example.kw"
    participant.save()
    past = testing.make_iteration(capacity=4)
    upcoming = testing.make_iteration(capacity=4, weeks_ahead=20)
    for iteration in (past, upcoming):
        testing.seats_for(iteration, {"KWT": 2}, personas=personas)
    mine = [
        nominations.nominate(
            actor=personas["poc_kwt"],
            iteration=iteration,
            person_data=testing.person_data(email=participant.email),
            source="test",
        )
        for iteration in (past, upcoming)
    ]
    colleague = nominations.nominate(
        actor=personas["poc_kwt"], iteration=past, person_data=testing.person_data(), source="test"
    )
    joining.save(
        actor=personas["registrar"],
        iteration=upcoming,
        data={"venue_en": "Gate 3, Salwa", "venue_ar": "البوابة 3، سلوى"},
        source="test",
    )
    Iteration.objects.filter(pk=past.pk).update(status=Iteration.Status.COMPLETED)
    for nomination in (mine[0], colleague):
        Completion.objects.create(nomination=nomination, completed=True, attendance_pct=100)
    own = certificates.issue(actor=personas["registrar"], nomination=mine[0], source="test")
    theirs = certificates.issue(actor=personas["registrar"], nomination=colleague, source="test")

    page = client_for(participant).get("/en/my/").content.decode()
    assert past.code in page and upcoming.code in page
    assert f"/en/iterations/{upcoming.code}/joining/" in page
    assert f"/en/certificates/{own.number}.pdf" in page and own.number in page
    assert theirs.number not in page and colleague.person.family_name not in page
    assert client_for(participant).get(f"/en/certificates/{theirs.number}.pdf").status_code == 404
    arabic = client_for(participant).get("/ar/my/").content.decode()
    assert 'dir="rtl"' in arabic and "دوراتي" in arabic and "الشهادات" in arabic


def test_other_roles_go_to_their_lists(personas, client_for):
    for persona in ("poc_kwt", "registrar", "hq_observer"):
        response = client_for(personas[persona]).get("/en/my/")
        assert response.status_code == 302 and response["Location"].endswith("/en/nominations/"), persona
    assert "/accounts/login/" in Client().get("/en/my/")["Location"]


@pytest.mark.parametrize(
    ("persona", "lands_on"),
    [
        ("poc_kwt", "/en/reports/"),
        ("registrar", "/en/reports/"),
        ("hq_observer", "/en/reports/"),
        ("instructor", "/en/reports/"),
        ("participant", "/en/my/"),
    ],
)
def test_a_log_in_lands_on_the_role_s_first_page(personas, client_for, persona, lands_on):
    client = client_for(personas[persona])
    start = client.get("/en/start/")
    assert start.status_code == 302 and start["Location"] == lands_on
    assert client.get(lands_on).status_code == 200


def test_the_log_in_form_sends_a_point_of_contact_to_the_reports(personas):
    client = Client()
    response = client.post("/en/accounts/login/", {"username": "poc-kwt", "password": testing.PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/start/"
    assert client.get("/en/start/", follow=True).redirect_chain[-1][0] == "/en/reports/"
