"""Who sees and does what in the seat workflow, on pages and the API: the matrix of personas x
objects x actions. A point of contact sees and acts only for their own nation; staff see all."""

import pytest

from icihub import testing
from icihub.nominations import services
from icihub.nominations.models import Nomination, SeatAllocation, Status

pytestmark = pytest.mark.django_db
STAFF = {"centre_admin", "registrar", "course_director", "instructor", "hq_observer"}
DECIDERS = {"centre_admin", "registrar", "course_director"}


@pytest.fixture
def world(personas):
    """One open iteration of a two-step course with a Kuwaiti and a Qatari nomination each."""
    course = testing.make_course(two_step_application=True)
    iteration = testing.seats_for(testing.make_iteration(course, capacity=6), {"KWT": 2, "QAT": 2}, personas=personas)
    kuwaiti = services.nominate(
        actor=personas["poc_kwt"],
        iteration=iteration,
        person_data=testing.person_data(email="participant@mod.example.kw"),
        source="test",
    )
    qatari = services.nominate(
        actor=personas["poc_qat"],
        iteration=iteration,
        person_data=testing.person_data(email="officer@qa.example"),
        source="test",
    )
    participant = personas["participant"]
    participant.email = "participant@mod.example.kw"
    participant.save()
    return {"iteration": iteration, "KWT": kuwaiti, "QAT": qatari}


# Which nominations each persona sees: staff all, a point of contact their nation's, the participant
# their own (matched by e-mail), everyone else none.
EXPECTED = {name: {"KWT", "QAT"} for name in STAFF} | {
    "poc_kwt": {"KWT"},
    "poc_qat": {"QAT"},
    "poc_sau": set(),
    "poc_gcc": set(),
    "participant": {"KWT"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_persona_sees_exactly_the_nominations_of_its_scope(name, personas, world, api_for, client_for):
    user = personas[name]
    api = api_for(user)
    listed = {row["party"] for row in api.get("/api/nominations/").json()["results"]}
    assert listed == EXPECTED[name]
    page = client_for(user).get("/en/nominations/").content.decode()
    for nation in ("KWT", "QAT"):
        nomination = world[nation]
        assert (world[nation].person.full_name in page) == (nation in EXPECTED[name])
        expected = 200 if nation in EXPECTED[name] else 404
        assert api.get(f"/api/nominations/{nomination.public_id}/").status_code == expected
        assert client_for(user).get(f"/en/nominations/{nomination.public_id}/").status_code == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_persona_sees_only_its_allocations(name, personas, world, api_for):
    rows = api_for(personas[name]).get(f"/api/iterations/{world['iteration'].code}/allocations/").json()
    expected = {"KWT", "QAT"} if name in STAFF else {"poc_kwt": {"KWT"}, "poc_qat": {"QAT"}}.get(name, set())
    assert {row["party"] for row in rows} == expected


def test_a_point_of_contact_cannot_act_on_another_nations_nomination(personas, world, api_for, client_for):
    qatari = world["QAT"]
    api = api_for(personas["poc_kwt"])
    for action in ("withdraw", "replace", "approve", "reject", "defer"):
        assert api.post(f"/api/nominations/{qatari.public_id}/{action}/", {}, format="json").status_code == 404
    response = client_for(personas["poc_kwt"]).post(f"/en/nominations/{qatari.public_id}/", {"action": "withdraw"})
    assert response.status_code == 404
    qatari.refresh_from_db()
    assert qatari.status == Status.SUBMITTED


@pytest.mark.parametrize("name", sorted(STAFF | {"poc_kwt", "participant"}))
def test_only_seat_managers_decide(name, personas, world, api_for):
    response = api_for(personas[name]).post(f"/api/nominations/{world['KWT'].public_id}/approve/")
    if name in DECIDERS:
        assert response.status_code == 200 and response.json()["status"] == Status.CONFIRMED
    elif name in STAFF or name == "poc_kwt":
        assert response.status_code == 403
    else:
        assert response.status_code == 404 if name != "participant" else 403


@pytest.mark.parametrize("name", ["registrar", "instructor", "hq_observer", "participant"])
def test_only_points_of_contact_nominate(name, personas, world, api_for):
    body = {"iteration": world["iteration"].code, "person": testing.person_data()}
    assert api_for(personas[name]).post("/api/nominations/", body, format="json").status_code in (403, 404)
    assert Nomination.objects.count() == 2


def test_a_point_of_contact_nominates_only_for_their_own_nation(personas, world, api_for):
    body = {"iteration": world["iteration"].code, "person": testing.person_data(nation="QAT")}
    response = api_for(personas["poc_kwt"]).post("/api/nominations/", body, format="json")
    assert response.status_code == 201
    assert response.json()["person"]["nation"] == "KWT" and response.json()["party"] == "KWT"


def test_persons_of_another_nation_are_not_found(personas, world, api_for):
    qatari = world["QAT"].person
    api = api_for(personas["poc_kwt"])
    assert api.get(f"/api/persons/{qatari.public_id}/").status_code == 404
    assert api.patch(f"/api/persons/{qatari.public_id}/", {"rank": "OF-5"}, format="json").status_code == 404
    body = {"iteration": world["iteration"].code, "person_id": str(qatari.public_id)}
    assert api.post("/api/nominations/", body, format="json").status_code == 404
    assert {p["email"] for p in api.get("/api/persons/").json()["results"]} == {"participant@mod.example.kw"}


def test_only_seat_managers_allocate_and_adjust(personas, world, api_for):
    code = world["iteration"].code
    for name in ("poc_kwt", "instructor", "hq_observer"):
        api = api_for(personas[name])
        assert api.post(f"/api/iterations/{code}/allocate/").status_code == 403
        body = {"party": "KWT", "seats": 4}
        assert api.post(f"/api/iterations/{code}/adjust-allocation/", body, format="json").status_code == 403
    assert SeatAllocation.objects.get(nation__code="KWT").seats == 2
    response = api_for(personas["registrar"]).post(
        f"/api/iterations/{code}/adjust-allocation/", {"party": "KWT", "seats": 3}, format="json"
    )
    assert response.status_code == 200 and response.json()["seats"] == 3


def test_planned_iterations_are_hidden_outside_the_centre(personas, api_for, client_for):
    planned = testing.make_iteration(status="planned")
    assert api_for(personas["registrar"]).get(f"/api/iterations/{planned.code}/").status_code == 200
    assert api_for(personas["poc_kwt"]).get(f"/api/iterations/{planned.code}/").status_code == 404
    assert client_for(None).get(f"/en/iterations/{planned.code}/").status_code == 404


def test_an_iteration_of_a_course_not_releasable_to_a_nation_is_not_found(personas, api_for):
    iteration = testing.make_iteration(testing.make_course(**testing.RELEASABILITY["kuwait_only"]))
    assert api_for(personas["poc_kwt"]).get(f"/api/iterations/{iteration.code}/").status_code == 200
    assert api_for(personas["poc_qat"]).get(f"/api/iterations/{iteration.code}/").status_code == 404
    body = {"iteration": iteration.code, "person": testing.person_data()}
    assert api_for(personas["poc_qat"]).post("/api/nominations/", body, format="json").status_code == 404


class TestTheNegativeQuartet:
    def test_anonymous_is_sent_to_log_in_or_told_to_authenticate(self, world, client_for, api_for):
        nomination = world["KWT"]
        assert client_for(None).get(f"/en/nominations/{nomination.public_id}/").status_code == 302
        assert api_for(None).get(f"/api/nominations/{nomination.public_id}/").status_code == 401

    def test_read_only_roles_get_403_on_writes(self, personas, world, api_for):
        api = api_for(personas["hq_observer"])
        assert api.post(f"/api/nominations/{world['KWT'].public_id}/withdraw/").status_code == 403
        assert (
            api.patch(f"/api/iterations/{world['iteration'].code}/", {"capacity": 9}, format="json").status_code == 403
        )

    def test_a_wrong_method_is_405(self, personas, world, api_for, client_for):
        api = api_for(personas["registrar"])
        assert api.delete(f"/api/iterations/{world['iteration'].code}/").status_code == 405
        assert api.get(f"/api/nominations/{world['KWT'].public_id}/withdraw/").status_code == 405
        assert (
            client_for(personas["registrar"]).get(f"/en/iterations/{world['iteration'].code}/act/").status_code == 405
        )

    def test_a_malformed_or_unknown_id_is_404(self, personas, api_for, client_for):
        api = api_for(personas["registrar"])
        assert api.get("/api/nominations/not-a-uuid/").status_code == 404
        assert api.get("/api/nominations/00000000-0000-0000-0000-000000000000/").status_code == 404
        assert api.get("/api/iterations/NO-SUCH-A-27/").status_code == 404
        assert client_for(personas["registrar"]).get("/en/iterations/NO-SUCH-A-27/").status_code == 404
