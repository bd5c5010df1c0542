"""The user's own account page: their signed-in sessions (end any, or all the others) and their API
tokens (make one, shown once, with a name and a life in days; see each one's last use; revoke any).
Ending a session and making or revoking a token are audited."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from icihub.accounts import security, stepup, tokens
from icihub.accounts.models import UserSession
from icihub.audit.services import record
from icihub.errors import Conflict
from icihub.formdata import row_id, uuid_or_none


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    user, new_token = request.user, None
    longest = settings.ICIHUB_API_TOKEN_DAYS
    current = request.session.session_key
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "token" and (ask := stepup.demand(request, back=reverse("account"))):
            return ask  # a token acts without the password: making one needs it again
        with transaction.atomic():
            if action == "end":
                chosen = row_id(request.POST.get("session"))
                session = UserSession.objects.filter(user=user, pk=chosen).first()
                if session is not None and session.session_key != current:
                    security.end_session(session)
                    record(actor=user, action="session.ended", obj=user, before={"session": session.pk}, source="web")
                    messages.success(request, _("The session was ended."))
            elif action == "end-others":
                others = UserSession.objects.filter(user=user).exclude(session_key=current)
                count = 0
                for session in others:
                    security.end_session(session)
                    count += 1
                record(actor=user, action="session.ended_others", obj=user, after={"ended": count}, source="web")
                messages.success(request, _("%(count)d other sessions were ended.") % {"count": count})
            elif action == "token":
                days = row_id(request.POST.get("days")) or None
                try:
                    new_token = tokens.issue(user, name=request.POST.get("name", ""), days=days)[1]
                except Conflict as refused:
                    messages.error(request, str(refused))
            elif action == "revoke-token":
                chosen = uuid_or_none(request.POST.get("token"))
                if chosen is not None and tokens.revoke(user, chosen):
                    messages.success(request, _("The API token was revoked: it no longer works."))
        if new_token is None:
            return redirect("account")
    return render(
        request,
        "registration/account.html",
        {
            "sessions": UserSession.objects.filter(user=user),
            "current": current,
            "tokens": tokens.shown(user),
            "new_token": new_token,
            "token_days": sorted({d for d in (7, 30, 90, 180, 365) if d < longest} | {longest}),
            "longest_token_days": longest,
            "has_mfa": user_has_device(user, confirmed=True),
        },
    )
