"""Wagtail's document form (setting WAGTAILDOCS_DOCUMENT_FORM_BASE): a document must be a real PDF,
checked by its first bytes (hub.uploads), not only by the extension Wagtail checks."""

from django import forms
from wagtail.documents.forms import BaseDocumentForm

from hub.uploads import DOCUMENT, UploadRejected, file_size, read_head, upload_check


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            try:
                upload_check(name=uploaded.name, size=file_size(uploaded), head=read_head(uploaded),
                             kinds=(DOCUMENT,))
            except UploadRejected as rejected:
                raise forms.ValidationError(rejected.message, code="upload_rejected") from None
        return uploaded
