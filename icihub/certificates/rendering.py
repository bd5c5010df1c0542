"""A certificate's HTML in, its PDF out, with WeasyPrint, keeping between PDFs what does not change.

What is kept, made on first use, once per thread (WeasyPrint's font configuration wraps a Pango font
map, which is not to be shared between threads; the web server renders in several):
- the font configuration (fontconfig and Pango's font map and caches);
- the parsed stylesheet, templates/certificates/certificate_pdf.css;
- the URL fetcher. Making WeasyPrint's default fetcher loads the system's TLS certificates (about 40 ms a
  PDF), and a certificate needs nothing fetched: this one refuses every address.

No Django in here: the worker processes of a whole-iteration run (batch.py) import only this module, so
they have neither settings nor a database connection; they get HTML and give back PDF bytes."""

import logging
import os
import threading
import time
from pathlib import Path

STYLESHEET = Path(__file__).parent / "templates" / "certificates" / "certificate_pdf.css"

_per_thread = threading.local()


def _kept():
    """This thread's font configuration, parsed stylesheet and URL fetcher."""
    kept = getattr(_per_thread, "kept", None)
    if kept is None:
        # Imported here: WeasyPrint loads Pango, which only PDF work needs.
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        fonts = FontConfiguration()
        fetcher = URLFetcher(allowed_protocols=())
        stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=fonts, url_fetcher=fetcher)
        kept = _per_thread.kept = (fonts, stylesheet, fetcher)
    return kept


def html_to_pdf(html: str) -> bytes:
    """The PDF of a certificate's HTML (certificates/certificate_pdf.html, rendered)."""
    from weasyprint import HTML

    fonts, stylesheet, fetcher = _kept()
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet], font_config=fonts)


def start_worker(parent: int, log_level: int) -> None:
    """What a worker process of a certificate run does first: log WeasyPrint's messages at its parent's
    level, and end itself when the parent is gone. A parent killed outright (SIGKILL, power loss) can
    tell nobody, and a worker waiting for its next PDF would otherwise wait for ever."""
    logging.getLogger("weasyprint").setLevel(log_level)
    threading.Thread(target=_end_with, args=(parent,), name="end-with-parent", daemon=True).start()


def _end_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)
