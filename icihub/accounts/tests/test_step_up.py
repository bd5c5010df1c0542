"""Step-up re-authentication: sharing out seats, changing users in the admin and making an API token
need the password (and authenticator code) given within ICIHUB_STEP_UP_MINUTES; nothing happens
before it is given, wrong answers count towards the lock-out, and the proof expires."""

import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from icihub import testing
from icihub.accounts.models import ApiToken, LoginFailure
from icihub.accounts.security import PROVED_AT
from icihub.audit.models import AuditEvent
from icihub.nominations import services
from icihub.nominations.models import SeatAllocation
from icihub.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in(username, *, minutes_ago=60):
    """A client that logged in with the password `minutes_ago` minutes ago."""
    client = Client()
    assert client.post("/en/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    session = client.session
    session[PROVED_AT] = int(time.time()) - minutes_ago * 60
    session.save()
    return client


def _bids(personas, capacity=4):
    iteration = testing.make_iteration(capacity=capacity)
    for poc in ("poc_kwt", "poc_qat"):
        services.bid(actor=personas[poc], iteration=iteration, requested=3, source="test")
    return iteration


def _allocated(iteration) -> list[int]:
    return sorted(SeatAllocation.objects.filter(iteration=iteration).values_list("seats", flat=True))


def test_allocation_waits_for_the_password_then_goes_on(personas):
    iteration = _bids(personas)
    before, events = _allocated(iteration), AuditEvent.objects.count()
    client = _signed_in("registrar")
    page = f"/en/iterations/{iteration.code}/"
    asked = client.post(f"{page}act/", {"action": "allocate"}, HTTP_REFERER=f"http://testserver{page}")
    assert asked.status_code == 302 and asked["Location"].startswith("/en/accounts/confirm/?next=")
    assert _allocated(iteration) == before and AuditEvent.objects.count() == events  # nothing happened
    form = client.get(asked["Location"]).content.decode()
    assert "Confirm it is you" in form and 'name="code"' not in form  # no authenticator: password only
    wrong = client.post("/en/accounts/confirm/", {"password": "not-it", "next": page})
    assert wrong.status_code == 200 and "That password or code is not right." in wrong.content.decode()
    assert LoginFailure.objects.filter(username="registrar").count() == 1
    right = client.post("/en/accounts/confirm/", {"password": PASSWORD, "next": page})
    assert right.status_code == 302 and right["Location"] == page
    assert AuditEvent.objects.filter(action="session.stepped_up", actor__username="registrar").count() == 1
    client.post(f"{page}act/", {"action": "allocate"})
    assert sum(_allocated(iteration)) == 4  # done now, without asking again


def test_a_fresh_log_in_counts_as_the_proof_until_it_expires(personas, settings):
    iteration = _bids(personas)
    client = _signed_in("registrar", minutes_ago=settings.ICIHUB_STEP_UP_MINUTES - 1)
    assert client.post(f"/en/iterations/{iteration.code}/act/", {"action": "allocate"})["Location"] == (
        f"/en/iterations/{iteration.code}/"
    )
    assert sum(_allocated(iteration)) == 4
    stale = _signed_in("registrar", minutes_ago=settings.ICIHUB_STEP_UP_MINUTES + 1)
    assert "/accounts/confirm/" in stale.post(f"/en/iterations/{iteration.code}/act/", {"action": "adjust"})["Location"]


def test_someone_without_the_right_is_refused_not_asked(personas):
    iteration = _bids(personas)
    client = _signed_in("poc-kwt")
    answer = client.post(f"/en/iterations/{iteration.code}/act/", {"action": "allocate"})
    assert "/accounts/confirm/" not in answer.get("Location", "")
    assert sum(_allocated(iteration)) == 0


def test_with_an_authenticator_the_code_is_needed_too(personas):
    user = personas["registrar"]
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client = Client()
    client.post("/en/accounts/login/", {"username": "registrar", "password": PASSWORD})
    client.post("/en/accounts/mfa/", {"code": f"{totp(device.bin_key):06d}"})
    session = client.session
    session[PROVED_AT] = 0
    session.save()
    assert 'name="code"' in client.get("/en/accounts/confirm/").content.decode()
    refused = client.post("/en/accounts/confirm/", {"password": PASSWORD, "next": "/en/accounts/"})
    assert refused.status_code == 200 and client.session[PROVED_AT] == 0
    device.refresh_from_db()
    device.last_t = -1  # the log-in used this time step's code; allow it once more for the test
    device.save()
    passed = client.post(
        "/en/accounts/confirm/", {"password": PASSWORD, "code": f"{totp(device.bin_key):06d}", "next": "/en/accounts/"}
    )
    assert passed.status_code == 302 and client.session[PROVED_AT] > 0


def test_failures_on_the_confirm_page_lock_the_account(personas, settings):
    settings.ICIHUB_LOGIN_FAILURES = 3
    client = _signed_in("registrar")
    for _ in range(3):
        client.post("/en/accounts/confirm/", {"password": "guess"})
    locked = client.post("/en/accounts/confirm/", {"password": PASSWORD})
    assert locked.status_code == 200 and "Too many failed log-ins" in locked.content.decode()
    assert Client().post("/en/accounts/login/", {"username": "registrar", "password": PASSWORD}).status_code == 200


def test_the_confirm_page_only_goes_back_into_icihub(personas):
    client = _signed_in("registrar")
    answer = client.post("/en/accounts/confirm/", {"password": PASSWORD, "next": "https://evil.example/"})
    assert answer["Location"] == "/en/accounts/"


def test_a_new_api_token_needs_the_password(personas):
    client = _signed_in("poc-kwt")
    asked = client.post("/en/accounts/", {"action": "token", "name": "script"})
    assert "/accounts/confirm/" in asked["Location"] and not ApiToken.objects.exists()
    client.post("/en/accounts/confirm/", {"password": PASSWORD})
    made = client.post("/en/accounts/", {"action": "token", "name": "script"})
    assert made.status_code == 200 and ApiToken.objects.filter(user=personas["poc_kwt"]).count() == 1
    # Revoking is not sensitive: it only takes a power away.
    stale = _signed_in("poc-kwt")
    stale.post("/en/accounts/", {"action": "revoke-token", "token": str(ApiToken.objects.get().public_id)})
    assert ApiToken.objects.get().revoked_at is not None


def test_the_api_asks_a_browser_session_but_not_a_token(personas):
    iteration = _bids(personas)
    browser = _signed_in("registrar")
    refused = browser.post(f"/api/iterations/{iteration.code}/allocate/")
    assert refused.status_code == 403 and "step-up" in refused.json()["detail"]
    assert sum(_allocated(iteration)) == 0
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {testing.api_key(personas['registrar'])}")
    assert api.post(f"/api/iterations/{iteration.code}/allocate/").status_code == 200
    assert sum(_allocated(iteration)) == 4


def test_changing_a_users_role_in_the_admin_needs_the_password(personas):
    admin_user = personas["centre_admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = _signed_in(admin_user.username)
    target = personas["poc_kwt"]
    change = f"/en/admin/accounts/user/{target.pk}/change/"
    assert client.get("/en/admin/accounts/user/").status_code == 200  # reading the list is not sensitive
    asked = client.get(change)
    assert asked.status_code == 302 and "/accounts/confirm/" in asked["Location"]
    assert "/accounts/confirm/" in client.post("/en/admin/accounts/user/add/", {})["Location"]
    assert (
        "/accounts/confirm/" in client.post(f"/en/admin/accounts/user/{target.pk}/delete/", {"post": "yes"})["Location"]
    )
    bulk = client.post("/en/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [target.pk]})
    assert "/accounts/confirm/" in bulk["Location"]
    target.refresh_from_db()
    assert target.is_active
    client.post("/en/accounts/confirm/", {"password": PASSWORD})
    assert client.get(change).status_code == 200


def test_the_token_endpoint_keeps_the_lock_out_and_the_second_factor(personas, settings):
    settings.ICIHUB_LOGIN_FAILURES = 3
    api = APIClient()
    for _ in range(3):
        assert api.post("/api/token/", {"username": "poc-kwt", "password": "guess"}).status_code == 400
    locked = api.post("/api/token/", {"username": "poc-kwt", "password": PASSWORD})
    assert locked.status_code == 400 and "Too many failed log-ins" in str(locked.json())
    assert not ApiToken.objects.exists()
    LoginFailure.objects.all().delete()

    device = TOTPDevice.objects.create(user=personas["poc_kwt"], name="authenticator", confirmed=True)
    without = api.post("/api/token/", {"username": "poc-kwt", "password": PASSWORD})
    assert without.status_code == 400 and "authenticator" in str(without.json()) and not ApiToken.objects.exists()
    given = api.post(
        "/api/token/", {"username": "poc-kwt", "password": PASSWORD, "code": f"{totp(device.bin_key):06d}"}
    )
    assert (
        given.status_code == 200 and ApiToken.objects.get(user=personas["poc_kwt"]).prefix == given.json()["token"][:12]
    )
    assert AuditEvent.objects.filter(action="token.created", source="api").count() == 1
    replayed = api.post(
        "/api/token/", {"username": "poc-kwt", "password": PASSWORD, "code": f"{totp(device.bin_key):06d}"}
    )
    assert replayed.status_code == 400  # a code is taken once

    settings.ICIHUB_MFA_REQUIRED = True  # a role that must use MFA, with none set up, sets it up first
    refused = api.post("/api/token/", {"username": "registrar", "password": PASSWORD})
    assert refused.status_code == 400 and "multi-factor" in str(refused.json())
