"""Recording uploads: only audio or video, recognised by their first bytes, stored under a name whose
extension agrees with them, and not too large.

The file name and the browser's content type are not trusted: a renamed PDF called ``talk.mp4`` is
refused, and so is an MP4 called ``talk.html`` or ``talk.svg`` (it would be stored public and served
by nginx as a web page or a drawing). The content and name rule is the Hub's one (hub.uploads); the
limit is the setting ``SESSIONS_RECORDING_MAX_BYTES`` (default 2 GB).
"""

import posixpath

from django.conf import settings

from hub.uploads import MEDIA, UploadRejected, original_name, sniff, upload_check
from sessions.errors import RecordingRejected

DEFAULT_MAX_BYTES = 2 * 1024**3
HEAD_BYTES = 64


def max_bytes() -> int:
    return int(getattr(settings, "SESSIONS_RECORDING_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff_media_type(head: bytes) -> str | None:
    """The audio/video type the bytes start with, or None (the Hub-wide sniffer: hub.uploads)."""
    fmt = sniff(head)
    return fmt.mime_type if fmt is not None and fmt.kind == MEDIA else None


def recording_check(*, name: str, size: int, head: bytes) -> str:
    """The sniffed media type, or RecordingRejected with a reason a trainer can act on."""
    limit = max_bytes()
    if size > limit:
        raise RecordingRejected(
            f"{original_name(name)} is {_human(size)}; recordings may be at most {_human(limit)}. "
            "Shorten or compress it, or link to it by its address instead."
        )
    try:
        return upload_check(name=name, size=size, head=head, kinds=(MEDIA,)).mime_type
    except UploadRejected as rejected:
        raise RecordingRejected(rejected.message) from None


def recording_upload_check(uploaded) -> str:
    """Check a Django UploadedFile; returns the sniffed type."""
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    return recording_check(name=uploaded.name, size=uploaded.size, head=head)


def recording_filer_file_check(filer_file) -> str:
    """Check a django-filer File already stored (the page editor's picker bypasses our upload form).

    The stored name is judged, not the name shown: it is what nginx serves the file as."""
    name = posixpath.basename(filer_file.file.name or "") or filer_file.original_filename or filer_file.label
    size = filer_file.size or 0
    try:
        with filer_file.file.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except (OSError, ValueError):
        raise RecordingRejected(f"{name} could not be read.") from None
    return recording_check(name=name, size=size, head=head)


def _human(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
