from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One field, `otp_token`: a code from the authenticator app (or, where allowed, a backup code)."""

    otp_token = forms.CharField(label=_("Code from your authenticator app"), max_length=32, strip=True)

    def __init__(self, *args, backup_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["otp_token"]
        attrs = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false",
                 "autofocus": True}
        if backup_allowed:
            field.help_text = _("The 6 digits your app shows now. Lost your phone? Enter one of your backup "
                                "codes instead.")
        else:
            attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})
            field.help_text = _("The 6 digits your app shows now.")
        if field.help_text:
            attrs["aria-describedby"] = "id_otp_token_help"
        field.widget.attrs.update(attrs)
