"""A lost database connection is answered cleanly: the request's transaction is gone (nothing of it was
saved), the connection is dropped so the next request opens a new one, and the user reads a 503 saying
nothing was saved and to try again (JSON for the API), instead of a server error page."""

import logging

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger("icihub.faults")
RETRY_AFTER = "30"


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.error("database unavailable during %s %s: %s", request.method, request.path, exception)
        connection.close_if_unusable_or_obsolete()
        message = _("The database could not be reached: nothing was saved. Try again in a moment.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            # A page of its own, without the request's context processors: the usual layout would ask
            # the database again for the header.
            response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
