"""Where uploads are stored, under names made by one rule (hub.uploads.safe_name).

Django builds every stored name through the file field's storage: `FileField.generate_filename` asks
the field's storage (the default storage, `STORAGES["default"]`, for every field in the project,
django-filer's included) for `get_valid_name` of the last path part. So one override here names the
files of Wagtail documents, images and renditions, Wagtail avatars, and django-filer's public and
private files (session recordings are filer files). django-filer first passes the name through its
`UPLOAD_TO` function; `filer_upload_to` (settings FILER_STORAGES) keeps filer's random folders but
uses the same rule instead of filer's slug, which dropped the extension of ``talk.mp4.`` and left
``中文.pdf`` as the hidden file ``.pdf``.
"""

from __future__ import annotations

import os
import uuid

from django.core.files.storage import FileSystemStorage
from filer.storage import PrivateFileSystemStorage

from hub.uploads import safe_name


class SafeNameStorage(FileSystemStorage):
    """MEDIA_ROOT, with stored names made by `safe_name`."""

    def get_valid_name(self, name: str) -> str:
        return safe_name(name)


class PrivateSafeNameStorage(PrivateFileSystemStorage):
    """django-filer's private store (outside MEDIA_ROOT), with the same names."""

    def get_valid_name(self, name: str) -> str:
        return safe_name(name)


def filer_upload_to(instance, filename: str) -> str:
    """django-filer's `randomized` layout (``ab/cd/<uuid>/<name>``) with the Hub's safe name."""
    folder = str(uuid.uuid4())
    return os.path.join(folder[0:2], folder[2:4], folder, safe_name(filename))
