"""Users of icihub and their roles. What a role may do is decided in policy.py, not here."""

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
