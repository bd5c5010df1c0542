"""Log-in lock-out, sessions a user can see and end, idle and deactivation ends, API tokens that can be
revoked, and password reset by e-mail; each for the right user only."""

import datetime
import hashlib
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from icihub.accounts.models import ApiToken, LoginFailure, User, UserSession
from icihub.audit.models import AuditEvent
from icihub.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _log_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post("/en/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_failures_lock_the_user_name_even_with_the_right_password(personas, settings, caplog):
    settings.ICIHUB_LOGIN_FAILURES = 3
    client = Client()
    for _ in range(3):
        assert _log_in(client, "poc-kwt", "wrong").status_code == 200
    refused = _log_in(client, "poc-kwt")
    assert refused.status_code == 200 and "Too many failed log-ins" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert _log_in(Client(), "poc-qat").status_code == 302  # another user is not locked
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=settings.ICIHUB_LOCKOUT_MINUTES + 1))
    assert _log_in(Client(), "poc-kwt").status_code == 302  # the window has passed
    assert not LoginFailure.objects.filter(username="poc-kwt").exists()  # a log-in clears the count
    messages = " ".join(record.getMessage() for record in caplog.records if record.name == "icihub.security")
    assert "log-in failed: user=poc-kwt" in messages and "log-in refused (locked)" in messages
    assert PASSWORD not in messages and "wrong" not in messages.replace("log-in", "")


def test_many_failures_from_one_address_lock_that_address(personas, settings):
    settings.ICIHUB_LOGIN_FAILURES = 2
    for name in [f"guess{n}" for n in range(20)]:
        _log_in(Client(), name, "x", address="192.0.2.7")
    assert "Too many failed log-ins" in _log_in(Client(), "poc-kwt", address="192.0.2.7").content.decode()
    assert _log_in(Client(), "poc-kwt", address="192.0.2.8").status_code == 302


def test_a_user_sees_their_sessions_and_ends_another_one(personas):
    laptop, phone = Client(), Client()
    _log_in(laptop, "poc-kwt")
    _log_in(phone, "poc-kwt", address="10.0.0.2")
    _log_in(Client(), "poc-qat")
    sessions = UserSession.objects.filter(user__username="poc-kwt")
    assert sessions.count() == 2
    page = laptop.get("/en/accounts/").content.decode()
    assert "10.0.0.2" in page and "this session" in page
    other = sessions.get(address="10.0.0.2")
    qatari = UserSession.objects.get(user__username="poc-qat")
    laptop.post("/en/accounts/", {"action": "end", "session": qatari.pk})  # not theirs: nothing happens
    assert UserSession.objects.filter(pk=qatari.pk).exists()
    laptop.post("/en/accounts/", {"action": "end", "session": other.pk})
    assert not Session.objects.filter(session_key=other.session_key).exists()
    assert "/accounts/login/" in phone.get("/en/nominations/")["Location"]  # the phone is signed out
    assert laptop.get("/en/nominations/").status_code == 200
    assert AuditEvent.objects.filter(action="session.ended").count() == 1


def test_an_idle_session_ends(personas, settings):
    client = Client()
    _log_in(client, "registrar")
    UserSession.objects.update(last_seen=timezone.now() - datetime.timedelta(minutes=31))
    assert "/accounts/login/" in client.get("/en/nominations/")["Location"]
    assert not UserSession.objects.exists()


def test_deactivating_a_user_ends_their_sessions(personas):
    client = Client()
    _log_in(client, "poc-kwt")
    user = User.objects.get(username="poc-kwt")
    user.is_active = False
    user.save()
    assert not UserSession.objects.filter(user=user).exists()
    assert "/accounts/login/" in client.get("/en/nominations/")["Location"]


def test_an_api_token_is_shown_once_and_can_be_revoked(personas):
    client = Client()
    _log_in(client, "poc-kwt")
    page = client.post("/en/accounts/", {"action": "token", "name": "nomination script"}).content.decode()
    key = re.search(r"<code dir=\"ltr\">(ici_[^<]+)</code>", page)[1]
    token = ApiToken.objects.get(user__username="poc-kwt")
    assert token.digest == hashlib.sha256(key.encode()).hexdigest() and key not in str(token.__dict__)
    listed = client.get("/en/accounts/").content.decode()
    assert key not in listed and "nomination script" in listed and token.prefix in listed
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/nominations/").status_code == 200
    client.post("/en/accounts/", {"action": "revoke-token", "token": str(token.public_id)})
    refused = api.get("/api/nominations/")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert {"token.created", "token.revoked"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_a_forgotten_password_is_reset_by_email_once(personas):
    user = User.objects.get(username="poc-kwt")
    user.email = "poc@mod.example.kw"
    user.save()
    mail.outbox.clear()
    sent = Client().post("/en/accounts/password/reset/", {"email": "POC@mod.example.kw"})
    unknown = Client().post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert sent.status_code == unknown.status_code == 302  # the same answer: no account enumeration
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["poc@mod.example.kw"]
    link = re.search(r"(/en/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    form = client.get(link, follow=True)
    new = "a long new pass phrase for the centre"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert _log_in(Client(), "poc-kwt", new).status_code == 302
    reused = Client().get(link, follow=True)
    assert "not valid" in reused.content.decode()  # the link works once


def test_a_user_changes_their_password_and_anonymous_users_cannot(personas):
    assert "/accounts/login/" in Client().get("/en/accounts/password/")["Location"]
    assert "/accounts/login/" in Client().get("/en/accounts/")["Location"]
    client = Client()
    _log_in(client, "poc-qat")
    new = "another long pass phrase for Qatar"
    changed = client.post(
        "/en/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert changed.status_code == 302 and client.get(changed["Location"]).status_code == 200
    assert _log_in(Client(), "poc-qat", new).status_code == 302
