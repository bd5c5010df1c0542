"""A backup made before issue 16 holds API tokens and recovery codes in clear, in tables of apps that are
no longer installed: it still restores, its tokens and codes become digests, and they keep working."""

import pytest
from rest_framework.test import APIClient

from icihub.accounts.models import ApiToken, RecoveryCodes
from icihub.operations import backup
from icihub.operations.tests.test_backup import centre  # noqa: F401 - a fixture
from icihub.operations.tests.test_restore_in_bulk import _rewrite

pytestmark = pytest.mark.django_db(transaction=True)  # a backup reads in a transaction of its own
KEY = "0123456789abcdef0123456789abcdef01234567"


def _as_before_issue_16(personas):
    def change(rows, manifest):
        user = ["poc-kwt"]  # rows name users by natural key
        rows += [
            {"model": "authtoken.token", "pk": KEY, "fields": {"user": user, "created": "2026-11-01T08:00:00Z"}},
            {
                "model": "otp_static.staticdevice",
                "pk": 7,
                "fields": {
                    "user": user,
                    "name": "backup",
                    "confirmed": True,
                    "throttling_failure_timestamp": None,
                    "throttling_failure_count": 0,
                    "created_at": None,
                    "last_used_at": None,
                },
            },
            {"model": "otp_static.statictoken", "pk": 1, "fields": {"device": 7, "token": "abcd2345"}},
            {"model": "otp_static.statictoken", "pk": 2, "fields": {"device": 7, "token": "efgh6723"}},
        ]
        manifest["counts"].update({"authtoken.token": 1, "otp_static.staticdevice": 1, "otp_static.statictoken": 2})

    return change


def test_an_older_backup_restores_with_its_tokens_and_codes_as_digests(centre, personas):  # noqa: F811
    good = centre / "good.tar.gz"
    backup.create(good)
    older = _rewrite(good, centre, "before-issue-16.tar.gz", _as_before_issue_16(personas))
    backup.restore(older, replace=True)
    token = ApiToken.objects.get(user__username="poc-kwt")
    assert token.digest != KEY and KEY not in str(ApiToken.objects.values().get())
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {KEY}")
    assert api.get("/api/nominations/").status_code == 200  # the script's key works, as a digest
    device = RecoveryCodes.objects.get(user__username="poc-kwt")
    assert device.codes.count() == 2 and "abcd2345" not in str(list(device.codes.values()))
    assert device.verify_token("ABCD2345") and not device.verify_token("abcd2345")
