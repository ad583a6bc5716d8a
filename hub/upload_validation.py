"""The uploads allow-list (hub.uploads) wired into every file field, django-filer and the names people read.

Three hooks, each covering every path through it:

- Every model file field gets `FileContentValidator` (`validators_install`, from HubConfig.ready). Model
  forms run a field's validators before anything is stored, so Wagtail documents and images are checked
  the same way in Wagtail's admin (add, edit, multiple upload, chooser upload) and in the Django admin
  (/django-admin/wagtaildocs/document/add/), and so are Wagtail avatars and django-filer's forms.
  `FIELD_KINDS` says which kinds each field takes; `NOT_UPLOADS` names the fields that never hold an
  upload, and tests/hub/test_uploads.py fails when a file field is in neither.
- django-filer 3.6 derives an upload's MIME type from its name and calls the validators registered for
  that type (`FILER_ADD_FILE_VALIDATORS`) from both the admin ajax upload and the file change form,
  before anything is saved. The settings register `filer_validator` for every MIME type a name can be
  guessed as, and list the same types in `FILER_MIME_TYPE_WHITELIST`, so a type added later (one this
  check never sees) is refused by filer itself: the check fails closed.
- The names people read (filer's original file name and name, Wagtail titles) are cleaned of control
  characters (`hub.uploads.clean_text`) just before they are saved, whichever form or service saved
  them: these are third-party models, saved by third-party views, so a pre-save hook is the one place.

The validator is attached to the field's computed `validators` list, not to the `validators` argument
the field was made with: that argument is part of the field's migration state, and changing it would
ask for migrations in Wagtail's and filer's apps.
"""

from __future__ import annotations

from django.db.models.signals import pre_save
from filer.validation import FileValidationError

from hub.uploads import (
    DOCUMENT,
    IMAGE,
    KINDS,
    FileContentValidator,
    UploadRejected,
    clean_text,
    file_size,
    original_name,
    read_head,
    upload_check,
)

# Every file field that holds an upload, and what it may hold ("app_label.Model.field": kinds).
FIELD_KINDS: dict[str, tuple[str, ...]] = {
    "filer.File.file": KINDS,  # filer's File and Image (recordings, handouts, pictures)
    "wagtaildocs.Document.file": (DOCUMENT,),
    "wagtailimages.Image.file": (IMAGE,),
    "wagtailusers.UserProfile.avatar": (IMAGE,),
}
# File fields that never take an upload directly, and why.
NOT_UPLOADS: dict[str, str] = {
    "wagtailimages.Rendition.file": "made by Wagtail from an image that was checked when it was uploaded",
    "wagtailcore.UploadedFile.file": "Wagtail's holding place during a multiple upload, filled only after "
                                     "the upload form (and so the image or document field's check) passed",
    "jobs.Job.input_file": "a CSV import, stored by hub.jobs.services.job_start only after its kind's check "
                           "(hub.csv_import.csv_preflight: UTF-8 text with the expected columns) passed in the "
                           "request; never served back, read only by the importer, which checks each row",
    "jobs.Job.result_file": "written by the Hub (an export's CSV through hub.exports), never uploaded",
}


def filer_validator(file_name, file, owner, mime_type) -> None:
    """A django-filer upload validator (the signature filer.validation.validate_upload calls)."""
    try:
        upload_check(name=file_name, size=file_size(file), head=read_head(file))
    except UploadRejected as rejected:
        raise FileValidationError(rejected.message) from None


def _field(label: str):
    from django.apps import apps

    model_label, field_name = label.rsplit(".", 1)
    return apps.get_model(model_label)._meta.get_field(field_name)


def validators_install() -> None:
    """Attach the content check to every upload field (idempotent)."""
    for label, kinds in FIELD_KINDS.items():
        field = _field(label)
        validator = FileContentValidator(kinds)
        if validator not in field.validators:
            field.__dict__["validators"] = [*field.validators, validator]


# -- names people read -----------------------------------------------------------------------------

def _filer_names_clean(sender, instance, **kwargs) -> None:
    if instance.original_filename:
        instance.original_filename = original_name(instance.original_filename)
    if instance.name:
        instance.name = clean_text(instance.name, max_length=255)


def _title_clean(sender, instance, **kwargs) -> None:
    if instance.title:
        instance.title = clean_text(instance.title, max_length=255) or "Untitled"


def names_clean_install() -> None:
    from django.apps import apps
    from filer.models import File
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    for model in apps.get_models():
        if issubclass(model, File):  # filer's File, Image and any other file model: each saves itself
            pre_save.connect(_filer_names_clean, sender=model, dispatch_uid=f"hub-names-{model._meta.label}")
    for model in (get_document_model(), get_image_model()):
        pre_save.connect(_title_clean, sender=model, dispatch_uid=f"hub-names-{model._meta.label}")


def install() -> None:
    validators_install()
    names_clean_install()
