"""What users can get wrong, and the seat rules that must hold anyway: bad bodies answer 400 (never
500) and change nothing, bids and seats stay within the audience and the iteration's life."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from icihub import testing
from icihub.errors import Conflict
from icihub.nominations import services
from icihub.nominations.models import Nomination, Person, SeatAllocation, Status
from icihub.planning import services as iteration_services

pytestmark = pytest.mark.django_db


def nominate(personas, iteration, poc="poc_kwt", **person):
    return services.nominate(
        actor=personas[poc], iteration=iteration, person_data=testing.person_data(**person), source="test"
    )


def started_last_week(personas, iteration):
    """Move an iteration (with its nominations) so that it started last Sunday, and mark it running."""
    start = testing.next_sunday(timezone.localdate() - datetime.timedelta(days=14))
    iteration_services.update_iteration(
        actor=personas["registrar"],
        iteration=iteration,
        source="test",
        data={
            "code": f"{iteration.course.facility_code}-Z-{start:%y}",
            "start_date": start,
            "nominations_open": start - datetime.timedelta(days=60),
            "nominations_close": start - datetime.timedelta(days=30),
        },
    )
    iteration_services.change_status(actor=personas["registrar"], iteration=iteration, status="closed", source="test")
    return iteration_services.change_status(
        actor=personas["registrar"], iteration=iteration, status="running", source="test"
    )


def test_a_nation_outside_the_audience_cannot_bid(personas):
    iteration = testing.make_iteration()  # audience NATO and ICI: Saudi Arabia is in selected activities only
    with pytest.raises(ValidationError, match="SAU is not in this course's training audience."):
        services.bid(actor=personas["poc_sau"], iteration=iteration, requested=3, source="test")
    assert not SeatAllocation.objects.exists()


def test_the_host_nation_keeps_its_guarantee_when_it_nominated_before_bidding(personas):
    iteration = testing.make_iteration(capacity=2)
    nominate(personas, iteration)  # waitlisted, and makes Kuwait's allocation row
    services.bid(actor=personas["poc_kwt"], iteration=iteration, requested=2, source="test")
    services.bid(actor=personas["poc_qat"], iteration=iteration, requested=2, source="test")
    services.allocate_seats(actor=personas["registrar"], iteration=iteration, source="test")
    assert dict(SeatAllocation.objects.values_list("nation__code", "seats")) == {"KWT": 2, "QAT": 0}


def test_a_running_iteration_moves_no_seats_and_its_waiting_list_expires(personas):
    iteration = testing.make_iteration(capacity=1)
    services.open_pool(actor=personas["registrar"], iteration=iteration, source="test")
    nominate(personas, iteration)
    waiting = nominate(personas, iteration)
    iteration = started_last_week(personas, iteration)
    iteration_services.update_iteration(
        actor=personas["registrar"], iteration=iteration, data={"capacity": 2}, source="test"
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED
    assert services.run_seat_jobs()["expired"] == 1
    waiting.refresh_from_db()
    assert waiting.status == Status.EXPIRED
    assert services.run_seat_jobs() == {"expired": 0, "reallocated": 0}


def test_an_iteration_cannot_run_before_it_starts(personas):
    iteration = testing.make_iteration()
    iteration_services.change_status(actor=personas["registrar"], iteration=iteration, status="closed", source="test")
    with pytest.raises(Conflict, match=f"starts on {iteration.start_date}"):
        iteration_services.change_status(
            actor=personas["registrar"], iteration=iteration, status="running", source="test"
        )


def test_the_default_decision_deadline_follows_the_close_of_nominations(personas):
    iteration = testing.make_iteration()
    later = iteration.nominations_close + datetime.timedelta(days=7)
    iteration = iteration_services.update_iteration(
        actor=personas["registrar"], iteration=iteration, data={"nominations_close": later}, source="test"
    )
    assert iteration.decision_deadline == later
    with pytest.raises(ValidationError) as raised:
        iteration_services.update_iteration(
            actor=personas["registrar"],
            iteration=iteration,
            source="test",
            data={"decision_deadline": later - datetime.timedelta(days=1)},
        )
    assert raised.value.message_dict == {
        "decision_deadline": ["The decision deadline cannot be before nominations close."]
    }


def test_deciding_later_is_refused_on_a_cancelled_iteration(personas):
    iteration = testing.make_iteration(testing.make_course(two_step_application=True))
    nomination = nominate(personas, iteration)
    iteration_services.change_status(
        actor=personas["registrar"], iteration=iteration, status="cancelled", source="test"
    )
    with pytest.raises(Conflict, match="cancelled"):
        services.defer(actor=personas["registrar"], nomination=nomination, source="test")


def test_registers_of_a_nation_and_an_organisation_are_separate(personas):
    """The GCC Secretariat may register an officer Kuwait registered too, without learning that Kuwait has."""
    data = testing.person_data(email="shared.officer@mod.example.kw")
    services.save_person(actor=personas["poc_kwt"], data=data, source="test")
    services.save_person(actor=personas["poc_gcc"], data={**data, "nation": "KWT"}, source="test")
    assert Person.objects.filter(email="shared.officer@mod.example.kw").count() == 2


def test_a_person_cannot_take_the_e_mail_of_another_in_the_same_register(personas, api_for):
    first = services.save_person(actor=personas["poc_kwt"], data=testing.person_data(), source="test")
    second = services.save_person(actor=personas["poc_kwt"], data=testing.person_data(), source="test")
    response = api_for(personas["poc_kwt"]).patch(
        f"/api/persons/{second.public_id}/", {"email": first.email}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"email": ["Another person you registered has this e-mail."]}


class TestMalformedRequestsAnswer400:
    @pytest.fixture
    def iteration(self, personas):
        return testing.seats_for(
            testing.make_iteration(testing.make_course(two_step_application=True)), {"KWT": 1}, personas=personas
        )

    @pytest.mark.parametrize("body", [[1], "5", {"requested": None}, {"requested": 9999}])
    def test_bids(self, personas, iteration, api_for, body):
        response = api_for(personas["poc_kwt"]).post(f"/api/iterations/{iteration.code}/bid/", body, format="json")
        assert response.status_code == 400
        assert SeatAllocation.objects.get().requested == 1

    @pytest.mark.parametrize("body", [[1], "open", {"status": "finished"}])
    def test_status_changes(self, personas, iteration, api_for, body):
        response = api_for(personas["registrar"]).post(f"/api/iterations/{iteration.code}/status/", body, format="json")
        assert response.status_code == 400

    @pytest.mark.parametrize("body", [{"reason": None}, {"reason": ""}, [1]])
    def test_rejections(self, personas, iteration, api_for, body):
        nomination = nominate(personas, iteration)
        response = api_for(personas["registrar"]).post(
            f"/api/nominations/{nomination.public_id}/reject/", body, format="json"
        )
        assert response.status_code == 400
        assert Nomination.objects.get().status == Status.SUBMITTED

    def test_a_person_given_as_text(self, personas, iteration, api_for):
        response = api_for(personas["poc_kwt"]).post(
            "/api/nominations/", {"iteration": iteration.code, "person": "x", "person.family_name": "y"}
        )
        assert response.status_code == 400
        assert not Nomination.objects.exists()

    def test_huge_seat_numbers(self, personas, iteration, api_for):
        response = api_for(personas["registrar"]).post(
            f"/api/iterations/{iteration.code}/adjust-allocation/",
            {"party": "KWT", "seats": 1, "cap": 70000},
            format="json",
        )
        assert response.status_code == 400

    def test_a_malformed_id_in_the_approval_queue(self, personas, iteration, client_for):
        nominate(personas, iteration)
        response = client_for(personas["registrar"]).post(
            "/en/staff/approvals/", {"action": "approve", "nomination": ["abc"]}
        )
        assert response.status_code == 302
        assert Nomination.objects.get().status == Status.SUBMITTED

    def test_a_csv_field_beyond_the_csv_limit(self, personas, iteration, client_for):
        upload = io.BytesIO(b"family_name,given_names,service,email\n" + b"x" * 200_000 + b",a,N,a@b.example\n")
        upload.name = "big.csv"
        response = client_for(personas["poc_kwt"]).post(f"/en/iterations/{iteration.code}/upload/", {"file": upload})
        assert response.status_code == 200
        assert "Line 2 has a cell longer than 32767 characters." in response.content.decode()


def test_a_cap_can_be_removed(personas, api_for, client_for):
    iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
    api = api_for(personas["registrar"])
    url = f"/api/iterations/{iteration.code}/adjust-allocation/"
    assert api.post(url, {"party": "KWT", "seats": 1, "cap": 2}, format="json").json()["cap"] == 2
    assert api.post(url, {"party": "KWT", "seats": 1}, format="json").json()["cap"] == 2
    assert api.post(url, {"party": "KWT", "seats": 1, "cap": None}, format="json").json()["cap"] is None
    api.post(url, {"party": "KWT", "seats": 1, "cap": 3}, format="json")
    client_for(personas["registrar"]).post(
        f"/en/iterations/{iteration.code}/act/", {"action": "adjust", "party": "KWT", "seats": "1", "cap": ""}
    )
    assert SeatAllocation.objects.get().cap is None


def test_an_iteration_edit_answers_with_its_new_seat_counts(personas, api_for):
    iteration = testing.make_iteration(capacity=2)
    for poc in ("poc_kwt", "poc_qat"):
        services.bid(actor=personas[poc], iteration=iteration, requested=2, source="test")
    services.allocate_seats(actor=personas["registrar"], iteration=iteration, source="test")
    body = (
        api_for(personas["registrar"])
        .patch(f"/api/iterations/{iteration.code}/", {"capacity": 4}, format="json")
        .json()
    )
    assert (body["capacity"], body["seats_allocated"], body["pool"]) == (4, 4, 0)
