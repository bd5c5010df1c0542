"""Joining instructions and reminders: staff write them in both languages (audited); participants and
their points of contact read them, nobody else; reminders go one month and two weeks before, each
once, to confirmed participants and their points of contact only, with catch-up."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.delivery import joining
from icihub.delivery.models import Reminder
from icihub.nominations import services as nominations

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_run(personas):
    """An open iteration 12 weeks out: two Kuwaiti participants confirmed, one on the waiting list."""
    iteration = testing.make_iteration(capacity=4)
    testing.seats_for(iteration, {"KWT": 2}, personas=personas)
    people = [
        nominations.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
        )
        for _ in range(3)
    ]
    return iteration, people


def test_reminders_go_once_a_month_and_two_weeks_before(personas, course_run):
    iteration, (first, second, waiting) = course_run
    assert waiting.status == "waitlisted"
    start = iteration.start_date
    mail.outbox.clear()
    assert joining.send_reminders(start - datetime.timedelta(days=31)) == 0  # not yet
    month = start - datetime.timedelta(days=30)
    with_commit = joining.send_reminders(month)
    assert with_commit == 2 and joining.send_reminders(month) == 0  # again the same day: nothing more
    assert joining.send_reminders(month + datetime.timedelta(days=1)) == 0
    assert sorted(r.nomination_id for r in Reminder.objects.filter(kind="month")) == sorted([first.pk, second.pk])
    assert joining.send_reminders(start - datetime.timedelta(days=14)) == 2
    assert joining.send_reminders(start - datetime.timedelta(days=3)) == 0
    assert Reminder.objects.count() == 4


def test_a_missed_day_catches_up_but_never_sends_the_month_reminder_late(personas, course_run):
    iteration, _people = course_run
    assert joining.send_reminders(iteration.start_date - datetime.timedelta(days=20)) == 2  # month, caught up
    assert joining.send_reminders(iteration.start_date - datetime.timedelta(days=10)) == 2  # fortnight
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"month", "fortnight"}
    late = testing.make_iteration(capacity=2, weeks_ahead=2)
    testing.seats_for(late, {"KWT": 1}, personas=personas)
    nominations.nominate(actor=personas["poc_kwt"], iteration=late, person_data=testing.person_data(), source="test")
    day = late.start_date - datetime.timedelta(days=10)
    assert [n.iteration_id for n in joining.due("month", day)] == []
    assert [n.iteration_id for n in joining.due("fortnight", day)] == [late.pk]


def test_the_reminder_mail_is_bilingual_and_goes_to_the_participant_and_the_point_of_contact(
    personas, course_run, django_capture_on_commit_callbacks
):
    iteration, (first, _second, _waiting) = course_run
    poc = personas["poc_kwt"]
    poc.email = "training.poc@mod.example.kw"
    poc.save(update_fields=["email"])
    joining.save(
        actor=personas["registrar"],
        iteration=iteration,
        data={"dress_en": "Service dress, or suit and tie.", "dress_ar": "الزي العسكري أو البدلة الرسمية."},
        source="test",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delivery_jobs", today=(iteration.start_date - datetime.timedelta(days=14)).isoformat())
    message = next(m for m in mail.outbox if first.person.email in m.to)
    assert "training.poc@mod.example.kw" in message.to
    assert "begins in two weeks" in message.body and "Service dress" in message.body
    assert "الزي العسكري" in message.body and "تبدأ" in message.body
    assert f"/iterations/{iteration.code}/joining/" in message.body


def test_staff_write_the_instructions_and_only_those_concerned_read_them(personas, course_run, client_for):
    iteration, _people = course_run
    editor = client_for(personas["registrar"])
    editor.post(
        f"/en/staff/iterations/{iteration.code}/joining/",
        {"venue_en": "Gate 3, Salmiya.", "venue_ar": "البوابة 3، السالمية.", "security_en": "Bring your ID card."},
    )
    assert AuditEvent.objects.filter(action="joining.saved").count() == 1
    page = client_for(personas["poc_kwt"]).get(f"/ar/iterations/{iteration.code}/joining/")
    assert page.status_code == 200 and "البوابة 3" in page.content.decode() and "Gate 3" in page.content.decode()
    assert client_for(personas["poc_qat"]).get(f"/en/iterations/{iteration.code}/joining/").status_code == 404
    assert (
        client_for(personas["poc_kwt"])
        .post(f"/en/staff/iterations/{iteration.code}/joining/", {"venue_en": "Elsewhere"})
        .status_code
        == 403
    )
    assert (
        "Gate 3"
        in client_for(personas["hq_observer"]).get(f"/en/iterations/{iteration.code}/joining/").content.decode()
    )


def test_the_iteration_page_links_the_instructions_for_those_concerned(personas, course_run, client_for):
    iteration, _people = course_run
    link = f"/en/iterations/{iteration.code}/joining/"
    assert link in client_for(personas["poc_kwt"]).get(f"/en/iterations/{iteration.code}/").content.decode()
    assert link not in client_for(personas["poc_qat"]).get(f"/en/iterations/{iteration.code}/").content.decode()


def test_the_instructions_download_as_a_pdf_in_both_languages(personas, course_run, client_for):
    import io

    import pypdf

    iteration, _people = course_run
    joining.save(
        actor=personas["registrar"],
        iteration=iteration,
        data={"venue_en": "Gate 3, Salmiya.", "venue_ar": "البوابة الشمالية في السالمية."},
        source="test",
    )
    response = client_for(personas["poc_kwt"]).get(f"/en/iterations/{iteration.code}/joining.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    # Arabic words only: text extraction reorders digits inside right-to-left runs (the page itself is fine)
    for expected in (
        "Joining instructions",
        "تعليمات الالتحاق",
        "Gate 3, Salmiya.",
        "البوابة الشمالية في السالمية.",
        iteration.code,
    ):
        assert expected in text, expected
    assert client_for(personas["poc_qat"]).get(f"/en/iterations/{iteration.code}/joining.pdf").status_code == 404


@pytest.mark.parametrize("page_language", ["en", "ar"])
def test_each_part_of_the_pdf_gives_its_dates_in_its_own_language(page_language, personas, course_run, client_for):
    import io

    import pypdf

    iteration, _people = course_run
    joining.save(actor=personas["registrar"], iteration=iteration, data={"venue_en": "Gate 3."}, source="test")
    response = client_for(personas["poc_kwt"]).get(f"/{page_language}/iterations/{iteration.code}/joining.pdf")
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    start, end = iteration.start_date, iteration.end_date
    assert f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}" in text
    with translation.override("ar"):
        assert date_format(start, "F") in text
