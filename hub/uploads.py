"""What the Hub accepts as an upload: recognised by the file's first bytes, never by its name alone.

Every upload path asks this module (`upload_check`): session recordings (sessions.media), django-filer's
admin upload and change form, Wagtail documents and images through Wagtail's admin and the Django admin,
Wagtail avatars (the model-field validator `FileContentValidator`, attached to every file field by
hub.upload_validation; tests/hub/test_uploads.py proves no file field is left out). A file is accepted
only when

1. its first bytes are one of the formats below (video, audio, PDF, PNG, JPEG, GIF, WebP), and
2. the extension of the name it will be stored under (`safe_name`) is one that format is known by (a
   PNG called ``talk.mp4`` is refused: it would be stored and served as a video; so is an MP4 called
   ``talk.html``: nginx would serve it as a web page), and
3. it is within the size limit of its kind (settings ``UPLOAD_MAX_BYTES_MEDIA``,
   ``UPLOAD_MAX_BYTES_DOCUMENT``, ``UPLOAD_MAX_BYTES_IMAGE``).

Stored names are made by one function, `safe_name`, through the project's storage (hub.storage), which
every file field and django-filer use; names shown to people (filer's original file name, titles) are
cleaned of control characters by `clean_text`.

Everything else is refused with a reason a trainer can act on. Refused on purpose: SVG, HTML, XML
and scripts (a browser runs the script inside them on our own origin), executables, and ZIP-based
office files (.docx, .xlsx, .pptx, .odt: macros and embedded objects cannot be checked by their first
bytes; export to PDF instead).
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

HEAD_BYTES = 64

MEDIA = "media"
DOCUMENT = "document"
IMAGE = "image"
KINDS = (MEDIA, DOCUMENT, IMAGE)

DEFAULT_MAX_BYTES = {MEDIA: 2 * 1024**3, DOCUMENT: 25 * 1024**2, IMAGE: 10 * 1024**2}
SETTING_NAMES = {
    MEDIA: "UPLOAD_MAX_BYTES_MEDIA",
    DOCUMENT: "UPLOAD_MAX_BYTES_DOCUMENT",
    IMAGE: "UPLOAD_MAX_BYTES_IMAGE",
}


class UploadRejected(Exception):
    """A file the Hub does not store; ``str(error)`` says why and what to do instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Format:
    mime_type: str
    kind: str
    label: str
    extensions: tuple[str, ...]


# The formats the Hub stores, by their first bytes (see `sniff`). Besides the formats browsers play,
# AVI, MPEG, WMV/ASF and AAC stay accepted because session recordings accepted them before.
MP4_VIDEO = Format("video/mp4", MEDIA, "MP4/MOV video", ("mp4", "m4v", "mov"))
QUICKTIME = Format("video/quicktime", MEDIA, "QuickTime (MOV) video", ("mov", "mp4", "m4v"))
MP4_AUDIO = Format("audio/mp4", MEDIA, "M4A audio", ("m4a", "m4b", "mp4"))
WEBM = Format("video/webm", MEDIA, "WebM video", ("webm", "mkv"))
MATROSKA = Format("video/x-matroska", MEDIA, "MKV video", ("mkv", "webm"))
OGG = Format("audio/ogg", MEDIA, "Ogg audio", ("ogg", "oga", "opus"))
FLAC = Format("audio/flac", MEDIA, "FLAC audio", ("flac",))
MP3 = Format("audio/mpeg", MEDIA, "MP3 audio", ("mp3",))
AAC = Format("audio/aac", MEDIA, "AAC audio", ("aac",))
WAV = Format("audio/wav", MEDIA, "WAV audio", ("wav",))
AVI = Format("video/x-msvideo", MEDIA, "AVI video", ("avi",))
MPEG = Format("video/mpeg", MEDIA, "MPEG video", ("mpg", "mpeg"))
ASF = Format("video/x-ms-asf", MEDIA, "Windows Media video", ("wmv", "asf", "wma"))
PDF = Format("application/pdf", DOCUMENT, "PDF document", ("pdf",))
PNG = Format("image/png", IMAGE, "PNG image", ("png",))
JPEG = Format("image/jpeg", IMAGE, "JPEG image", ("jpg", "jpeg"))
GIF = Format("image/gif", IMAGE, "GIF image", ("gif",))
WEBP = Format("image/webp", IMAGE, "WebP image", ("webp",))

FORMATS = (MP4_VIDEO, QUICKTIME, MP4_AUDIO, WEBM, MATROSKA, OGG, FLAC, MP3, AAC, WAV, AVI, MPEG, ASF,
           PDF, PNG, JPEG, GIF, WEBP)
ALLOWED_EXTENSIONS = tuple(sorted({ext for fmt in FORMATS for ext in fmt.extensions}))

# ISO base media ("ftyp") brands that are still images, not video: HEIC/HEIF and AVIF.
_IMAGE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}


def sniff(head: bytes) -> Format | None:
    """The allowed format the bytes start with, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _IMAGE_BRANDS:
            return None
        if brand in _AUDIO_BRANDS:
            return MP4_AUDIO
        return QUICKTIME if brand == b"qt  " else MP4_VIDEO
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: Matroska or WebM, told apart by the DocType
        return MATROSKA if b"matroska" in head and b"webm" not in head else WEBM
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WEBP": WEBP, b"WAVE": WAV, b"AVI ": AVI}.get(head[8:12])
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"ID3"):
        return MP3
    if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):
        return MPEG
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return ASF
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        # MPEG audio frame sync (MP3) or ADTS (AAC): 11 set bits; layer bits never both zero in MP3.
        return AAC if head[1] & 0x06 == 0 else MP3
    return None


def _what_it_is(head: bytes) -> str | None:
    """A name for common refused contents, so the message can say what was found."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text or (text.startswith(b"<?xml") and b"svg" in text):
        return _("an SVG drawing")
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")):
        return _("a web page (HTML)")
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return _("an XML or HTML file")
    if head.startswith(b"PK\x03\x04"):
        return _("a ZIP archive (Word, Excel, PowerPoint and OpenDocument files are ZIP archives)")
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")):
        return _("a program")
    if head.startswith(b"#!"):
        return _("a script")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _("an old-style Office document")
    if head.startswith(b"{\\rtf"):
        return _("an RTF document")
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _("a HEIC or AVIF photo")
    return None


def max_bytes(kind: str) -> int:
    return int(getattr(settings, SETTING_NAMES[kind], DEFAULT_MAX_BYTES[kind]))


def extension_of(name: str) -> str:
    base = (name or "").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""


# -- names -------------------------------------------------------------------------------------------

MAX_NAME_LENGTH = 100
MAX_EXTENSION_LENGTH = 16
FALLBACK_STEM = "upload"
# Windows refuses these as file names, with any extension and in any case (``con.pdf``, ``Com1.txt``);
# a backup restored onto Windows, or a download saved there, would fail or reach a device instead.
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"{device}{n}" for device in ("COM", "LPT") for n in (*"0123456789", "\u00b9", "\u00b2", "\u00b3")}
)
# Kept in names people read (not in stored names): they join letters in Persian and Indic scripts and
# in emoji, and cannot reorder text the way the bidi overrides (U+202A-U+202E, U+2066-U+2069) can.
_JOINERS = {"\u200c", "\u200d"}
_LINE_BREAKS = {"Zl", "Zp"}
_SPACING_CONTROLS = set("\t\n\r\v\f\x85")
_NOT_IN_NAMES = re.compile(r"[^-\w.]")


def _is_control(char: str) -> bool:
    """Control, format (bidi overrides, zero-width), surrogate, private-use or unassigned characters."""
    return unicodedata.category(char)[0] == "C" or unicodedata.category(char) in _LINE_BREAKS


def safe_name(original: str, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """The name a file is stored under: the one rule for every upload path (hub.storage calls it).

    NFC-normalised; the last path part only (no ``../``, ``\\``, absolute paths or drive letters); no
    control or format characters (so no bidi override turns ``a\u202efdp.exe`` into what reads as
    ``aexe.pdf``); spaces become underscores and characters outside letters, digits, ``-_.`` are
    dropped (as Django's own ``get_valid_filename``); no leading dots, dashes or underscores, no
    trailing dots or spaces; a Windows device name (``CON``, ``nul.txt``, ``COM1``) gets an underscore
    (``CON_.pdf``); at most `max_length` characters, the extension kept (lower case); never empty
    (``upload``, or ``upload.<ext>`` for a name that is only an extension, like ``.pdf``). Applying
    it twice changes nothing more.

    It does not decide the extension from the contents: `upload_check` refuses any file whose content
    disagrees with the extension this function keeps, so what is stored ends in what the file is.
    """
    text = unicodedata.normalize("NFC", str(original or ""))
    text = re.split(r"[/\\]", text)[-1]
    text = re.sub(r"^[A-Za-z]:", "", text)  # C:report.pdf (a drive-relative Windows path)
    text = unicodedata.normalize("NFC", "".join(char for char in text if not _is_control(char)))
    text = text.strip().rstrip(". ")  # Windows drops trailing dots and spaces
    text = re.sub(r"\.{2,}", ".", _NOT_IN_NAMES.sub("", text.replace(" ", "_"))).rstrip("._")
    stem, dot, extension = text.rpartition(".")
    extension = extension.strip("_-").lower()
    if not dot or len(extension) > MAX_EXTENSION_LENGTH or not extension:  # none, or a sentence after a dot
        stem, extension = text, ""
    stem = stem.lstrip("._-")  # a leading dot hides a file; a leading dash reads as a command option
    room = max_length - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip("._") or FALLBACK_STEM
    device, sep, rest = stem.partition(".")
    if device.upper() in RESERVED_NAMES:
        stem = f"{device}_{sep}{rest}"[:room]
    return f"{stem}.{extension}" if extension else stem


def clean_text(value: str, *, max_length: int | None = None) -> str:
    """A name people read (a title, filer's original file name), without what can disguise it: NFC,
    no control or format characters except the two joiners, line breaks and tabs as spaces."""
    kept = []
    for char in unicodedata.normalize("NFC", str(value or "")):
        if char in _SPACING_CONTROLS or unicodedata.category(char) in _LINE_BREAKS:
            kept.append(" ")
        elif char in _JOINERS or not _is_control(char):
            kept.append(char)
    text = re.sub(r" {2,}", " ", unicodedata.normalize("NFC", "".join(kept))).strip()
    return text[:max_length].rstrip() if max_length else text


def original_name(value: str, *, max_length: int = 255) -> str:
    """The file name as the person called it, for display: the last path part, cleaned (`clean_text`)."""
    return clean_text(re.split(r"[/\\]", str(value or ""))[-1], max_length=max_length) or FALLBACK_STEM


def _kind_text(kind: str) -> str:
    return {MEDIA: _("audio or video (MP4, MOV, WebM, MKV, MP3, M4A, WAV, OGG or FLAC)"),
            DOCUMENT: _("PDF documents"), IMAGE: _("PNG, JPEG, GIF or WebP images")}[kind]


def accepted_formats_text() -> str:
    return _("MP4, MOV, WebM or MKV video; MP3, M4A, WAV, OGG or FLAC audio; PDF; PNG, JPEG, GIF or WebP images")


def upload_check(*, name: str, size: int, head: bytes, kinds: tuple[str, ...] = KINDS) -> Format:
    """The format of an upload, or UploadRejected saying why it is refused and what to do instead.

    The extension judged is the one the file will be stored under (`safe_name`): what nginx serves it
    as. Messages name the file by its cleaned name, so no control character reaches the page."""
    stored_as = safe_name(name)
    name = original_name(name)
    if size == 0 or not head:
        raise UploadRejected(_("%(name)s is empty.") % {"name": name})
    largest = max(max_bytes(kind) for kind in kinds)
    if size > largest:
        raise UploadRejected(
            _("%(name)s is %(size)s; uploads may be at most %(limit)s. Shorten or compress it, or link "
              "to it by its address instead.") % {"name": name, "size": filesizeformat(size),
                                                  "limit": filesizeformat(largest)})
    fmt = sniff(head[:HEAD_BYTES])
    if fmt is None or fmt.kind not in kinds:
        found = _what_it_is(head) if fmt is None else fmt.label
        accepted = accepted_formats_text() if kinds == KINDS else _(" or ").join(
            _kind_text(kind) for kind in KINDS if kind in kinds)
        if kinds == (MEDIA,):
            message = _("%(name)s is not an audio or video file (checked by its contents, not its name). "
                        "Upload an MP4, MOV, WebM, MKV, MP3, M4A, WAV, OGG or FLAC recording.")
        elif fmt is not None:  # a format the Hub takes, but not here (a video as a document)
            message = _("%(name)s contains a %(found)s; only %(accepted)s can be uploaded here (checked by "
                        "its contents, not its name).")
        elif found:
            message = _("%(name)s is %(found)s, which the Hub does not accept (checked by its contents, "
                        "not its name). Upload one of: %(accepted)s. For a Word or similar document, "
                        "save it as PDF first.")
        else:
            message = _("%(name)s is not a file type the Hub accepts (checked by its contents, not its "
                        "name). Upload one of: %(accepted)s.")
        raise UploadRejected(message % {"name": name, "found": found, "accepted": accepted})
    extension = extension_of(stored_as)
    if extension not in fmt.extensions:
        raise UploadRejected(
            _("%(name)s contains a %(label)s, but its name ends in “%(ext)s”. Rename it to end in "
              ".%(expected)s (or upload the right file), so it is stored and shown as what it is.")
            % {"name": name, "label": fmt.label, "ext": f".{extension}" if extension else _("no extension"),
               "expected": fmt.extensions[0]})
    limit = max_bytes(fmt.kind)
    if size > limit:
        raise UploadRejected(
            _("%(name)s is %(size)s; a %(label)s may be at most %(limit)s. Compress it or make it "
              "smaller, then upload it again.") % {"name": name, "size": filesizeformat(size),
                                                  "label": fmt.label, "limit": filesizeformat(limit)})
    return fmt


def read_head(handle) -> bytes:
    """The first bytes of an open file (an UploadedFile or a plain file object), rewound after."""
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    return head or b""


def file_size(handle) -> int:
    size = getattr(handle, "size", None)
    if size is None:
        position = handle.tell()
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(position)
    return int(size)


def uploaded_file_check(uploaded, *, kinds: tuple[str, ...] = KINDS, name: str | None = None) -> Format:
    """Check a Django UploadedFile (or any seekable file object with a name)."""
    return upload_check(name=name or uploaded.name, size=file_size(uploaded), head=read_head(uploaded),
                        kinds=kinds)


@deconstructible
class FileContentValidator:
    """A file-field validator: a newly uploaded file must pass `upload_check` for these kinds.

    On a model field, model forms run it (Django's admin, Wagtail's admin, django-filer's forms) before
    anything is stored; on a form field (an UploadedFile), before the model even sees the file. A file
    already stored (a committed FieldFile) was checked when it was uploaded and is not re-read."""

    def __init__(self, kinds: tuple[str, ...] = KINDS):
        self.kinds = tuple(kinds)

    def __call__(self, value) -> None:
        if not value:
            return
        if hasattr(value, "_committed"):  # a model's FieldFile: new (uncommitted) or already stored
            if value._committed:
                return
            uploaded = value.file
        else:
            uploaded = value
        try:
            uploaded_file_check(uploaded, kinds=self.kinds, name=value.name)
        except UploadRejected as rejected:
            raise ValidationError(rejected.message, code="upload_rejected") from None

    def __eq__(self, other) -> bool:
        return isinstance(other, FileContentValidator) and other.kinds == self.kinds

    def __hash__(self) -> int:
        return hash(self.kinds)


def known_mime_types() -> list[str]:
    """Every MIME type a file name can be guessed as (django-filer derives the type from the name):
    the uploads check gets to see, and refuse with its own reason, every one of them."""
    mimetypes.guess_type("x.txt")  # loads the system's table (/etc/mime.types) without resetting it
    types = set(mimetypes.types_map.values()) | set(mimetypes.common_types.values())
    types |= {"application/octet-stream", "image/webp", "image/avif", "image/heic", "image/heif"}
    return sorted(types)
