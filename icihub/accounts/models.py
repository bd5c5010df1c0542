"""Users of icihub and their roles. What a role may do is decided in policy.py, not here."""

import hashlib
import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


class Role(models.TextChoices):
    CENTRE_ADMIN = "centre_admin", _("centre administrator")
    REGISTRAR = "registrar", _("registrar")
    COURSE_DIRECTOR = "course_director", _("course director")
    INSTRUCTOR = "instructor", _("instructor")
    POINT_OF_CONTACT = "point_of_contact", _("national point of contact")
    PARTICIPANT = "participant", _("participant")
    HQ_OBSERVER = "hq_observer", _("HQ observer")


class IcihubUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.CENTRE_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. Points of contact are scoped to one nation or one organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    nation = models.ForeignKey(
        "partners.Nation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The nation a point of contact or participant belongs to."),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("For a point of contact of an organisation rather than a nation."),
    )

    objects = IcihubUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="point_of_contact")
                | (Q(nation__isnull=False) & Q(organisation__isnull=True))
                | (Q(nation__isnull=True) & Q(organisation__isnull=False)),
                name="point_of_contact_scoped_to_one_nation_or_organisation",
            ),
        ]


class LoginFailure(models.Model):
    """A failed log-in, kept for the lock-out window: too many for one user name, or from one address,
    and log-in is refused for a while (accounts/security.py)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A signed-in session of a user, so that they (and deactivation) can see and end it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.user} {self.session_key[:6]}…"


class ApiToken(models.Model):
    """A key a script calls the API with, in a user's name. Only the SHA-256 digest of the key is kept:
    a copy of the database gives no working key. A token ends at `expires_at`, when its owner revokes
    it, when the owner's password changes (its `password_fingerprint` no longer matches) and when the
    owner is deactivated. The key itself is shown once, when it is made (accounts/tokens.py)."""

    class Ended(models.TextChoices):
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")
        PASSWORD = "password", _("ended by a password change")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("begins with"), max_length=12)  # so the owner can tell their tokens apart
    digest = models.CharField(max_length=64, unique=True)
    # SHA-256 of the owner's password hash when the token was made: any change of password, by any
    # path (the page, a reset, the admin, a command), ends the token.
    password_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A user's recovery codes for a lost authenticator, as a django-otp device. Each code is kept as a
    PBKDF2-SHA256 digest with this device's salt (`iterations` rounds), never in clear, and is deleted
    when used. django-otp's throttling slows wrong codes down."""

    salt = models.CharField(max_length=32)
    iterations = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return 1  # one second after the first wrong code, doubling after each further one

    def digest(self, code: str) -> str:
        normalised = "".join(code.split()).replace("-", "").lower()
        return hashlib.pbkdf2_hmac("sha256", normalised.encode(), self.salt.encode(), self.iterations).hex()

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        used, _kinds = self.codes.filter(digest=self.digest(str(token))).delete()  # one use, even when raced
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return bool(used)


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"{self.device.user} recovery code"
