"""`/healthz`: public, outside the language prefix, plain "ok" with no database query, no session and no
template; reads only (it is the bare view bench/scale measures the rest against)."""

import pytest
from django.test import Client
from django.urls import reverse

from icihub.accounts.tests.test_generated_matrix import ROLES

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_touching_the_database_or_a_session(django_assert_num_queries):
    client = Client()
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert not response.cookies  # no session, no CSRF cookie
    assert not response.templates


def test_it_lives_outside_the_language_prefix():
    assert reverse("healthz") == "/healthz"
    assert Client().get("/en/healthz").status_code == 404


def test_it_answers_head_and_refuses_writes():
    client = Client()
    assert client.head("/healthz").status_code == 200
    for method in (client.post, client.put, client.patch, client.delete):
        assert method("/healthz").status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_every_role_and_anonymous_users_reach_it(personas, role):
    client = Client()
    if role is not None:
        client.force_login(personas[role])
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
