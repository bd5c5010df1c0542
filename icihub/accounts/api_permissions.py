"""The access policy as a DRF permission: each viewset names its `policy_resource`; the HTTP
method maps to a verb, or an action names its own. Which objects are visible is decided by the
viewset's scoped queryset."""

from rest_framework.permissions import BasePermission

from icihub.accounts import policy

VERB_BY_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "create",
    "PUT": "edit",
    "PATCH": "edit",
    "DELETE": "delete",
}


class PolicyPermission(BasePermission):
    """On a single object the verb is checked only once the object is found in the caller's scoped
    queryset, so an object the caller may not see answers 404 whatever the method."""

    def has_permission(self, request, view) -> bool:
        method = request.method.lower()
        if method not in view.http_method_names or not hasattr(view, method):
            return True  # the view answers 405: a method an endpoint lacks is not a question for the policy
        if view.kwargs.get(getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")):
            return True
        return self._allows(request, view)

    def has_object_permission(self, request, view, obj) -> bool:
        return self._allows(request, view)

    def _allows(self, request, view) -> bool:
        resource = getattr(view, "policy_resource", None)
        # Custom actions name their own verb (@action(..., policy_verb="withdraw")).
        verb = getattr(view, "policy_verb", None) or VERB_BY_METHOD.get(request.method)
        return resource is not None and verb is not None and policy.allows(request.user, resource, verb)
