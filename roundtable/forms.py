"""The families' sign-up form and the organisers' small forms. They check shapes and put messages on
the right field; the rules (and the same checks again) live in `roundtable.services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.forms import HONEYPOT, HoneypotMixin
from hub.idempotency import FormTokenMixin
from hub.models import District
from roundtable import errors, services
from roundtable.models import LANGUAGES, SITE_LANGUAGES, Format, HeardFrom, Insight

CONSENT_TEXT = _(
    "I agree that the Home Visit Hub keeps my name and contact details to organise this roundtable and to "
    "contact me about it. Only the organisers see them, they are never shared or sold, and they are deleted "
    "%(days)d days after the roundtable. What families say is kept only without names."
)


class SignupForm(HoneypotMixin, FormTokenMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=services.NAME_MAX,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    preferred_language = forms.ChoiceField(label=_("Which language should we write to you in?"),
                                           choices=SITE_LANGUAGES, widget=forms.RadioSelect, initial="en")
    email = forms.EmailField(label=_("Email"), required=False, max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone (US)"), required=False, max_length=30,
                            help_text=_("For example 860-555-0142."),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
    interpretation_language = forms.ChoiceField(
        label=_("Do you need an interpreter?"), required=False,
        choices=[("", _("No, I don't need an interpreter"))] + LANGUAGES)
    children_count = forms.IntegerField(
        label=_("How many children need childcare during the roundtable?"), min_value=0,
        max_value=services.MAX_CHILDREN, initial=0, help_text=_("From 0 to 10. Childcare is free."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": services.MAX_CHILDREN}))
    accessibility_needs = forms.CharField(
        label=_("Anything we can do to make the roundtable accessible for you?"), required=False,
        max_length=services.FREE_TEXT_MAX,
        help_text=_("For example: wheelchair access, large print, a quiet space."),
        widget=forms.Textarea(attrs={"rows": 3}))
    district = forms.ModelChoiceField(label=_("Your school district"), queryset=District.objects.all(),
                                      required=False, empty_label=_("I'd rather not say"))
    heard_from = forms.ChoiceField(label=_("How did you hear about the roundtable?"), required=False,
                                   choices=[("", _("I'd rather not say"))] + list(HeardFrom.choices))
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True,
                                 error_messages={"required": _("Please tick the box to agree to how we use your "
                                                               "information.")})

    def __init__(self, *args, childcare: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not childcare:  # no childcare at this roundtable: nothing to ask
            del self.fields["children_count"]
        self.fields["consent"].label = CONSENT_TEXT % {"days": services.retention_days()}
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_help"

    def clean_name(self):
        return self._service_check(services._free_text, self.cleaned_data["name"], field="name",
                                   limit=services.NAME_MAX, label=_("Your name"))

    def clean_phone(self):
        return self._service_check(services.phone_normalise, self.cleaned_data["phone"])

    def clean_accessibility_needs(self):
        return self._service_check(services._free_text, self.cleaned_data["accessibility_needs"],
                                   field="accessibility_needs", limit=services.FREE_TEXT_MAX,
                                   label=_("Accessibility needs"))

    @staticmethod
    def _service_check(check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except errors.InvalidSignup as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        if not self.errors.get("email") and not self.errors.get("phone"):
            self._service_check(services.contact_required, email=data.get("email", ""), phone=data.get("phone", ""))
        return data

    def service_kwargs(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != HONEYPOT}
        return data

    def add_service_error(self, error: errors.InvalidSignup) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error))

    def describe_errors(self) -> None:
        """Point each invalid field at its messages (aria-invalid, aria-describedby)."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(filter(None, [attrs.get("aria-describedby"), f"id_{name}_error"]))


class InsightForm(forms.Form):
    """Editing an insight; `InsightCreateForm` records one."""

    tag = forms.ChoiceField(label=_("Tag"), choices=Insight.Tag.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Insight.Kind.choices, initial=Insight.Kind.THEME)
    text = forms.CharField(label=_("Theme or quote"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Quotes stay anonymous: leave out names and anything that identifies a family."))
    anonymity_confirmed = forms.BooleanField(
        label=_("I have checked this does not identify a family"), required=False,
        help_text=_("Shown when the text contains a word from a signed-up family's name."))

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("tag", "kind", "text", "anonymity_confirmed")}


class InsightCreateForm(FormTokenMixin, InsightForm):
    """Recording an insight: safe to send twice (hub.idempotency)."""

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "form_token": self.cleaned_data.get("form_token")}


# -- the organisers' roundtable forms -----------------------------------------------------------------

# Service field -> the form field that shows its message.
_FIELD_OF = {"starts_at": "date", "ends_at": "end_time", "is_draft": "publish"}


class _ServiceErrors:
    def add_service_error(self, error: errors.RoundtableError) -> None:
        field = _FIELD_OF.get(getattr(error, "field", None), getattr(error, "field", None))
        self.add_error(field if field in self.fields else None, str(error))

    def _times(self, data) -> None:
        """starts_at and ends_at from the date and the two times, by the service's rule."""
        if not all(data.get(f) is not None for f in ("date", "start_time", "end_time")):
            return
        try:
            data["starts_at"], data["ends_at"] = services.roundtable_times(
                day=data["date"], start=data["start_time"], end=data["end_time"])
        except errors.InvalidRoundtable as error:
            self.add_service_error(error)


class _WhenFields(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Starts at (New York time)"),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Ends at (New York time)"),
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class RoundtableForm(_ServiceErrors, FormTokenMixin, _WhenFields):
    """A roundtable's details, for creating or editing it. A new roundtable's form carries a one-time token
    (sent twice, it makes one roundtable); the edit form ignores it."""

    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=200, required=False,
                               help_text=_("Needed when Spanish is offered."))
    description_en = forms.CharField(label=_("Description in English"), required=False, max_length=4000,
                                     widget=forms.Textarea(attrs={"rows": 4}),
                                     help_text=_("What the evening is about, for families."))
    description_es = forms.CharField(label=_("Description in Spanish"), required=False, max_length=4000,
                                     widget=forms.Textarea(attrs={"rows": 4}),
                                     help_text=_("Needed when Spanish is offered and there is an English description."))
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.IN_PERSON,
                               widget=forms.RadioSelect)
    address = forms.CharField(label=_("Place (address)"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Needed when it meets in person."))
    address_es = forms.CharField(label=_("Place in Spanish"), required=False, max_length=500,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("Only where it reads differently in Spanish, for example “Biblioteca, "
                                             "sala 2”."))
    join_link = forms.URLField(label=_("Video call link"), required=False, max_length=200, assume_scheme="https",
                               help_text=_("Online roundtables: shown only to families with a confirmed place."))
    held_in = forms.ChoiceField(label=_("The conversation is held in"), choices=SITE_LANGUAGES, initial="en",
                                widget=forms.RadioSelect)
    languages = forms.MultipleChoiceField(label=_("Languages offered (held in, or with an interpreter)"),
                                          choices=LANGUAGES, required=False, initial=["en"],
                                          widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=services.MAX_CAPACITY, initial=20,
                                  help_text=_("From 1 to 500. Families beyond that join a waitlist."),
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1,
                                                                  "max": services.MAX_CAPACITY}))
    childcare = forms.BooleanField(label=_("Free childcare during the roundtable"), required=False, initial=True)
    district = forms.ModelChoiceField(label=_("Host district"), queryset=District.objects.all(), required=False,
                                      empty_label=_("None (statewide)"))
    publish = forms.BooleanField(label=_("Open for sign-up: families can see it"), required=False, initial=True,
                                 help_text=_("Leave it unticked to keep a draft that only organisers see."))

    field_order = ["title_en", "title_es", "description_en", "description_es", "held_in", "languages", "format",
                   "address", "address_es", "join_link", "date", "start_time", "end_time", "capacity", "childcare",
                   "district", "publish"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_help"

    @classmethod
    def initial_for(cls, rt) -> dict:
        from django.utils import timezone

        starts, ends = timezone.localtime(rt.starts_at), timezone.localtime(rt.ends_at)
        initial = {name: getattr(rt, name) for name in services.EDITABLE if name in cls.base_fields}
        initial.update(date=starts.date(), start_time=starts.time(), end_time=ends.time(), publish=not rt.is_draft)
        return initial

    def clean(self):
        data = super().clean()
        self._times(data)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in services.EDITABLE if name in data}
        kwargs.update(join_link=data.get("join_link") or "", is_draft=not data.get("publish"),
                      languages=list(data.get("languages") or []))
        return kwargs


class CopyForm(_ServiceErrors, FormTokenMixin, _WhenFields):
    """The new date of a copy; sent twice, it makes one copy."""

    def clean(self):
        data = super().clean()
        self._times(data)
        return data
