"""API tokens and recovery codes are useless from a copy of the database: tokens are kept as digests,
expire, end with a password change and are listed and revoked on My account; recovery codes are kept as
PBKDF2 digests; the migration turns the clear tokens and codes of an older database into digests that
keep working."""

import datetime
import hashlib
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from icihub import testing
from icihub.accounts import tokens
from icihub.accounts.models import ApiToken, RecoveryCodes, User
from icihub.audit.models import AuditEvent
from icihub.errors import Conflict
from icihub.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_a_token_is_kept_only_as_its_digest(personas):
    token, key = tokens.issue(personas["poc_kwt"], name="nomination script")
    assert key.startswith("ici_") and len(key) == 47
    stored = {field.name: getattr(token, field.name) for field in ApiToken._meta.fields}
    assert key not in str(stored) and token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert _api(key).get("/api/nominations/").status_code == 200
    assert _api(token.digest).get("/api/nominations/").status_code == 401  # the dump's value is no key


def test_each_exchange_gives_a_new_token_that_expires(personas):
    api = APIClient()
    first = api.post("/api/token/", {"username": "poc-kwt", "password": PASSWORD, "name": "cron", "days": 7}).json()
    second = api.post("/api/token/", {"username": "poc-kwt", "password": PASSWORD}).json()
    assert first["token"] != second["token"] and first["name"] == "cron"
    expires = datetime.datetime.fromisoformat(first["expires"])
    assert abs(expires - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(minutes=1)
    ApiToken.objects.filter(name="cron").update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = _api(first["token"]).get("/api/nominations/")
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    assert _api(second["token"]).get("/api/nominations/").status_code == 200
    too_long = api.post("/api/token/", {"username": "poc-kwt", "password": PASSWORD, "days": 400})
    assert too_long.status_code in {400, 409} and "90" in str(too_long.json())


def test_a_password_change_ends_every_token(personas):
    _token, key = tokens.issue(personas["poc_kwt"], name="script")
    client = Client()
    client.post("/en/accounts/login/", {"username": "poc-kwt", "password": PASSWORD})
    changed = client.post(
        "/en/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "An0ther-long-passphrase",
            "new_password2": "An0ther-long-passphrase",
        },
    )
    assert changed.status_code == 302
    refused = _api(key).get("/api/nominations/")
    assert refused.status_code == 401 and "password changed" in refused.json()["detail"]
    assert "ended by a password change" in client.get("/en/accounts/").content.decode()
    user = User.objects.get(username="poc-kwt")  # and by any other path: the admin, a reset, a command
    _token, key = tokens.issue(user, name="after")
    user.set_password("Yet-another-passphrase-9")
    user.save()
    assert _api(key).get("/api/nominations/").status_code == 401


def test_a_user_holds_at_most_ten_working_tokens(personas, settings):
    user = personas["registrar"]
    made = [tokens.issue(user, name=f"script {n}")[0] for n in range(settings.ICIHUB_API_TOKENS_PER_USER)]
    with pytest.raises(Conflict, match="Revoke one"):
        tokens.issue(user, name="one more")
    assert tokens.revoke(user, made[0].public_id)
    assert not tokens.revoke(user, made[0].public_id)  # once
    assert not tokens.revoke(personas["poc_kwt"], made[1].public_id)  # only one's own
    tokens.issue(user, name="one more")
    with pytest.raises(Conflict, match="name"):
        tokens.issue(user, name="  ")
    actions = list(AuditEvent.objects.filter(action__startswith="token.").values_list("action", flat=True))
    assert actions.count("token.created") == 11 and actions.count("token.revoked") == 1


def test_my_account_lists_the_tokens_and_revokes_only_ones_own(personas):
    mine, _key = tokens.issue(personas["poc_kwt"], name="nominations from the ministry")
    theirs, their_key = tokens.issue(personas["poc_qat"], name="qatari script")
    client = Client()
    client.post("/en/accounts/login/", {"username": "poc-kwt", "password": PASSWORD})
    page = client.get("/en/accounts/").content.decode()
    assert "nominations from the ministry" in page and mine.prefix in page and "qatari script" not in page
    client.post("/en/accounts/", {"action": "revoke-token", "token": str(theirs.public_id)})
    client.post("/en/accounts/", {"action": "revoke-token", "token": "not-an-id"})
    assert _api(their_key).get("/api/nominations/").status_code == 200
    arabic = client.get("/ar/accounts/").content.decode()
    assert 'dir="rtl"' in arabic and "nominations from the ministry" in arabic


def test_a_deactivated_users_token_stops(personas):
    _token, key = tokens.issue(personas["participant"], name="calendar")
    User.objects.filter(pk=personas["participant"].pk).update(is_active=False)
    assert _api(key).get("/api/nominations/").status_code == 401


def test_the_last_use_is_written_at_most_every_five_minutes(personas):
    token, key = tokens.issue(personas["poc_kwt"], name="script")
    _api(key).get("/api/nominations/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    _api(key).get("/api/nominations/")
    token.refresh_from_db()
    assert token.last_used_at == first


def test_recovery_codes_are_kept_as_slow_digests(personas, settings):
    settings.ICIHUB_RECOVERY_CODE_ITERATIONS = 200_000  # the production count
    user = personas["hq_observer"]
    codes = tokens.new_recovery_codes(user)
    device = RecoveryCodes.objects.get(user=user)
    digests = set(device.codes.values_list("digest", flat=True))
    assert len(codes) == len(digests) == 10 and device.iterations == 200_000
    assert not {code for code in codes if code.replace("-", "") in str(digests)}
    assert len(codes[0].replace("-", "")) == 16  # 80 random bits: a dump gives no code back
    assert device.verify_token(codes[3].upper().replace("-", " "))
    assert not device.verify_token(codes[3])  # once


def test_the_migration_turns_clear_tokens_and_codes_into_digests(personas):
    migration = importlib.import_module("icihub.accounts.migrations.0004_api_tokens_and_recovery_codes_as_digests")
    user = personas["poc_kwt"]
    with connection.cursor() as cursor:  # the tables DRF and django-otp made before, with clear rows
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id int)")
        cursor.execute("CREATE TABLE otp_static_staticdevice (id int PRIMARY KEY, user_id int, name varchar(64))")
        cursor.execute("CREATE TABLE otp_static_statictoken (id int PRIMARY KEY, device_id int, token varchar(16))")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, NULL, %s)", ["a" * 40, user.pk])
        cursor.execute("INSERT INTO otp_static_staticdevice VALUES (1, %s, 'backup')", [user.pk])
        cursor.execute("INSERT INTO otp_static_statictoken VALUES (1, 1, 'abcd2345'), (2, 1, 'efgh6723')")
    migration.hash_what_was_clear(apps, connection.schema_editor())
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT COUNT(*) FROM otp_static_statictoken")
        assert cursor.fetchone()[0] == 0
    assert _api("a" * 40).get("/api/nominations/").status_code == 200  # the script keeps working, until expiry
    token = ApiToken.objects.get(user=user)
    assert token.expires_at > timezone.now() + datetime.timedelta(days=89)
    device = RecoveryCodes.objects.get(user=user)
    assert device.codes.count() == 2 and device.verify_token("ABCD2345") and device.codes.count() == 1
    assert testing.api_key(user).startswith("ici_")
