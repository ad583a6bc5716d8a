"""The parameters of the coordinators' list pages, read through forms (`hub.queries`): a value a form
cannot take is a 400 page naming it. Which districts, schools and partners a person may ask for is a
scope rule, checked by the selectors (out of scope: a 404, audited)."""

from coordinators.models import ABSENCE_LABELS, ABSENCE_PRIORITY, CaseStatus
from courses.selectors import State
from hub.queries import PageQuery, QueryChoice, QueryForm, QueryInt, QueryPage, QueryText

ROSTER_SORTS = {"name": "Name (A–Z)", "-name": "Name (Z–A)", "status": "Training status", "org": "School or partner"}


class RosterQuery(QueryForm):
    district = QueryInt(label="District")
    school = QueryInt(label="School")
    partner = QueryInt(label="Partner")
    status = QueryChoice(label="Training status", choices=[("", "Any")] + [(s, State.LABELS[s]) for s in State.ORDER])
    q = QueryText(label="Name", max_length=80)
    sort = QueryChoice(label="Sort", choices=[("", "Name (A–Z)")] + list(ROSTER_SORTS.items()))
    page = QueryPage()


class CaseQuery(QueryForm):
    status = QueryChoice(label="Status", choices=[("", "Any")] + list(CaseStatus.choices))
    school = QueryInt(label="School")
    district = QueryInt(label="District")
    q = QueryText(label="Student id or first name", max_length=60)
    page = QueryPage()


__all__ = ["CaseQuery", "DistrictQuery", "PageQuery", "ROSTER_SORTS", "RosterQuery", "WaitingQuery"]


class DistrictQuery(QueryForm):
    district = QueryInt(label="District")


class QueryMonth(QueryText):
    """A month written YYYY-MM (coordinators.months: 2000-01 to 2100-12); empty is ""."""

    def __init__(self, **kwargs):
        super().__init__(max_length=10, **kwargs)

    def clean(self, value):
        from django.core.exceptions import ValidationError

        from coordinators.months import BadMonth, month_parse

        text = super().clean(value)
        if not text:
            return ""
        try:
            month_parse(text)
        except BadMonth as exc:
            raise ValidationError(str(exc), code="invalid") from None
        return text


class QueryScope(QueryText):
    """state, region:<id> or district:<id> (which of them the person may see: the selector's rule)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=40, **kwargs)

    def clean(self, value):
        from django.core.exceptions import ValidationError

        from coordinators.selectors.impact import BadImpactQuery, _scope_words

        text = super().clean(value)
        if text:
            try:
                _scope_words(text)
            except BadImpactQuery as exc:
                raise ValidationError(str(exc), code="invalid") from None
        return text


class ImpactQuery(QueryForm):
    """The impact page's parameters: the scope, the period (from/to, the month of the first visit) and the
    breakdown shown. A period that ends before it starts or spans more than ten years is refused (400)."""

    scope = QueryScope(label="Scope")
    breakdown = QueryChoice(label="Breakdown")

    def __init__(self, *args, **kwargs):
        from coordinators.selectors.impact import breakdown_choices

        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added by name.
        self.fields["from"] = QueryMonth(label="From (month of the first visit)")
        self.fields["to"] = QueryMonth(label="To (month of the first visit)")
        self.fields["breakdown"].choices = breakdown_choices()

    def clean(self):
        from coordinators.selectors.impact import BadImpactQuery, period_read

        data = super().clean()
        if "from" in data and "to" in data:
            try:
                data["period"] = period_read(data["from"], data["to"])
            except BadImpactQuery as exc:
                self.add_error(exc.field, str(exc))
        return data


class WaitingQuery(QueryForm):
    """The waiting list's parameters: the district and school (in scope: the selector's rule), the
    chronic-absence band, the family's answer (yes by default: those can be given visitors) and the page."""

    district = QueryInt(label="District")
    school = QueryInt(label="School")
    band = QueryChoice(label="Attendance band", choices=[("", "Any")] + [(lv, ABSENCE_LABELS[lv]) for lv in ABSENCE_PRIORITY])
    family = QueryChoice(label="Family's answer", choices=[("", "Said yes"), ("yes", "Said yes"),
                                                           ("other", "Not asked or no answer yet"), ("all", "Any")])
    page = QueryPage()
class FidelityQuery(QueryForm):
    """The fidelity page's parameters: the scope (the impact page's) and the period (from/to, the months
    in which things happened; empty: the 12 months to this one). Read by the impact page's own rules."""

    scope = QueryScope(label="Scope")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = QueryMonth(label="From (month)")
        self.fields["to"] = QueryMonth(label="To (month)")

    def clean(self):
        from coordinators.selectors.fidelity import FIDELITY_DEFAULT_MONTHS
        from coordinators.selectors.impact import BadImpactQuery, period_read

        data = super().clean()
        if "from" in data and "to" in data:
            try:
                data["period"] = period_read(data["from"], data["to"], default_months=FIDELITY_DEFAULT_MONTHS)
            except BadImpactQuery as exc:
                self.add_error(exc.field, str(exc))
        return data
