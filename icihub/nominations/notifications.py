"""E-mail to the point(s) of contact and the participant when a nomination changes, sent after the
transaction commits so a rolled-back change never mails anyone. Recipients' languages are unknown, so
every message carries English and Arabic. A confirmed seat carries its iCalendar invitation; a seat
given up, or a cancelled iteration, carries the cancellation."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from icihub.accounts.models import Role, User
from icihub.nominations import invitations
from icihub.nominations.models import Status


def recipients(nomination) -> list[str]:
    """The participant and the points of contact of the nation or organisation that nominated them."""
    points_of_contact = User.objects.filter(role=Role.POINT_OF_CONTACT, is_active=True).exclude(email="")
    if nomination.organisation_id:
        points_of_contact = points_of_contact.filter(organisation_id=nomination.organisation_id)
    else:
        points_of_contact = points_of_contact.filter(nation_id=nomination.nation_id, organisation__isnull=True)
    return sorted({nomination.person.email, *points_of_contact.values_list("email", flat=True)})


def _text(nomination, event: str) -> str:
    iteration = nomination.iteration
    values = {
        "code": iteration.code,
        "name": f"{nomination.person.given_names} {nomination.person.family_name}",
        "status": nomination.get_status_display(),
        "start": iteration.start_date.isoformat(),
        "end": iteration.end_date.isoformat(),
        "reason": nomination.reason,
    }
    if event == "moved":
        line = _("Iteration %(code)s has moved: it now runs %(start)s to %(end)s.")
    elif event == "cancelled":
        line = _("Iteration %(code)s has been cancelled.")
    else:
        line = _("The nomination of %(name)s for %(code)s is now: %(status)s.")
    text = line % values
    if nomination.status == Status.REJECTED and nomination.reason:
        text += "\n" + _("Reason: %(reason)s") % values
    return text


def _send(nomination, event: str, calendar: str | None) -> None:
    parts = []
    for language in ("en", "ar"):
        with translation.override(language):
            parts.append(_text(nomination, event))
    subject = f"[icihub] {nomination.iteration.code}: {parts[0].splitlines()[0]}"
    message = EmailMessage(
        subject=subject[:200],
        body="\n\n".join(parts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients(nomination),
    )
    if calendar is not None:
        # Built here, after the commit, so the seat's row lock is not held while it is rendered.
        ics = invitations.invitation(nomination, cancelled=calendar == "cancel")
        message.attach("invitation.ics", ics, "text/calendar")
    message.send()


def status_changed(nomination, *, had_seat: bool) -> None:
    """After commit: tell the nominee and their points of contact the nomination's new status."""
    calendar = "request" if nomination.status == Status.CONFIRMED else "cancel" if had_seat else None
    transaction.on_commit(lambda: _send(nomination, "status", calendar))


def iteration_changed(nomination, *, cancelled: bool) -> None:
    """After commit: tell everyone holding or waiting for a seat that the iteration moved or was cancelled."""
    calendar = ("cancel" if cancelled else "request") if nomination.status == Status.CONFIRMED else None
    transaction.on_commit(lambda: _send(nomination, "cancelled" if cancelled else "moved", calendar))
