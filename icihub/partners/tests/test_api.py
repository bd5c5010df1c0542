"""Frameworks, nations and organisations over the API: public reads, writes by the centre
administrator only, audited, with per-field errors."""

import pytest

from icihub.audit.models import AuditEvent
from icihub.partners.models import Nation, Organisation


@pytest.mark.django_db
class TestReading:
    def test_anyone_lists_nations_with_their_memberships(self, personas, api_for):
        body = api_for(None).get("/api/nations/").json()
        kuwait = next(item for item in body["results"] if item["code"] == "KWT")
        assert kuwait["name_ar"] == "الكويت"
        assert {"framework": "ICI", "status": "member", "joined_on": None, "left_on": None} in kuwait["memberships"]

    def test_nations_filter_by_framework_including_selected_activity_partners(self, personas, api_for):
        codes = {item["code"] for item in api_for(None).get("/api/nations/?framework=ICI").json()["results"]}
        assert codes == {"KWT", "QAT", "SAU"}

    def test_organisations_filter_by_type_and_show_codes(self, personas, api_for):
        body = api_for(None).get("/api/organisations/?type=command").json()
        assert [item["code"] for item in body["results"]] == ["JALLC"]
        assert body["results"][0]["framework"] == "NATO"

    def test_an_unknown_code_is_not_found(self, personas, api_for):
        assert api_for(None).get("/api/nations/XXX/").status_code == 404
        assert api_for(None).get("/api/frameworks/nope/").status_code == 404


@pytest.mark.django_db
class TestWriting:
    def test_the_centre_administrator_adds_a_nation_and_it_is_audited(self, personas, api_for):
        api = api_for(personas["centre_admin"])
        response = api.post("/api/nations/", {"code": "OMN", "name_en": "Oman", "name_ar": "عُمان"}, format="json")
        assert response.status_code == 201
        assert AuditEvent.objects.filter(
            action="nation.created", object_id="OMN", actor=personas["centre_admin"]
        ).exists()

    def test_a_bad_nation_code_is_a_per_field_error(self, personas, api_for):
        api = api_for(personas["centre_admin"])
        response = api.post("/api/nations/", {"code": "om", "name_en": "Oman", "name_ar": "عُمان"}, format="json")
        assert response.status_code == 400
        assert "ISO 3166 alpha-3" in response.json()["errors"]["code"][0]
        assert not Nation.objects.filter(code__iexact="om").exists()

    def test_an_organisation_names_its_nation_by_code(self, personas, api_for):
        api = api_for(personas["centre_admin"])
        data = {
            "code": "KWT-NG",
            "name_en": "Kuwait National Guard",
            "name_ar": "الحرس الوطني الكويتي",
            "type": "ministry",
            "nation": "KWT",
        }
        assert api.post("/api/organisations/", data, format="json").status_code == 201
        data["nation"] = "ZZZ"
        data["code"] = "OTHER"
        response = api.post("/api/organisations/", data, format="json")
        assert response.status_code == 400 and "nation" in response.json()["errors"]
        assert Organisation.objects.get(code="KWT-NG").nation.code == "KWT"

    def test_a_nation_in_use_cannot_be_deleted(self, personas, api_for):
        response = api_for(personas["centre_admin"]).delete("/api/nations/KWT/")
        assert response.status_code == 409 and "still in use" in response.json()["detail"]
        assert Nation.objects.filter(code="KWT").exists()

    @pytest.mark.parametrize("persona", ["registrar", "course_director", "poc_kwt", "hq_observer", "participant"])
    def test_no_one_else_writes_reference_data(self, personas, api_for, persona):
        api = api_for(personas[persona])
        assert api.post("/api/frameworks/", {"code": "X", "name_en": "X", "name_ar": "X"}).status_code == 403
        assert api.patch("/api/nations/QAT/", {"name_en": "Renamed"}, format="json").status_code == 403
        assert api.delete("/api/nations/QAT/").status_code == 403
        assert Nation.objects.get(code="QAT").name_en == "Qatar"

    def test_anonymous_writes_are_told_to_authenticate(self, personas, api_for):
        assert api_for(None).post("/api/frameworks/", {}).status_code == 401


@pytest.mark.django_db
def test_the_api_root_lists_the_endpoints(personas, api_for):
    body = api_for(None).get("/api/").json()
    assert set(body) == {
        "frameworks",
        "nations",
        "organisations",
        "courses",
        "iterations",
        "nominations",
        "persons",
        "programmes",
        "goals",
        "menu",
        "events",
    }


@pytest.mark.django_db
def test_the_admin_is_for_the_centre_administrator_and_audits_its_changes(personas, client_for):
    admin = personas["centre_admin"]
    admin.is_staff = True
    admin.save()
    client = client_for(admin)
    assert client.get("/en/admin/partners/nation/").status_code == 200
    response = client.post("/en/admin/partners/framework/add/", {"code": "EAPC", "name_en": "EAPC", "name_ar": "مجلس"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="framework.created", object_id="EAPC", source="admin").exists()
    registrar = personas["registrar"]
    registrar.is_staff = True  # even with the staff flag, the policy keeps reference data to administrators
    registrar.save()
    assert client_for(registrar).get("/en/admin/partners/nation/").status_code == 403
