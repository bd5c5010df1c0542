"""API fuzzing with Schemathesis against the OpenAPI schema (bounded): every operation, called by a
registrar with inputs generated from the schema, answers without a server error, and each documented
answer matches the schema."""

import json

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from icihub.wsgi import application

pytestmark = pytest.mark.django_db
EXAMPLES = 15  # per operation: bounded, so the suite stays minutes long

schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
)
schema.app = application


@pytest.fixture(autouse=True)
def requests_inside_the_test_transaction():
    """As Django's test client does: the end of a request must not close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_never_fails_on_what_its_schema_allows(case, personas):
    token, _created = Token.objects.get_or_create(user=personas["registrar"])
    response = case.call(headers={"Authorization": f"Token {token.key}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])
    # A documented answer (the 200s and 201s) has the shape the schema gives it.
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
