"""Forms of the coordinators' pages. They only read input; the rules are in `coordinators.services`.
The forms that add a row (a case, the family's answer, a visit) carry a one-time token (`hub.idempotency`)
so that sending one twice adds it once."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinators.models import GRADES, Barrier, CaseEvent, Referral, Resource, Visit
from coordinators.months import BadMonth, month_parse
from hub.forms import ModelIdsField
from hub.idempotency import FormTokenMixin
from hub.models import School


class CaseForm(FormTokenMixin, forms.Form):
    student_ref = forms.CharField(label=_("Student id"), max_length=40,
                                  help_text=_("The district's own student id."))
    first_name = forms.CharField(label=_("First name"), max_length=60)
    last_initial = forms.CharField(label=_("Last initial"), max_length=1,
                                   help_text=_("One letter: keep the record minimal."))
    grade = forms.ChoiceField(label=_("Grade"), choices=[(g, g) for g in GRADES])
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    home_language = forms.CharField(label=_("Home language"), max_length=40, required=False)
    days_enrolled = forms.IntegerField(label=_("Days enrolled"), min_value=1, max_value=366)
    days_absent = forms.IntegerField(label=_("Days absent"), min_value=0, max_value=366)
    referral_reason = forms.CharField(label=_("Reason for referral"), max_length=500, required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    english_learner = forms.BooleanField(label=_("English learner"), required=False,
                                         help_text=_("The school counts the student as an English learner."))
    referral_month = forms.CharField(
        label=_("Month of referral"), required=False, max_length=10,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM", "inputmode": "numeric"}),
        help_text=_("YYYY-MM; leave empty for this month. The impact figures compare students from this month on."))

    def __init__(self, *args, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        if district is not None:
            self.fields["school"].queryset = School.objects.filter(district=district)

    def clean_referral_month(self):
        value = self.cleaned_data.get("referral_month") or ""
        if not value.strip():
            return None
        try:
            return month_parse(value)
        except BadMonth as exc:
            raise forms.ValidationError(str(exc)) from None


class FamilyChoiceForm(FormTokenMixin, forms.Form):
    kind = forms.ChoiceField(label=_("The family's answer"), choices=CaseEvent.Kind.choices)
    note = forms.CharField(max_length=300, required=False, label=_("Note (optional)"))


class AssignForm(FormTokenMixin, forms.Form):
    visitor_1 = forms.TypedChoiceField(label=_("First visitor"), coerce=int)
    visitor_2 = forms.TypedChoiceField(label=_("Second visitor"), coerce=int, required=False, empty_value=None)
    reassign = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates=(), pairs=True, notes=None, **kwargs):
        """`notes`: {person id: words added to their choice} (the waiting list's "speaks Spanish")."""
        super().__init__(*args, **kwargs)
        notes = notes or {}
        choices = [("", _("Choose a visitor"))] + [
            (row.person.pk, f"{row.person.full_name} — {row.status.describe()}"
             + ("" if row.can_take_cases else " " + str(_("(can't take cases now)"))) + notes.get(row.person.pk, ""))
            for row in candidates]
        self.fields["visitor_1"].choices = choices
        self.fields["visitor_2"].choices = choices
        self.fields["visitor_2"].required = pairs
        if not pairs:
            self.fields["visitor_2"].label = _("Second visitor (optional)")


class VisitForm(FormTokenMixin, forms.Form):
    visited_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=Visit.Kind.choices)
    place = forms.ChoiceField(label=_("Where"), choices=Visit.Place.choices)
    attendees = forms.MultipleChoiceField(label=_("Visitors who went"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    who_came = forms.CharField(label=_("Family members present"), max_length=200, required=False)
    barriers = ModelIdsField(label=_("Barriers to attendance the family named"),
                                              queryset=Barrier.objects.all(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    resources = ModelIdsField(label=_("Resources offered or referrals made"),
                                               queryset=Resource.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    wants_more = forms.ChoiceField(label=_("Does the family want more visits?"), choices=Visit.WantsMore.choices,
                                   widget=forms.RadioSelect)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    notes = forms.CharField(label=_("Private notes"), max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Seen only by the case's visitors and coordinators."))

    CHOICE_FIELDS = ("attendees", "barriers", "resources", "wants_more")

    def __init__(self, *args, case=None, visitors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(p.pk), p.full_name) for p in visitors]
        if case is not None:
            self.fields["resources"].queryset = Resource.objects.filter(district_id=case.district_id)
        if not self.is_bound and "visited_on" not in self.initial:
            self.initial["visited_on"] = timezone.localdate()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8 CSV; the first line names the columns."))


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Referral.Outcome.choices)


class FidelityTargetsForm(forms.ModelForm):
    """The state's fidelity targets (state staff only; `services.fidelity_targets_set` saves them). Shares
    are whole percents 0-100, days 0-365."""

    SHARE_FIELDS = ("two_visits_share", "pairs_share", "in_person_share", "follow_up_share", "offered_share",
                    "accepted_share", "connected_share", "certified_share")
    DAY_FIELDS = ("first_contact_days", "first_visit_days", "follow_up_days")

    class Meta:
        from coordinators.models import FidelityTargets

        model = FidelityTargets
        fields = ("first_contact_days", "first_visit_days", "two_visits_share", "pairs_share", "in_person_share",
                  "follow_up_days", "follow_up_share", "offered_share", "accepted_share", "connected_share",
                  "certified_share")

    def __init__(self, *args, **kwargs):
        from django.utils.translation import gettext_lazy

        super().__init__(*args, **kwargs)
        labels = {
            "first_contact_days": gettext_lazy("Days from referral to first contact (average, at most)"),
            "first_visit_days": gettext_lazy("Days from referral to the first visit (average, at most)"),
            "two_visits_share": gettext_lazy("Cases with two or more visits (%, at least)"),
            "pairs_share": gettext_lazy("Visits made in pairs (%, at least)"),
            "in_person_share": gettext_lazy("Visits in person (%, at least)"),
            "follow_up_days": gettext_lazy("Follow-up: days from one contact to the next (at most)"),
            "follow_up_share": gettext_lazy("Contacts followed up within those days (%, at least)"),
            "offered_share": gettext_lazy("Families offered a visit (%, at least)"),
            "accepted_share": gettext_lazy("Families offered who accept (%, at least)"),
            "connected_share": gettext_lazy("Referrals connected (%, at least)"),
            "certified_share": gettext_lazy("Visitors with a current certificate (%, at least)"),
        }
        for name, form_field in self.fields.items():
            form_field.label = labels[name]
            form_field.help_text = ""
            form_field.min_value = 0
            form_field.max_value = 100 if name in self.SHARE_FIELDS else 365
            form_field.validators = [v for v in form_field.validators
                                     if type(v).__name__ not in ("MinValueValidator", "MaxValueValidator")]
            from django.core.validators import MaxValueValidator, MinValueValidator

            form_field.validators += [MinValueValidator(0), MaxValueValidator(form_field.max_value)]
            form_field.widget.attrs.update({"min": 0, "max": form_field.max_value, "inputmode": "numeric"})
