"""The sign-in forms: the password step (`SignInForm`) and the second step (`CodeForm`)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Django's sign-in form with phone-friendly attributes on its fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        # Django sets max_length on this field after it is made, so nothing checks it: an over-long user
        # name reached authenticate() and django-axes' varchar(255) (a 500 on PostgreSQL).
        self.fields["username"].validators.append(MaxLengthValidator(self.fields["username"].max_length or 150))


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
            attrs["aria-describedby"] = "id_otp_token_helptext"
        field.widget.attrs.update(attrs)
