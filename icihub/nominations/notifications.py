"""E-mail to the point(s) of contact and the participant when a nomination changes, sent after the
transaction commits so a rolled-back change never mails anyone. Recipients' languages are unknown, so
every message carries English and Arabic. A confirmed seat carries its iCalendar invitation; a seat
given up, or a cancelled iteration, carries the cancellation.

With ICIHUB_BACKGROUND=worker the message is queued in the same transaction as the change (a row of
django-tasks-db's queue, so it exists exactly when the change committed) and an `icihub db_worker
--queue-name mail` process renders and sends it: a slow or unreachable mail server never holds a web
request. The queued task carries the nomination's status, reason and revision as they were, so the
message says what happened then even if the nomination changed again before the worker ran. The
embedded default sends after the commit, in the request."""

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
    # Both languages in the subject too, as the evaluation and joining messages do: the first line of each.
    subject = f"[icihub] {nomination.iteration.code}: {parts[0].splitlines()[0]} / {parts[1].splitlines()[0]}"
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


def _state(nomination) -> dict:
    """What a queued message needs to say what happened when it was queued."""
    return {
        "status": nomination.status,
        "reason": nomination.reason,
        "revision": nomination.revision,
        "iteration_revision": nomination.iteration.revision,
    }


def _deliver(nomination, event: str, calendar: str | None) -> None:
    if settings.ICIHUB_BACKGROUND == "worker":
        from icihub.nominations.tasks import send_nomination_mail

        send_nomination_mail.enqueue(nomination.pk, event, calendar, _state(nomination))
    else:
        transaction.on_commit(lambda: _send(nomination, event, calendar))


def send_queued(nomination_id: int, event: str, calendar: str | None, state: dict) -> None:
    """The worker's side of a queued message: the nomination as it was when the message was queued."""
    from icihub.nominations.models import Nomination

    nomination = Nomination.objects.select_related("person", "iteration__course").filter(pk=nomination_id).first()
    if nomination is None:  # erased since (privacy retention): nobody left to tell
        return
    nomination.status, nomination.reason, nomination.revision = state["status"], state["reason"], state["revision"]
    nomination.iteration.revision = state["iteration_revision"]
    _send(nomination, event, calendar)


def status_changed(nomination, *, had_seat: bool) -> None:
    """Once committed: tell the nominee and their points of contact the nomination's new status."""
    calendar = "request" if nomination.status == Status.CONFIRMED else "cancel" if had_seat else None
    _deliver(nomination, "status", calendar)


def iteration_changed(nomination, *, cancelled: bool) -> None:
    """Once committed: tell everyone holding or waiting for a seat that the iteration moved or was cancelled."""
    calendar = ("cancel" if cancelled else "request") if nomination.status == Status.CONFIRMED else None
    _deliver(nomination, "cancelled" if cancelled else "moved", calendar)
