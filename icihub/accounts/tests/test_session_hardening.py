"""Sessions and factors as ASVS 5.0 level 2 asks (docs/asvs.md): the admin's log-in locks out like
the log-in page, a session gets a new id when it gets stronger, a session ends at its absolute
lifetime however often it is saved, replacing a factor asks for the password again, and no page may
set a <base>."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from icihub import testing
from icihub.accounts.models import LoginFailure, UserSession
from icihub.accounts.security import PROVED_AT
from icihub.accounts.tests.test_mfa import _code, _enrol, _log_in
from icihub.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_admin_log_in_page_locks_out_like_the_log_in_page(personas, settings):
    settings.ICIHUB_LOGIN_FAILURES = 3
    admin_user = personas["centre_admin"]
    admin_user.is_staff = True
    admin_user.save()
    client = Client()
    for _ in range(3):
        client.post("/en/admin/login/", {"username": admin_user.username, "password": "guess"})
    refused = client.post("/en/admin/login/", {"username": admin_user.username, "password": PASSWORD})
    assert refused.status_code == 200 and "Too many failed log-ins" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username=admin_user.username).count() == 4


def test_the_second_factor_and_the_step_up_give_the_session_a_new_id(personas):
    _client, device, _codes = _enrol("poc-kwt")
    client = _log_in("poc-kwt")
    before = client.session.session_key
    passed = client.post("/en/accounts/mfa/", {"code": _code(device, 1), "next": "/en/nominations/"})
    assert passed.status_code == 302 and client.session.session_key != before
    assert client.get("/en/nominations/").status_code == 200  # still signed in, under the new id
    assert UserSession.objects.filter(session_key=client.session.session_key).exists()
    before = client.session.session_key
    client.post("/en/accounts/confirm/", {"password": PASSWORD, "code": _code(device, 2)})
    assert client.session.session_key != before and client.get("/en/accounts/").status_code == 200


def test_a_session_ends_at_its_absolute_lifetime_however_busy(personas, settings):
    client = _log_in("participant")
    assert client.get("/en/accounts/").status_code == 200
    row = UserSession.objects.get(user=personas["participant"])
    # Busy all along (seen a minute ago), but signed in longer than the session's lifetime.
    signed_in = timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    UserSession.objects.filter(pk=row.pk).update(created_at=signed_in, last_seen=timezone.now())
    assert "/accounts/login/" in client.get("/en/accounts/")["Location"]
    assert not UserSession.objects.filter(pk=row.pk).exists()


def test_replacing_a_factor_asks_for_the_password_again(personas):
    client, _device, old = _enrol("hq-observer")
    session = client.session
    session[PROVED_AT] = 0  # the log-in's proof is long past
    session.save()
    asked = client.post("/en/accounts/mfa/recovery/")
    assert asked.status_code == 302 and "/accounts/confirm/" in asked["Location"]
    assert "/accounts/confirm/" in client.get("/en/accounts/mfa/setup/")["Location"]
    assert _log_in("hq-observer").post("/en/accounts/mfa/", {"code": old[0]}).status_code == 302  # unchanged


def test_no_page_may_set_a_base_address(client):
    policy = client.get("/en/accounts/login/")["Content-Security-Policy"]
    assert "base-uri 'none'" in policy


def test_signed_in_answers_are_not_cached_and_log_out_clears_the_browser(personas, client):
    public = client.get("/en/")  # the public catalogue, which proxies may keep
    assert public.status_code == 200 and "no-store" not in public.get("Cache-Control", "")
    signed_in = _log_in("poc-kwt")
    assert signed_in.get("/en/nominations/")["Cache-Control"] == "private, no-store"
    assert signed_in.get("/api/nominations/")["Cache-Control"] == "private, no-store"
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {testing.api_key(personas['poc_kwt'])}")
    assert api.get("/api/nominations/")["Cache-Control"] == "private, no-store"
    out = signed_in.post("/en/accounts/logout/")
    assert out["Clear-Site-Data"] == '"cache", "storage"'
