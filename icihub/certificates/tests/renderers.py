"""Stand-ins for rendering.html_to_pdf that the worker processes of a certificate run can import: like
rendering.py, this module imports nothing of Django, since a spawned worker has no settings."""

import os
import sys

from icihub.certificates import rendering

BROKEN = "Unprintable"  # a family name whose certificate cannot be rendered


def fails_for_the_unprintable(html: str) -> bytes:
    """The real PDF, except for a holder named BROKEN, whose rendering fails in the worker."""
    if BROKEN in html:
        raise ValueError(f"no room on the page for {BROKEN} (in process {os.getpid()})")
    return rendering.html_to_pdf(html)


def where_am_i() -> tuple[int, bool]:
    """The process this runs in, and whether Django's database layer was ever imported there."""
    return os.getpid(), "django.db" in sys.modules
