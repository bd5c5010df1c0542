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


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_an_iteration_is_found_exactly_when_the_iteration_lists_hold_it(personas, courses, persona):
    """get_iteration checks a course's releasability from its cached rules instead of the lists'
    subqueries: both must give the same answer for every persona, releasability and status."""
    from django.http import Http404

    from icihub.accounts import policy
    from icihub.planning.models import Iteration

    user_ = user(personas, persona)
    for name, course in courses.items():
        for status in ("planned", "open"):
            iteration = testing.make_iteration(course, status=status)
            listed = Iteration.objects.visible_to(user_).filter(pk=iteration.pk).exists()
            try:
                found = policy.get_iteration(user_, iteration.code) == iteration
            except Http404:
                found = False
            assert found is listed, f"{persona} {name} {status}"
            expected = persona in testing.EXPECTED_VISIBLE[name] and (status == "open" or persona in testing.SEES_ALL)
            assert found is expected, f"{persona} {name} {status}"


@pytest.mark.django_db
def test_an_iteration_follows_its_course_releasability_at_once(personas, django_capture_on_commit_callbacks):
    from django.http import Http404

    from icihub.accounts import policy
    from icihub.catalogue.services import course_data, save_course

    course = testing.make_course(**testing.RELEASABILITY["kuwait_only"])
    iteration = testing.make_iteration(course)
    assert policy.get_iteration(personas["poc_kwt"], iteration.code) == iteration
    with pytest.raises(Http404):
        policy.get_iteration(personas["poc_qat"], iteration.code)
    data = course_data(course) | {"releasable_to_nations": ["QAT"]}
    with django_capture_on_commit_callbacks(execute=True):
        save_course(actor=personas["centre_admin"], data=data, course=course, source="test")
    assert policy.get_iteration(personas["poc_qat"], iteration.code) == iteration
    with pytest.raises(Http404):
        policy.get_iteration(personas["poc_kwt"], iteration.code)
