"""POST /api/token/: a script's way to get a new API token with the user name and password.

Each call makes a new token (accounts/tokens.py: kept as a digest, lasting `days`, at most the
configured number of working tokens per user) and shows its key once; tokens are listed and revoked on
My account.

The same rules as the log-in page hold here: the lock-out (accounts/security.py) counts and refuses
failures, and a user with an authenticator gives its code as `code` (a user whose role must use MFA and
has none set up is told to set it up on the web first). Without this, the password alone would have
been enough for a token, skipping the second factor and the lock-out."""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import match_token, user_has_device
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from icihub.accounts import mfa, security, tokens
from icihub.accounts.models import LoginFailure

log = logging.getLogger("icihub.security")


class TokenRequestSerializer(AuthTokenSerializer):
    code = serializers.CharField(
        label=gettext_lazy("Code"),
        required=False,
        allow_blank=True,
        write_only=True,
        max_length=20,
        help_text=gettext_lazy("The code your authenticator app shows, when you have set one up."),
    )
    name = serializers.CharField(
        label=gettext_lazy("Name"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("What the token is for, as My account lists it."),
    )
    days = serializers.IntegerField(
        label=gettext_lazy("Days"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=gettext_lazy("How many days the token lasts (at most the centre's limit, 90 unless changed)."),
    )

    def validate(self, attrs):
        request = self.context.get("request")
        username, address = str(attrs.get("username") or "")[:150], security.client_address(request)
        if username and security.locked(username, address):
            LoginFailure.objects.create(username=username, address=address)
            log.warning("api token refused (locked): user=%s address=%s", username, address)
            raise serializers.ValidationError(security.locked_message(), code="locked")
        attrs = super().validate(attrs)  # a wrong password is recorded by the user_login_failed signal
        user = attrs["user"]
        if user_has_device(user, confirmed=True):
            code = "".join(str(attrs.get("code") or "").split()).lower()
            if not code or match_token(user, code) is None:
                LoginFailure.objects.create(username=username, address=address)
                log.warning("api token refused (code): user=%s address=%s", username, address)
                raise serializers.ValidationError(
                    _('Give the code your authenticator app shows now, as "code".'), code="mfa"
                )
        elif mfa.must_use(user):
            raise serializers.ValidationError(
                _("Set up the multi-factor log-in on the web first (My account), then ask again."), code="mfa"
            )
        return attrs


class ObtainToken(ObtainAuthToken):
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer(
            "TokenAnswer",
            {"token": serializers.CharField(), "name": serializers.CharField(), "expires": serializers.DateTimeField()},
        ),
        tags=["accounts"],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = data["user"]
        name = data.get("name") or _("API token of %(date)s") % {"date": timezone.localdate().isoformat()}
        token, key = tokens.issue(user, name=name, days=data.get("days"), source="api")
        log.info("api token given: user=%s address=%s", user.get_username(), security.client_address(request))
        return Response({"token": key, "name": token.name, "expires": token.expires_at})


obtain_token = ObtainToken.as_view()
