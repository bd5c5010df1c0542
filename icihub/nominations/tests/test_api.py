"""The seat workflow over the API: iterations, bids, allocations, persons and nomination actions, with
the one error format (400 bad input, 409 state forbids it)."""

import pytest

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.nominations.models import Nomination, Status
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


def test_staff_create_open_and_edit_an_iteration(personas, api_for):
    course = testing.make_course()
    api = api_for(personas["registrar"])
    body = {
        "course": course.code,
        "start_date": "2027-04-04",
        "capacity": 24,
        "nominations_open": "2027-01-10",
        "nominations_close": "2027-03-01",
    }
    created = api.post("/api/iterations/", body, format="json")
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    assert (code, created.json()["end_date"], created.json()["status"]) == (
        f"{course.facility_code}-A-27",
        "2027-04-07",
        "planned",
    )
    assert api.post(f"/api/iterations/{code}/status/", {"status": "open"}, format="json").json()["status"] == "open"
    refused = api.post(f"/api/iterations/{code}/status/", {"status": "completed"}, format="json")
    assert refused.status_code == 409
    assert refused.json() == {"detail": f"Iteration {code} is open for nominations and cannot become completed."}
    assert api.patch(f"/api/iterations/{code}/", {"capacity": 30}, format="json").json()["capacity"] == 30
    assert AuditEvent.objects.filter(object_type="planning.Iteration", source="api").count() == 3


def test_bad_iteration_input_is_reported_field_by_field_and_nothing_is_written(personas, api_for):
    course = testing.make_course()
    body = {
        "course": course.code,
        "code": "X1-1-A-27",
        "start_date": "2027-04-09",
        "capacity": 24,
        "nominations_open": "2027-03-01",
        "nominations_close": "2027-02-01",
    }
    response = api_for(personas["registrar"]).post("/api/iterations/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["start_date"] == [
        "2027-04-09 is not a working day; the working week is Sunday, Monday, Tuesday, Wednesday, Thursday."
    ]
    assert errors["nominations_close"] == ["Nominations cannot close before they open."]
    assert Iteration.objects.count() == 0


def test_a_point_of_contact_bids_and_staff_allocate(personas, api_for):
    iteration = testing.make_iteration(capacity=6)
    for poc, requested in (("poc_kwt", 4), ("poc_qat", 4)):
        response = api_for(personas[poc]).post(
            f"/api/iterations/{iteration.code}/bid/", {"requested": requested}, format="json"
        )
        assert response.status_code == 200 and response.json()["requested"] == requested
    assert (
        api_for(personas["registrar"]).post(f"/api/iterations/{iteration.code}/bid/", {"requested": 1}).status_code
        == 403
    )
    rows = api_for(personas["registrar"]).post(f"/api/iterations/{iteration.code}/allocate/").json()
    assert {row["party"]: row["seats"] for row in rows} == {"KWT": 3, "QAT": 3}
    mine = api_for(personas["poc_qat"]).get(f"/api/iterations/{iteration.code}/allocations/").json()
    assert [(row["party"], row["seats"]) for row in mine] == [("QAT", 3)]


def test_nominating_and_acting_through_the_api(personas, api_for):
    iteration = testing.seats_for(
        testing.make_iteration(testing.make_course(two_step_application=True)), {"KWT": 1}, personas=personas
    )
    poc, registrar = api_for(personas["poc_kwt"]), api_for(personas["registrar"])
    person = poc.post("/api/persons/", testing.person_data(), format="json")
    assert person.status_code == 201
    first = poc.post(
        "/api/nominations/", {"iteration": iteration.code, "person_id": person.json()["id"]}, format="json"
    ).json()
    assert first["status"] == "submitted"
    second = poc.post(
        "/api/nominations/",
        {"iteration": iteration.code, "person": testing.person_data(), "priority": 1},
        format="json",
    ).json()
    assert registrar.post(f"/api/nominations/{first['id']}/defer/").json()["status"] == "deferred"
    assert registrar.post(f"/api/nominations/{second['id']}/approve/").json()["status"] == "confirmed"
    no_reason = registrar.post(f"/api/nominations/{first['id']}/reject/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    substitute = poc.post(
        f"/api/nominations/{second['id']}/replace/", {"person": testing.person_data()}, format="json"
    ).json()
    assert substitute["status"] == "confirmed" and substitute["replaces"] == second["id"]
    assert poc.post(f"/api/nominations/{substitute['id']}/withdraw/").json()["status"] == "withdrawn"
    again = poc.post(f"/api/nominations/{substitute['id']}/withdraw/")
    assert again.status_code == 409
    assert again.json() == {"detail": "A nomination that is withdrawn cannot become withdrawn."}
    rejected = registrar.post(f"/api/nominations/{first['id']}/reject/", {"reason": "Incomplete file"}, format="json")
    assert rejected.json()["status"] == "rejected"
    assert Nomination.objects.filter(status=Status.REJECTED, reason="Incomplete file").count() == 1


def test_an_ineligible_nomination_answers_400_with_every_problem(personas, api_for):
    iteration = testing.make_iteration()
    body = {"iteration": iteration.code, "person": testing.person_data(rank="OF-9", slp_profile="1111")}
    response = api_for(personas["poc_kwt"]).post("/api/nominations/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"rank", "slp_profile"}
    assert response.json()["errors"]["rank"] == ["Rank OF-9 is above this course's maximum OF-5."]


def test_the_schema_describes_the_seat_workflow(api_for):
    schema = api_for(None).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/iterations/",
        "/api/iterations/{code}/allocate/",
        "/api/nominations/",
        "/api/nominations/{public_id}/withdraw/",
        "/api/nominations/{public_id}/replace/",
        "/api/persons/",
    ):
        assert path in schema["paths"], path
