"""The seat workflow's pages in English and Arabic: what a point of contact and the staff do there."""

import datetime
import io

import pytest
from django.utils import timezone

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.nominations import services
from icihub.nominations.models import CalendarFeed, Nomination, SeatAllocation, Status
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


@pytest.fixture
def iteration(personas):
    return testing.seats_for(testing.make_iteration(capacity=5), {"KWT": 2, "QAT": 2}, personas=personas)


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


class TestPointOfContactPages:
    def test_the_iteration_list_shows_my_seats(self, personas, iteration, client_for):
        text = page(client_for(personas["poc_kwt"]).get("/en/iterations/"))
        assert iteration.code in text and "My seats" in text and "0 / 2" in text

    def test_the_iteration_page_in_arabic_is_right_to_left(self, personas, iteration, client_for):
        text = page(client_for(personas["poc_kwt"]).get(f"/ar/iterations/{iteration.code}/"))
        assert 'dir="rtl"' in text and iteration.code in text
        # A point of contact sees their own nation's seats and never another nation's.
        assert ">KWT<" in text and ">QAT<" not in text

    def test_nominating_through_the_page(self, personas, iteration, client_for):
        client = client_for(personas["poc_kwt"])
        form = page(client.get(f"/en/iterations/{iteration.code}/nominate/"))
        assert "National priority" in form
        response = client.post(f"/en/iterations/{iteration.code}/nominate/", {**testing.person_data(), "priority": 2})
        assert response.status_code == 302
        nomination = Nomination.objects.get()
        assert (nomination.status, nomination.priority) == (Status.CONFIRMED, 2)
        assert AuditEvent.objects.filter(action="nomination.confirmed", source="web").exists()

    def test_an_ineligible_person_is_shown_every_problem_in_arabic(self, personas, iteration, client_for):
        client = client_for(personas["poc_kwt"])
        response = client.post(
            f"/ar/iterations/{iteration.code}/nominate/",
            {**testing.person_data(rank="OR-3", slp_profile="1111"), "priority": 5},
        )
        text = page(response)
        assert "OR-3" in text and "1111" in text and 'role="alert"' in text
        assert "أدنى من أدنى رتبة مسموح بها" in text  # the eligibility message itself, in Arabic
        assert Nomination.objects.count() == 0

    def test_bulk_upload_reports_rows_and_saves_nothing(self, personas, iteration, client_for):
        client = client_for(personas["poc_kwt"])
        good, bad = testing.person_data(), testing.person_data(rank="OR-1")
        csv = "family_name,given_names,service,rank,email,slp_profile,clearance\n" + "\n".join(
            ",".join(
                row[k] for k in ("family_name", "given_names", "service", "rank", "email", "slp_profile", "clearance")
            )
            for row in (good, bad)
        )
        upload = io.BytesIO(csv.encode())
        upload.name = "nominations.csv"
        text = page(client.post(f"/en/iterations/{iteration.code}/upload/", {"file": upload}))
        assert "Nothing was submitted: 1 problem was found." in text and "below this course&#x27;s minimum" in text
        assert Nomination.objects.count() == 0
        upload = io.BytesIO(csv.split("\n", 2)[0].encode() + b"\n" + csv.split("\n")[1].encode())
        upload.name = "nominations.csv"
        assert client.post(f"/en/iterations/{iteration.code}/upload/", {"file": upload}).status_code == 302
        assert Nomination.objects.get().status == Status.CONFIRMED

    def test_withdraw_and_replace_from_the_nomination_page(self, personas, iteration, client_for):
        client = client_for(personas["poc_kwt"])
        first = services.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
        )
        response = client.post(f"/en/nominations/{first.public_id}/", {"action": "replace", **testing.person_data()})
        substitute = Nomination.objects.get(replaces=first)
        assert response.url.endswith(f"/en/nominations/{substitute.public_id}/")
        client.post(f"/en/nominations/{substitute.public_id}/", {"action": "withdraw", "confirm": "yes"})
        substitute.refresh_from_db()
        assert substitute.status == Status.WITHDRAWN
        assert SeatAllocation.objects.get(nation__code="KWT").confirmed == 0

    def test_bidding_for_seats(self, personas, client_for):
        iteration = testing.make_iteration()
        client_for(personas["poc_qat"]).post(
            f"/en/iterations/{iteration.code}/act/", {"action": "bid", "requested": "3"}
        )
        assert SeatAllocation.objects.get(iteration=iteration).requested == 3


class TestStaffPages:
    def test_the_approval_queue_approves_defers_and_rejects_in_bulk(self, personas, client_for):
        course = testing.make_course(two_step_application=True)
        iteration = testing.seats_for(testing.make_iteration(course), {"KWT": 1}, personas=personas)
        a, b, c = (
            services.nominate(
                actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
            )
            for _ in range(3)
        )
        client = client_for(personas["registrar"])
        assert a.person.full_name in page(client.get("/ar/staff/approvals/"))
        client.post("/en/staff/approvals/", {"action": "defer", "nomination": [str(c.public_id)]})
        client.post("/en/staff/approvals/", {"action": "approve", "nomination": [str(a.public_id), str(b.public_id)]})
        client.post("/en/staff/approvals/", {"action": "reject", "nomination": [str(c.public_id)], "reason": ""})
        statuses = {n.pk: n.status for n in Nomination.objects.all()}
        assert statuses == {a.pk: Status.CONFIRMED, b.pk: Status.WAITLISTED, c.pk: Status.DEFERRED}
        client.post(
            "/en/staff/approvals/",
            {"action": "reject", "nomination": [str(c.public_id)], "reason": "Course full for this nation"},
        )
        assert Nomination.objects.get(pk=c.pk).status == Status.REJECTED

    def test_the_iteration_page_shows_every_nation_and_why_seats_went_where(self, personas, client_for):
        iteration = testing.make_iteration(capacity=4)
        for poc in ("poc_kwt", "poc_qat"):
            services.bid(actor=personas[poc], iteration=iteration, requested=3, source="test")
        client = client_for(personas["registrar"])
        client.post(f"/en/iterations/{iteration.code}/act/", {"action": "allocate"})
        text = page(client.get(f"/en/iterations/{iteration.code}/"))
        assert ">KWT<" in text and ">QAT<" in text and "seat 1 to KWT: guaranteed minimum" in text
        arabic = page(client.get(f"/ar/iterations/{iteration.code}/"))
        assert "المقعد 1 إلى KWT" in arabic and 'dir="rtl"' in arabic
        # A point of contact does not see the explanation, which names other nations.
        assert "guaranteed minimum" not in page(
            client_for(personas["poc_kwt"]).get(f"/en/iterations/{iteration.code}/")
        )

    def test_creating_and_moving_an_iteration(self, personas, client_for):
        course = testing.make_course()
        start = testing.next_sunday(testing.datetime.date(2027, 3, 1))
        client = client_for(personas["registrar"])
        data = {
            "course": course.code,
            "start_date": start.isoformat(),
            "venue": "centre",
            "capacity": "20",
            "nominations_open": "2027-01-01",
            "nominations_close": "2027-02-15",
        }
        response = client.post("/en/staff/iterations/new/", data)
        iteration = Iteration.objects.get()
        assert response.url.endswith(f"/en/iterations/{iteration.code}/")
        assert iteration.code == f"{course.facility_code}-A-27"
        # Four working days from Sunday end on Wednesday.
        assert (iteration.end_date - iteration.start_date).days == 3
        client.post(f"/en/staff/iterations/{iteration.code}/edit/", {**data, "start_date": "2027-03-11"})
        text = page(client.post(f"/en/staff/iterations/{iteration.code}/edit/", {**data, "start_date": "2027-03-12"}))
        assert "2027-03-12 is not a working day" in text

    def test_a_point_of_contact_cannot_reach_staff_pages(self, personas, iteration, client_for):
        client = client_for(personas["poc_kwt"])
        assert client.get("/en/staff/approvals/").status_code == 403
        assert client.get("/en/staff/iterations/new/").status_code == 403
        assert client.get(f"/en/staff/iterations/{iteration.code}/edit/").status_code == 403
        client.post(f"/en/iterations/{iteration.code}/act/", {"action": "allocate"})
        assert not iteration.allocation_record

    def test_list_pages_run_a_fixed_number_of_queries(
        self, personas, iteration, client_for, django_assert_max_num_queries
    ):
        for _ in range(3):
            services.nominate(
                actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
            )
        client = client_for(personas["registrar"])
        for url in ("/en/iterations/", "/en/nominations/", f"/en/iterations/{iteration.code}/", "/api/nominations/"):
            with django_assert_max_num_queries(12):
                client.get(url)


class TestCalendarFeed:
    def test_a_private_feed_lists_confirmed_seats_and_can_be_revoked(self, personas, iteration, client_for):
        services.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
        )
        client = client_for(personas["poc_kwt"])
        text = page(client.post("/en/calendar/", {"action": "new"}))
        url = text.split("<code>")[1].split("</code>")[0]
        token = url.rsplit("/", 1)[1].removesuffix(".ics")
        assert CalendarFeed.objects.get().token_digest != token  # only a digest is stored
        client.logout()
        feed = client.get(f"/calendar/{token}.ics")
        assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
        body = feed.getvalue().decode()
        assert body.count("BEGIN:VEVENT") == 1 and iteration.code in body and "TZID=Asia/Kuwait" in body
        client_for(personas["poc_kwt"]).post("/en/calendar/", {"action": "revoke"})
        assert client.get(f"/calendar/{token}.ics").status_code == 404

    def test_another_nations_feed_shows_none_of_ours(self, personas, iteration, client_for):
        services.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
        )
        text = page(client_for(personas["poc_qat"]).post("/en/calendar/", {"action": "new"}))
        token = text.split("<code>")[1].split("</code>")[0].rsplit("/", 1)[1].removesuffix(".ics")
        assert "BEGIN:VEVENT" not in client_for(None).get(f"/calendar/{token}.ics").getvalue().decode()

    def test_a_feed_holds_the_runs_of_the_last_months_and_later_and_parses(self, personas, client_for, settings):
        from icalendar import Calendar

        settings.ICIHUB_CALENDAR_FEED_DAYS = 30
        recent = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 2}, personas=personas)
        old = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 2}, personas=personas)
        for run in (recent, old):
            services.nominate(actor=personas["poc_kwt"], iteration=run, person_data=testing.person_data(), source="t")
        today = timezone.localdate()
        Iteration.objects.filter(pk=old.pk).update(
            start_date=today - datetime.timedelta(days=40), end_date=today - datetime.timedelta(days=31)
        )
        text = page(client_for(personas["poc_kwt"]).post("/en/calendar/", {"action": "new"}))
        token = text.split("<code>")[1].split("</code>")[0].rsplit("/", 1)[1].removesuffix(".ics")
        body = client_for(None).get(f"/calendar/{token}.ics").getvalue()
        calendar = Calendar.from_ical(body)  # a stranger's parser reads the streamed pieces as one calendar
        assert [str(event["summary"]).split()[0] for event in calendar.walk("VEVENT")] == [recent.code]
        assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Kuwait"]


def test_a_course_page_lists_its_upcoming_iterations_that_the_reader_may_see(personas, client_for):
    course = testing.make_course()
    shown = testing.make_iteration(course)
    planned = testing.make_iteration(course, status="planned", weeks_ahead=20)
    anonymous = page(client_for(None).get(f"/en/courses/{course.code}/"))
    assert shown.code in anonymous and planned.code not in anonymous
    assert planned.code in page(client_for(personas["registrar"]).get(f"/en/courses/{course.code}/"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"seats": "many"}, "Give a whole number of seats from 0 to 500."),
        ({"seats": "2", "cap": "-1"}, "Give a whole number of seats from 0 to 500."),
        ({"seats": "2", "guaranteed": "99999"}, "Give a whole number of seats from 0 to 500."),
        ({"seats": "0"}, "already has 1 confirmed seats"),
    ],
)
def test_bad_allocation_input_is_reported_and_changes_nothing(personas, iteration, client_for, fields, message):
    services.nominate(actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test")
    row = SeatAllocation.objects.get(iteration=iteration, nation__code="KWT")
    client = client_for(personas["registrar"])
    response = client.post(
        f"/en/iterations/{iteration.code}/act/", {"action": "adjust", "party": "KWT", **fields}, follow=True
    )
    assert message in response.content.decode()
    row.refresh_from_db()
    assert (row.seats, row.cap) == (2, None)


def test_a_point_of_contact_cannot_adjust_allocations_by_guessing_ids(personas, iteration, client_for):
    row = SeatAllocation.objects.get(iteration=iteration, nation__code="QAT")
    response = client_for(personas["poc_kwt"]).post(
        f"/en/iterations/{iteration.code}/act/", {"action": "adjust", "party": "KWT", "seats": "5"}
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.seats == 2


def test_a_point_of_contact_first_sees_the_runs_open_to_their_nation(personas, client_for):
    iteration = testing.make_iteration()  # audience NATO and ICI; Saudi Arabia is in selected ICI activities only
    client = client_for(personas["poc_sau"])
    assert iteration.code not in page(client.get("/en/iterations/"))
    assert iteration.code in page(client.get("/en/iterations/?all=1"))
    assert iteration.code in page(client_for(personas["poc_kwt"]).get("/en/iterations/"))
