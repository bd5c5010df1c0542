"""The CSV file a bulk page receives (nominations, attendance): present and at most 1 MB, or a message."""

from django.utils.translation import gettext as _

MAX_CSV_BYTES = 1024 * 1024


class UploadError(ValueError):
    """No file, or one too large: the message says which."""


def uploaded_csv(request) -> bytes:
    file = request.FILES.get("file")
    if file is None:
        raise UploadError(_("Choose a CSV file."))
    if file.size > MAX_CSV_BYTES:
        raise UploadError(_("The file is larger than 1 MB."))
    return file.read()
