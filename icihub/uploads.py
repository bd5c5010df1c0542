"""The file a bulk page receives: a CSV (nominations, attendance) of at most 1 MB, or a spreadsheet
(CSV or XLSX: the cooperation menu) of at most 5 MB; otherwise a message saying what is wrong."""

from django.utils.translation import gettext as _

MAX_CSV_BYTES = 1024 * 1024
MAX_SPREADSHEET_BYTES = 5 * 1024 * 1024


class UploadError(ValueError):
    """No file, or one too large: the message says which."""


def uploaded_csv(request) -> bytes:
    file = request.FILES.get("file")
    if file is None:
        raise UploadError(_("Choose a CSV file."))
    if file.size > MAX_CSV_BYTES:
        raise UploadError(_("The file is larger than 1 MB."))
    return file.read()


def uploaded_spreadsheet(request) -> tuple[str, bytes]:
    """(file name, content): the name tells a CSV from an XLSX file."""
    file = request.FILES.get("file")
    if file is None:
        raise UploadError(_("Choose a CSV or XLSX file."))
    if file.size > MAX_SPREADSHEET_BYTES:
        raise UploadError(_("The file is larger than 5 MB."))
    return file.name, file.read()
