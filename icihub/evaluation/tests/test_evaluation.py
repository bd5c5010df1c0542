"""Kirkpatrick evaluation: invitations at the end of a course (level 1) and six months after it (level
3, graduate and supervisor), each once; answers taken once, all or nothing, anonymous when the
questionnaire says so; response rates and results per iteration for staff and HQ only; questionnaires
configured by staff with every change audited."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.catalogue.models import Course
from icihub.delivery import services as delivery
from icihub.delivery.models import Completion
from icihub.delivery.models import TestScore as Scores
from icihub.errors import Conflict
from icihub.evaluation import services
from icihub.evaluation.models import Answer, Invitation, Question, Questionnaire, Response
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


def _last_thursday_before(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    while day.weekday() != 3:
        day -= datetime.timedelta(days=1)
    return day


@pytest.fixture
def finished(personas):
    """A five-day course that ended on the last Thursday before today. Three Kuwaiti participants: the
    participant persona (who names a supervisor), a second who came, and a no-show."""
    iteration = testing.make_iteration(capacity=4)
    testing.seats_for(iteration, {"KWT": 3}, personas=personas)
    personas["participant"].email = "participant@mod.example.kw"
    personas["participant"].save()
    data = [
        testing.person_data(email=personas["participant"].email, supervisor_email="Chief@MOD.example.kw"),
        testing.person_data(),
        testing.person_data(),
    ]
    people = [
        nominations.nominate(actor=personas["poc_kwt"], iteration=iteration, person_data=d, source="test") for d in data
    ]
    end = _last_thursday_before(timezone.localdate())
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=end - datetime.timedelta(days=4), end_date=end, status=Iteration.Status.RUNNING
    )
    iteration.refresh_from_db()
    own, other, no_show = people
    delivery.mark(
        actor=personas["instructor"],
        iteration=iteration,
        day=end,
        marks={str(own.public_id): "present", str(other.public_id): "late", str(no_show.public_id): "absent"},
        source="test",
    )
    return iteration, people


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """The daily job's invitations, with their e-mails sent as after a commit."""

    def run(today: datetime.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_invitations(today)

    return run


def _token(message) -> str:
    return re.search(r"/evaluations/([\w-]+)/", message.body).group(1)


def _answers(questionnaire: Questionnaire, score: str = "4") -> dict:
    return {
        str(q.pk): score if q.answer == "scale" else "The syndicate exercise on day 3."
        for q in questionnaire.questions.filter(retired=False)
    }


def test_six_months_later_is_the_same_day_or_the_months_last(personas):
    assert services.add_months(datetime.date(2026, 3, 15), 6) == datetime.date(2026, 9, 15)
    assert services.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert services.add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert services.add_months(datetime.date(2026, 10, 1), -6) == datetime.date(2026, 4, 1)


def test_the_end_of_course_questionnaire_goes_once_to_those_who_came(personas, finished, invite):
    iteration, (own, other, no_show) = finished
    mail.outbox.clear()
    today = timezone.localdate()
    assert invite(today) == 2
    assert invite(today) == 0  # the daily job again: nothing more
    invited = Invitation.objects.filter(kind="level1")
    assert sorted(i.nomination_id for i in invited) == sorted([own.pk, other.pk])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([own.person.email, other.person.email])
    assert "التقييم" in mail.outbox[0].subject and "/evaluations/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="evaluation.invited").count() == 2
    assert services.results(iteration)["kinds"][0].invited == 2


def test_no_end_of_course_questionnaire_when_the_course_has_no_level_1_evaluation(personas, finished):
    iteration, _people = finished
    Course.objects.filter(pk=iteration.course_id).update(level1_evaluation=False)
    assert services.send_invitations(timezone.localdate()) == 0 and Invitation.objects.count() == 0


def test_an_anonymous_answer_keeps_no_link_to_the_person(personas, finished, invite, client):
    iteration, (own, other, _no_show) = finished
    mail.outbox.clear()
    invite(timezone.localdate())
    message = next(m for m in mail.outbox if m.to == [other.person.email])
    url = f"/en/evaluations/{_token(message)}/"
    page = client.get(url)
    assert page.status_code == 200 and "The course met its stated objectives." in page.content.decode()
    questionnaire = services.questionnaire_for(iteration.course, "level1")
    assert questionnaire.anonymous
    response = client.post(url, {f"q{k}": v for k, v in _answers(questionnaire, "5").items()})
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.nomination is None and saved.iteration == iteration
    assert Answer.objects.filter(response=saved, score=5).count() == 6
    assert Invitation.objects.get(nomination=other, kind="level1").answered_at is not None
    assert "Thank you" in client.get(url).content.decode()
    again = client.post(url, {f"q{k}": v for k, v in _answers(questionnaire, "1").items()})
    assert again.status_code == 200 and Response.objects.count() == 1  # answered once only
    kind = services.results(iteration)["kinds"][0]
    assert (kind.invited, kind.answered, kind.rate) == (2, 1, 50)
    assert kind.withheld and kind.questions == []  # one anonymous answer would point at its author


def test_anonymous_results_show_once_enough_answered(personas, finished, invite, monkeypatch):
    iteration, (own, other, _no_show) = finished
    invite(timezone.localdate())
    questionnaire = services.questionnaire_for(iteration.course, "level1")
    for nomination, score in ((own, "2"), (other, "5")):
        invitation = Invitation.objects.get(nomination=nomination, kind="level1")
        services.respond(invitation=invitation, answers=_answers(questionnaire, score), source="test")
    assert services.results(iteration)["kinds"][0].withheld
    monkeypatch.setattr(services, "MIN_ANONYMOUS", 2)
    kind = services.results(iteration)["kinds"][0]
    first = kind.questions[0]
    assert not kind.withheld and (kind.answered, kind.rate) == (2, 100)
    assert first.count == 2 and first.mean == 3.5 and first.distribution == [0, 1, 0, 0, 1]
    texts = [row for row in kind.questions if row.question.answer == "text"]
    assert texts[0].texts == ["The syndicate exercise on day 3.", "The syndicate exercise on day 3."]


def test_bad_answers_are_all_reported_and_nothing_is_saved(personas, finished, client):
    iteration, (own, other, _no_show) = finished
    services.send_invitations(timezone.localdate())
    invitation = Invitation.objects.get(nomination=other, kind="level1")
    questionnaire = services.questionnaire_for(iteration.course, "level1")
    answers = _answers(questionnaire)
    scale = [q for q in questionnaire.questions.all() if q.answer == "scale"]
    answers[str(scale[0].pk)] = "6"
    del answers[str(scale[1].pk)]
    with pytest.raises(services.QuestionnaireRejected) as rejected:
        services.respond(invitation=invitation, answers=answers, source="test")
    assert dict(rejected.value.problems) == {scale[0].pk: "Choose from 1 to 5.", scale[1].pk: "Answer this question."}
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_a_closed_questionnaire_takes_no_answers(personas, finished):
    iteration, (own, other, _no_show) = finished
    services.send_invitations(timezone.localdate())
    invitation = Invitation.objects.get(nomination=other, kind="level1")
    Invitation.objects.filter(pk=invitation.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    invitation.refresh_from_db()
    questionnaire = services.questionnaire_for(iteration.course, "level1")
    with pytest.raises(Conflict, match="closed on"):
        services.respond(invitation=invitation, answers=_answers(questionnaire), source="test")
    assert Response.objects.count() == 0


def test_the_participant_fills_their_own_from_their_page_and_nobody_elses(personas, finished, client_for):
    iteration, (own, other, _no_show) = finished
    services.send_invitations(timezone.localdate())
    client = client_for(personas["participant"])
    page = client.get("/en/my/").content.decode()
    mine = Invitation.objects.get(nomination=own, kind="level1")
    theirs = Invitation.objects.get(nomination=other, kind="level1")
    assert f"/en/my/evaluations/{mine.public_id}/" in page and str(theirs.public_id) not in page
    assert client.get(f"/en/my/evaluations/{theirs.public_id}/").status_code == 404
    questionnaire = services.questionnaire_for(iteration.course, "level1")
    answered = client.post(
        f"/en/my/evaluations/{mine.public_id}/", {f"q{k}": v for k, v in _answers(questionnaire).items()}
    )
    assert answered.status_code == 302
    assert "Nothing to fill at the moment." in client.get("/en/my/").content.decode()
    for persona in ("poc_kwt", "registrar"):  # a supervisor's or staff's account has no own evaluations
        assert client_for(personas[persona]).get(f"/en/my/evaluations/{mine.public_id}/").status_code == 404


def test_the_follow_up_goes_six_months_later_to_graduates_and_their_supervisors(personas, finished, invite, client):
    iteration, (own, other, no_show) = finished
    today = timezone.localdate()
    end = services.add_months(today, -6)
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=end - datetime.timedelta(days=4), end_date=end, status=Iteration.Status.COMPLETED
    )
    Completion.objects.create(nomination=own, completed=True, attendance_pct=100)
    Completion.objects.create(nomination=other, completed=False, attendance_pct=40)
    mail.outbox.clear()
    assert invite(today - datetime.timedelta(days=1)) == 0  # not yet six months
    assert invite(today) == 2
    assert invite(today + datetime.timedelta(days=1)) == 0
    invited = {(i.kind, i.email) for i in Invitation.objects.all()}
    assert invited == {("level3_graduate", own.person.email), ("level3_supervisor", "chief@mod.example.kw")}
    supervisor = next(m for m in mail.outbox if m.to == ["chief@mod.example.kw"])
    assert own.person.full_name in supervisor.body
    url = f"/en/evaluations/{_token(supervisor)}/"
    page = client.get(url).content.decode()
    assert "About the graduate" in page and own.person.full_name in page
    questionnaire = services.questionnaire_for(iteration.course, "level3_supervisor")
    assert not questionnaire.anonymous
    assert client.post(url, {f"q{k}": v for k, v in _answers(questionnaire, "3").items()}).status_code == 302
    response = Response.objects.get(kind="level3_supervisor")
    assert response.nomination == own  # a named questionnaire keeps whom it is about
    results = {k.kind: k for k in services.results(iteration)["kinds"]}
    assert (results["level3_supervisor"].answered, results["level3_graduate"].answered) == (1, 0)


def test_a_job_that_missed_days_catches_up_but_not_for_old_courses(personas, finished):
    iteration, _people = finished
    later = iteration.end_date + datetime.timedelta(days=services.CATCH_UP_DAYS)
    assert services.send_invitations(later) == 2
    Invitation.objects.all().delete()
    assert services.send_invitations(later + datetime.timedelta(days=1)) == 0


def test_results_show_rates_and_test_scores_to_staff_and_hq_only(personas, finished, client_for):
    iteration, (own, other, _no_show) = finished
    Scores.objects.create(nomination=own, pre_score=40, post_score=80)
    Scores.objects.create(nomination=other, pre_score=60, post_score=70)
    url = f"/en/staff/iterations/{iteration.code}/evaluation/"
    for persona in ("registrar", "hq_observer", "instructor"):
        page = client_for(personas[persona]).get(url)
        assert page.status_code == 200, persona
    level2 = services.results(iteration)["level2"]
    assert (level2.tested, level2.pre_mean, level2.post_mean, level2.gain_mean) == (2, 50, 75, 25)
    for persona in ("poc_kwt", "poc_qat", "participant"):
        assert client_for(personas[persona]).get(url).status_code in (403, 404), persona


def test_staff_send_the_link_again_to_those_who_have_not_answered(
    personas, finished, client_for, django_capture_on_commit_callbacks
):
    iteration, (own, other, _no_show) = finished
    services.send_invitations(timezone.localdate())
    old = Invitation.objects.get(nomination=own, kind="level1").token_digest
    mail.outbox.clear()
    url = f"/en/staff/iterations/{iteration.code}/evaluation/"
    assert client_for(personas["hq_observer"]).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(personas["registrar"]).post(url).status_code == 302
    assert len(mail.outbox) == 2
    assert Invitation.objects.get(nomination=own, kind="level1").token_digest != old
    assert AuditEvent.objects.filter(action="evaluation.reminded").count() == 1


def test_staff_configure_questions_and_answered_ones_are_retired_not_lost(personas, finished, client_for):
    iteration, (own, other, _no_show) = finished
    services.send_invitations(timezone.localdate())
    default = services.questionnaire_for(iteration.course, "level1")
    services.respond(
        invitation=Invitation.objects.get(nomination=own, kind="level1"), answers=_answers(default), source="test"
    )
    client = client_for(personas["registrar"])
    created = client.post("/en/staff/questionnaires/", {"course": iteration.course.code, "kind": "level1"})
    own_version = Questionnaire.objects.get(course=iteration.course, kind="level1")
    assert created.status_code == 302 and own_version.questions.count() == default.questions.count()
    assert services.questionnaire_for(iteration.course, "level1") == own_version
    questions = list(default.questions.all())
    form = {"rows": str(len(questions) + 1), "anonymous": "on", "intro_en": "Tell us.", "intro_ar": "أخبرنا."}
    for n, q in enumerate(questions):
        form |= {f"id-{n}": q.pk, f"text_en-{n}": q.text_en, f"text_ar-{n}": q.text_ar, f"answer-{n}": q.answer}
        form[f"required-{n}"] = "on"
    form[f"remove-{0}"] = "on"
    n = len(questions)
    form |= {f"id-{n}": "", f"text_en-{n}": "Was the pace right?", f"text_ar-{n}": "", f"answer-{n}": "scale"}
    refused = client.post(f"/en/staff/questionnaires/{default.pk}/", form)
    assert refused.status_code == 400 and "Give the question in English and in Arabic." in refused.content.decode()
    assert Question.objects.filter(questionnaire=default, retired=True).count() == 0  # nothing saved
    form[f"text_ar-{n}"] = "هل كانت وتيرة المقرر مناسبة؟"
    assert client.post(f"/en/staff/questionnaires/{default.pk}/", form).status_code == 302
    questions[0].refresh_from_db()
    assert questions[0].retired and questions[0].answers.count() == 1  # answered: kept, no longer asked
    assert default.questions.filter(retired=False).last().text_en == "Was the pace right?"
    assert AuditEvent.objects.filter(action="questionnaire.saved").count() == 1
    assert AuditEvent.objects.filter(action="questionnaire.created").count() == 1
    for persona in ("poc_kwt", "instructor", "hq_observer", "participant"):
        assert client_for(personas[persona]).get("/en/staff/questionnaires/").status_code == 403, persona


def test_a_supervisors_address_is_checked_like_any_email(personas):
    iteration = testing.make_iteration(capacity=2)
    testing.seats_for(iteration, {"KWT": 1}, personas=personas)
    with pytest.raises(Exception, match="is not an e-mail address"):
        nominations.nominate(
            actor=personas["poc_kwt"],
            iteration=iteration,
            person_data=testing.person_data(supervisor_email="chief at mod"),
            source="test",
        )


def test_the_arabic_page_asks_in_arabic(personas, finished, invite, client):
    iteration, (own, other, _no_show) = finished
    mail.outbox.clear()
    invite(timezone.localdate())
    page = client.get(f"/ar/evaluations/{_token(mail.outbox[0])}/").content.decode()
    assert 'dir="rtl"' in page and "حققت الدورة أهدافها المعلنة." in page


def test_the_daily_job_sends_the_invitations(personas, finished, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delivery_jobs", today=timezone.localdate().isoformat(), stdout=out)
    assert "2 evaluation invitations sent" in out.getvalue() and len(mail.outbox) == 2


def test_a_missing_default_questionnaire_is_made_again(personas, finished):
    iteration, _people = finished
    Questionnaire.objects.all().delete()
    again = services.questionnaire_for(iteration.course, "level3_supervisor")
    assert again.course is None and again.questions.count() == 5
    assert Questionnaire.objects.filter(course__isnull=True).count() == 3


def test_the_follow_up_reaches_a_course_that_ended_on_a_months_last_day_on_time(personas, finished, invite):
    iteration, (own, _other, _no_show) = finished
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=datetime.date(2026, 3, 29), end_date=datetime.date(2026, 3, 31), status=Iteration.Status.COMPLETED
    )
    Completion.objects.create(nomination=own, completed=True, attendance_pct=100)
    assert invite(datetime.date(2026, 9, 29)) == 0
    assert invite(datetime.date(2026, 9, 30)) == 2  # 31 March + six months is 30 September
    assert set(Invitation.objects.values_list("kind", flat=True)) == {"level3_graduate", "level3_supervisor"}


def test_a_failed_email_stops_nothing_and_a_reminder_keeps_the_old_link_until_a_new_one_went_out(
    personas, finished, invite, monkeypatch
):
    from django.core.mail import EmailMessage

    iteration, (own, other, _no_show) = finished
    real_send = EmailMessage.send

    def refuse_the_participant(message, *args, **kwargs):
        if own.person.email in message.to:
            raise OSError("mail server refused")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refuse_the_participant)
    mail.outbox.clear()
    assert invite(timezone.localdate()) == 2  # both invited; one e-mail failed and was logged
    assert [m.to for m in mail.outbox] == [[other.person.email]]
    old = Invitation.objects.get(nomination=own, kind="level1").token_digest
    assert services.remind(actor=personas["registrar"], iteration=iteration, source="test") == 1
    assert Invitation.objects.get(nomination=own, kind="level1").token_digest == old  # still the old link


def test_a_renomination_without_the_supervisor_keeps_the_one_on_record(personas, finished):
    iteration, (own, _other, _no_show) = finished
    again = testing.make_iteration(capacity=2)
    testing.seats_for(again, {"KWT": 1}, personas=personas)
    data = testing.person_data(email=own.person.email)
    data.pop("supervisor_email", None)
    nominations.nominate(actor=personas["poc_kwt"], iteration=again, person_data=data, source="test")
    own.person.refresh_from_db()
    assert own.person.supervisor_email == "chief@mod.example.kw"
