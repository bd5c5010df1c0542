"""Input nobody sends on purpose answers a clear 4xx, never a server error: format suffixes on every
action, years no calendar holds, JSON nested 100,000 deep or larger than any operation needs, and
searches longer than SQLite's LIKE accepts (found by an outside probe, issue 16)."""

import json

import pytest

from icihub import testing

pytestmark = pytest.mark.django_db


@pytest.fixture
def iteration(personas):
    return testing.make_iteration()


@pytest.mark.parametrize("suffix", [".json", ".api"])
def test_an_actions_format_suffix_answers_like_the_action(personas, api_for, iteration, suffix):
    api = api_for(personas["registrar"])
    plain = api.get(f"/api/iterations/{iteration.code}/allocations/")
    suffixed = api.get(f"/api/iterations/{iteration.code}/allocations{suffix}")
    assert plain.status_code == suffixed.status_code == 200
    # As its schema says since: the seat requests of one run, a list, not a page of them.
    assert isinstance(plain.json(), list)


@pytest.mark.parametrize("year", ["0000", "0001", "9999"])
def test_a_calendar_of_a_year_no_calendar_holds_is_not_found(personas, client_for, year):
    client = client_for(personas["registrar"])
    for file_format in ("ics", "csv", "xlsx"):
        assert client.get(f"/en/calendar-{year}.{file_format}").status_code == 404


def test_a_programme_review_of_an_impossible_year_is_not_found(personas, client_for):
    from icihub.programmes.models import Programme

    programme = Programme.objects.first()
    public_id = programme.public_id if programme else "00000000-0000-0000-0000-000000000000"
    client = client_for(personas["registrar"])
    for path in (f"/en/programmes/{public_id}/review/0000/", f"/en/programmes/{public_id}/review/99999999999.pdf"):
        assert client.get(path).status_code == 404


def _nested(levels: int) -> str:
    return '{"title_en": ' + "[" * levels + "]" * levels + "}"


@pytest.mark.parametrize("levels", [33, 5_000, 100_000])
def test_json_nested_too_deep_is_refused_in_the_apis_format(personas, api_for, levels):
    api = api_for(personas["registrar"])
    response = api.post("/api/courses/", data=_nested(levels), content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "The JSON is nested more than 32 levels deep."}


def test_json_larger_than_any_operation_needs_is_refused_before_it_is_parsed(personas, api_for):
    api = api_for(personas["registrar"])
    body = json.dumps({"title_en": "x" * (1024 * 1024)})
    response = api.post("/api/courses/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert "larger than 1048576 bytes" in response.json()["detail"]


def test_not_a_number_is_not_json(personas, api_for):
    response = api_for(personas["registrar"]).post(
        "/api/courses/", data='{"duration": NaN}', content_type="application/json"
    )
    assert response.status_code == 400 and "NaN is not a JSON number" in response.json()["detail"]


def test_a_search_of_100_kilobytes_answers_like_a_short_one(personas, client_for, api_for):
    course = testing.make_course()
    long = "Cyber" + "%_" * 50_000
    page = client_for(None).get("/en/", {"q": long})
    assert page.status_code == 200
    api = api_for(personas["registrar"])
    refused = api.get("/api/courses/", {"q": long})
    assert refused.status_code == 400 and "q" in refused.json()["errors"]
    assert api.get("/api/courses/", {"audience": "K" * 60_000}).status_code == 400
    assert api.get("/api/courses/", {"q": course.code}).json()["count"] == 1
