"""The courses API: filters, pagination, writes through the service, errors as JSON per field."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icihub import testing
from icihub.accounts.models import Role, User
from icihub.audit.models import AuditEvent
from icihub.catalogue.models import Course
from icihub.testing import api_course_data, make_course

RELEASABLE_TO_KUWAIT = {"releasable_to_public": False, "releasable_to_frameworks": [], "releasable_to_nations": ["KWT"]}


@pytest.mark.django_db
class TestReading:
    def test_it_lists_with_filters_and_pages(self, personas, api_for):
        for number in range(30):
            make_course(code=f"LL-CAP-{50000 + number}", delivery_method="mtt" if number % 3 == 0 else "residential")
        api = api_for(None)
        first = api.get("/api/courses/").json()
        assert first["count"] == 30 and len(first["results"]) == 25 and first["next"]
        assert len(api.get(first["next"]).json()["results"]) == 5
        assert api.get("/api/courses/?delivery=mtt").json()["count"] == 10
        assert api.get("/api/courses/?q=LL-CAP-50001").json()["count"] == 1

    def test_a_course_carries_every_etoc_field(self, personas, api_for):
        course = make_course()
        body = api_for(None).get(f"/api/courses/{course.code}/").json()
        assert body["objectives"][1] == {
            "number": 2,
            "text_en": "Apply the analysis method to an observation.",
            "text_ar": "تطبيق منهج التحليل على ملاحظة.",
        }
        assert body["releasable_to_frameworks"] == ["GCC", "ICI"]
        assert body["accommodation_fee_eur"] == "450.00"
        assert body["releasability_marking"] == "NATO UNCLASSIFIED - Releasable to the public"
        assert body["active_from"] == "2019-01-01" and body["deactivated_on"] is None

    def test_the_list_runs_a_fixed_number_of_queries(self, personas, api_for):
        def caller():  # read afresh for each request, as the server does
            return api_for(User.objects.get(pk=personas["poc_kwt"].pk))

        make_course()
        with CaptureQueriesContext(connection) as one:
            caller().get("/api/courses/")
        for _ in range(6):
            make_course()
        with CaptureQueriesContext(connection) as seven:
            caller().get("/api/courses/")
        assert len(seven) == len(one)

    def test_a_bad_filter_is_a_400_naming_the_filter(self, personas, api_for):
        for _ in range(2):  # and is never cached as an answer
            response = api_for(None).get("/api/courses/?level=7")
            assert response.status_code == 400
            assert "level" in response.json()["errors"]

    def test_callers_who_see_the_same_courses_share_the_list_and_no_one_else(self, personas, api_for):
        make_course(code="LL-CAP-00080", title_en="Kuwaiti Bilateral Course", **RELEASABLE_TO_KUWAIT)
        make_course(code="LL-CAP-00081")
        second_poc = User.objects.create_user(
            "poc-kwt-2", role=Role.POINT_OF_CONTACT, nation=personas["poc_kwt"].nation
        )
        first = api_for(personas["poc_kwt"]).get("/api/courses/").json()
        with CaptureQueriesContext(connection) as queries:
            second = api_for(second_poc).get("/api/courses/").json()
        assert second == first and "LL-CAP-00080" in {course["code"] for course in second["results"]}
        assert not [query for query in queries if "catalogue_course" in query["sql"]]
        for other in (None, personas["poc_qat"]):
            codes = {course["code"] for course in api_for(other).get("/api/courses/").json()["results"]}
            assert codes == {"LL-CAP-00081"}

    def test_a_course_change_shows_in_the_list_at_once(self, personas, api_for):
        api = api_for(personas["poc_kwt"])
        assert api.get("/api/courses/").json()["count"] == 0
        make_course(code="LL-CAP-00082")
        assert [course["code"] for course in api.get("/api/courses/").json()["results"]] == ["LL-CAP-00082"]


@pytest.mark.django_db
class TestWriting:
    def test_a_registrar_creates_a_course_and_it_is_audited(self, personas, api_for):
        response = api_for(personas["registrar"]).post(
            "/api/courses/", api_course_data(code="LL-CAP-77777"), format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["code"] == "LL-CAP-77777"
        assert AuditEvent.objects.get(object_id="LL-CAP-77777").source == "api"

    def test_errors_come_back_per_field_and_nothing_is_written(self, personas, api_for):
        data = api_course_data(rank_min="OF-9", rank_max="OF-1", slp_requirement="9999", audience_frameworks=["XYZ"])
        response = api_for(personas["registrar"]).post("/api/courses/", data, format="json")
        assert response.status_code == 400
        body = response.json()
        assert body["detail"] == "The request has invalid fields; nothing was changed."
        assert set(body["errors"]) == {"rank_max", "slp_requirement", "audience_frameworks"}
        assert "Unknown framework 'XYZ'" in body["errors"]["audience_frameworks"][0]
        assert not Course.objects.exists()

    def test_a_missing_field_and_a_wrong_type_are_per_field_errors(self, personas, api_for):
        data = api_course_data()
        del data["title_en"]
        data["duration_days"] = "five"
        body = api_for(personas["registrar"]).post("/api/courses/", data, format="json").json()
        assert body["errors"]["title_en"] == ["This field is required."]
        assert "valid integer" in body["errors"]["duration_days"][0]

    def test_malformed_json_is_a_clear_400(self, personas, api_for):
        response = api_for(personas["registrar"]).post("/api/courses/", "{not json", content_type="application/json")
        assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]

    def test_a_partial_update_keeps_the_other_fields(self, personas, api_for):
        course = make_course()
        response = api_for(personas["course_director"]).patch(
            f"/api/courses/{course.code}/", {"duration_days": 5}, format="json"
        )
        assert response.status_code == 200
        course.refresh_from_db()
        assert course.duration_days == 5 and course.objectives.count() == 2 and course.slp_requirement == "3232"

    def test_only_a_centre_administrator_deletes_and_never_a_prerequisite(self, personas, api_for):
        first = make_course()
        make_course(prerequisites=[first.code])
        assert api_for(personas["registrar"]).delete(f"/api/courses/{first.code}/").status_code == 403
        response = api_for(personas["centre_admin"]).delete(f"/api/courses/{first.code}/")
        assert response.status_code == 400 and "deactivate it instead" in response.json()["errors"]["code"][0]
        lone = make_course()
        assert api_for(personas["centre_admin"]).delete(f"/api/courses/{lone.code}/").status_code == 204
        assert AuditEvent.objects.filter(action="course.deleted", object_id=lone.code).exists()

    def test_token_authentication_works_and_bad_tokens_are_refused(self, personas, client):
        from rest_framework.test import APIClient

        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {testing.api_key(personas['registrar'])}")
        assert api.post("/api/courses/", api_course_data(), format="json").status_code == 201
        api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
        assert api.get("/api/courses/").status_code == 401

    def test_a_token_is_issued_for_a_user_name_and_password(self, personas, client):
        from icihub.testing import PASSWORD

        response = client.post("/api/token/", {"username": "registrar", "password": PASSWORD})
        assert response.status_code == 200 and response.json()["token"].startswith("ici_")
        assert client.post("/api/token/", {"username": "registrar", "password": "wrong"}).status_code == 400


@pytest.mark.django_db
def test_the_openapi_schema_and_docs_are_served(personas, client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/courses/", "/api/courses/{code}/", "/api/nations/", "/api/frameworks/", "/api/organisations/"} <= set(
        schema["paths"]
    )
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()
