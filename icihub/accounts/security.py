"""Log-in protection and sessions.

- Lock-out: after ICIHUB_LOGIN_FAILURES failed log-ins for one user name, or ten times that from one
  address, within ICIHUB_LOCKOUT_MINUTES, log-in is refused for that name or address until the window
  has passed, with the right password too. Failures are rows in the database, so the count holds
  across server processes and restarts.
- Every log-in attempt (succeeded, failed, refused while locked) and every log-out is written to the
  `icihub.security` log: user name, address, outcome; never a password.
- Sessions: each signed-in session is recorded (UserSession), so a user sees their sessions and ends
  any of them; a session idle for ICIHUB_SESSION_IDLE_MINUTES ends; deactivating a user ends all
  their sessions at once.
"""

import datetime
import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from icihub.accounts.models import LoginFailure, User, UserSession

log = logging.getLogger("icihub.security")
SESSION_ROW = "icihub_session"  # the UserSession row of this session, kept in the session itself
PROVED_AT = "icihub_proved_at"  # when the user last gave their password here (seconds; accounts/stepup.py)
ADDRESS_FACTOR = 10  # an address may fail this many times more than one user name (a shared office NAT)


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the address the last ICIHUB_NUM_PROXIES proxies saw."""
    if request is None:
        return None
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR")


def mark_proved(request) -> None:
    """The user has just given their password: a sensitive operation may follow for a while."""
    request.session[PROVED_AT] = int(time.time())


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.ICIHUB_LOCKOUT_MINUTES)


def locked(username: str, address: str | None) -> bool:
    since = _window_start()
    limit = settings.ICIHUB_LOGIN_FAILURES
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username__iexact=username).count() >= limit:
        return True
    return bool(address) and recent.filter(address=address).count() >= limit * ADDRESS_FACTOR


def locked_message() -> str:
    return _("Too many failed log-ins. Try again in %(minutes)d minutes, or ask the registrar.") % {
        "minutes": settings.ICIHUB_LOCKOUT_MINUTES
    }


class LockingAuthenticationForm(AuthenticationForm):
    """Django's log-in form, refusing a locked user name or address before the password is checked."""

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = client_address(self.request)
        if username and locked(username, address):
            LoginFailure.objects.create(username=username[:150], address=address)
            log.warning("log-in refused (locked): user=%s address=%s", username, address)
            raise ValidationError(locked_message(), code="locked")
        return super().clean()


@receiver(user_login_failed)
def _failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    address = client_address(request)
    LoginFailure.objects.create(username=username, address=address)
    log.warning("log-in failed: user=%s address=%s", username, address)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    address = client_address(request)
    LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
    if request is not None and getattr(request, "session", None) is not None:
        if request.session.session_key is None:
            request.session.save()
        row, _created = UserSession.objects.update_or_create(
            session_key=request.session.session_key,
            defaults={
                "user": user,
                "last_seen": timezone.now(),
                "address": address,
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            },
        )
        request.session[SESSION_ROW] = row.pk
        mark_proved(request)
    log.info("log-in: user=%s address=%s", user.get_username(), address)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    log.info("log-out: user=%s", user.get_username() if user else "")


def end_session(session: UserSession) -> None:
    Session.objects.filter(session_key=session.session_key).delete()
    session.delete()


def end_all_sessions(user) -> int:
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        end_session(session)
    return len(sessions)


@receiver(post_save, sender=User)
def _deactivated(sender, instance, **kwargs):
    if not instance.is_active:
        end_all_sessions(instance)


class SessionActivityMiddleware:
    """Ends a session idle for longer than ICIHUB_SESSION_IDLE_MINUTES, or one that was ended from
    another session; otherwise notes the session as seen (at most once a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        key = request.session.session_key if hasattr(request, "session") else None
        if user is not None and user.is_authenticated and key:
            now = timezone.now()
            row = UserSession.objects.filter(pk=request.session.get(SESSION_ROW) or 0, user=user).first()
            if row is not None and row.session_key != key:  # a new id for the same session (password change)
                UserSession.objects.filter(pk=row.pk).update(session_key=key)
            idle = datetime.timedelta(minutes=settings.ICIHUB_SESSION_IDLE_MINUTES)
            # Django's cookie age restarts whenever the session is saved; the log-in time does not.
            lifetime = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
            if row is None or now - row.last_seen > idle or now - row.created_at > lifetime:
                reason = "ended" if row is None else ("idle" if now - row.last_seen > idle else "lifetime")
                if row is not None:
                    row.delete()
                logout(request)
                log.info("session ended: user=%s reason=%s", user.get_username(), reason)
            elif now - row.last_seen > datetime.timedelta(minutes=1):
                UserSession.objects.filter(pk=row.pk).update(last_seen=now)
        return self.get_response(request)


class PrivateAnswersMiddleware:
    """An answer made for a signed-in user (a page, or the API with a session or a token) holds that
    user's data: neither the browser's cache nor a proxy's keeps it (`private, no-store`), unless the
    view chose its own caching. Log-out tells the browser to clear what it kept (ASVS 5.0 14.3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if (signed_in or request.user.is_authenticated) and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        match = getattr(request, "resolver_match", None)
        if signed_in and request.method == "POST" and match is not None and match.url_name == "logout":
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
