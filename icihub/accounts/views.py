"""The user's own account page: their signed-in sessions (end any, or all the others) and their API
token (make a new one, shown once, or revoke it). Ending a session and changing a token are audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device
from rest_framework.authtoken.models import Token

from icihub.accounts import security, stepup
from icihub.accounts.models import UserSession
from icihub.audit.services import record
from icihub.formdata import row_id


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    user, new_token = request.user, None
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
                had = Token.objects.filter(user=user).delete()[0] > 0
                new_token = Token.objects.create(user=user).key
                record(actor=user, action="token.created", obj=user, after={"replaced": had}, source="web")
            elif action == "revoke-token" and Token.objects.filter(user=user).delete()[0]:
                record(actor=user, action="token.revoked", obj=user, source="web")
                messages.success(request, _("Your API token was revoked: it no longer works."))
        if new_token is None:
            return redirect("account")
    return render(
        request,
        "registration/account.html",
        {
            "sessions": UserSession.objects.filter(user=user),
            "current": current,
            "has_token": Token.objects.filter(user=user).exists(),
            "new_token": new_token,
            "has_mfa": user_has_device(user, confirmed=True),
        },
    )
