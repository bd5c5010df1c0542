"""The API's list filters do what the OpenAPI schema says of them (issue 16): a value outside a filter's
enum (or not true or false, for a boolean) is a 400 naming the filter, never a filter that silently
matches nothing or everything; an empty value is no filter, the same list as without it; and only the
list operations declare filters (an iteration's seat requests used to declare the iteration list's)."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from icihub import testing
from icihub.accounts.tests.test_generated_matrix import world  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
PAGING = {"page", "cursor"}


def _filters(kind: str) -> list[tuple[str, str]]:
    """(path, parameter) of every GET operation's query parameter of that kind: "enum" or "boolean"."""
    found = []
    for path, operations in SCHEMA["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter["in"] != "query":
                continue
            if (kind == "enum" and "enum" in schema) or (kind == "boolean" and schema.get("type") == "boolean"):
                found.append((path, parameter["name"]))
    return found


ENUMS, BOOLEANS = _filters("enum"), _filters("boolean")


def _url(path: str, iteration) -> str:
    return path.replace("{code}", iteration.code)


def test_the_schema_has_the_filters_this_file_checks():
    assert ("/api/organisations/", "type") in ENUMS and ("/api/menu/", "kind") in ENUMS
    assert ("/api/courses/", "level") in ENUMS and ("/api/menu/", "active") in BOOLEANS


@pytest.mark.parametrize(("path", "name"), ENUMS + BOOLEANS)
@pytest.mark.parametrize("value", ["not-a-choice", "CENTRE", "yes"])
def test_a_value_outside_a_filters_enum_is_refused_naming_the_filter(personas, api_for, path, name, value):
    iteration = testing.make_iteration()
    response = api_for(personas["registrar"]).get(_url(path, iteration), {name: value})
    assert response.status_code == 400, (path, name, response.content[:300])
    assert name in response.json()["errors"]


@pytest.mark.parametrize(("path", "name"), ENUMS + BOOLEANS)
def test_an_empty_filter_is_no_filter(personas, api_for, world, path, name):  # noqa: F811
    api, url = api_for(personas["registrar"]), _url(path, world["iteration"])
    unfiltered = api.get(url)
    assert unfiltered.status_code == 200
    assert api.get(url, {name: ""}).json() == unfiltered.json()


def test_organisations_are_filtered_by_type(personas, api_for):
    api = api_for(None)
    everyone = api.get("/api/organisations/").json()["results"]
    types = {organisation["type"] for organisation in everyone}
    chosen = sorted(types)[0]
    listed = api.get("/api/organisations/", {"type": chosen}).json()["results"]
    assert listed and {organisation["type"] for organisation in listed} == {chosen}
    assert api.get("/api/organisations/", {"type": ""}).json()["results"] == everyone
    refused = api.get("/api/organisations/", {"type": "embassy"})
    assert refused.status_code == 400
    assert "embassy is not one of the available choices" in refused.json()["errors"]["type"][0]


def test_the_menu_is_filtered_by_true_or_false_and_refuses_anything_else(personas, api_for, world):  # noqa: F811
    api = api_for(personas["registrar"])
    every = api.get("/api/menu/").json()["count"]
    active, inactive = (api.get("/api/menu/", {"active": value}).json()["count"] for value in ("true", "False"))
    assert active + inactive == every
    assert api.get("/api/menu/", {"active": "1"}).json()["count"] == active
    refused = api.get("/api/menu/", {"active": "yes"})
    assert refused.status_code == 400 and refused.json()["errors"]["active"] == ["Give true or false."]


def test_only_list_operations_declare_filters():
    declaring = {
        (method.upper(), path)
        for path, operations in SCHEMA["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict)
        and any(p["in"] == "query" and p["name"] not in PAGING for p in operation.get("parameters", []))
    }
    assert ("GET", "/api/iterations/{code}/allocations/") not in declaring
    declaring.discard(("GET", "/api/verify/{number}/"))  # its code or name is the proof, not a filter
    assert all(method == "GET" and "{" not in path for method, path in declaring), sorted(declaring)
