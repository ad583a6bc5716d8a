"""The uploads allow-list (hub.uploads) wired into django-filer.

django-filer 3.6 derives an upload's MIME type from its name and calls the validators registered for
that type (`FILER_ADD_FILE_VALIDATORS`) from both the admin ajax upload and the file change form,
before anything is saved. The settings register `filer_validator` for every MIME type a name can be
guessed as, and list the same types in `FILER_MIME_TYPE_WHITELIST`, so a type added later (one this
check never sees) is refused by filer itself: the check fails closed.

Wagtail documents: `hub.document_forms.DocumentForm`.
"""

from filer.validation import FileValidationError

from hub.uploads import UploadRejected, file_size, read_head, upload_check


def filer_validator(file_name, file, owner, mime_type) -> None:
    """A django-filer upload validator (the signature filer.validation.validate_upload calls)."""
    try:
        upload_check(name=file_name, size=file_size(file), head=read_head(file))
    except UploadRejected as rejected:
        raise FileValidationError(rejected.message) from None
