"""Joining instructions and the reminders before a course: one month and two weeks before the start,
each participant with a confirmed seat and their points of contact get an e-mail in English and Arabic
with the dates and the joining instructions. The job is idempotent: each reminder is recorded once (a
unique row) before its e-mail is sent after the commit, so running it again, or twice at once, sends
nothing more. A job that did not run on the day catches up, but never sends the one-month reminder
inside the last two weeks."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.delivery.models import JoiningInstructions, Reminder
from icihub.nominations.models import Nomination, Status
from icihub.nominations.notifications import recipients
from icihub.planning.models import Iteration

logger = logging.getLogger(__name__)
FIELDS = ("venue", "dress", "security", "pre_study")
DAYS_BEFORE = {Reminder.Kind.MONTH: 30, Reminder.Kind.FORTNIGHT: 14}


def may_read(user, iteration: Iteration) -> bool:
    """Staff and HQ, and whoever may see a nomination on this iteration (its points of contact and
    participants): the instructions may say how to get through the gate."""
    if policy.sees_everything(user):
        return True
    return policy.visible_party_rows(user, Nomination.objects.filter(iteration=iteration)).exists()


def save(*, actor, iteration: Iteration, data: dict, source: str) -> JoiningInstructions:
    policy.require(actor, "iteration", "edit")
    values = {
        f"{field}_{lang}": (data.get(f"{field}_{lang}") or "").strip() for field in FIELDS for lang in ("en", "ar")
    }
    with transaction.atomic():
        row = JoiningInstructions.objects.select_for_update().filter(iteration=iteration).first()
        before = {key: getattr(row, key) for key in values} if row else None
        row = row or JoiningInstructions(iteration=iteration)
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_by = actor
        row.save()
        record(actor=actor, action="joining.saved", obj=iteration, before=before, after=values, source=source)
    return row


def _body(nomination: Nomination, kind: str) -> str:
    iteration = nomination.iteration
    instructions = JoiningInstructions.objects.filter(iteration=iteration).first()
    link = f"{settings.ICIHUB_PUBLIC_URL}/iterations/{iteration.code}/joining/"
    parts = []
    for language in ("en", "ar"):
        with translation.override(language):
            when = _("in one month") if kind == Reminder.Kind.MONTH else _("in two weeks")
            text = _("%(name)s: %(course)s (%(code)s) begins %(when)s, on %(start)s, and ends on %(end)s.") % {
                "name": nomination.person.full_name,
                "course": iteration.course.title_ar if language == "ar" else iteration.course.title_en,
                "code": iteration.code,
                "when": when,
                "start": iteration.start_date.isoformat(),
                "end": iteration.end_date.isoformat(),
            }
            lines = [text]
            if instructions is not None:
                for field in FIELDS:
                    value = getattr(instructions, f"{field}_{language}")
                    if value:
                        lines.append(value)
            lines.append(_("Joining instructions: %(link)s") % {"link": link})
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _send(nomination_id: int, kind: str) -> None:
    """E-mail one reminder; a failure is logged and stops nothing else (the job goes on with the others)."""
    nomination = Nomination.objects.select_related("person", "iteration__course").get(pk=nomination_id)
    try:
        EmailMessage(
            subject=f"[icihub] {nomination.iteration.code}: joining instructions / تعليمات الالتحاق",
            body=_body(nomination, kind),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients(nomination),
        ).send()
    except Exception:  # noqa: BLE001 - one bad address or a mail server hiccup must not stop the job
        logger.exception("joining reminder %s for nomination %s: the e-mail was not sent", kind, nomination_id)


def due(kind: str, today: datetime.date) -> list[Nomination]:
    """Confirmed participants whose reminder of this kind is due today and not yet sent."""
    days = DAYS_BEFORE[kind]
    latest_start = today + datetime.timedelta(days=days)
    iterations = Iteration.objects.filter(
        status__in=[Iteration.Status.OPEN, Iteration.Status.CLOSED], start_date__gt=today, start_date__lte=latest_start
    )
    if kind == Reminder.Kind.MONTH:  # inside the last two weeks the fortnight reminder says it all
        iterations = iterations.filter(
            start_date__gt=today + datetime.timedelta(days=DAYS_BEFORE[Reminder.Kind.FORTNIGHT])
        )
    sent = Reminder.objects.filter(kind=kind).values("nomination")
    return list(
        Nomination.objects.filter(iteration__in=iterations, status=Status.CONFIRMED).exclude(pk__in=sent).order_by("pk")
    )


def send_reminders(today: datetime.date) -> int:
    """Send every reminder due today; returns how many were sent."""
    sent = 0
    for kind in (Reminder.Kind.MONTH, Reminder.Kind.FORTNIGHT):
        for nomination in due(kind, today):
            try:
                with transaction.atomic():
                    Reminder.objects.create(nomination=nomination, kind=kind)
                    transaction.on_commit(lambda n=nomination.pk, k=kind: _send(n, k))
            except IntegrityError:  # another run recorded it a moment ago
                continue
            sent += 1
    return sent
