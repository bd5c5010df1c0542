"""API fuzzing with Schemathesis against the OpenAPI schema (bounded): every operation, called by a
registrar with inputs generated from the schema, answers without a server error, and each documented
answer matches the schema."""

import collections
import json

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from icihub import testing
from icihub.accounts.tests import test_generated_matrix as matrix
from icihub.accounts.tests.test_generated_writes import _nation_rows
from icihub.wsgi import application

pytestmark = pytest.mark.django_db
EXAMPLES = 15  # per operation: bounded, so the suite stays minutes long
world = matrix.world  # the fixture: two nations' nominations, persons, programmes (test_generated_matrix.py)

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
    response = case.call(headers={"Authorization": f"Token {testing.api_key(personas['registrar'])}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])
    # A documented answer (the 200s and 201s) has the shape the schema gives it.
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


# --- the same fuzzing as other roles -------------------------------------------------------------
# One test per role walks every operation with a few derandomised cases each (one world for all of
# them: a world per operation and role would cost more than the requests). Each case is counted, and
# the summary line says how many ran: "fuzz as <role>: N cases over M operations, 0 server errors".
ROLE_EXAMPLES = 10
# What anyone may call without a token (docs/authorization.md: the public catalogue and its
# iterations, reference data, certificate verification, the schema, and the token exchange).
PUBLIC_OPERATIONS = {
    ("GET", "/api/"),
    ("GET", "/api/frameworks/"),
    ("GET", "/api/frameworks/{code}/"),
    ("GET", "/api/nations/"),
    ("GET", "/api/nations/{code}/"),
    ("GET", "/api/organisations/"),
    ("GET", "/api/organisations/{code}/"),
    ("GET", "/api/courses/"),
    ("GET", "/api/courses/{code}/"),
    ("GET", "/api/iterations/"),
    ("GET", "/api/iterations/{code}/"),
    ("GET", "/api/iterations/{code}/allocations/"),
    ("GET", "/api/verify/{number}/"),
    ("GET", "/api/schema/"),
    ("POST", "/api/token/"),
}
# The other operations on what anonymous users may read (a write, or an action of an iteration) may
# also answer 400 (a query or body that is not valid, checked before who asks: an iteration's lookup
# validates its filters first) or 404 (no such object); never 2xx or 3xx. Everything else: 401 or 403.
PUBLIC_COLLECTIONS = ("/api/frameworks/", "/api/nations/", "/api/organisations/", "/api/courses/", "/api/iterations/")


def _refused_to_anonymous(operation: tuple[str, str], status: int) -> bool:
    if operation in PUBLIC_OPERATIONS:
        return True
    if operation[1].startswith(PUBLIC_COLLECTIONS):
        return status in (400, 401, 403, 404)
    return status in (401, 403)


def _identifiers_of(world, nation: str) -> set[str]:
    """Strings that name `nation`'s objects in the world of test_generated_matrix: public ids,
    e-mail addresses, the certificate number."""
    own = world["owned"][nation]
    nominations = [own["nomination"], own["open_nomination"]]
    persons = [n.person for n in nominations] + [own["registration"].person]
    public = [*nominations, *persons, own["programme"], own["goal"]]
    return {str(o.public_id) for o in public} | {p.email for p in persons} | {own["certificate"].number}


def _fuzz_every_operation(call) -> int:
    """Run `call(case)` on ROLE_EXAMPLES derandomised cases of every operation, positive and negative."""
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        strategy = st.one_of([operation.as_strategy(generation_mode=mode) for mode in GenerationMode])

        @settings(
            max_examples=ROLE_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
        )
        @given(case=strategy)
        def run(case):
            call(case)

        run()
    return len(operations)


def _aimed_cases(identifiers: set[str]):
    """Cases no generator would find: every list read plainly, and every operation with one path
    parameter called (each method the schema gives it) with each of the other nation's identifiers.
    Certificate verification by number is public by design (docs/certificates.md) and left out."""
    for result in schema.get_all_operations():
        operation = result.ok()
        names = [p.name for p in operation.path_parameters]
        if not names and operation.method.upper() == "GET":
            yield operation.Case()
        elif len(names) == 1 and not operation.path.startswith("/api/verify/"):
            for word in sorted(identifiers):
                yield operation.Case(path_parameters={names[0]: word})


LEAK_CHECKED = ("poc_kwt", "participant")


@pytest.mark.parametrize("role", ["poc_kwt", "participant", "hq_observer", None])
def test_the_api_never_fails_whoever_calls_it(world, personas, role):
    headers = {}
    if role is not None:
        headers = {"Authorization": f"Token {testing.api_key(personas[role])}"}
    qatari = _identifiers_of(world, "QAT")
    assert not qatari & _identifiers_of(world, "KWT")
    qatar_before = _nation_rows("QAT")
    sent, problems = collections.Counter(), []

    def call(case):
        response = case.call(headers=headers)
        operation = (case.method.upper(), case.operation.path)
        sent[operation] += 1
        assert response.status_code < 500, (role, *operation, case.formatted_path, response.text[:300])
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        if role is None and not _refused_to_anonymous(operation, response.status_code):
            problems.append((*operation, case.formatted_path, response.status_code, response.text[:200]))
        if role in LEAK_CHECKED:
            leaked = sorted(word for word in qatari if word in response.text)
            assert not leaked, (role, *operation, case.formatted_path, "shows Qatar's", leaked)
        return response

    operations = _fuzz_every_operation(call)
    generated = sum(sent.values())
    aimed = 0
    if role in LEAK_CHECKED:
        for case in _aimed_cases(qatari):
            response = call(case)
            aimed += 1
            if case.path_parameters:  # another nation's object by its id: not found, whatever the verb
                assert response.status_code in (403, 404, 405), (role, case.method, case.formatted_path)
        assert _nation_rows("QAT") == qatar_before, f"{role}'s calls changed Qatar's rows"
    assert problems == [], "anonymous callers: refused outside PUBLIC_OPERATIONS (see _refused_to_anonymous)"
    assert len(sent) == operations, "every operation was called"
    print(
        f"fuzz as {role or 'anonymous'}: {generated} generated cases over {operations} operations"
        + (f" + {aimed} aimed at Qatar's objects; no Qatari identifier in any answer" if aimed else "")
        + ", 0 server errors"
    )


def test_the_schema_marks_exactly_the_public_operations_as_callable_without_credentials():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    open_to_anyone = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if {} in operation.get("security", [{}])
    }
    assert open_to_anyone == PUBLIC_OPERATIONS - {("GET", "/api/"), ("GET", "/api/schema/")}
