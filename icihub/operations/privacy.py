"""Personal data of a person on a nation's register: export everything held on them, erase it, and the
retention rule that erases it by itself after ICIHUB_RETENTION_YEARS.

Erasure is anonymisation: the person's record stays (so seat counts, attendance figures, completion
rates and evaluation results stay true) but says nothing about who they were; their certificates are
revoked and their holder name and signed credential emptied (its number then verifies as revoked,
with no holder); their named questionnaire answers lose the link to them; their log-in accounts matched by
e-mail are deactivated. The audit trail is append-only and hash-chained, so its past events keep the
snapshots they were written with; erasure itself is its next event, naming only the person's id."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from icihub.audit.services import record
from icihub.nominations.models import Nomination, Person
from icihub.nominations.services import PERSON_FIELDS

ERASED = "erased"


def find(reference: str) -> Person:
    """A person by public id or e-mail (which may name several registers: then say so)."""
    import uuid

    try:
        return Person.objects.get(public_id=uuid.UUID(reference))
    except (ValueError, Person.DoesNotExist):
        pass
    found = list(Person.objects.filter(email__iexact=reference.strip()))
    if len(found) != 1:
        raise LookupError(
            f"{len(found)} persons have the e-mail {reference}; give one's id"
            if found
            else f"No person has the id or e-mail {reference}."
        )
    return found[0]


def export(person: Person) -> dict:
    """Everything icihub holds on the person, as plain data (what a subject-access request receives)."""
    from icihub.certificates.models import Certificate
    from icihub.delivery.models import Attendance, Completion, TestScore
    from icihub.evaluation.models import Invitation, Response
    from icihub.programmes.models import Registration

    nominations = Nomination.objects.filter(person=person).select_related("iteration__course")
    return {
        "person": {
            "id": str(person.public_id),
            "nation": person.nation.code,
            "organisation": person.organisation.code if person.organisation_id else None,
            **{name: getattr(person, name) for name in PERSON_FIELDS},
            "created_at": person.created_at.isoformat(),
        },
        "nominations": [
            {
                "id": str(n.public_id),
                "iteration": n.iteration.code,
                "course": n.iteration.course.title_en,
                "status": n.status,
                "priority": n.priority,
                "reason": n.reason,
                "submitted_at": n.submitted_at.isoformat(),
                "attendance": {
                    a.day.isoformat(): a.mark for a in Attendance.objects.filter(nomination=n).order_by("day")
                },
                "test": TestScore.objects.filter(nomination=n).values("pre_score", "post_score").first(),
                "completion": Completion.objects.filter(nomination=n).values("completed", "attendance_pct").first(),
                "certificate": Certificate.objects.filter(nomination=n)
                .values("number", "holder_name", "issued_at", "revoked_at")
                .first(),
                "evaluations": list(
                    Invitation.objects.filter(nomination=n).values("kind", "email", "sent_at", "answered_at")
                ),
                "named_answers": [
                    {a.question.text_en: a.score if a.score is not None else a.text for a in r.answers.all()}
                    for r in Response.objects.filter(nomination=n).prefetch_related("answers__question")
                ],
            }
            for n in nominations
        ],
        "event_registrations": [
            {"event": r.event.title_en, "starts_on": r.event.starts_on.isoformat(), "attended": r.attended}
            for r in Registration.objects.filter(person=person).select_related("event")
        ],
    }


def erase(*, actor, person: Person, reason: str, source: str) -> Person:
    """Anonymise a person (see the module's note), all at once or not at all."""
    from icihub.accounts.models import User
    from icihub.certificates.models import Certificate
    from icihub.evaluation.models import Invitation, Response

    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Give the reason for the erasure (a request by the person, the retention rule, ...).")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.email.startswith(f"{ERASED}-"):
            return person
        email = person.email
        nominations = Nomination.objects.filter(person=person)
        now = timezone.now()
        for certificate in Certificate.objects.select_for_update().filter(nomination__in=nominations):
            certificate.holder_name = "—"
            certificate.credential = {}
            if certificate.revoked_at is None:
                certificate.revoked_at, certificate.revocation_reason = now, "Personal data erased."
            certificate.save(update_fields=["holder_name", "credential", "revoked_at", "revocation_reason"])
        Invitation.objects.filter(nomination__in=nominations).update(email=f"{ERASED}@invalid")
        Response.objects.filter(nomination__in=nominations).update(nomination=None)
        for user in User.objects.filter(email__iexact=email, nation=person.nation):
            user.is_active, user.email = False, ""
            user.save(update_fields=["is_active", "email"])  # deactivation ends their sessions
        person.family_name, person.given_names = "—", "—"
        person.position = person.slp_profile = person.supervisor_email = ""
        person.email = f"{ERASED}-{person.public_id}@invalid"
        person.save()
        record(
            actor=actor,
            action="person.erased",
            obj=person,
            after={"reason": reason, "nominations": nominations.count()},
            source=source,
        )
    return person


def due_for_erasure(today: datetime.date):
    """Persons whose newest course or event ended more than ICIHUB_RETENTION_YEARS ago (and any
    person never nominated nor registered, created that long ago), not yet erased."""
    years = settings.ICIHUB_RETENTION_YEARS
    limit = (
        today.replace(year=today.year - years)
        if not (today.month == 2 and today.day == 29)
        else (datetime.date(today.year - years, 2, 28))
    )
    from icihub.programmes.models import Registration

    # "No course nor event on or after the limit", as anti-joins: PostgreSQL stops at the first recent
    # nomination of a person, instead of grouping every nomination of every person to find the last.
    recent_course = Nomination.objects.filter(person=OuterRef("pk"), iteration__end_date__gte=limit)
    recent_event = Registration.objects.filter(person=OuterRef("pk"), event__ends_on__gte=limit)
    # On record since before the limit's day began in the centre's time zone: a bound the created_at
    # index answers (created_at__date would convert every row's time first).
    since = datetime.datetime.combine(limit, datetime.time.min, tzinfo=timezone.get_current_timezone())
    return (
        Person.objects.exclude(email__startswith=f"{ERASED}-")
        .filter(created_at__lt=since)
        .exclude(Exists(recent_course))
        .exclude(Exists(recent_event))
    )


def apply_retention(today: datetime.date) -> int:
    """Erase everyone due; returns how many (idempotent: an erased person is not due again)."""
    erased = 0
    for person in due_for_erasure(today):
        erase(
            actor=None,
            person=person,
            reason=f"Retention: {settings.ICIHUB_RETENTION_YEARS} years after the last course.",
            source="job",
        )
        erased += 1
    return erased
