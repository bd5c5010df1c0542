"""Anti-automation on the expensive functions (SECURITY.md): file exports and PDFs, and imports.

Each user (or address, when not logged in) may ask for ICIHUB_EXPORTS_PER_MINUTE exports (30) and
send ICIHUB_IMPORTS_PER_MINUTE imports (10) a minute; beyond that the answer is 429 with Retry-After
and a page that says when to try again. Showing an import form is not counted, only sending a file.
(Certificate verification and check-in codes have their own limits: certificates/views.py,
delivery/checkin.py.)

The count is kept in Django's cache: with the default in-memory cache it is per server process; a
deployment with several processes configures a shared cache (Redis) so the limit holds across them."""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from icihub.accounts.security import client_address

WINDOW_SECONDS = 60


def _limit(kind: str) -> int:
    return settings.ICIHUB_EXPORTS_PER_MINUTE if kind == "export" else settings.ICIHUB_IMPORTS_PER_MINUTE


def over_limit(counter: str, limit: int) -> int | None:
    """Counts one more request on `counter` in this minute; the seconds until the minute ends when the
    count is over `limit`, else None. The count is one atomic increment (add, then incr), never a read
    then a write, so requests at the same moment, in any number of processes sharing the cache, are
    each counted once."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"icihub:rate:{counter}:{window}"
    cache.add(key, 0, WINDOW_SECONDS + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 1)
        count = 1
    if count <= limit:
        return None
    return int((window + 1) * WINDOW_SECONDS - now) + 1


def _over(request, kind: str) -> int | None:
    """Counts this request; the seconds until the window ends when it is over the limit, else None."""
    who = f"user:{request.user.pk}" if request.user.is_authenticated else f"address:{client_address(request)}"
    return over_limit(f"{kind}:{who}", _limit(kind))


def limited(kind: str):
    """Decorates a view that exports ("export": every request) or imports ("import": each POST)."""
    if kind not in ("export", "import"):
        raise ValueError(kind)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if kind == "export" or request.method == "POST":
                wait = _over(request, kind)
                if wait is not None:
                    message = (
                        _("Too many exports in a minute. Try again in %(seconds)d seconds.")
                        if kind == "export"
                        else _("Too many imports in a minute. Try again in %(seconds)d seconds.")
                    ) % {"seconds": wait}
                    response = render(request, "503.html", {"message": message}, status=429)
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
