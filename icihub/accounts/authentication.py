"""How API callers authenticate (settings.REST_FRAMEWORK): a token, or the web session."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from icihub.accounts import tokens


class ScopedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, checked against the digests of working tokens (accounts/tokens.py).
    The user's nation and organisation come in the same query: every scoped query of the request needs
    them (a nomination read the nation a second time)."""

    def authenticate_credentials(self, key):
        try:
            token = tokens.authenticate(key)
        except tokens.TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        return (token.user, token)
