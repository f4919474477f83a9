"""What a ticket attachment may be: the limits and the allow-list of file types.

The type is decided by the file name's extension against the allow-list, never by the
browser's claim; the stored content type is the one we map the extension to, and files go
out as downloads (Content-Disposition: attachment, nosniff), so nothing uploaded is ever
rendered by a browser on our hosts."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import ATTACHMENT_TOO_BIG, ATTACHMENT_TYPE, ATTACHMENTS_TOO_MANY, TicketValidationError

MAX_SIZE = 10 * 1024 * 1024
MAX_PER_MESSAGE = 5
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "txt": "text/plain",
    "csv": "text/csv",
    "log": "text/plain",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "zip": "application/zip",
}
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_TYPES)


def _clean_name(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ord(ch) >= 32 and ch not in '"<>|:*?')
    return name.strip()[-200:] or "file"


def attachments_clean(files) -> list[tuple]:
    """(uploaded file, clean name, size, content type) for each of `files`, or a
    TicketValidationError naming every problem. Nothing is stored here."""
    files = [f for f in (files or []) if f is not None]
    problems = []
    if len(files) > MAX_PER_MESSAGE:
        problems.append(ATTACHMENTS_TOO_MANY % {"n": MAX_PER_MESSAGE})
    cleaned = []
    for upload in files:
        name = _clean_name(getattr(upload, "name", ""))
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        size = int(getattr(upload, "size", 0) or 0)
        if extension not in ALLOWED_TYPES:
            problems.append(ATTACHMENT_TYPE % {"name": name})
        elif size > MAX_SIZE:
            problems.append(ATTACHMENT_TOO_BIG % {"name": name, "limit": filesizeformat(MAX_SIZE)})
        elif size == 0:
            problems.append(_("“%(name)s” is empty.") % {"name": name})
        else:
            cleaned.append((upload, name, size, ALLOWED_TYPES[extension]))
    if problems:
        raise TicketValidationError({"attachments": problems})
    return cleaned
