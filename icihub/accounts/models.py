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
