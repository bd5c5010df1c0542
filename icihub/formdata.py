"""Form values that views read themselves. A middleware refuses a request whose query string or form
holds a NUL character, before any view sees it; `row_id` reads a row id without failing on junk.

PostgreSQL cannot store or compare text holding a NUL character: psycopg refuses the query, so a
lookup or a save from such a value answered 500 instead of "not found" or a validation message (the
generated write sweep, accounts/tests/test_generated_writes.py, found six views doing so). Django's
form fields refuse NUL already; this covers the pages whose views read request.POST or request.GET
themselves, all at once, and answers 400 with a clear message. The API is left to DRF, whose fields
refuse NUL with a per-field message, after it has asked who is calling (the fuzzing proves it). No
person types a NUL character, so nothing legitimate is refused."""

import uuid

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class RefuseNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            return self.get_response(request)
        form = request.method == "POST" and request.content_type in FORM_TYPES
        if _holds_nul(request.GET) or (form and _holds_nul(request.POST)):
            message = _("The request holds a NUL character, which no field accepts. Nothing was saved.")
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def row_id(text) -> int:
    """A row id from a form field; anything but a row id's digits finds nothing (0) instead of failing
    with a server error."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 0


def uuid_or_none(text) -> uuid.UUID | None:
    """A public id from a form field; None for anything that is not one, instead of a server error."""
    try:
        return uuid.UUID(str(text or "").strip()[:40])
    except ValueError:
        return None
