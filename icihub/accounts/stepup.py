"""Step-up re-authentication (SECURITY.md's level 3 item): before a sensitive operation the user proves
again who they are, with their password and, when they have an authenticator, a code from it.

Sensitive here: sharing out or adjusting an iteration's seats (the bulk reallocation), creating or
changing a user (role, nation, organisation, active) in the admin, making an API token, and exporting
or erasing a person's data. A proof lasts ICIHUB_STEP_UP_MINUTES (10); the log-in itself is one. Key
rotation is a server command (`icihub keys rotate`), so whoever runs it has already proved more than a
password.

The API follows the same rule for a browser session; a request with an API token is not asked again,
because making the token needed the step-up, the token is shown once and can be revoked (as GitHub's
"sudo mode" treats its tokens).

Wrong passwords and codes count towards the log-in lock-out (accounts/security.py), so the confirm page
cannot be used to guess a password without limit."""

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import match_token, user_has_device
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied

from icihub.accounts import security
from icihub.accounts.models import LoginFailure
from icihub.audit.services import record

log = logging.getLogger("icihub.security")


def is_recent(request) -> bool:
    proved = request.session.get(security.PROVED_AT)
    return isinstance(proved, int) and 0 <= time.time() - proved <= settings.ICIHUB_STEP_UP_MINUTES * 60


def _safe(request, target: str) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def confirm_url(next_url: str) -> str:
    return f"{reverse('step-up')}?{urlencode({'next': next_url})}"


def demand(request, back: str | None = None):
    """None when the user proved themselves recently; otherwise the redirect to the confirm page, which
    brings them back to `back` (for a form's POST, the page the form is on), or to this page."""
    if is_recent(request):
        return None
    if back is None:
        referer = _safe(request, request.META.get("HTTP_REFERER", ""))
        back = request.get_full_path() if request.method == "GET" else (referer or "/")
    log.info("step-up asked: user=%s path=%s", request.user.get_username(), request.path)
    return redirect(confirm_url(back))


def demand_for_api(request) -> None:
    """Raises 403 for a browser session that has not proved itself recently; token callers pass."""
    if not isinstance(getattr(request, "successful_authenticator", None), SessionAuthentication):
        return
    if is_recent(request):
        return
    raise PermissionDenied(
        _("This operation needs you to confirm your password first (step-up): open %(url)s, then try again.")
        % {"url": reverse("step-up")},
        code="step_up_required",
    )


def _check(request, password: str, code: str) -> None:
    user, address = request.user, security.client_address(request)
    if security.locked(user.get_username(), address):
        raise ValidationError(security.locked_message())
    wrong = not user.check_password(password)
    if not wrong and user_has_device(user, confirmed=True):
        wrong = not code or match_token(user, code) is None
    if wrong:
        LoginFailure.objects.create(username=user.get_username()[:150], address=address)
        log.warning("step-up failed: user=%s address=%s", user.get_username(), address)
        raise ValidationError(_("That password or code is not right."))


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request):
    """Confirm your password (and authenticator code) to go on with a sensitive operation."""
    target = _safe(request, request.POST.get("next") or request.GET.get("next") or "") or reverse("account")
    needs_code = user_has_device(request.user, confirmed=True)
    error = None
    if request.method == "POST":
        code = "".join(request.POST.get("code", "").split()).lower()
        try:
            _check(request, request.POST.get("password", ""), code)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            with transaction.atomic():
                request.session.cycle_key()  # a new session id for the stronger session (ASVS 7.2.4)
                security.mark_proved(request)
                record(actor=request.user, action="session.stepped_up", obj=request.user, source="web")
            log.info("step-up passed: user=%s", request.user.get_username())
            return redirect(target)
    return render(
        request,
        "registration/step_up.html",
        {"error": error, "next": target, "needs_code": needs_code, "minutes": settings.ICIHUB_STEP_UP_MINUTES},
    )
