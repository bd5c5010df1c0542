"""API tokens and recovery codes: made, checked and ended here, kept only as digests.

A token's key is `ici_` and 43 random URL-safe characters (256 bits); only its SHA-256 digest is
stored, so the key is looked up by its digest in one indexed query and a copy of the database holds no
working key (a fast digest is enough for a secret that long; passwords need a slow one because people
choose them). A token lasts ICIHUB_API_TOKEN_DAYS unless its owner chooses fewer, a user holds at most
ICIHUB_API_TOKENS_PER_USER working tokens, and a token ends when it is revoked, when it expires, when
its owner's password changes and when its owner is deactivated.

Recovery codes are 80-bit random codes, kept as PBKDF2 digests (RecoveryCodes in models.py)."""

import base64
import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icihub.accounts.models import ApiToken, RecoveryCode, RecoveryCodes, User
from icihub.audit.services import record
from icihub.errors import Conflict

KEY_PREFIX = "ici_"
# The last use is written at most this often: a script calling the API many times a second should not
# write the token's row on every call.
LAST_USED_EVERY = datetime.timedelta(minutes=5)
RECOVERY_CODES = 10


class TokenRefused(Exception):
    """The key names no working token; the message says why, for the caller who holds it."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user) -> str:
    return hashlib.sha256((user.password or "").encode()).hexdigest()


def ended(token: ApiToken, now: datetime.datetime | None = None) -> str:
    """Why the token no longer works (an ApiToken.Ended value), or "" while it works."""
    if token.revoked_at is not None:
        return ApiToken.Ended.REVOKED
    if token.expires_at <= (now or timezone.now()):
        return ApiToken.Ended.EXPIRED
    if not secrets.compare_digest(token.password_fingerprint, password_fingerprint(token.user)):
        return ApiToken.Ended.PASSWORD
    return ""


def working(user) -> list[ApiToken]:
    now = timezone.now()
    candidates = ApiToken.objects.filter(user=user, revoked_at=None, expires_at__gt=now).select_related("user")
    return [token for token in candidates if not ended(token, now)]


@transaction.atomic
def issue(user, *, name: str, days: int | None = None, source: str = "web") -> tuple[ApiToken, str]:
    """A new token for `user` and its key, shown to the caller once. Refused (Conflict) when the user
    already holds as many working tokens as allowed: they revoke one first."""
    limit = settings.ICIHUB_API_TOKENS_PER_USER
    longest = settings.ICIHUB_API_TOKEN_DAYS
    days = longest if days is None else days
    name = " ".join(name.split())[:60]
    if not name:
        raise Conflict(_("Give the token a name, so you can tell it from your others."))
    if not 1 <= days <= longest:
        raise Conflict(_("A token lasts from 1 to %(days)d days.") % {"days": longest})
    User.objects.select_for_update().filter(pk=user.pk).first()  # one issue per user at a time
    if len(working(user)) >= limit:
        raise Conflict(
            _("You already have %(limit)d working API tokens. Revoke one on My account first.") % {"limit": limit}
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:12],
        digest=digest(key),
        password_fingerprint=password_fingerprint(user),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    record(
        actor=user,
        action="token.created",
        obj=user,
        after={"token": str(token.public_id), "name": name, "expires": token.expires_at.isoformat()},
        source=source,
    )
    return token, key


def authenticate(key: str) -> ApiToken:
    """The working token with this key, its user read with it (the nation and organisation every
    scoped query needs); TokenRefused, saying why, otherwise."""
    token = (
        ApiToken.objects.select_related("user__nation", "user__organisation").filter(digest=digest(key.strip())).first()
    )
    if token is None:
        raise TokenRefused(_("Invalid token."))
    now = timezone.now()
    reason = ended(token, now)
    if reason == ApiToken.Ended.EXPIRED:
        raise TokenRefused(_("This token has expired. Make a new one on My account."))
    if reason == ApiToken.Ended.PASSWORD:
        raise TokenRefused(_("This token ended when your password changed. Make a new one on My account."))
    if reason:
        raise TokenRefused(_("This token was revoked."))
    if not token.user.is_active:
        raise TokenRefused(_("User inactive or deleted."))
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def revoke(user, public_id, *, source: str = "web") -> bool:
    """Ends one of the user's own tokens; False when they hold no such working token."""
    count = ApiToken.objects.filter(user=user, public_id=public_id, revoked_at=None).update(revoked_at=timezone.now())
    if count:
        record(actor=user, action="token.revoked", obj=user, before={"token": str(public_id)}, source=source)
    return bool(count)


def shown(user) -> list[ApiToken]:
    """The user's tokens for My account: every working one, and those ended in the last 30 days."""
    now = timezone.now()
    recent = now - datetime.timedelta(days=30)
    tokens = list(ApiToken.objects.filter(user=user).select_related("user"))
    for token in tokens:
        token.ended = ended(token, now)
    return [token for token in tokens if not token.ended or (token.revoked_at or token.expires_at) >= recent]


def new_recovery_codes(user) -> list[str]:
    """Ten new recovery codes for the user (shown once), replacing any old ones."""
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(
        user=user,
        name="recovery",
        salt=secrets.token_hex(16),
        iterations=settings.ICIHUB_RECOVERY_CODE_ITERATIONS,
    )
    codes = []
    for _n in range(RECOVERY_CODES):
        letters = base64.b32encode(secrets.token_bytes(10)).decode().lower()  # 80 bits, 16 letters
        codes.append("-".join(letters[i : i + 4] for i in range(0, 16, 4)))
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, digest=device.digest(code)) for code in codes)
    return codes
