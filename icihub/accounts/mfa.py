"""Multi-factor log-in: a time-based one-time password (TOTP, RFC 6238) from an authenticator app, with
ten recovery codes for a lost phone (django-otp's TOTP device and our RecoveryCodes device, which keeps
the codes as digests only: accounts/tokens.py).

After the password, a user with a confirmed authenticator enters a code before anything else; a user
whose role must use MFA (staff, points of contact, HQ observers: SECURITY.md) and has none is sent to
set one up first. Participants may set one up. A code is accepted once (django-otp keeps the last time
step used; a recovery code is deleted when used), wrong codes slow down (django-otp's throttling), and
a password reset never skips this step: it only sets the password, the log-in still asks for a code.
ICIHUB_MFA_REQUIRED turns the obligation on (the default in production); development and the demo
leave it off so the tour needs no phone."""

import logging

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from icihub.accounts import stepup, tokens
from icihub.accounts.models import RecoveryCodes, Role
from icihub.audit.services import record

log = logging.getLogger("icihub.security")
MUST_USE = frozenset(
    {
        Role.CENTRE_ADMIN,
        Role.REGISTRAR,
        Role.COURSE_DIRECTOR,
        Role.INSTRUCTOR,
        Role.POINT_OF_CONTACT,
        Role.HQ_OBSERVER,
    }
)
PASSED = "icihub_mfa_passed"  # in the session: no second factor is asked of it (none set up, none required)
# Pages a signed-in user reaches before the second factor: these, log-out and the language switch.
OPEN_NAMES = ("mfa-verify", "mfa-setup", "logout")


def must_use(user) -> bool:
    return settings.ICIHUB_MFA_REQUIRED and user.role in MUST_USE


class MFAMiddleware:
    """Holds a signed-in user at the second factor until it is given (after django-otp's OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.session.get(PASSED) and not user.is_verified():
            step = "mfa-verify" if user_has_device(user, confirmed=True) else ("mfa-setup" if must_use(user) else None)
            if step is None:  # nothing to ask of this session: remember it, so later requests cost no query
                request.session[PASSED] = True
            elif not self._open(request):
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse({"detail": _("Finish the multi-factor log-in on the web first.")}, status=403)
                return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _open(request) -> bool:
        if request.path.startswith((settings.STATIC_URL, "/i18n/")):
            return True
        return any(request.path == reverse(name) for name in OPEN_NAMES)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("catalogue:list")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of log-in: a code from the authenticator, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not user_has_device(user, confirmed=True):
        return redirect(reverse("mfa-setup"))
    error = None
    if request.method == "POST":
        code = "".join(request.POST.get("code", "").split()).lower()
        device = match_token(user, code) if code else None
        if device is None:
            error = _("That code is not right, or was used already. Try the next code.")
            log.warning("mfa failed: user=%s", user.get_username())
        else:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once the second factor is given (ASVS 7.2.4)
            log.info("mfa passed: user=%s device=%s", user.get_username(), device.__class__.__name__)
            if isinstance(device, RecoveryCodes):
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d are left. Make new ones on My account.")
                    % {"left": device.codes.count()},
                )
            return redirect(_next(request))
    return render(request, "registration/mfa_verify.html", {"error": error, "next": _next(request)}, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Set up (or replace) the authenticator: scan the QR code, enter one code to confirm it, and keep
    the recovery codes shown once. Replacing needs the current second factor first."""
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect(f"{reverse('mfa-verify')}?next={reverse('mfa-setup')}")
    if user_has_device(user, confirmed=True) and (ask := stepup.demand(request, back=reverse("mfa-setup"))):
        return ask  # replacing a factor needs the password again (ASVS 7.5.1)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    error = None
    if request.method == "POST":
        code = "".join(request.POST.get("code", "").split())
        if code and device.verify_token(code):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user, confirmed=True).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = tokens.new_recovery_codes(user)
                record(actor=user, action="mfa.enrolled", obj=user, source="web")
            otp_login(request, device)
            log.info("mfa enrolled: user=%s", user.get_username())
            return render(request, "registration/mfa_codes.html", {"codes": codes, "next": _next(request)})
        error = _("That code is not right. Enter the six digits your app shows now.")
    qr = mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5, border=3, light="#fff"))  # noqa: S308  # segno's own SVG  # nosec B308, B703
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "qr": qr,
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "error": error,
            "next": _next(request),
        },
    )


@login_required
@require_http_methods(["POST"])
def new_recovery_codes(request):
    user = request.user
    if not user.is_verified():
        return redirect(f"{reverse('mfa-verify')}?next={reverse('account')}")
    if ask := stepup.demand(request, back=reverse("account")):
        return ask  # new recovery codes replace a factor: the password again first (ASVS 7.5.1)
    with transaction.atomic():
        codes = tokens.new_recovery_codes(user)
        record(actor=user, action="mfa.recovery_codes_replaced", obj=user, source="web")
    return render(request, "registration/mfa_codes.html", {"codes": codes, "next": reverse("account")})
