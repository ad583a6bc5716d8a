"""`/media/` when Django serves it (`make run`: DEBUG or SERVE_MEDIA): what nginx serves in production
(deploy/nginx.conf), and the way nginx serves it.

- Only the public folders: django-filer's public files and thumbnails, Wagtail images and their
  originals. Anything else under MEDIA_ROOT is a 404, as behind nginx: Wagtail documents are served by
  Django at /documents/... so that collection privacy applies (Django's own `static.serve` sent every
  file under MEDIA_ROOT to anyone who guessed its name).
- Each folder only as the types the Hub accepts there (hub.uploads.FORMATS); any other file goes as
  application/octet-stream, which a browser downloads and never renders (with nosniff).
- Range requests (`Range: bytes=...`): a recording's player seeks, and Safari on a phone plays video
  only from a server that answers them (206 Partial Content; 416 for a range past the end). One range
  per request; a request for several gets the whole file, as the standard allows.
"""

import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from hub import uploads

_IMAGES = {ext for fmt in uploads.FORMATS if fmt.kind == uploads.IMAGE for ext in fmt.extensions}
# The folders nginx has a location for, and the extensions each serves as their type.
PUBLIC_FOLDERS = {
    "filer_public": set(uploads.ALLOWED_EXTENSIONS),
    "filer_public_thumbnails": _IMAGES | {"avif"},  # thumbnails the Hub makes may be AVIF
    "images": _IMAGES | {"avif"},  # Wagtail renditions, likewise
    "original_images": _IMAGES,
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 1 << 16


def content_type_for(extension: str) -> str:
    """The type nginx's `types` block gives an extension: the format that names it first, else any."""
    named_first = [fmt for fmt in uploads.FORMATS if fmt.extensions[0] == extension]
    if named_first:
        return named_first[0].mime_type
    if extension == "avif":
        return "image/avif"
    return next(fmt.mime_type for fmt in uploads.FORMATS if extension in fmt.extensions)


def _file_for(path: str) -> tuple[Path, str]:
    folder = path.split("/", 1)[0]
    if folder not in PUBLIC_FOLDERS or path.endswith("/"):
        raise Http404("not public media")
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path)).resolve()
    except ValueError:  # a path leaving MEDIA_ROOT (../)
        raise Http404("not public media") from None
    if not full.is_relative_to((Path(settings.MEDIA_ROOT) / folder).resolve()):  # filer_public/../documents
        raise Http404("not public media")
    if not full.is_file():
        raise Http404("no such file")
    extension = full.suffix.lower().lstrip(".")
    if extension in PUBLIC_FOLDERS[folder]:
        return full, content_type_for(extension)
    return full, "application/octet-stream"


def _byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) for one satisfiable range; None when the header is absent or not one byte range (the
    whole file); False when it asks only for bytes past the end (416)."""
    found = _RANGE.match(header.strip()) if header else None
    if not found or found.groups() == ("", ""):
        return None
    first, last = found.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    first = int(first)
    last = min(int(last), size - 1) if last else size - 1
    if first >= size:
        return False
    if last < first:
        return None  # not a valid range: ignored, as the standard says
    return first, last


class _Slice:
    """The bytes first..last of an open file, read in chunks (FileResponse streams it)."""

    def __init__(self, handle, first: int, last: int):
        self.handle, self.left = handle, last - first + 1
        handle.seek(first)

    def __iter__(self):
        try:
            while self.left > 0:
                chunk = self.handle.read(min(_CHUNK, self.left))
                if not chunk:
                    return
                self.left -= len(chunk)
                yield chunk
        finally:
            self.handle.close()


@require_safe
def media_serve(request, path: str):
    if not settings.SERVE_MEDIA:
        raise Http404("media is served by the proxy")
    full, content_type = _file_for(path)
    stat = full.stat()
    wanted = _byte_range(request.headers.get("Range", ""), stat.st_size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{stat.st_size}"
    elif wanted is None:
        response = FileResponse(full.open("rb"), content_type=content_type)
    else:
        first, last = wanted
        body = _Slice(full.open("rb"), first, last) if request.method == "GET" else iter(())
        response = FileResponse(body, content_type=content_type, status=206)
        response["Content-Range"] = f"bytes {first}-{last}/{stat.st_size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["X-Content-Type-Options"] = "nosniff"
    return response

