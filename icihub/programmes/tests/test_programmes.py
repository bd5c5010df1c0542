"""Partnership programmes: the structure rules, the status steps and who takes them, progress rolled
up from supporting activities, the event cycle and its illegal steps, registration by points of
contact, confidentiality between partners, and the annual review in English and Arabic."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.delivery.models import Completion
from icihub.delivery.models import TestScore as Scores
from icihub.errors import Conflict
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration
from icihub.programmes import progress, services
from icihub.programmes.models import Event, Goal, MenuActivity, Programme, Registration

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


def _programme(personas, nation="KWT", start=None, **changes) -> Programme:
    start = start or datetime.date(timezone.localdate().year - 1, 1, 1)
    data = {
        "nation": nation,
        "kind": "ITPP",
        "title_en": f"{nation} ITPP",
        "title_ar": f"برنامج {nation}",
        "starts_on": start,
        "ends_on": start.replace(year=start.year + 4) - datetime.timedelta(days=1),
        **changes,
    }
    return services.save_programme(actor=personas["registrar"], data=data, source="test")


def _goal(personas, programme, *, measure="people", target=4, objective=None) -> Goal:
    objective = objective or services.save_objective(
        actor=personas["registrar"],
        programme=programme,
        data={"title_en": "Crisis management capability", "title_ar": "القدرة على إدارة الأزمات"},
        source="test",
    )
    return services.save_goal(
        actor=personas["registrar"],
        objective=objective,
        data={
            "title_en": "Train crisis staff",
            "title_ar": "تدريب موظفي الأزمات",
            "owner": "MOD J7",
            "target_date": programme.ends_on,
            "indicator_en": "Officers trained",
            "indicator_ar": "الضباط المدربون",
            "measure": measure,
            "target": target,
        },
        source="test",
    )


@pytest.fixture
def menu(personas):
    return {
        kind: services.save_menu_activity(
            actor=personas["registrar"],
            data={
                "code": f"ICI-{kind.upper()}-01",
                "kind": kind,
                "title_en": f"Regional {kind}",
                "title_ar": "نشاط إقليمي",
                "open_to": "ICI;GCC",
            },
            source="test",
        )
        for kind in ("seminar", "dialogue")
    }


def _event(personas, menu, *, days_ahead=30, capacity=3) -> Event:
    start = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return services.propose_event(
        actor=personas["registrar"],
        data={
            "activity": menu["seminar"].code,
            "title_en": "Energy security seminar",
            "title_ar": "ندوة أمن الطاقة",
            "starts_on": start,
            "ends_on": start + datetime.timedelta(days=1),
            "capacity": capacity,
        },
        source="test",
    )


# --- structure -----------------------------------------------------------------------------------


def test_a_partner_has_one_programme_at_a_time_and_an_ipcp_runs_two_years(personas):
    first = _programme(personas)
    with pytest.raises(ValidationError, match="already has a programme in this period"):
        _programme(personas, start=first.starts_on + datetime.timedelta(days=400))
    with pytest.raises(ValidationError, match="two years at most"):
        _programme(personas, nation="QAT", kind="IPCP")
    with pytest.raises(ValidationError) as bad:
        services.save_programme(
            actor=personas["registrar"],
            data={"nation": "XXX", "title_en": "", "starts_on": "2027-01-01", "ends_on": "2026-01-01"},
            source="test",
        )
    assert set(bad.value.message_dict) == {"nation", "title_en", "title_ar", "ends_on"}
    assert Programme.objects.count() == 1
    later = _programme(personas, start=first.ends_on + datetime.timedelta(days=1))  # the next period
    assert later.nation == first.nation
    assert AuditEvent.objects.filter(action="programme.created").count() == 2


def test_goals_fall_within_the_programme_and_say_how_they_are_measured(personas):
    programme = _programme(personas)
    objective = services.save_objective(
        actor=personas["registrar"], programme=programme, data={"title_en": "A", "title_ar": "أ"}, source="test"
    )
    with pytest.raises(ValidationError) as bad:
        services.save_goal(
            actor=personas["registrar"],
            objective=objective,
            data={"title_en": "G", "title_ar": "ج", "owner": "J7", "target_date": "2099-01-01", "measure": "x"},
            source="test",
        )
    assert set(bad.value.message_dict) == {"target_date", "measure", "target", "indicator_en", "indicator_ar"}
    assert Goal.objects.count() == 0


def test_the_partner_agrees_nato_approves_and_only_complete_programmes_pass(personas):
    programme = _programme(personas)
    with pytest.raises(Conflict, match="no strategic objective"):
        services.change_programme_status(actor=personas["poc_kwt"], programme=programme, status="agreed", source="t")
    _goal(personas, programme)
    with pytest.raises(PermissionDenied):  # the centre does not agree for the partner
        services.change_programme_status(actor=personas["registrar"], programme=programme, status="agreed", source="t")
    with pytest.raises(Conflict, match="partner's own point of contact"):
        services.change_programme_status(actor=personas["poc_qat"], programme=programme, status="agreed", source="t")
    with pytest.raises(Conflict, match="cannot become"):
        services.change_programme_status(
            actor=personas["centre_admin"], programme=programme, status="approved", source="t"
        )
    services.change_programme_status(actor=personas["poc_kwt"], programme=programme, status="agreed", source="t")
    with pytest.raises(PermissionDenied):
        services.change_programme_status(
            actor=personas["registrar"], programme=programme, status="approved", source="t"
        )
    services.change_programme_status(actor=personas["centre_admin"], programme=programme, status="approved", source="t")
    with pytest.raises(Conflict, match="only in draft or under review"):
        _goal(personas, programme)
    services.change_programme_status(
        actor=personas["registrar"], programme=programme, status="under_review", source="t"
    )
    _goal(personas, programme)  # changes are allowed again under review
    services.change_programme_status(actor=personas["registrar"], programme=programme, status="closed", source="t")
    with pytest.raises(Conflict, match="cannot become"):
        services.change_programme_status(
            actor=personas["registrar"], programme=programme, status="approved", source="t"
        )
    actions = list(AuditEvent.objects.filter(action__startswith="programme.").values_list("action", flat=True))
    for step in ("programme.agreed", "programme.approved", "programme.under_review", "programme.closed"):
        assert step in actions


# --- progress ------------------------------------------------------------------------------------


def _ran(personas, iteration, people: list[tuple[str, bool, int | None, int | None]]):
    """Nominate, run and complete an iteration: (nation, completed, pre, post) per participant."""
    testing.seats_for(iteration, {n: sum(1 for p in people if p[0] == n) for n, *_ in people}, personas=personas)
    for nation, completed, pre, post in people:
        poc = personas["poc_kwt" if nation == "KWT" else "poc_qat"]
        email = f"p{Completion.objects.count()}{nation.lower()}@example.org"
        nomination = nominations.nominate(
            actor=poc, iteration=iteration, person_data=testing.person_data(email=email), source="test"
        )
        Completion.objects.create(nomination=nomination, completed=completed, attendance_pct=100 if completed else 20)
        if pre is not None:
            Scores.objects.create(nomination=nomination, pre_score=pre, post_score=post)
    Iteration.objects.filter(pk=iteration.pk).update(
        status=Iteration.Status.COMPLETED,
        start_date=timezone.localdate() - datetime.timedelta(days=40),
        end_date=timezone.localdate() - datetime.timedelta(days=36),
    )
    iteration.refresh_from_db()


def test_progress_rolls_up_from_the_partners_own_people_and_held_activities(personas, menu):
    programme = _programme(personas)
    people_goal = _goal(personas, programme, measure="people", target=4)
    activity_goal = _goal(personas, programme, measure="activities", target=2, objective=people_goal.objective)
    held = testing.make_iteration(capacity=6)
    _ran(
        personas,
        held,
        [("KWT", True, 40, 80), ("KWT", True, 50, 70), ("KWT", False, None, None), ("QAT", True, 10, 90)],
    )
    future = testing.make_iteration(capacity=4)
    event = _event(personas, menu)
    for goal in (people_goal, activity_goal):
        services.link_support(actor=personas["registrar"], goal=goal, iteration=held, source="t")
        services.link_support(actor=personas["registrar"], goal=goal, iteration=future, source="t")
    services.link_support(actor=personas["registrar"], goal=activity_goal, event=event, source="t")
    with pytest.raises(Conflict, match="already supports"):
        services.link_support(actor=personas["registrar"], goal=people_goal, iteration=held, source="t")

    result = progress.of(programme)
    people, activities = result.objectives[0].goals
    assert (people.trained, people.value, people.percent) == (2, 2, 50)  # KWT completers only
    assert people.gain == 30.0  # KWT's (80-40 + 70-50) / 2, not Qatar's
    assert (activities.held, activities.value, activities.percent) == (1, 1, 50)  # the future run is not held
    assert result.objectives[0].percent == 50 and result.percent == 50
    assert (result.held, result.trained) == (1, 2)  # counted once though both goals name the run


def test_a_late_goal_is_flagged(personas):
    programme = _programme(personas)
    goal = _goal(personas, programme, target=1)
    Goal.objects.filter(pk=goal.pk).update(target_date=timezone.localdate() - datetime.timedelta(days=1))
    assert progress.of(programme).objectives[0].goals[0].late


def test_an_iteration_not_open_to_the_partner_cannot_support_its_goal(personas):
    from icihub.catalogue.models import Course

    programme = _programme(personas)
    goal = _goal(personas, programme)
    iteration = testing.make_iteration(capacity=2)
    course = Course.objects.get(pk=iteration.course_id)
    course.audience_frameworks.clear()
    course.audience_nations.clear()
    with pytest.raises(Conflict, match="is not open to KWT"):
        services.link_support(actor=personas["registrar"], goal=goal, iteration=iteration, source="t")


# --- events --------------------------------------------------------------------------------------


def test_the_event_cycle_and_its_illegal_steps(personas, menu):
    event = _event(personas, menu, days_ahead=10)
    registrar, admin = personas["registrar"], personas["centre_admin"]
    with pytest.raises(Conflict, match="cannot become"):
        services.invite(actor=registrar, event=event, nations=["KWT"], source="t")
    with pytest.raises(PermissionDenied):
        services.approve_event(actor=registrar, event=event, source="t")
    services.approve_event(actor=admin, event=event, source="t")
    with pytest.raises(Conflict, match="cannot become"):
        services.approve_event(actor=admin, event=event, source="t")
    with pytest.raises(Conflict, match="not open to USA"):
        services.invite(actor=registrar, event=event, nations=["KWT", "USA"], source="t")
    services.invite(actor=registrar, event=event, nations=["KWT", "QAT"], source="t")
    with pytest.raises(Conflict, match="cannot become"):
        services.report_event(actor=registrar, event=event, report_en="x", report_ar="س", source="t")
    with pytest.raises(Conflict, match="it is held after"):
        services.mark_held(actor=registrar, event=event, attended={}, source="t")
    registration = services.register(
        actor=personas["poc_kwt"], event=event, person_data=testing.person_data(), source="t"
    )
    Event.objects.filter(pk=event.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=3),
        ends_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    event.refresh_from_db()
    with pytest.raises(Conflict, match="started; it cannot be cancelled"):
        services.cancel_event(actor=registrar, event=event, source="t")
    services.mark_held(actor=registrar, event=event, attended={registration.pk: True}, source="t")
    with pytest.raises(ValidationError):
        services.report_event(actor=registrar, event=event, report_en="Good debate.", report_ar="", source="t")
    services.report_event(actor=registrar, event=event, report_en="Good debate.", report_ar="نقاش جيد.", source="t")
    event.refresh_from_db()
    assert event.status == "reported"
    steps = set(AuditEvent.objects.filter(action__startswith="event.").values_list("action", flat=True))
    assert steps == {
        "event.proposed",
        "event.approved",
        "event.invited",
        "event.registered",
        "event.held",
        "event.reported",
    }


def test_points_of_contact_register_their_own_for_invited_events_up_to_capacity(personas, menu):
    event = _event(personas, menu, capacity=2)
    services.approve_event(actor=personas["centre_admin"], event=event, source="t")
    services.invite(actor=personas["registrar"], event=event, nations=["KWT"], source="t")
    with pytest.raises(Conflict, match="not invited"):
        services.register(actor=personas["poc_qat"], event=event, person_data=testing.person_data(), source="t")
    with pytest.raises(PermissionDenied):
        services.register(actor=personas["registrar"], event=event, person_data=testing.person_data(), source="t")
    first = services.register(actor=personas["poc_kwt"], event=event, person_data=testing.person_data(), source="t")
    with pytest.raises(Conflict, match="already registered"):
        services.register(actor=personas["poc_kwt"], event=event, person=first.person, source="t")
    services.register(actor=personas["poc_kwt"], event=event, person_data=testing.person_data(), source="t")
    with pytest.raises(Conflict, match="full"):
        services.register(actor=personas["poc_kwt"], event=event, person_data=testing.person_data(), source="t")
    assert Registration.objects.count() == 2
    services.withdraw_registration(actor=personas["poc_kwt"], registration=first, source="t")
    assert Registration.objects.count() == 1


def test_a_course_activity_is_not_an_event(personas):
    iteration = testing.make_iteration(capacity=2)
    activity = services.save_menu_activity(
        actor=personas["registrar"],
        data={
            "code": "ICI-CRS-01",
            "kind": "course",
            "course": iteration.course.code,
            "title_en": "A course",
            "title_ar": "دورة",
            "open_to": "ICI",
        },
        source="t",
    )
    with pytest.raises(ValidationError, match="runs as an iteration"):
        services.propose_event(
            actor=personas["registrar"],
            data={
                "activity": activity.code,
                "title_en": "x",
                "title_ar": "س",
                "starts_on": TODAY(),
                "ends_on": TODAY(),
                "capacity": 5,
            },
            source="t",
        )
    assert MenuActivity.objects.get().course == iteration.course


# --- confidentiality and pages -------------------------------------------------------------------


def test_a_partner_sees_its_own_programme_and_nothing_of_anothers(personas, client_for, menu):
    kuwait, qatar = _programme(personas), _programme(personas, nation="QAT")
    _goal(personas, kuwait)
    event = _event(personas, menu)
    services.approve_event(actor=personas["centre_admin"], event=event, source="t")
    services.invite(actor=personas["registrar"], event=event, nations=["QAT"], source="t")
    expected = {
        "registrar": {kuwait, qatar},
        "centre_admin": {kuwait, qatar},
        "hq_observer": {kuwait, qatar},
        "poc_kwt": {kuwait},
        "poc_qat": {qatar},
        "poc_sau": set(),
        "participant": set(),
        "instructor": {kuwait, qatar},
    }
    for name, visible in expected.items():
        client = client_for(personas[name])
        listing = client.get("/en/programmes/").content.decode()
        for programme in (kuwait, qatar):
            detail = client.get(f"/en/programmes/{programme.public_id}/")
            shown = programme in visible
            assert detail.status_code == (200 if shown else 404), (name, programme.nation.code)
            assert (programme.title_en in listing) is shown, name
            review = client.get(f"/en/programmes/{programme.public_id}/review/{programme.starts_on.year}/")
            assert review.status_code == (200 if shown else 404), name
        sees_event = name not in ("poc_kwt", "poc_sau", "participant")
        assert client.get(f"/en/events/{event.public_id}/").status_code == (200 if sees_event else 404), name
    assert client_for(None).get("/en/programmes/").status_code == 302
    qatari = client_for(personas["poc_qat"])
    assert qatari.get(f"/en/programmes/{kuwait.public_id}/review/{kuwait.starts_on.year}.pdf").status_code == 404
    assert qatari.get(f"/en/programmes/{kuwait.public_id}/edit/").status_code == 403
    assert client_for(personas["poc_kwt"]).get(f"/en/programmes/{kuwait.public_id}/edit/").status_code == 403
    assert client_for(personas["hq_observer"]).get(f"/en/programmes/{kuwait.public_id}/edit/").status_code == 403
    assert client_for(personas["registrar"]).get(f"/en/programmes/{kuwait.public_id}/edit/").status_code == 200


def test_a_point_of_contact_changes_nothing_on_the_centres_side(personas, client_for):
    programme = _programme(personas)
    client = client_for(personas["poc_kwt"])
    response = client.post(
        f"/en/programmes/{programme.public_id}/", {"action": "objective", "title_en": "X", "title_ar": "س"}
    )
    assert response.status_code in (302, 403)
    assert programme.objectives.count() == 0
    assert client.get("/en/programmes/new/").status_code == 403


def test_staff_build_a_programme_from_its_page(personas, client_for):
    programme = _programme(personas)
    client = client_for(personas["registrar"])
    url = f"/en/programmes/{programme.public_id}/"
    client.post(url, {"action": "objective", "title_en": "Maritime security", "title_ar": "الأمن البحري"})
    objective = programme.objectives.get()
    client.post(
        url,
        {
            "action": "goal",
            "objective": objective.pk,
            "title_en": "Maritime interdiction",
            "title_ar": "الاعتراض البحري",
            "owner": "Kuwait Naval Force",
            "target_date": programme.ends_on.isoformat(),
            "indicator_en": "Boarding officers trained",
            "indicator_ar": "ضباط الصعود المدربون",
            "measure": "people",
            "target": "12",
        },
    )
    goal = objective.goals.get()
    iteration = testing.make_iteration(capacity=2)
    client.post(url, {"action": "support", "goal": goal.pk, "activity": iteration.code})
    assert goal.supports.get().iteration == iteration
    page = client.get(url).content.decode()
    assert "Maritime interdiction" in page and iteration.code in page and "0 / 12" in page


def test_the_annual_review_renders_in_english_and_arabic_as_page_and_pdf(personas, client_for):
    from pypdf import PdfReader

    programme = _programme(personas)
    goal = _goal(personas, programme, target=2)
    held = testing.make_iteration(capacity=4)
    _ran(personas, held, [("KWT", True, 40, 70)])
    services.link_support(actor=personas["registrar"], goal=goal, iteration=held, source="t")
    year = held.end_date.year
    client = client_for(personas["hq_observer"])
    english = client.get(f"/en/programmes/{programme.public_id}/review/{year}/").content.decode()
    assert f"Annual review {year}" in english and held.code in english and "Train crisis staff" in english
    arabic = client.get(f"/ar/programmes/{programme.public_id}/review/{year}/").content.decode()
    assert 'dir="rtl"' in arabic and "تدريب موظفي الأزمات" in arabic and "المراجعة السنوية" in arabic
    for language, words in (("en", ["Annual review", "Train crisis staff"]), ("ar", ["المراجعة", "الأزمات"])):
        response = client.get(f"/{language}/programmes/{programme.public_id}/review/{year}.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        for word in words:
            assert word in " ".join(text.split()), (language, word)
    assert client.get(f"/en/programmes/{programme.public_id}/review/{programme.ends_on.year + 1}/").status_code == 404


def test_an_event_goes_through_its_pages_and_each_nation_sees_its_own_registrations(personas, client_for, menu):
    start = timezone.localdate() + datetime.timedelta(days=20)
    staff = client_for(personas["registrar"])
    proposed = staff.post(
        "/en/events/new/",
        {
            "activity": menu["dialogue"].code,
            "title_en": "Strategic dialogue",
            "title_ar": "حوار استراتيجي",
            "starts_on": start.isoformat(),
            "ends_on": start.isoformat(),
            "capacity": "10",
        },
    )
    event = Event.objects.get()
    assert proposed.status_code == 302 and event.status == "proposed"
    url = f"/en/events/{event.public_id}/"
    client_for(personas["centre_admin"]).post(url, {"action": "approve"})
    client_for(personas["registrar"]).post(url, {"action": "invite", "nations": "KWT QAT"})
    event.refresh_from_db()
    assert event.status == "inviting"
    for name in ("poc_kwt", "poc_qat"):
        person = testing.person_data(email=f"delegate@{name[-3:]}.example.org")
        person.pop("supervisor_email", None)
        response = client_for(personas[name]).post(url, {"action": "register", **person}, follow=True)
        assert "Registered." in [str(m) for m in response.context["messages"]], [
            str(m) for m in response.context["messages"]
        ]
    assert Registration.objects.count() == 2
    kuwait_page = client_for(personas["poc_kwt"]).get(url).content.decode()
    assert "delegate@kwt" not in kuwait_page  # names are shown, not e-mails
    names = {r.nation.code: r.person.full_name for r in Registration.objects.select_related("person", "nation")}
    assert names["KWT"] in kuwait_page and names["QAT"] not in kuwait_page
    assert names["QAT"] in client_for(personas["registrar"]).get(url).content.decode()
    assert event.title_en in client_for(personas["poc_kwt"]).get("/en/events/").content.decode()
    assert event.title_en not in client_for(personas["poc_sau"]).get("/en/events/").content.decode()
    client_for(personas["poc_kwt"]).post(url, {"action": "approve"})  # not theirs to do
    event.refresh_from_db()
    assert event.status == "inviting"


def test_the_events_page_is_paginated_newest_first_without_repeating_an_event(personas, menu, client_for):
    made = {_event(personas, menu, days_ahead=days).pk for days in range(10, 37)}
    client = client_for(personas["registrar"])
    first = client.get("/en/events/")
    shown = list(first.context["events"])
    assert len(shown) == 25 and first.context["page"].has_next() and "?page=2" in first.content.decode()
    assert [e.starts_on for e in shown] == sorted((e.starts_on for e in shown), reverse=True)
    second = client.get("/en/events/", {"page": 2}).context["events"]
    assert {e.pk for e in shown} | {e.pk for e in second} == made
