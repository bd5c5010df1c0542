"""Catalogue pages: search and filters, course page, staff create and edit, English and Arabic."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icihub.audit.models import AuditEvent
from icihub.catalogue.models import Course
from icihub.testing import course_data, make_course


@pytest.fixture
def catalogue(personas):
    return {
        "lessons": make_course(title_en="Lessons Learned Staff Officer Course", languages=["en", "ar"], level=300),
        "cyber": make_course(
            code="CYB-OPS-20001",
            discipline="CYB",
            area="OPS",
            title_en="Cyber Defence Awareness",
            title_ar="التوعية بالدفاع السيبراني",
            delivery_method="mtt",
            audience_frameworks=["GCC"],
            level=100,
        ),
    }


def codes_on(response) -> set[str]:
    text = response.content.decode()
    return {code for code in ("LL-CAP", "CYB-OPS-20001") if code in text}


@pytest.mark.django_db
class TestCatalogue:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("q=cyber", {"CYB-OPS-20001"}),
            ("q=السيبراني", {"CYB-OPS-20001"}),
            ("discipline=LL", {"LL-CAP"}),
            ("delivery=mtt", {"CYB-OPS-20001"}),
            ("audience=GCC", {"CYB-OPS-20001"}),
            ("audience=ICI", {"LL-CAP"}),
            ("language=ar", {"LL-CAP"}),
            ("level=100", {"CYB-OPS-20001"}),
            ("level=100&discipline=LL", set()),
        ],
    )
    def test_it_searches_and_filters(self, catalogue, client, query, expected):
        assert codes_on(client.get(f"/en/?{query}")) == expected

    def test_a_bad_filter_value_is_reported_not_ignored(self, catalogue, client):
        response = client.get("/en/?level=999")
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    def test_the_list_runs_a_fixed_number_of_queries(self, catalogue, client):
        client.get("/en/")
        for extra in range(3):
            make_course(code=f"CYB-OPS-3000{extra}", discipline="CYB", area="OPS")
        with CaptureQueriesContext(connection) as few:
            client.get("/en/")
        for extra in range(5):
            make_course(code=f"CYB-OPS-4000{extra}", discipline="CYB", area="OPS")
        with CaptureQueriesContext(connection) as many:
            client.get("/en/")
        assert len(many) == len(few)

    def test_the_course_page_shows_the_etoc_record(self, catalogue, client):
        page = client.get(f"/en/courses/{catalogue['lessons'].code}/").content.decode()
        for text in (
            "OR-7 - OF-5",
            "SLP 3232",
            "ACT.396",
            "450.00 EUR",
            "Explain the NATO lessons learned process.",
            "NATO UNCLASSIFIED - Releasable to the public",
            "300 - Independent",
        ):
            assert text in page

    def test_a_course_page_counts_prerequisites_hidden_from_the_reader_without_naming_them(self, personas, client):
        secret = make_course(
            releasable_to_public=False, releasable_to_frameworks=["NATO"], classification="NR", title_en="Secret prep"
        )
        open_course = make_course(prerequisites=[secret.code])
        page = client.get(f"/en/courses/{open_course.code}/").content.decode()
        assert "and 1 course not shown to you" in page
        assert secret.code not in page and "Secret prep" not in page
        client.force_login(personas["registrar"])
        staff_page = client.get(f"/en/courses/{open_course.code}/").content.decode()
        assert secret.code in staff_page and "not shown to you" not in staff_page

    def test_an_unknown_course_is_not_found(self, catalogue, client):
        assert client.get("/en/courses/LL-CAP-00000/").status_code == 404
        assert client.get("/en/courses/%27%3B--/").status_code == 404

    def test_the_catalogue_accepts_only_get(self, catalogue, client):
        assert client.post("/en/").status_code == 405


@pytest.mark.django_db
class TestArabic:
    def test_arabic_pages_are_right_to_left_with_translated_titles(self, catalogue, client):
        page = client.get("/ar/").content.decode()
        assert '<html lang="ar" dir="rtl">' in page
        assert "التوعية بالدفاع السيبراني" in page
        assert "Cyber Defence Awareness" not in page

    def test_english_pages_are_left_to_right(self, catalogue, client):
        page = client.get("/en/").content.decode()
        assert '<html lang="en" dir="ltr">' in page
        assert "Cyber Defence Awareness" in page

    def test_the_language_switch_keeps_the_page(self, catalogue, client):
        code = catalogue["cyber"].code
        response = client.post("/i18n/setlang/", {"language": "ar", "next": f"/en/courses/{code}/"})
        assert response.status_code == 302 and response["Location"] == f"/ar/courses/{code}/"

    def test_the_payment_authority_is_in_the_pages_language(self, catalogue, client):
        code = catalogue["cyber"].code
        arabic = client.get(f"/ar/courses/{code}/").content.decode()
        assert "الدولة المُرسِلة" in arabic and "Sending nation" not in arabic
        assert "Sending nation" in client.get(f"/en/courses/{code}/").content.decode()

    def test_interface_strings_are_translated(self, catalogue, client):
        page = client.get("/ar/").content.decode()
        assert "دليل الدورات" in page  # "Course catalogue"

    def test_every_asset_is_served_locally(self, catalogue, client):
        page = client.get("/ar/").content.decode()
        assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
        stylesheet = client.get("/static/icihub/icihub.css")
        assert stylesheet.status_code == 200 and b"border-inline-start" in b"".join(stylesheet.streaming_content)


@pytest.mark.django_db
class TestStaffEditing:
    def form_for(self, **overrides) -> dict:
        data = course_data(**overrides)
        form = {key: value for key, value in data.items() if value not in (None, False)}
        form["objectives_en"] = "\n".join(en for en, _ in data["objectives"])
        form["objectives_ar"] = "\n".join(ar for _, ar in data["objectives"])
        form["active_from"] = data["active_from"].isoformat()
        del form["objectives"]
        return form

    def test_a_registrar_creates_a_course(self, personas, client_for):
        client = client_for(personas["registrar"])
        assert client.get("/en/staff/courses/new/").status_code == 200
        response = client.post("/en/staff/courses/new/", self.form_for(code="LL-ANA-12345", area="ANA"))
        assert response.status_code == 302 and response["Location"] == "/en/courses/LL-ANA-12345/"
        course = Course.objects.get(code="LL-ANA-12345")
        assert course.objectives.count() == 2
        assert AuditEvent.objects.filter(action="course.created", object_id="LL-ANA-12345", source="web").exists()

    def test_the_form_shows_each_problem_next_to_its_field_and_saves_nothing(self, personas, client_for):
        client = client_for(personas["registrar"])
        response = client.post(
            "/en/staff/courses/new/", self.form_for(rank_min="OF-5", rank_max="OF-1", tuition_fee_eur="-5")
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert "minimum OF-5 is above maximum OF-1" in form.errors["rank_max"][0]
        assert "cannot be negative" in form.errors["tuition_fee_eur"][0]
        assert not Course.objects.exists()

    def test_objectives_need_as_many_arabic_lines_as_english(self, personas, client_for):
        form = self.form_for()
        form["objectives_ar"] = "هدف واحد فقط"
        response = client_for(personas["registrar"]).post("/en/staff/courses/new/", form)
        assert "as many Arabic objectives as English" in response.context["form"].errors["objectives_ar"][0]

    def test_an_edit_changes_the_course_and_keeps_its_objectives(self, personas, client_for, catalogue):
        course = catalogue["lessons"]
        client = client_for(personas["course_director"])
        page = client.get(f"/en/staff/courses/{course.code}/edit/")
        assert page.context["form"].initial["objectives_en"].startswith("Explain")
        form = self.form_for(code=course.code, title_en="Renamed course", level=300)
        response = client.post(f"/en/staff/courses/{course.code}/edit/", form)
        assert response.status_code == 302
        course.refresh_from_db()
        assert course.title_en == "Renamed course" and course.objectives.count() == 2

    def test_staff_pages_answer_only_get_and_post(self, personas, client_for):
        assert client_for(personas["registrar"]).put("/en/staff/courses/new/").status_code == 405


@pytest.mark.django_db
class TestErrorsInArabic:
    def test_the_edit_page_says_what_is_wrong_in_arabic(self, personas, client_for, catalogue):
        course = catalogue["lessons"]
        form = TestStaffEditing().form_for(code=course.code, rank_min="OF-5", rank_max="OF-1", tuition_fee_eur="-5")
        response = client_for(personas["registrar"]).post(f"/ar/staff/courses/{course.code}/edit/", form)
        errors = response.context["form"].errors
        assert errors["rank_max"] == ["نطاق الرتب مقلوب: الحد الأدنى OF-5 أعلى من الحد الأقصى OF-1."]
        assert errors["tuition_fee_eur"] == ["لا يمكن أن تكون الرسوم سالبة (-5 يورو)."]
        assert "upside down" not in response.content.decode()

    def test_the_same_error_stays_english_on_the_english_page(self, personas, client_for, catalogue):
        course = catalogue["lessons"]
        form = TestStaffEditing().form_for(code=course.code, rank_min="OF-5", rank_max="OF-1")
        response = client_for(personas["registrar"]).post(f"/en/staff/courses/{course.code}/edit/", form)
        assert "minimum OF-5 is above maximum OF-1" in response.context["form"].errors["rank_max"][0]
