"""The certificate as a PDF: English and Arabic side by side (the Arabic right to left), the number,
and a QR code of the verification address drawn as vector shapes. All text is text, in a local font:
nothing is baked into an image and nothing is fetched.

`certificate_html` fills the template (here, with the settings and the database); rendering.py turns
the HTML into the PDF, in this process or in a worker process of a whole-iteration run (batch.py)."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from icihub.certificates import rendering, services
from icihub.certificates.models import Certificate


def qr_svg(url: str) -> str:
    """An inline SVG QR code of `url` (error correction M)."""
    return segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#10263f")


def certificate_html(certificate: Certificate) -> str:
    url = services.verification_link(certificate)
    return render_to_string(
        "certificates/certificate_pdf.html",
        {
            "certificate": certificate,
            "url": url,
            "verify_url": services.verification_url(certificate.number),
            "qr": mark_safe(qr_svg(url)),  # noqa: S308  # segno's own SVG of our own address  # nosec B308, B703
            "issuer": settings.ICIHUB_ISSUER_NAME,
            "issuer_ar": settings.ICIHUB_ISSUER_NAME_AR,
        },
    )


def render(certificate: Certificate) -> bytes:
    """The PDF of one certificate, made in this process (the download of a single certificate)."""
    return rendering.html_to_pdf(certificate_html(certificate))
