"""The programmes, goals, cooperation menu and events API: each partner sees its own programme and
nothing of another's, menu writes go through the service with per-field errors, and the schema
describes every new path."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.programmes import services
from icihub.programmes.models import MenuActivity

pytestmark = pytest.mark.django_db

SEES_ALL = ["centre_admin", "registrar", "course_director", "instructor", "hq_observer"]
SEES_NONE = ["participant", "poc_gcc"]  # an organisation's point of contact has no programme


def make_programme(personas, nation: str, *, goals: int = 1):
    """A draft ITPP for `nation` running two years either side of today, with one objective and its
    goals, the first of them past its target date and supported by an iteration."""
    registrar, today = personas["registrar"], timezone.localdate()
    programme = services.save_programme(
        actor=registrar,
        data={
            "nation": nation,
            "kind": "ITPP",
            "title_en": f"{nation} ITPP",
            "title_ar": "برنامج الشراكة",
            "starts_on": today - datetime.timedelta(days=730),
            "ends_on": today + datetime.timedelta(days=730),
        },
        source="test",
    )
    objective = services.save_objective(
        actor=registrar,
        programme=programme,
        data={"title_en": "Interoperability", "title_ar": "قابلية التشغيل البيني"},
        source="test",
    )
    for number in range(goals):
        services.save_goal(
            actor=registrar,
            objective=objective,
            data={
                "title_en": f"Lessons learned capability {number}",
                "title_ar": "قدرة الدروس المستفادة",
                "owner": "MOD J7",
                "target_date": today - datetime.timedelta(days=30 - number),
                "indicator_en": "Staff officers trained",
                "indicator_ar": "ضباط أركان مدربون",
                "measure": "people",
                "target": 12,
            },
            source="test",
        )
    goal = objective.goals.first()
    services.link_support(actor=registrar, goal=goal, iteration=testing.make_iteration(), source="test")
    return programme


def menu_activity(personas, code: str, *, open_to: str = "ICI", kind: str = "seminar", **extra) -> MenuActivity:
    data = {"code": code, "kind": kind, "title_en": f"{code} seminar", "title_ar": "ندوة", "open_to": open_to}
    return services.save_menu_activity(actor=personas["registrar"], data={**data, **extra}, source="test")


def inviting_event(personas, *, nations=("KWT", "QAT")):
    """A seminar open to ICI, approved, with `nations` invited and one person registered by each."""
    activity = MenuActivity.objects.filter(code="SEM-ICI").first() or menu_activity(personas, "SEM-ICI")
    start = timezone.localdate() + datetime.timedelta(days=40)
    event = services.propose_event(
        actor=personas["registrar"],
        data={
            "activity": activity.code,
            "title_en": "Maritime security seminar",
            "title_ar": "ندوة الأمن البحري",
            "starts_on": start,
            "ends_on": start + datetime.timedelta(days=2),
            "capacity": 20,
            "location_en": "Kuwait City",
        },
        source="test",
    )
    services.approve_event(actor=personas["centre_admin"], event=event, source="test")
    if nations:
        services.invite(actor=personas["registrar"], event=event, nations=list(nations), source="test")
        for nation in nations:
            services.register(
                actor=personas[f"poc_{nation.lower()}"], event=event, person_data=testing.person_data(), source="test"
            )
    return event


class TestProgrammes:
    def test_a_point_of_contact_sees_only_their_own_nations_programme(self, personas, api_for):
        kuwait, qatar = make_programme(personas, "KWT"), make_programme(personas, "QAT")
        api = api_for(personas["poc_kwt"])
        listed = api.get("/api/programmes/").json()
        assert [row["id"] for row in listed["results"]] == [str(kuwait.public_id)]
        assert api.get(f"/api/programmes/{kuwait.public_id}/").status_code == 200
        refused = api.get(f"/api/programmes/{qatar.public_id}/")
        assert refused.status_code == 404 and refused.json() == {"detail": "No Programme matches the given query."}

    @pytest.mark.parametrize("persona", SEES_ALL)
    def test_staff_and_hq_see_every_programme(self, personas, api_for, persona):
        make_programme(personas, "KWT")
        make_programme(personas, "QAT")
        listed = api_for(personas[persona]).get("/api/programmes/").json()
        assert sorted(row["nation"] for row in listed["results"]) == ["KWT", "QAT"]

    @pytest.mark.parametrize("persona", SEES_NONE)
    def test_others_see_no_programme(self, personas, api_for, persona):
        kuwait = make_programme(personas, "KWT")
        api = api_for(personas[persona])
        assert api.get("/api/programmes/").json()["count"] == 0
        assert api.get(f"/api/programmes/{kuwait.public_id}/").status_code == 404

    def test_anonymous_is_told_to_authenticate(self, personas, api_for):
        kuwait = make_programme(personas, "KWT")
        assert api_for(None).get("/api/programmes/").status_code == 401
        assert api_for(None).get(f"/api/programmes/{kuwait.public_id}/").status_code == 401
        assert api_for(None).get("/api/goals/").status_code == 401

    def test_a_programme_carries_its_objectives_goals_progress_and_supporting_activities(self, personas, api_for):
        kuwait = make_programme(personas, "KWT")
        body = api_for(personas["poc_kwt"]).get(f"/api/programmes/{kuwait.public_id}/").json()
        assert {key: body[key] for key in ("nation", "kind", "status", "title_en")} == {
            "nation": "KWT",
            "kind": "ITPP",
            "status": "draft",
            "title_en": "KWT ITPP",
        }
        assert body["starts_on"] == kuwait.starts_on.isoformat() and body["ends_on"] == kuwait.ends_on.isoformat()
        assert body["progress"] == {"percent": 0, "held": 0, "trained": 0}
        [objective] = body["objectives"]
        assert (objective["position"], objective["title_ar"], objective["percent"]) == (1, "قابلية التشغيل البيني", 0)
        [goal] = objective["goals"]
        assert goal["programme"] == str(kuwait.public_id) and goal["objective"] == 1
        assert (goal["owner"], goal["measure"], goal["target"], goal["indicator_en"]) == (
            "MOD J7",
            "people",
            12,
            "Staff officers trained",
        )
        assert goal["progress"] == {
            "held": 0,
            "trained": 0,
            "value": 0,
            "percent": 0,
            "late": True,  # its target date has passed and it is not reached
            "reaction": None,
            "gain": None,
        }
        [support] = goal["supports"]
        assert support["event"] is None and support["iteration"].startswith("M5-33-")
        assert support["status"] == "open"

    def test_programmes_are_read_only_here(self, personas, api_for):
        kuwait = make_programme(personas, "KWT")
        api = api_for(personas["centre_admin"])
        assert api.post("/api/programmes/", {}, format="json").status_code == 405
        assert api.patch(f"/api/programmes/{kuwait.public_id}/", {}, format="json").status_code == 405
        assert api.delete(f"/api/programmes/{kuwait.public_id}/").status_code == 405

    def test_a_malformed_or_unknown_id_is_not_found(self, personas, api_for):
        api = api_for(personas["registrar"])
        assert api.get("/api/programmes/not-a-uuid/").status_code == 404
        assert api.get("/api/programmes/6f1c1f1e-0000-4000-8000-000000000000/").status_code == 404
        assert api.get("/api/goals/not-a-uuid/").status_code == 404

    def test_the_list_filters_by_status(self, personas, api_for):
        make_programme(personas, "KWT")
        api = api_for(personas["hq_observer"])
        assert api.get("/api/programmes/?status=draft").json()["count"] == 1
        assert api.get("/api/programmes/?status=approved").json()["count"] == 0
        assert "status" in api.get("/api/programmes/?status=nonsense").json()["errors"]


class TestGoals:
    def test_a_point_of_contact_sees_only_their_own_nations_goals(self, personas, api_for):
        kuwait, qatar = make_programme(personas, "KWT", goals=2), make_programme(personas, "QAT")
        api = api_for(personas["poc_kwt"])
        listed = api.get("/api/goals/").json()
        assert listed["count"] == 2 and {row["programme"] for row in listed["results"]} == {str(kuwait.public_id)}
        qatar_goal = qatar.objectives.get().goals.get()
        assert api.get(f"/api/goals/{qatar_goal.public_id}/").status_code == 404
        assert api.get(f"/api/goals/?programme={qatar.public_id}").json()["count"] == 0

    @pytest.mark.parametrize("persona", ["registrar", "hq_observer"])
    def test_staff_and_hq_filter_goals_by_programme(self, personas, api_for, persona):
        make_programme(personas, "KWT", goals=2)
        qatar = make_programme(personas, "QAT")
        api = api_for(personas[persona])
        assert api.get("/api/goals/").json()["count"] == 3
        only_qatar = api.get(f"/api/goals/?programme={qatar.public_id}").json()["results"]
        assert [row["programme"] for row in only_qatar] == [str(qatar.public_id)]
        bad = api.get("/api/goals/?programme=nonsense")
        assert bad.status_code == 400 and "programme" in bad.json()["errors"]

    @pytest.mark.parametrize("persona", SEES_NONE)
    def test_others_see_no_goal(self, personas, api_for, persona):
        goal = make_programme(personas, "KWT").objectives.get().goals.get()
        api = api_for(personas[persona])
        assert api.get("/api/goals/").json()["count"] == 0
        assert api.get(f"/api/goals/{goal.public_id}/").status_code == 404

    def test_a_goal_carries_the_same_fields_as_in_its_programme(self, personas, api_for):
        kuwait = make_programme(personas, "KWT")
        api = api_for(personas["poc_kwt"])
        in_programme = api.get(f"/api/programmes/{kuwait.public_id}/").json()["objectives"][0]["goals"][0]
        alone = api.get(f"/api/goals/{in_programme['id']}/").json()
        assert alone == in_programme

    def test_goals_are_read_only(self, personas, api_for):
        goal = make_programme(personas, "KWT").objectives.get().goals.get()
        api = api_for(personas["registrar"])
        assert api.post("/api/goals/", {}, format="json").status_code == 405
        assert api.delete(f"/api/goals/{goal.public_id}/").status_code == 405


class TestMenu:
    @pytest.fixture
    def menu(self, personas):
        course = testing.make_course()
        menu_activity(personas, "ICI-SEM", open_to="ICI")
        menu_activity(personas, "GCC-VISIT", open_to="GCC", kind="visit")
        menu_activity(personas, "NATO-CONF", open_to="NATO", kind="conference")
        menu_activity(personas, "ICI-OLD", open_to="ICI", active="N")
        menu_activity(personas, "ICI-COURSE", open_to="ICI;GCC", kind="course", course=course.code)
        return course

    def codes(self, api, query: str = "") -> list[str]:
        return [row["code"] for row in api.get(f"/api/menu/{query}").json()["results"]]

    def test_a_selected_activities_partner_sees_what_is_open_to_its_frameworks(self, personas, api_for, menu):
        # SAU takes part in ICI in selected activities only, and is a GCC member: the menu counts both.
        assert self.codes(api_for(personas["poc_sau"])) == ["GCC-VISIT", "ICI-COURSE", "ICI-SEM"]
        assert self.codes(api_for(personas["poc_kwt"])) == ["GCC-VISIT", "ICI-COURSE", "ICI-SEM"]
        assert api_for(personas["poc_kwt"]).get("/api/menu/NATO-CONF/").status_code == 404
        assert api_for(personas["poc_kwt"]).get("/api/menu/ICI-OLD/").status_code == 404

    @pytest.mark.parametrize("persona", SEES_ALL)
    def test_staff_and_hq_see_the_whole_menu(self, personas, api_for, menu, persona):
        assert len(self.codes(api_for(personas[persona]))) == 5

    @pytest.mark.parametrize("persona", SEES_NONE)
    def test_others_see_no_menu(self, personas, api_for, menu, persona):
        assert self.codes(api_for(personas[persona])) == []
        assert api_for(personas[persona]).get("/api/menu/ICI-SEM/").status_code == 404

    def test_anonymous_is_told_to_authenticate(self, personas, api_for, menu):
        assert api_for(None).get("/api/menu/").status_code == 401

    def test_an_activity_reads_with_codes(self, personas, api_for, menu):
        body = api_for(personas["poc_qat"]).get("/api/menu/ICI-COURSE/").json()
        assert body == {
            "code": "ICI-COURSE",
            "kind": "course",
            "title_en": "ICI-COURSE seminar",
            "title_ar": "ندوة",
            "course": menu.code,
            "open_to": ["GCC", "ICI"],
            "description_en": "",
            "description_ar": "",
            "active": True,
        }
        assert api_for(personas["poc_qat"]).get("/api/menu/ICI-SEM/").json()["course"] is None

    def test_the_menu_filters_by_kind(self, personas, api_for, menu):
        api = api_for(personas["registrar"])
        assert self.codes(api, "?kind=visit") == ["GCC-VISIT"]
        assert self.codes(api, "?active=false") == ["ICI-OLD"]

    def test_a_catalogue_editor_creates_an_activity_and_it_is_audited(self, personas, api_for):
        body = {"code": "ttx-1", "kind": "tabletop", "title_en": "Crisis TTX", "title_ar": "تمرين", "open_to": ["ICI"]}
        response = api_for(personas["course_director"]).post("/api/menu/", body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["code"] == "TTX-1" and response.json()["active"] is True
        event = AuditEvent.objects.get(action="menu.created", object_id="TTX-1")
        assert event.source == "api" and event.after["open_to"] == ["ICI"]

    def test_bad_input_is_reported_per_field_and_nothing_is_written(self, personas, api_for):
        body = {"code": "C-1", "kind": "course", "title_en": "A course", "title_ar": "", "open_to": ["ICI", "NOPE"]}
        response = api_for(personas["registrar"]).post("/api/menu/", body, format="json")
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert set(errors) == {"title_ar", "course", "open_to"}
        assert errors["open_to"] == ["Unknown framework(s): NOPE."]
        assert errors["course"] == ["A course activity names its catalogue course."]
        wrong_kind = api_for(personas["registrar"]).post("/api/menu/", {**body, "kind": "party"}, format="json")
        assert wrong_kind.status_code == 400 and "kind" in wrong_kind.json()["errors"]
        assert not MenuActivity.objects.exists()

    def test_creating_an_existing_code_is_refused(self, personas, api_for, menu):
        body = {"code": "ici-sem", "kind": "seminar", "title_en": "Other", "title_ar": "أخرى", "open_to": ["GCC"]}
        response = api_for(personas["registrar"]).post("/api/menu/", body, format="json")
        assert response.status_code == 400
        assert response.json()["errors"]["code"] == [
            "The menu already has an activity ICI-SEM; change it at /api/menu/ICI-SEM/."
        ]
        assert MenuActivity.objects.get(code="ICI-SEM").title_en == "ICI-SEM seminar"

    def test_a_partial_update_keeps_the_other_fields_and_is_audited(self, personas, api_for, menu):
        api = api_for(personas["registrar"])
        response = api.patch("/api/menu/ICI-COURSE/", {"open_to": ["ICI"], "active": False}, format="json")
        assert response.status_code == 200, response.json()
        activity = MenuActivity.objects.get(code="ICI-COURSE")
        assert (activity.course, activity.active, activity.title_en) == (menu, False, "ICI-COURSE seminar")
        assert AuditEvent.objects.get(action="menu.updated", object_id="ICI-COURSE").after["open_to"] == ["ICI"]
        renamed = api.patch("/api/menu/ICI-COURSE/", {"code": "OTHER"}, format="json")
        assert renamed.status_code == 400 and renamed.json()["errors"]["code"] == [
            "The code of an activity does not change."
        ]
        full = {
            "code": "ICI-SEM",
            "kind": "seminar",
            "title_en": "New",
            "title_ar": "جديد",
            "open_to": ["ICI"],
            "course": None,
        }
        assert api.put("/api/menu/ICI-SEM/", full, format="json").json()["title_en"] == "New"

    @pytest.mark.parametrize("persona", ["poc_kwt", "hq_observer", "instructor"])
    def test_only_catalogue_editors_write_the_menu(self, personas, api_for, menu, persona):
        api = api_for(personas[persona])
        body = {"code": "X-1", "kind": "visit", "title_en": "Visit", "title_ar": "زيارة", "open_to": ["ICI"]}
        assert api.post("/api/menu/", body, format="json").status_code == 403
        assert api.patch("/api/menu/ICI-SEM/", {"title_en": "Mine"}, format="json").status_code == 403
        assert api.delete("/api/menu/ICI-SEM/").status_code == 405
        assert MenuActivity.objects.get(code="ICI-SEM").title_en == "ICI-SEM seminar"

    def test_a_point_of_contact_cannot_reach_what_it_may_not_see(self, personas, api_for, menu):
        assert api_for(personas["poc_kwt"]).patch("/api/menu/NATO-CONF/", {}, format="json").status_code == 404

    def test_the_list_runs_a_fixed_number_of_queries(self, personas, api_for):
        menu_activity(personas, "A-1")
        api = api_for(personas["poc_kwt"])
        with CaptureQueriesContext(connection) as one:
            api.get("/api/menu/")
        for number in range(5):
            menu_activity(personas, f"B-{number}", open_to="ICI;GCC", kind="course", course=testing.make_course().code)
        with CaptureQueriesContext(connection) as six:
            assert api.get("/api/menu/").json()["count"] == 6
        assert len(six) == len(one)


class TestEvents:
    def test_a_point_of_contact_sees_invited_events_with_their_own_registrations(self, personas, api_for):
        event = inviting_event(personas)
        kuwait = api_for(personas["poc_kwt"]).get(f"/api/events/{event.public_id}/").json()
        assert (kuwait["activity"], kuwait["kind"], kuwait["status"], kuwait["invited"]) == (
            "SEM-ICI",
            "seminar",
            "inviting",
            ["KWT", "QAT"],
        )
        assert [row["nation"] for row in kuwait["registrations"]] == ["KWT"]
        qatar = api_for(personas["poc_qat"]).get("/api/events/").json()["results"]
        assert [row["nation"] for row in qatar[0]["registrations"]] == ["QAT"]

    @pytest.mark.parametrize("persona", ["registrar", "hq_observer"])
    def test_staff_and_hq_see_every_registration(self, personas, api_for, persona):
        event = inviting_event(personas)
        body = api_for(personas[persona]).get(f"/api/events/{event.public_id}/").json()
        assert sorted(row["nation"] for row in body["registrations"]) == ["KWT", "QAT"]

    def test_an_event_a_nation_is_not_invited_to_is_not_found(self, personas, api_for):
        qatar_only = inviting_event(personas, nations=("QAT",))
        proposed = inviting_event(personas, nations=())
        api = api_for(personas["poc_kwt"])
        assert api.get("/api/events/").json()["count"] == 0
        assert api.get(f"/api/events/{qatar_only.public_id}/").status_code == 404
        assert api.get(f"/api/events/{proposed.public_id}/").status_code == 404
        assert api_for(personas["registrar"]).get("/api/events/").json()["count"] == 2

    @pytest.mark.parametrize("persona", SEES_NONE)
    def test_others_see_no_event(self, personas, api_for, persona):
        event = inviting_event(personas)
        assert api_for(personas[persona]).get("/api/events/").json()["count"] == 0
        assert api_for(personas[persona]).get(f"/api/events/{event.public_id}/").status_code == 404

    def test_events_are_read_only_and_anonymous_must_authenticate(self, personas, api_for):
        event = inviting_event(personas)
        assert api_for(personas["registrar"]).post("/api/events/", {}, format="json").status_code == 405
        assert api_for(personas["registrar"]).delete(f"/api/events/{event.public_id}/").status_code == 405
        assert api_for(None).get("/api/events/").status_code == 401

    def test_the_list_runs_a_fixed_number_of_queries(self, personas, api_for):
        inviting_event(personas)
        api = api_for(personas["poc_kwt"])
        with CaptureQueriesContext(connection) as one:
            api.get("/api/events/")
        for _ in range(3):
            inviting_event(personas)
        with CaptureQueriesContext(connection) as four:
            assert api.get("/api/events/").json()["count"] == 4
        assert len(four) == len(one)


def test_the_schema_describes_the_new_paths(api_for):
    schema = api_for(None).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/programmes/",
        "/api/programmes/{public_id}/",
        "/api/goals/",
        "/api/goals/{public_id}/",
        "/api/menu/",
        "/api/menu/{code}/",
        "/api/events/",
        "/api/events/{public_id}/",
    ):
        assert path in schema["paths"], path
    assert {"get", "put", "patch"} <= set(schema["paths"]["/api/menu/{code}/"])
    assert "delete" not in schema["paths"]["/api/menu/{code}/"] and "post" not in schema["paths"]["/api/events/"]


def test_the_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--file", str(tmp_path / "schema.yml"), "--validate", "--fail-on-warn")
