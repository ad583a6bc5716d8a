from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


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


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids no integer column can hold.

    Django checks the range of `pk=` lookups but not of `pk__in=`: a 20-digit id in a multiple choice
    was an OverflowError on SQLite (a 500) instead of "not one of the available choices"."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            if isinstance(pk, str) and pk.strip().lstrip("-").isdigit() and abs(int(pk)) > 2**63 - 1:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": pk[:30]})
        return super()._check_values(value)
