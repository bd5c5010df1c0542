"""Multi-factor log-in: staff and points of contact must set up an authenticator before anything else;
afterwards each log-in asks for a code, used once; recovery codes work once each; participants may
choose; a password reset does not skip the code; replacing the authenticator needs the code first."""

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from icihub.accounts.models import RecoveryCode, RecoveryCodes, User
from icihub.audit.models import AuditEvent
from icihub.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.ICIHUB_MFA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # test_wrong_codes_slow_down checks the throttling itself
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _log_in(username: str) -> Client:
    client = Client()
    assert client.post("/en/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _enrol(username: str) -> tuple[Client, TOTPDevice, list[str]]:
    client = _log_in(username)
    client.get("/en/accounts/mfa/setup/")
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    page = client.post("/en/accounts/mfa/setup/", {"code": _code(device)}).content.decode()
    codes = re.findall(r"<code>([\w-]+)</code>", page)
    device.refresh_from_db()
    return client, device, codes


def test_staff_must_set_up_an_authenticator_before_anything_else(personas):
    client = _log_in("registrar")
    response = client.get("/en/nominations/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/mfa/setup/")
    assert client.get("/api/nominations/").status_code == 403
    setup = client.get("/en/accounts/mfa/setup/").content.decode()
    assert "<svg" in setup and "otpauth" not in setup  # a QR code and the key, not the raw address
    device = TOTPDevice.objects.get(user__username="registrar")
    wrong = client.post("/en/accounts/mfa/setup/", {"code": "000000"}).content.decode()
    assert "not right" in wrong and not TOTPDevice.objects.get(pk=device.pk).confirmed
    page = client.post("/en/accounts/mfa/setup/", {"code": _code(device)}).content.decode()
    codes = re.findall(r"<code>([\w-]+)</code>", page)
    assert len(codes) == 10 and RecoveryCode.objects.filter(device__user__username="registrar").count() == 10
    digests = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert not {code for code in codes if code in digests or code.replace("-", "") in digests}  # never in clear
    assert client.get("/en/nominations/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa.enrolled", actor_name="registrar").exists()


def test_each_log_in_asks_for_a_code_and_a_code_is_used_once(personas):
    _client, device, _codes = _enrol("poc-kwt")
    client = _log_in("poc-kwt")
    held = client.get("/en/nominations/")
    assert held["Location"].startswith("/en/accounts/mfa/?next=/en/nominations/")
    used = _code(device)  # the code the enrolment just used
    assert "not right" in client.post("/en/accounts/mfa/", {"code": used}).content.decode()
    passed = client.post("/en/accounts/mfa/", {"code": _code(device, 1), "next": "/en/nominations/"})
    assert passed.status_code == 302 and passed["Location"] == "/en/nominations/"
    assert client.get("/en/nominations/").status_code == 200
    evil = _log_in("poc-kwt")
    assert evil.post("/en/accounts/mfa/", {"code": "https://elsewhere.example/"}).status_code == 200


def test_a_recovery_code_works_once(personas):
    _client, _device, codes = _enrol("hq-observer")
    first = _log_in("hq-observer")
    assert first.post("/en/accounts/mfa/", {"code": codes[0].upper()}).status_code == 302
    assert RecoveryCode.objects.filter(device__user__username="hq-observer").count() == 9
    second = _log_in("hq-observer")
    assert "not right" in second.post("/en/accounts/mfa/", {"code": codes[0]}).content.decode()
    assert second.get("/en/nominations/").status_code == 302


def test_participants_may_choose_and_are_not_held(personas):
    client = _log_in("participant")
    assert client.get("/en/my/").status_code == 200
    assert "Set up an authenticator" in client.get("/en/accounts/").content.decode()


def test_a_password_reset_does_not_skip_the_code(personas):
    _client, _device, _codes = _enrol("poc-qat")
    user = User.objects.get(username="poc-qat")
    user.email = "poc@mofa.example.qa"
    user.save()
    mail.outbox.clear()
    Client().post("/en/accounts/password/reset/", {"email": user.email})
    link = re.search(r"(/en/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    form = client.get(link, follow=True)
    new = "a brand new pass phrase for Qatar"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    signed_in = Client()
    assert signed_in.post("/en/accounts/login/", {"username": "poc-qat", "password": new}).status_code == 302
    assert signed_in.get("/en/nominations/")["Location"].startswith("/en/accounts/mfa/")


def test_replacing_the_authenticator_needs_the_code_first(personas):
    _client, device, _codes = _enrol("course-director")
    client = _log_in("course-director")
    assert client.get("/en/accounts/mfa/setup/")["Location"].startswith("/en/accounts/mfa/?next=")
    client.post("/en/accounts/mfa/", {"code": _code(device, 1)})
    assert client.get("/en/accounts/mfa/setup/").status_code == 200
    assert TOTPDevice.objects.filter(user__username="course-director", confirmed=True).count() == 1


def test_without_the_obligation_staff_are_not_held(personas, settings):
    settings.ICIHUB_MFA_REQUIRED = False
    assert _log_in("registrar").get("/en/nominations/").status_code == 200


def test_wrong_codes_slow_down(personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    _client, device, _codes = _enrol("registrar")
    client = _log_in("registrar")
    client.post("/en/accounts/mfa/", {"code": "000000"})
    refused = client.post("/en/accounts/mfa/", {"code": _code(device, 1)})  # right, but too soon after a wrong one
    assert refused.status_code == 200 and "not right" in refused.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    assert client.post("/en/accounts/mfa/", {"code": _code(device, 1)}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones_after_the_code(personas):
    client, device, old = _enrol("poc-kwt")
    page = client.post("/en/accounts/mfa/recovery/").content.decode()
    new = re.findall(r"<code>([\w-]+)</code>", page)
    assert len(new) == 10 and not set(new) & set(old)
    [device] = RecoveryCodes.objects.filter(user__username="poc-kwt")
    assert set(device.codes.values_list("digest", flat=True)) == {device.digest(code) for code in new}
    unverified = _log_in("poc-kwt")
    assert unverified.post("/en/accounts/mfa/recovery/")["Location"].startswith("/en/accounts/mfa/")
    assert AuditEvent.objects.filter(action="mfa.recovery_codes_replaced").count() == 1
