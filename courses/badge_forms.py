"""The public form that takes a digital badge, pasted or uploaded (courses.badge_views.credential_check)."""

import json

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.badge_selectors import MAX_CREDENTIAL_BYTES, looks_like_credential


class CredentialForm(forms.Form):
    credential = forms.CharField(
        label=gettext_lazy("Paste a digital badge"), required=False, strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=gettext_lazy("The text of a .jwt file the Hub issued (Open Badges 3.0), at most 64 KB."))
    upload = forms.FileField(label=gettext_lazy("Or upload the file"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": ".jwt,.txt,.json,application/vc+jwt"}))

    def clean_credential(self):
        text = self.cleaned_data["credential"]
        if len(text.encode()) > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(_("That is larger than any badge (at most 64 KB)."))
        return text

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return ""
        if upload.size > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(_("That file is larger than any badge (at most 64 KB)."))
        try:
            text = upload.read(MAX_CREDENTIAL_BYTES + 1).decode("utf-8").strip()
        except UnicodeDecodeError:
            raise forms.ValidationError(_("That file is not text: choose the .jwt file of your badge.")) from None
        return _unwrapped(text)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, uploaded = cleaned.get("credential") or "", cleaned.get("upload") or ""
        if text and uploaded:
            raise forms.ValidationError(_("Paste a badge or upload one, not both."))
        token = text or uploaded
        if not token:
            raise forms.ValidationError(_("Paste a badge or choose its file."))
        token = _unwrapped(token)
        if not looks_like_credential(token):
            raise forms.ValidationError(_("This is not a digital badge: a badge is one line of letters, digits, "
                                          "dashes and underscores in three parts separated by dots."))
        cleaned["token"] = token
        return cleaned


def _unwrapped(text: str) -> str:
    """A badge saved as JSON ({"credential": "<jwt>"}) or with spaces and line breaks, as one token."""
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            return text
        if isinstance(document, dict) and isinstance(document.get("credential"), str):
            return document["credential"].strip()
        return text
    return "".join(text.split())
