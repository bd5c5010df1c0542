"""Issuing, revoking and verifying certificates. Every change is audited in the transaction that makes
it. A certificate is issued to a participant whose completion (delivery/services.py: the course's rule
on attendance and the final test, or a staff decision with a reason) says they completed."""

import dataclasses
import datetime
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.certificates import credential as vc
from icihub.certificates.keys import KeyStore, UnknownKey
from icihub.certificates.models import Certificate
from icihub.delivery.models import Completion
from icihub.errors import Conflict
from icihub.nominations.models import Nomination, Status


def key_store() -> KeyStore:
    return KeyStore(settings.ICIHUB_KEY_DIR)


def verification_url(number: str) -> str:
    return f"{settings.ICIHUB_PUBLIC_URL}/verify/{number}/"


def verification_link(certificate: Certificate) -> str:
    """The address printed on the certificate and in its QR code: the number with its verification code,
    which shows the holder's name. The number alone (older certificates' QR codes) shows the course only."""
    return f"{verification_url(certificate.number)}?code={certificate.verification_code}"


def key_url(kid: str) -> str:
    return f"{settings.ICIHUB_PUBLIC_URL}/keys/{kid}.json"


def public_key_for(verification_method: str):
    """The centre's public key a credential's verification method names (UnknownKey when none)."""
    prefix = f"{settings.ICIHUB_PUBLIC_URL}/keys/"
    if not verification_method.startswith(prefix) or not verification_method.endswith(".json"):
        raise UnknownKey(verification_method)
    return key_store().public_key(verification_method[len(prefix) : -len(".json")])


def _snapshot(certificate: Certificate) -> dict:
    return {
        "number": certificate.number,
        "holder": certificate.holder_name,
        "course": certificate.course_code,
        "start": certificate.start,
        "end": certificate.end,
        "key": certificate.key_id,
        "revoked_at": certificate.revoked_at,
        "revocation_reason": certificate.revocation_reason,
    }


def issue(*, actor, nomination: Nomination, source: str) -> Certificate:
    """The certificate of a confirmed participant of a completed iteration, with its signed credential."""
    policy.require(actor, "certificate", "issue")
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update().select_related("person", "iteration__course").get(pk=nomination.pk)
        )
        iteration = nomination.iteration
        if nomination.status != Status.CONFIRMED:
            raise Conflict(_("Only a confirmed participant gets a certificate."))
        done = Completion.objects.filter(nomination=nomination).values_list("completed", flat=True).first()
        if not done:
            raise Conflict(_("A certificate is issued once the participant has completed the course."))
        if Certificate.objects.filter(nomination=nomination).exists():
            raise Conflict(_("This participant already has a certificate."))
        course = iteration.course
        now = timezone.now()
        key = key_store().current()
        certificate = Certificate(
            number=f"pending-{nomination.pk}",
            nomination=nomination,
            holder_name=nomination.person.full_name,
            course_code=course.code,
            course_title_en=course.title_en,
            course_title_ar=course.title_ar,
            start=iteration.start_date,
            end=iteration.end_date,
            issued_at=now,
            issued_by=actor,
            key_id=key.id,
            credential={},
        )
        try:
            certificate.save()
        except IntegrityError:  # another request issued it a moment ago
            raise Conflict(_("This participant already has a certificate.")) from None
        # The number follows the row's id, so two certificates issued at once never share one.
        certificate.number = f"ICI-{iteration.end_date.year}-{certificate.pk:06d}"
        document = vc.achievement_credential(
            credential_id=verification_url(certificate.number),
            issuer_id=f"{settings.ICIHUB_PUBLIC_URL}/",
            issuer_name=settings.ICIHUB_ISSUER_NAME,
            holder_name=certificate.holder_name,
            achievement_id=f"{settings.ICIHUB_PUBLIC_URL}/courses/{course.code}/",
            achievement_name=course.title_en,
            achievement_description=(
                f"{course.title_en} / {course.title_ar}, {iteration.code}, "
                f"{iteration.start_date.isoformat()} to {iteration.end_date.isoformat()}."
            ),
            criteria="Completed the course at the NATO-ICI Regional Centre.",
            valid_from=now,
        )
        certificate.credential = vc.sign(document, key, verification_method=key_url(key.id), created=now)
        certificate.save(update_fields=["number", "credential"])
        record(actor=actor, action="certificate.issued", obj=certificate, after=_snapshot(certificate), source=source)
    return certificate


def issue_completed(*, actor, iteration, source: str) -> list[Certificate]:
    """The certificates of everyone on the iteration who completed and has none yet (run it again
    after a late decision: it issues only what is missing)."""
    policy.require(actor, "certificate", "issue")
    waiting = Nomination.objects.filter(
        iteration=iteration, status=Status.CONFIRMED, completion__completed=True, certificate__isnull=True
    ).order_by("pk")
    return [issue(actor=actor, nomination=nomination, source=source) for nomination in waiting]


def revoke(*, actor, certificate: Certificate, reason: str, source: str) -> Certificate:
    policy.require(actor, "certificate", "revoke")
    reason = (reason or "").strip()
    if not reason:
        raise Conflict(_("Give the reason for revoking the certificate."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked:
            raise Conflict(_("The certificate is already revoked."))
        before = _snapshot(certificate)
        certificate.revoked_at, certificate.revocation_reason = timezone.now(), reason
        certificate.save(update_fields=["revoked_at", "revocation_reason"])
        record(
            actor=actor,
            action="certificate.revoked",
            obj=certificate,
            before=before,
            after=_snapshot(certificate),
            source=source,
        )
    return certificate


@dataclasses.dataclass(frozen=True)
class Verification:
    """What the public may learn about a certificate number: its state and the certificate's face."""

    number: str
    status: str  # valid, revoked, invalid (the stored credential no longer verifies)
    holder: str
    course_code: str
    course_title_en: str
    course_title_ar: str
    start: datetime.date
    end: datetime.date
    issuer: str
    revoked_at: datetime.datetime | None
    revocation_reason: str
    holder_shown: bool = False  # the caller proved they hold the certificate (its code, or the holder's name)


def _normalised(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def proves(certificate: Certificate, *, code: str = "", name: str = "") -> bool:
    """Whether the caller shows they hold the certificate: its verification code (printed on it and in its
    QR code), or the holder's family name or full name as printed."""
    if code and hmac.compare_digest(_normalised(code).encode(), _normalised(certificate.verification_code).encode()):
        return True
    if not name or not certificate.holder_name:
        return False
    family = getattr(getattr(certificate.nomination, "person", None), "family_name", "")
    given = _normalised(name)
    return bool(given) and given in {_normalised(certificate.holder_name), _normalised(family)} - {""}


def verify(number: str, *, code: str = "", name: str = "") -> Verification | None:
    """The public verification of a number (None when there is no such certificate). The stored
    credential's signature is checked every time, so a row changed behind the centre's back shows as
    invalid rather than valid. The holder's name is shown only to a caller who proves they hold the
    certificate (`proves`): the numbers run in sequence, and anyone could list every graduate."""
    certificate = Certificate.objects.filter(number=number).select_related("nomination__person").first()
    if certificate is None:
        return None
    try:
        vc.verify(certificate.credential, public_key_for)
        signed = certificate.credential
        intact = (
            signed["id"] == verification_url(number)
            and signed["credentialSubject"]["identifier"][0]["identityHash"] == certificate.holder_name
            and signed["name"] == certificate.course_title_en
            and f"{certificate.start.isoformat()} to {certificate.end.isoformat()}"
            in signed["credentialSubject"]["achievement"]["description"]
        )
    except (vc.InvalidCredential, KeyError, IndexError, TypeError):
        intact = False
    if certificate.revoked and not certificate.credential:  # erased at the holder's request (operations/privacy.py)
        status = "revoked"
    else:
        status = "invalid" if not intact else ("revoked" if certificate.revoked else "valid")
    shown = proves(certificate, code=code, name=name)
    return Verification(
        number=certificate.number,
        status=status,
        holder=certificate.holder_name if shown else "",
        holder_shown=shown,
        course_code=certificate.course_code,
        course_title_en=certificate.course_title_en,
        course_title_ar=certificate.course_title_ar,
        start=certificate.start,
        end=certificate.end,
        issuer=settings.ICIHUB_ISSUER_NAME,
        revoked_at=certificate.revoked_at,
        revocation_reason=certificate.revocation_reason,
    )
