"""The language switch in every page's header (POST /i18n/setlang/ with `language` and `next`).

Django's set_language translates `next` (/en/iterations/ -> /ar/iterations/) by resolving it in the
language active for the switch request itself. That request has no language prefix, so the active
language is the reader's stored choice (cookie) or browser's: someone whose choice was Arabic, reading
an /en/ page, had /en/iterations/ fail to resolve under /ar/ and was sent back to the English page.
Resolving `next` in the language of its own prefix makes the switch work whatever was chosen before;
the cookie then records the new choice for the pages without a prefix."""

from urllib.parse import urlsplit

from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views import i18n


def set_language(request):
    next_url = request.POST.get("next", request.GET.get("next", "")) or request.META.get("HTTP_REFERER", "")
    page_language = get_language_from_path(urlsplit(next_url).path) or translation.get_language()
    with translation.override(page_language):
        return i18n.set_language(request)
