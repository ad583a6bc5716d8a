"""The need index page's parameters (weights, school year, scope) and the district data file's upload form.

The weights are read like every page parameter (`hub.queries`): a value the form cannot take is named with
its reason. The page shows the form again with those reasons (400) rather than a bare error page, so the
person corrects the weight where they typed it.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordinators.queries import QueryScope
from coordinators.selectors.need import INPUTS, WEIGHT_MAX, current_school_year, school_year_label
from hub.queries import QueryForm, QueryInt, QueryText

_WEIGHT = re.compile(r"[0-9]{1,3}(\.[0-9]{0,2})?|\.[0-9]{1,2}", re.ASCII)


class QueryWeight(QueryText):
    """A weight: a plain number from 0 to 100 with at most two decimals (12, 12.5, 0); empty is None."""

    def __init__(self, **kwargs):
        super().__init__(max_length=10, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        if not _WEIGHT.fullmatch(text):
            raise ValidationError(_("Write a number from 0 to 100, such as 20 or 12.5."), code="invalid")
        weight = Decimal(text)
        if weight > WEIGHT_MAX:
            raise ValidationError(_("A weight is at most 100 (it is a share of the total of the weights)."),
                                  code="max_value")
        return weight


def weight_param(key: str) -> str:
    return f"w_{key}"


class NeedQuery(QueryForm):
    """scope (state or region:<id>; whose: the scope selector's rule), year, and a weight per input."""

    scope = QueryScope(label=_("Districts"))
    year = QueryInt(label=_("School year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for need_input in INPUTS:
            self.fields[weight_param(need_input.key)] = QueryWeight(
                label=_("Weight: %(input)s") % {"input": need_input.label})

    def clean(self):
        data = super().clean()
        keys = [weight_param(i.key) for i in INPUTS]
        if all(k in data for k in keys):
            weights = {i.key: data[weight_param(i.key)] if data[weight_param(i.key)] is not None
                       else i.default_weight for i in INPUTS}
            if sum(weights.values(), Decimal(0)) <= 0:
                self.add_error(keys[0], _("The weights add up to 0: give at least one input a weight above 0."))
            data["weights"] = weights
        return data


def school_year_choices(today=None) -> list[tuple[int, str]]:
    current = current_school_year(today)
    return [(year, school_year_label(year)) for year in range(current + 1, current - 11, -1)]


class NeedUploadForm(forms.Form):
    school_year = forms.TypedChoiceField(label=_("School year"), coerce=int, choices=())
    file = forms.FileField(label=_("District data file (CSV)"),
                           help_text=_("UTF-8 CSV; the first line names the columns (see the template)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = school_year_choices()
        if not self.is_bound:
            self.initial.setdefault("school_year", current_school_year())
