"""The seat workflow through its services: nominations, eligibility, the state machine, the waiting
list, allocation, reallocation, expiry, notifications and audit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.errors import Conflict
from icihub.nominations import services
from icihub.nominations.models import Nomination, Person, SeatAllocation, Status
from icihub.planning import services as iteration_services
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


def nominate(personas, iteration, poc="poc_kwt", **person):
    return services.nominate(
        actor=personas[poc],
        iteration=iteration,
        person_data=testing.person_data(**person),
        priority=person.pop("priority", 5) if "priority" in person else 5,
        source="test",
    )


def statuses(iteration):
    return list(Nomination.objects.filter(iteration=iteration).order_by("id").values_list("status", flat=True))


class TestNominating:
    def test_it_confirms_while_the_nation_has_seats_then_waitlists(self, personas):
        iteration = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 2, "QAT": 2}, personas=personas)
        results = [nominate(personas, iteration).status for _ in range(3)]
        assert results == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
        iteration.refresh_from_db()
        assert (iteration.seats_confirmed, iteration.seats_allocated) == (2, 4)
        assert SeatAllocation.objects.get(iteration=iteration, nation__code="QAT").confirmed == 0

    def test_a_nation_without_seats_waits_until_the_pool_opens(self, personas):
        iteration = testing.make_iteration(capacity=2)
        assert nominate(personas, iteration).status == Status.WAITLISTED
        services.open_pool(actor=personas["registrar"], iteration=iteration, source="test")
        assert statuses(iteration) == [Status.CONFIRMED]

    def test_one_person_record_is_reused_across_nominations(self, personas):
        first, second = testing.make_iteration(), testing.make_iteration()
        data = testing.person_data(email="Same.Officer@mod.example.kw")
        services.nominate(actor=personas["poc_kwt"], iteration=first, person_data=data, source="test")
        services.nominate(
            actor=personas["poc_kwt"], iteration=second, person_data={**data, "rank": "OF-4"}, source="test"
        )
        person = Person.objects.get()
        assert (person.email, person.rank, person.nominations.count()) == ("same.officer@mod.example.kw", "OF-4", 2)

    def test_every_broken_rule_is_reported_at_once_and_nothing_is_written(self, personas):
        prerequisite = testing.make_course(title_en="Lessons Learned Staff Officer (ADL)")
        course = testing.make_course(prerequisites=[prerequisite.code], classification="NR", releasable_to_public=False)
        iteration = testing.make_iteration(course)
        persons, events = Person.objects.count(), AuditEvent.objects.count()
        with pytest.raises(ValidationError) as raised:
            nominate(personas, iteration, rank="OR-3", slp_profile="2222", clearance="")
        problems = raised.value.message_dict
        assert problems["rank"] == ["Rank OR-3 is below this course's minimum OR-7."]
        assert problems["slp_profile"] == [
            "Language profile SLP 2222 does not meet this course's SLP 3232 in every skill."
        ]
        assert problems["clearance"] == ["This course needs a NATO RESTRICTED clearance; the person holds none."]
        assert problems["prerequisites"] == [
            f"Prerequisite {prerequisite.code} (Lessons Learned Staff Officer (ADL)) has not been completed by "
            "this person."
        ]
        assert (Person.objects.count(), AuditEvent.objects.count(), Nomination.objects.count()) == (persons, events, 0)

    def test_a_nation_outside_the_audience_is_refused(self, personas):
        course = testing.make_course(releasable_to_frameworks=["ICI", "GCC"], audience_frameworks=["ICI"])
        with pytest.raises(ValidationError) as raised:
            nominate(personas, testing.make_iteration(course), poc="poc_sau")
        assert raised.value.message_dict["nation"] == ["SAU is not in this course's training audience."]

    def test_the_nomination_window_is_enforced(self, personas):
        iteration = testing.make_iteration()
        iteration_services.update_iteration(
            actor=personas["registrar"],
            iteration=iteration,
            source="test",
            data={"nominations_open": iteration.start_date - datetime.timedelta(days=30)},
        )
        with pytest.raises(ValidationError) as raised:
            nominate(personas, iteration)
        assert raised.value.message_dict["iteration"] == [
            f"Nominations for {iteration.code} open on {(iteration.start_date - datetime.timedelta(days=30))}."
        ]

    def test_the_same_person_cannot_be_nominated_twice(self, personas):
        iteration = testing.make_iteration()
        data = testing.person_data()
        services.nominate(actor=personas["poc_kwt"], iteration=iteration, person_data=data, source="test")
        with pytest.raises(ValidationError) as raised:
            services.nominate(actor=personas["poc_kwt"], iteration=iteration, person_data=data, source="test")
        assert raised.value.message_dict["person"] == [f"This person is already nominated for {iteration.code}."]

    def test_a_civilian_needs_no_rank_but_a_military_only_course_refuses_them(self, personas):
        course = testing.make_course(civilians_eligible=False)
        with pytest.raises(ValidationError) as raised:
            nominate(personas, testing.make_iteration(course), service="CIV", rank="")
        assert raised.value.message_dict == {
            "service": ["This course is open to military personnel only, not to civilians."]
        }


class TestTheStateMachine:
    def test_a_two_step_course_waits_for_the_centre(self, personas):
        iteration = testing.seats_for(
            testing.make_iteration(testing.make_course(two_step_application=True)), {"KWT": 1}, personas=personas
        )
        nomination = nominate(personas, iteration)
        assert nomination.status == Status.SUBMITTED
        services.defer(actor=personas["registrar"], nomination=nomination, source="test")
        approved = services.approve(actor=personas["registrar"], nomination=nomination, source="test")
        assert approved.status == Status.CONFIRMED
        actions = list(
            AuditEvent.objects.filter(object_type="nominations.Nomination", object_id=str(nomination.pk)).values_list(
                "action", flat=True
            )
        )
        assert actions == ["nomination.submitted", "nomination.deferred", "nomination.approved", "nomination.confirmed"]

    def test_illegal_transitions_are_refused_with_a_clear_error(self, personas):
        iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
        nomination = nominate(personas, iteration)
        services.withdraw(actor=personas["poc_kwt"], nomination=nomination, source="test")
        with pytest.raises(Conflict, match="A nomination that is withdrawn cannot become withdrawn."):
            services.withdraw(actor=personas["poc_kwt"], nomination=nomination, source="test")
        other = nominate(personas, iteration)
        with pytest.raises(Conflict, match="A nomination that is confirmed cannot become approved."):
            services.approve(actor=personas["registrar"], nomination=other, source="test")

    def test_a_rejection_needs_a_reason(self, personas):
        nomination = nominate(personas, testing.make_iteration(testing.make_course(two_step_application=True)))
        with pytest.raises(ValidationError):
            services.reject(actor=personas["registrar"], nomination=nomination, reason=" ", source="test")
        services.reject(actor=personas["registrar"], nomination=nomination, reason="Rank too junior", source="test")
        nomination.refresh_from_db()
        assert (nomination.status, nomination.reason) == (Status.REJECTED, "Rank too junior")

    def test_a_substitute_takes_over_the_seat(self, personas):
        iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
        original = nominate(personas, iteration)
        substitute = services.replace(
            actor=personas["poc_kwt"], nomination=original, person_data=testing.person_data(), source="test"
        )
        original.refresh_from_db()
        assert (original.status, substitute.status) == (Status.REPLACED, Status.CONFIRMED)
        assert substitute.replaces == original and substitute.allocation == SeatAllocation.objects.get()
        iteration.refresh_from_db()
        assert iteration.seats_confirmed == 1

    def test_an_ineligible_substitute_is_refused_and_the_seat_stays(self, personas):
        iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
        original = nominate(personas, iteration)
        with pytest.raises(ValidationError):
            services.replace(
                actor=personas["poc_kwt"],
                nomination=original,
                person_data=testing.person_data(rank="OR-2"),
                source="test",
            )
        original.refresh_from_db()
        assert original.status == Status.CONFIRMED

    def test_undecided_nominations_expire_after_the_deadline(self, personas):
        iteration = testing.make_iteration(testing.make_course(two_step_application=True))
        nomination = nominate(personas, iteration)
        assert services.run_seat_jobs(today=iteration.decision_deadline)["expired"] == 0
        day_after = iteration.decision_deadline + datetime.timedelta(days=1)
        assert services.run_seat_jobs(today=day_after)["expired"] == 1
        nomination.refresh_from_db()
        assert nomination.status == Status.EXPIRED


class TestTheWaitingList:
    def test_a_freed_seat_goes_to_the_first_by_priority_then_time(self, personas):
        iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
        holder = nominate(personas, iteration)
        early = services.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), priority=5, source="test"
        )
        first_choice = services.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), priority=1, source="test"
        )
        services.withdraw(actor=personas["poc_kwt"], nomination=holder, source="test")
        early.refresh_from_db()
        first_choice.refresh_from_db()
        assert (first_choice.status, early.status) == (Status.CONFIRMED, Status.WAITLISTED)

    def test_a_rejected_seat_holder_frees_the_seat_for_the_waiting_list(self, personas):
        iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
        holder, waiting = nominate(personas, iteration), nominate(personas, iteration)
        services.reject(actor=personas["registrar"], nomination=holder, reason="Failed vetting", source="test")
        waiting.refresh_from_db()
        assert waiting.status == Status.CONFIRMED

    def test_six_weeks_out_unfilled_seats_go_to_other_nations_waiting(self, personas):
        iteration = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 2, "QAT": 2}, personas=personas)
        nominate(personas, iteration)  # KWT fills one of two
        qatari = [nominate(personas, iteration, poc="poc_qat") for _ in range(4)]
        assert [n.status for n in qatari] == [Status.CONFIRMED] * 2 + [Status.WAITLISTED] * 2
        early = iteration.reallocation_date - datetime.timedelta(days=1)
        assert services.run_seat_jobs(today=early)["reallocated"] == 0
        assert services.run_seat_jobs(today=iteration.reallocation_date)["reallocated"] == 1
        iteration.refresh_from_db()
        assert (iteration.seats_confirmed, iteration.seats_allocated, iteration.pool_open_to_all) == (4, 4, True)
        assert statuses(iteration).count(Status.CONFIRMED) == 4
        # Idempotent: a second run changes nothing.
        events = AuditEvent.objects.count()
        assert services.run_seat_jobs(today=iteration.reallocation_date)["reallocated"] == 0
        assert AuditEvent.objects.count() == events

    def test_after_reallocation_a_withdrawn_seat_returns_to_the_pool(self, personas):
        iteration = testing.seats_for(testing.make_iteration(capacity=2), {"KWT": 1, "QAT": 1}, personas=personas)
        kuwaiti = nominate(personas, iteration)
        nominate(personas, iteration, poc="poc_qat")
        services.run_seat_jobs(today=iteration.reallocation_date)
        waiting = nominate(personas, iteration, poc="poc_qat")
        assert waiting.status == Status.WAITLISTED
        services.withdraw(actor=personas["poc_kwt"], nomination=kuwaiti, source="test")
        waiting.refresh_from_db()
        assert waiting.status == Status.CONFIRMED
        rows = dict(SeatAllocation.objects.filter(iteration=iteration).values_list("nation__code", "seats"))
        assert rows == {"KWT": 0, "QAT": 2}


class TestAllocation:
    def test_the_allocator_shares_bids_and_explains_every_seat(self, personas):
        # Saudi Arabia is in the audience through the GCC, and weighs as a selected-activities ICI partner.
        iteration = testing.make_iteration(testing.make_course(audience_frameworks=["ICI", "GCC"]), capacity=7)
        for poc, requested in (("poc_kwt", 5), ("poc_qat", 5), ("poc_sau", 5)):
            services.bid(actor=personas[poc], iteration=iteration, requested=requested, source="test")
        services.allocate_seats(actor=personas["registrar"], iteration=iteration, source="test")
        iteration.refresh_from_db()
        seats = dict(SeatAllocation.objects.filter(iteration=iteration).values_list("nation__code", "seats"))
        # KWT is the host (2 guaranteed); ICI members weigh 3, SAU (selected activities) 2.
        assert seats == {"KWT": 3, "QAT": 2, "SAU": 2}
        assert iteration.seats_allocated == 7
        awards = iteration.allocation_record["awards"]
        assert [a["code"] for a in awards[:2]] == ["KWT", "KWT"]
        assert awards[0]["text"] == "seat 1 to KWT, guaranteed minimum"
        assert len(awards) == 7 and all(a["text"].startswith(f"seat {a['seat']} to ") for a in awards)

    def test_a_capacity_increase_never_takes_a_seat_away_and_moves_the_waiting_list(self, personas):
        iteration = testing.make_iteration(capacity=3)
        for poc in ("poc_kwt", "poc_qat"):
            services.bid(actor=personas[poc], iteration=iteration, requested=3, source="test")
        services.allocate_seats(actor=personas["registrar"], iteration=iteration, source="test")
        before = dict(SeatAllocation.objects.values_list("nation__code", "seats"))
        nominate(personas, iteration, poc="poc_qat")
        waiting = nominate(personas, iteration, poc="poc_qat")
        assert waiting.status == Status.WAITLISTED
        iteration_services.update_iteration(
            actor=personas["registrar"], iteration=iteration, data={"capacity": 6}, source="test"
        )
        after = dict(SeatAllocation.objects.values_list("nation__code", "seats"))
        assert all(after[code] >= seats for code, seats in before.items()) and sum(after.values()) == 6
        waiting.refresh_from_db()
        assert waiting.status == Status.CONFIRMED

    def test_manual_adjustment_cannot_go_below_confirmed_or_beyond_the_pool(self, personas):
        iteration = testing.seats_for(testing.make_iteration(capacity=3), {"KWT": 2}, personas=personas)
        nominate(personas, iteration)
        row = SeatAllocation.objects.get()
        with pytest.raises(ValidationError, match="already has 1 confirmed seats"):
            services.adjust_allocation(actor=personas["registrar"], allocation_row=row, seats=0, source="test")
        with pytest.raises(ValidationError, match="Only 1 seats are left in the common pool"):
            services.adjust_allocation(actor=personas["registrar"], allocation_row=row, seats=4, source="test")
        assert SeatAllocation.objects.get().seats == 2

    def test_the_database_refuses_more_confirmed_seats_than_allocated(self, personas):
        iteration = testing.seats_for(testing.make_iteration(capacity=3), {"KWT": 1}, personas=personas)
        with pytest.raises(IntegrityError), transaction.atomic():
            SeatAllocation.objects.filter(iteration=iteration).update(confirmed=F("seats") + 1)
        with pytest.raises(IntegrityError), transaction.atomic():
            type(iteration).objects.filter(pk=iteration.pk).update(seats_allocated=F("capacity") + 1)

    def test_a_capacity_below_the_allocated_seats_is_refused(self, personas):
        iteration = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 3}, personas=personas)
        with pytest.raises(ValidationError, match="below the 3 seats already allocated"):
            iteration_services.update_iteration(
                actor=personas["registrar"], iteration=iteration, data={"capacity": 2}, source="test"
            )


class TestNotifications:
    def test_the_invitation_is_named_in_english_and_arabic(
        self, personas, mailoutbox, django_capture_on_commit_callbacks
    ):
        from icalendar import Calendar

        with django_capture_on_commit_callbacks(execute=True):
            iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
            nominate(personas, iteration)
        event = Calendar.from_ical(mailoutbox[-1].attachments[0][1]).walk("VEVENT")[0]
        course = iteration.course
        assert str(event["SUMMARY"]) == f"{iteration.code} {course.title_en} / {course.title_ar}"

    def test_a_confirmed_seat_carries_an_invitation_and_a_move_raises_its_sequence(
        self, personas, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
            nominate(personas, iteration)
        invitation = mailoutbox[-1].attachments[0][1]
        assert "METHOD:REQUEST" in invitation and "TZID=Asia/Kuwait" in invitation and "SEQUENCE:" in invitation
        subject = mailoutbox[-1].subject  # both languages, as the body
        assert "is now: confirmed" in subject.lower() and "أصبحت حالة ترشيح" in subject, subject
        uid = [line for line in invitation.splitlines() if line.startswith("UID:")][0]
        first_sequence = int([line for line in invitation.splitlines() if line.startswith("SEQUENCE:")][0][9:])
        with django_capture_on_commit_callbacks(execute=True):
            iteration_services.update_iteration(
                actor=personas["registrar"],
                iteration=iteration,
                source="test",
                data={"start_date": iteration.start_date + datetime.timedelta(days=7)},
            )
        moved = mailoutbox[-1].attachments[0][1]
        assert uid in moved
        assert int([line for line in moved.splitlines() if line.startswith("SEQUENCE:")][0][9:]) > first_sequence
        with django_capture_on_commit_callbacks(execute=True):
            iteration_services.change_status(
                actor=personas["registrar"], iteration=iteration, status="cancelled", source="test"
            )
        assert "METHOD:CANCEL" in mailoutbox[-1].attachments[0][1]
        assert "has been cancelled" in mailoutbox[-1].body

    def test_nothing_is_mailed_when_the_change_is_rolled_back(
        self, personas, mailoutbox, django_capture_on_commit_callbacks
    ):
        iteration = testing.make_iteration()
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            nominate(personas, iteration, rank="OR-1")
        assert mailoutbox == []


def _sequence(invitation: str) -> int:
    return int([line for line in invitation.splitlines() if line.startswith("SEQUENCE:")][0][9:])


class TestNotificationsFromAWorker:
    """ICIHUB_BACKGROUND=worker: the message is queued with the change and sent by `db_worker`."""

    def test_the_message_is_queued_with_the_change_and_says_what_happened_then(
        self, personas, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        from django_tasks_db.models import DBTaskResult

        from icihub.nominations.tasks import send_nomination_mail

        settings.ICIHUB_BACKGROUND = "worker"
        iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
        with django_capture_on_commit_callbacks(execute=True):
            nomination = nominate(personas, iteration)
            # Withdrawn before any worker ran: the first message must still say "Confirmed".
            services.withdraw(actor=personas["poc_kwt"], nomination=nomination, source="test")
        assert mailoutbox == []  # nothing is sent by the request
        queued = list(DBTaskResult.objects.filter(queue_name="mail").order_by("enqueued_at", "id"))
        assert [row.args_kwargs["args"][:3] for row in queued] == [
            [nomination.pk, "status", "request"],
            [nomination.pk, "status", "cancel"],
        ]
        for row in queued:
            send_nomination_mail.call(*row.args_kwargs["args"])
        confirmed, withdrawn = mailoutbox
        assert "is now: confirmed." in confirmed.body and "METHOD:REQUEST" in confirmed.attachments[0][1]
        assert "is now: withdrawn." in withdrawn.body and "METHOD:CANCEL" in withdrawn.attachments[0][1]
        assert _sequence(withdrawn.attachments[0][1]) > _sequence(confirmed.attachments[0][1])
        assert nomination.person.email in confirmed.to

    def test_a_rolled_back_change_queues_nothing(self, personas, settings):
        from django_tasks_db.models import DBTaskResult

        settings.ICIHUB_BACKGROUND = "worker"
        iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
        with pytest.raises(RuntimeError), transaction.atomic():
            nominate(personas, iteration)
            assert DBTaskResult.objects.filter(queue_name="mail").count() == 1
            raise RuntimeError("the request fails after the nomination")
        assert not DBTaskResult.objects.filter(queue_name="mail").exists()
        assert not Nomination.objects.filter(iteration=iteration).exists()

    def test_a_nomination_erased_before_its_message_is_sent_sends_nothing(self, personas, settings, mailoutbox):
        from icihub.nominations.tasks import send_nomination_mail

        state = {"status": "confirmed", "reason": "", "revision": 0, "iteration_revision": 0}
        send_nomination_mail.call(2**31 - 1, "status", "request", state)
        assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_with_workers_a_db_worker_process_sends_the_queued_message(personas, settings):
    import os
    import subprocess
    import sys

    from django_tasks_db.models import DBTaskResult

    settings.ICIHUB_BACKGROUND = "worker"
    iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
    nominate(personas, iteration, family_name="Queued")
    worker = subprocess.run(
        [sys.executable, "-m", "icihub.cli", "db_worker", "--batch", "--queue-name", "mail", "--no-startup-delay"],
        env={
            **os.environ,
            "DATABASE_URL": testing.worker_database_url(),
            "ICIHUB_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    assert f"Subject: [icihub] {iteration.code}: The nomination of" in worker.stdout
    assert "Queued" in worker.stdout and "METHOD:REQUEST" in worker.stdout
    assert DBTaskResult.objects.get(queue_name="mail").status == "SUCCESSFUL"


class TestBulkUpload:
    def test_one_bad_row_and_nobody_is_nominated(self, personas):
        iteration = testing.seats_for(testing.make_iteration(), {"KWT": 3}, personas=personas)
        rows = [(2, testing.person_data()), (3, testing.person_data(rank="OR-1")), (4, testing.person_data(email=""))]
        with pytest.raises(services.ImportRejected) as raised:
            services.import_nominations(actor=personas["poc_kwt"], iteration=iteration, rows=rows)
        assert raised.value.problems == [
            (3, "rank", "Rank OR-1 is below this course's minimum OR-7."),
            (4, "email", "This field is required."),
        ]
        assert (Nomination.objects.count(), Person.objects.count()) == (0, 0)
        iteration.refresh_from_db()
        assert iteration.seats_confirmed == 0

    def test_a_good_file_nominates_everyone(self, personas):
        iteration = testing.seats_for(testing.make_iteration(), {"KWT": 1}, personas=personas)
        rows = [(2, testing.person_data()), (3, {**testing.person_data(), "priority": "2"})]
        done = services.import_nominations(actor=personas["poc_kwt"], iteration=iteration, rows=rows)
        assert [n.status for n in done] == [Status.CONFIRMED, Status.WAITLISTED]
        assert AuditEvent.objects.filter(action="nomination.submitted", source="import").count() == 2


def test_an_organisations_point_of_contact_nominates_for_the_organisation(personas):
    course = testing.make_course(audience_frameworks=["ICI", "GCC"])
    iteration = testing.make_iteration(course)
    services.bid(actor=personas["poc_gcc"], iteration=iteration, requested=2, source="test")
    row = SeatAllocation.objects.get(organisation__code="GCC-SEC")
    services.adjust_allocation(actor=personas["registrar"], allocation_row=row, seats=1, source="test")
    nomination = services.nominate(
        actor=personas["poc_gcc"], iteration=iteration, person_data=testing.person_data(nation="QAT"), source="test"
    )
    assert (nomination.status, nomination.organisation.code, nomination.person.nation.code) == (
        Status.CONFIRMED,
        "GCC-SEC",
        "QAT",
    )
    assert not Nomination.objects.visible_to(personas["poc_qat"]).exists()
    assert list(Nomination.objects.visible_to(personas["poc_gcc"])) == [nomination]
    with pytest.raises(ValidationError, match="Unknown nation"):
        services.nominate(
            actor=personas["poc_gcc"], iteration=iteration, person_data=testing.person_data(nation="XXX"), source="test"
        )


def test_an_iteration_closed_after_it_was_read_refuses_the_nomination_under_the_lock(personas):
    """The checks run before the iteration's lock on the row as the caller read it; if the locked row
    says otherwise (nominations closed meanwhile), they run again, and nothing is written."""
    iteration = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 2}, personas=personas)
    Iteration.objects.filter(pk=iteration.pk).update(status=Iteration.Status.CLOSED)  # `iteration` is stale now
    before = Nomination.objects.count(), Person.objects.count()
    with pytest.raises(ValidationError):
        nominate(personas, iteration)
    assert (Nomination.objects.count(), Person.objects.count()) == before
