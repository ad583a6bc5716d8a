"""The inviter's forms (one person, a staff list) and the invitee's (confirm details, set a password).

The role and district choices come from `selectors.invite_rights`; a posted value outside them (a crafted
POST) is refused by the same rule (`invite_refusal`) with its reason, not as an unknown choice."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from hub.forms import HoneypotMixin
from hub.idempotency import FormTokenMixin
from hub.joining.models import LANGUAGE_CHOICES
from hub.joining.selectors import DISTRICT_ROLES, InviteRights, invite_refusal
from hub.models import District
from hub.roles import ALL_ROLES


class _RightsForm(forms.Form):
    district = forms.ModelChoiceField(queryset=District.objects.all(), required=False, label=_("District"),
                                      help_text=_("For visitors and coordinators; empty for statewide roles."))

    def __init__(self, *args, rights: InviteRights, **kwargs):
        super().__init__(*args, **kwargs)
        self.rights = rights
        districts = list(rights.districts())
        # Shown: the districts the inviter may reach; checked against every district so that another
        # district is refused with the rule's reason rather than "not one of the choices".
        self.fields["district"].choices = [("", "—")] * rights.all_districts + [(d.pk, d.name) for d in districts]
        if len(districts) == 1 and not rights.all_districts:
            self.fields["district"].initial = districts[0].pk
            self.fields["district"].required = True
            self.fields["district"].help_text = ""


class InviteForm(FormTokenMixin, _RightsForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.CharField(label=_("Role"), widget=forms.Select)
    organisation = forms.CharField(label=_("School or partner organisation"), max_length=160, required=False,
                                   help_text=_("Its name as the Hub knows it; leave empty if neither."))
    language = forms.ChoiceField(label=_("Language of the email"), choices=LANGUAGE_CHOICES, initial="en")

    field_order = ["name", "email", "role", "district", "organisation", "language"]

    def __init__(self, *args, rights: InviteRights, **kwargs):
        super().__init__(*args, rights=rights, **kwargs)
        self.fields["role"].widget.choices = [(r, r) for r in rights.roles]
        self.fields["role"].initial = rights.roles[0] if rights.roles else ""

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role not in ALL_ROLES:
            raise forms.ValidationError(_("Choose one of the roles in the list."))
        return role

    def clean(self):
        data = super().clean()
        role, district = data.get("role"), data.get("district")
        if role and role not in self.rights.roles:  # refused whatever the district
            self.add_error("role", invite_refusal(self.rights, role=role, district_id=None))
        elif role and "district" not in self.errors:
            refusal = invite_refusal(self.rights, role=role, district_id=district.pk if district else None)
            if refusal:
                self.add_error("district" if role in DISTRICT_ROLES and district else "role", refusal)
        return data


class ImportForm(_RightsForm):
    file = forms.FileField(label=_("Staff list (CSV)"),
                           help_text=_("UTF-8 CSV whose first line is: name, email, school_or_partner, role, "
                                       "language"))

    def clean_district(self):
        district = self.cleaned_data.get("district")
        if district is not None and not self.rights.all_districts and district.pk not in self.rights.district_ids:
            raise forms.ValidationError(_("You may only invite people into your own district."))
        return district


class AcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.initial.setdefault("name", invitation.name)
        self.initial.setdefault("language", invitation.language)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name or "\x00" in name:
            raise forms.ValidationError(_("Write your name."))
        return name

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            name = data.get("name") or self.invitation.name
            user = get_user_model()(username=self.invitation.email, email=self.invitation.email,
                                    first_name=name.partition(" ")[0], last_name=name.partition(" ")[2])
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class LearnerSignupForm(HoneypotMixin, FormTokenMixin, forms.Form):
    """LEAP 101 for people outside the program's districts. The shapes are checked here; the rules for
    each text (length, control characters, markup, formulas) are the service's (`learner_text`), asked
    here so that each message sits on its field."""

    name = forms.CharField(label=_("Your name"), max_length=150, strip=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email address"), max_length=254,
                             help_text=_("You will sign in with it, and we write to you there."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    organisation = forms.CharField(label=_("Organisation"), max_length=160, strip=False,
                                   help_text=_("The school, district, agency or program you work for."),
                                   widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    region = forms.CharField(label=_("State, province or region"), max_length=100, strip=False,
                             widget=forms.TextInput(attrs={"autocomplete": "address-level1"}))
    country = forms.CharField(label=_("Country"), max_length=100, strip=False, initial=_("United States"),
                              widget=forms.TextInput(attrs={"autocomplete": "country-name"}))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES,
                                 help_text=_("The language of the Hub's emails to you."))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    field_order = ["name", "email", "organisation", "region", "country", "language", "password1", "password2"]

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("language", language if language in dict(LANGUAGE_CHOICES) else "en")
        for name, field in self.fields.items():
            if field.help_text and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def _text(self, field: str):
        from hub.joining.errors import InvalidLearnerRequest
        from hub.joining.services import learner_labels, learner_text

        try:
            return learner_text(self.cleaned_data[field], field=field, label=learner_labels()[field])
        except InvalidLearnerRequest as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_name(self):
        return self._text("name")

    def clean_organisation(self):
        return self._text("organisation")

    def clean_region(self):
        return self._text("region")

    def clean_country(self):
        return self._text("country")

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            email, name = data.get("email") or "", data.get("name") or ""
            user = get_user_model()(username=email, email=email, first_name=name.partition(" ")[0],
                                    last_name=name.partition(" ")[2])
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def describe_errors(self) -> None:
        """Point each invalid field at its messages (aria-invalid, aria-describedby)."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(filter(None, [attrs.get("aria-describedby"), f"id_{name}_error"]))


class LearnerDecisionForm(FormTokenMixin, forms.Form):
    """Approve or refuse one request (the queue's buttons); the reason is for refusals, kept by the Hub."""

    reason = forms.CharField(label=_("Reason (kept by the Hub, not sent)"), max_length=500, required=False)
