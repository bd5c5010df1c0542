"""The OpenAPI schema's operations as drf-spectacular writes them, plus one thing it cannot know: which
operations the access policy opens to anonymous callers. Those list the empty security requirement
(`{}`) beside the token and the session, so a client generated from the schema calls them without
credentials (the public catalogue, the calendar, certificate verification)."""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import AllowAny

from icihub.accounts import policy
from icihub.accounts.api_permissions import VERB_BY_METHOD, PolicyPermission


class AutoSchema(SpectacularAutoSchema):
    def get_auth(self):
        auth = super().get_auth()
        if self._open_to_anonymous() and {} not in auth:
            auth.append({})
        return auth

    def _open_to_anonymous(self) -> bool:
        permissions = list(getattr(self.view, "permission_classes", []))
        if all(issubclass(permission, AllowAny) for permission in permissions):
            return True  # no permission at all (the token exchange) or AllowAny (verification)
        if self.method.upper() != "GET":
            return False  # actions that change state check their caller inside (e.g. a bid: a point of contact)
        if permissions != [PolicyPermission]:
            return False  # IsAuthenticated and the like shut anonymous callers out
        resource = getattr(self.view, "policy_resource", None)
        verb = getattr(self.view, "policy_verb", None) or VERB_BY_METHOD.get(self.method.upper())
        return resource is not None and verb is not None and policy.allows(AnonymousUser(), resource, verb)
