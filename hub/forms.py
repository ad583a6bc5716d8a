from django import forms


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
