"""The releasability matrix: every persona x a course of every releasability, on the pages and the
API alike, listing and detail together (a list never shows what a detail page hides)."""

import pytest

from icihub import testing

PERSONA_NAMES = ["anonymous", *testing.PERSONAS, "poc_gcc"]


@pytest.fixture
def courses(personas):
    return {name: testing.make_course(**overrides) for name, overrides in testing.RELEASABILITY.items()}


def user(personas, name):
    return None if name == "anonymous" else personas[name]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_catalogue_page_and_course_pages_show_exactly_what_is_releasable(personas, courses, client_for, persona):
    client = client_for(user(personas, persona))
    listing = client.get("/en/").content.decode()
    for name, course in courses.items():
        expected = persona in testing.EXPECTED_VISIBLE[name]
        assert (course.code in listing) is expected, f"{persona} listing {name}"
        detail = client.get(f"/en/courses/{course.code}/")
        assert detail.status_code == (200 if expected else 404), f"{persona} detail {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_api_lists_and_retrieves_exactly_what_is_releasable(personas, courses, api_for, persona):
    api = api_for(user(personas, persona))
    listed = {item["code"] for item in api.get("/api/courses/").json()["results"]}
    for name, course in courses.items():
        expected = persona in testing.EXPECTED_VISIBLE[name]
        assert (course.code in listed) is expected, f"{persona} API list {name}"
        assert api.get(f"/api/courses/{course.code}/").status_code == (200 if expected else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_exports_hold_exactly_what_is_releasable(personas, courses, client_for, persona):
    exported = client_for(user(personas, persona)).get("/en/catalogue.csv").getvalue().decode("utf-8-sig")
    for name, course in courses.items():
        assert (course.code in exported) is (persona in testing.EXPECTED_VISIBLE[name]), f"{persona} {name}"


EDITORS = {"centre_admin", "registrar", "course_director"}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_catalogue_editors_reach_the_edit_page_of_a_course_they_can_see(personas, courses, client_for, persona):
    client = client_for(user(personas, persona))
    for name, course in courses.items():
        response = client.get(f"/en/staff/courses/{course.code}/edit/")
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif persona not in testing.EXPECTED_VISIBLE[name]:
            assert response.status_code == 404, f"{persona} {name}"
        else:
            assert response.status_code == (200 if persona in EDITORS else 403), f"{persona} {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_api_writes_are_for_editors_and_invisible_courses_stay_not_found(personas, courses, api_for, persona):
    api = api_for(user(personas, persona))
    denied = 401 if persona == "anonymous" else 403
    for name, course in courses.items():
        response = api.patch(f"/api/courses/{course.code}/", {"duration_days": 3}, format="json")
        if persona not in testing.EXPECTED_VISIBLE[name]:
            assert response.status_code == 404, f"{persona} {name}"
        else:
            assert response.status_code == (200 if persona in EDITORS else denied), f"{persona} {name}"
    response = api.post("/api/courses/", testing.api_course_data(), format="json")
    assert response.status_code == (201 if persona in EDITORS else denied)
