"""Rows of backups made before issue 16, as today's tables hold them.

Those backups hold DRF's API tokens (`authtoken.token`, the key in clear) and django-otp's recovery codes
(`otp_static.staticdevice`, `otp_static.statictoken`, the codes in clear). Neither app is installed
any more: migration accounts/0004 turned the live tables into digests, and a restore turns such a
backup's rows into the same digests (accounts/tokens.py), so an older backup still restores and its
users' scripts and recovery codes keep working. A token restored so lasts ICIHUB_API_TOKEN_DAYS from
the restore."""

import datetime
import hashlib
import json
import secrets
import uuid

from django.conf import settings
from django.utils import timezone

from icihub.accounts import tokens

# Each old table and the table its rows go into now (the manifest counts the old label).
LABELS = {
    "authtoken.token": "accounts.apitoken",
    "otp_static.staticdevice": "accounts.recoverycodes",
    "otp_static.statictoken": "accounts.recoverycode",
}


class Upgrader:
    """Converts one pass's rows. The users' password hashes and the devices' salts are noted as rows go
    by, so a token row finds its user's password and a code row its device's salt. With `digests`
    off (the check before anything changes) recovery codes are not hashed: PBKDF2 is slow on purpose."""

    def __init__(self, *, digests: bool = True):
        self.digests = digests
        self.passwords: dict = {}
        self.salts: dict = {}
        self.tokens = 0
        self.expires = (timezone.now() + datetime.timedelta(days=settings.ICIHUB_API_TOKEN_DAYS)).isoformat()
        self.iterations = settings.ICIHUB_RECOVERY_CODE_ITERATIONS

    def row(self, row):
        label = row.get("model") if isinstance(row, dict) else None
        fields = row.get("fields") if isinstance(row, dict) else None
        if not isinstance(fields, dict):
            return row
        if label == "accounts.user":  # rows name a user by natural key (a list), or by id
            password = str(fields.get("password") or "")
            self.passwords[json.dumps(row.get("pk"))] = self.passwords[json.dumps([fields.get("username")])] = password
        elif label == "authtoken.token":
            return self._token(row, fields)
        elif label == "otp_static.staticdevice":
            return self._device(row, fields)
        elif label == "otp_static.statictoken":
            return self._code(row, fields)
        return row

    def _salt(self, device) -> str:
        return self.salts.setdefault(device, secrets.token_hex(16))

    def _token(self, row: dict, fields: dict) -> dict:
        key, user = str(row.get("pk") or ""), fields.get("user")
        self.tokens += 1
        return {
            "model": "accounts.apitoken",
            "pk": self.tokens,
            "fields": {
                "public_id": str(uuid.uuid4()),
                "user": user,
                "name": "API token (before expiry dates)",
                "prefix": key[:8],
                "digest": tokens.digest(key),
                "password_fingerprint": hashlib.sha256(self.passwords.get(json.dumps(user), "").encode()).hexdigest(),
                "created_at": fields.get("created"),
                "expires_at": self.expires,
                "last_used_at": None,
                "revoked_at": None,
            },
        }

    def _device(self, row: dict, fields: dict) -> dict:
        return {
            "model": "accounts.recoverycodes",
            "pk": row.get("pk"),
            "fields": {**fields, "salt": self._salt(row.get("pk")), "iterations": self.iterations},
        }

    def _code(self, row: dict, fields: dict) -> dict:
        from icihub.accounts.models import RecoveryCodes

        device = fields.get("device")
        digest = ""
        if self.digests:
            codes = RecoveryCodes(salt=self._salt(device), iterations=self.iterations)
            digest = codes.digest(str(fields.get("token") or ""))
        return {"model": "accounts.recoverycode", "pk": row.get("pk"), "fields": {"device": device, "digest": digest}}
