"""Form pieces every app shares: ids that fit a column, and the honeypot of public forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT = "website"


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


class HoneypotMixin(forms.Form):
    """A field hidden from people and assistive technology (templates draw it with
    `{% include "includes/honeypot.html" %}`): software that fills every field fills it too. A public
    form (a family's roundtable sign-up, a learner's LEAP 101 sign-up) then pretends success and keeps
    nothing, so the robot learns nothing to adapt to."""

    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    @property
    def is_spam(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())
