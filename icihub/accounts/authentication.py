"""How API callers authenticate (settings.REST_FRAMEWORK): a token, or the web session."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class ScopedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, reading the user's nation and organisation in the same query: every
    scoped query of the request needs them (a nomination read the nation a second time)."""

    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user__nation", "user__organisation").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
