"""Public certificate verification (page and API, no log-in, rate-limited per address) and the centre's
public keys, which anyone verifying a credential outside icihub needs."""

import base64
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.certificates import batch, services
from icihub.certificates.keys import UnknownKey, raw_public_key
from icihub.certificates.models import Certificate, CertificateRun
from icihub.errors import Conflict
from icihub.nominations.models import Nomination
from icihub.throttle import limited, over_limit


class VerifyThrottle(BaseThrottle):
    """One budget per client address for the verification page and API together, counted atomically
    in the shared cache (DRF's SimpleRateThrottle reads, then writes, its history: concurrent look-ups,
    above all from several server processes, were let through past the limit)."""

    def allow_request(self, request, view) -> bool:
        self.seconds_left = over_limit(f"verify:{self.get_ident(request)}", settings.ICIHUB_VERIFY_PER_MINUTE)
        return self.seconds_left is None

    def wait(self) -> int | None:
        return self.seconds_left


def _throttled(request) -> int | None:
    """Seconds to wait when this address has used up its budget, else None."""
    throttle = VerifyThrottle()
    if throttle.allow_request(request, None):
        return None
    return throttle.wait()


# Names tried against one number in a minute, from every address together: guessing a holder's family
# name from a list of names takes days, while the per-address budget alone allowed 30 a minute from
# each of many addresses.
NAME_GUESSES_PER_MINUTE = 5


def _name_guesses_over(number: str, name: str) -> int | None:
    # The number as typed may hold any character; its digest is a key every cache backend accepts.
    digest = hashlib.sha256(number.strip().upper().encode()).hexdigest()[:32]
    return over_limit(f"verify-name:{digest}", NAME_GUESSES_PER_MINUTE) if name else None


@require_GET
def verify_page(request, number: str | None = None):
    if number is None and request.GET.get("number"):
        return redirect("certificates:verify", number=request.GET["number"].strip().upper())
    context = {"number": number}
    if number is not None:
        wait = _throttled(request)
        if wait is not None:
            response = render(request, "certificates/verify.html", {**context, "wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        code, name = request.GET.get("code", "")[:64], request.GET.get("name", "")[:200]
        context.update(code=code, name=name)
        wait = _name_guesses_over(number, name)
        if wait is not None:
            response = render(request, "certificates/verify.html", {**context, "wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        context["result"] = services.verify(number, code=code, name=name)
    status = 404 if number is not None and context.get("result") is None else 200
    return render(request, "certificates/verify.html", context, status=status)


class VerifyView(APIView):
    """Verify a certificate by its number: valid, revoked or invalid, with the course, dates and issuer.
    The holder's name only with `code` (the verification code printed on the certificate and in its QR
    code) or `name` (the holder's family name, to match). No log-in; rate-limited per address, and name
    guesses per number."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, description="The verification code printed on the certificate"),
            OpenApiParameter("name", str, description="The holder's family name (or full name), to match"),
        ],
        responses=inline_serializer(
            "CertificateVerification",
            {
                "number": serializers.CharField(),
                "status": serializers.ChoiceField(["valid", "revoked", "invalid"]),
                "holder": serializers.CharField(help_text="Empty unless `code` or `name` proves the caller holds it"),
                "holder_shown": serializers.BooleanField(),
                "course": serializers.CharField(),
                "course_title_en": serializers.CharField(),
                "course_title_ar": serializers.CharField(),
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "issuer": serializers.CharField(),
                "revoked_at": serializers.DateTimeField(allow_null=True),
                "revocation_reason": serializers.CharField(),
            },
        ),
    )
    def get(self, request, number: str):
        name = request.query_params.get("name", "")[:200]
        wait = _name_guesses_over(number, name)
        if wait is not None:
            raise Throttled(wait)
        result = services.verify(number, code=request.query_params.get("code", "")[:64], name=name)
        if result is None:
            raise NotFound(_("No certificate has this number."))
        return Response(
            {
                "number": result.number,
                "status": result.status,
                "holder": result.holder,
                "holder_shown": result.holder_shown,
                "course": result.course_code,
                "course_title_en": result.course_title_en,
                "course_title_ar": result.course_title_ar,
                "start": result.start,
                "end": result.end,
                "issuer": result.issuer,
                "revoked_at": result.revoked_at,
                "revocation_reason": result.revocation_reason,
            }
        )


@require_GET
def public_key(request, kid: str):
    """A signing key's public half as a JSON Web Key (OKP, Ed25519), for verifiers outside icihub."""
    try:
        public = services.key_store().public_key(kid)
    except UnknownKey:
        raise Http404(_("No such key.")) from None
    raw = raw_public_key(public)
    jwk = {"kty": "OKP", "crv": "Ed25519", "kid": kid, "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}
    return JsonResponse({"id": services.key_url(kid), "type": "JsonWebKey", "publicKeyJwk": jwk})


def _own_certificate(request, number: str) -> Certificate:
    """The certificate if the user may see its nomination (staff and HQ all, a point of contact their
    nation's, a participant their own), else 404."""
    certificate = Certificate.objects.filter(number=number).select_related("nomination").first()
    visible = policy.visible_party_rows(
        request.user, Nomination.objects.filter(pk=getattr(certificate, "nomination_id", None))
    )
    if certificate is None or not visible.exists():
        raise Http404(_("No certificate has this number."))
    return certificate


@login_required
@require_GET
@limited("export")
def certificate_pdf(request, number: str):
    from icihub.certificates.pdf import render as render_pdf

    certificate = _own_certificate(request, number)
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


@login_required
@require_GET
def certificate_credential(request, number: str):
    """The signed Open Badges credential, to keep in a wallet or show to anyone who checks it."""
    certificate = _own_certificate(request, number)
    response = JsonResponse(certificate.credential, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def iteration_certificates(request, code: str):
    """An iteration's certificates for staff: make them all in the background (with progress), download
    the PDFs to print, and revoke one with a reason."""
    iteration = policy.get_iteration(request.user, code, "view")
    policy.require(request.user, "certificate", "issue")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "start":
                batch.start(actor=request.user, iteration=iteration, source="web")
                messages.success(request, _("The certificates are being made; this page shows the progress."))
            elif action == "revoke":
                certificate = Certificate.objects.filter(
                    nomination__iteration=iteration, number=request.POST.get("number", "")
                ).first()
                if certificate is None:
                    raise Conflict(_("No certificate of this iteration has this number."))
                services.revoke(
                    actor=request.user, certificate=certificate, reason=request.POST.get("reason", ""), source="web"
                )
                messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate.number})
            else:
                raise Conflict(_("Unknown action."))
        except Conflict as error:
            messages.error(request, str(error))
        return redirect(request.path)
    batch.end_stale(iteration)  # a run whose process died must not keep the page waiting
    runs = list(CertificateRun.objects.filter(iteration=iteration)[:5])
    return render(
        request,
        "certificates/iteration.html",
        {
            "iteration": iteration,
            "certificates": Certificate.objects.filter(nomination__iteration=iteration).order_by("holder_name"),
            "runs": [(run, batch.archive_path(run) is not None) for run in runs],
            "working": any(run.working for run in runs),
            "can_revoke": policy.allows(request.user, "certificate", "revoke"),
        },
    )


@login_required
@require_GET
def run_archive(request, code: str, run: str):
    iteration = policy.get_iteration(request.user, code, "view")
    policy.require(request.user, "certificate", "issue")
    found = CertificateRun.objects.filter(iteration=iteration, public_id=run).first()
    path = batch.archive_path(found) if found else None
    if path is None:
        raise Http404(_("No such file."))
    # Every graduate's certificate in one file: a sensitive read, recorded.
    with transaction.atomic():
        record(actor=request.user, action="certificates.archive_downloaded", obj=iteration, source="web")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"certificates-{iteration.code}.zip")
