"""Forms of the trainer and member pages. They check shapes; the rules live in `sessions.services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Scenario
from hub.forms import ModelIdsField
from hub.idempotency import FormTokenMixin
from hub.models import District, Person
from hub.queries import QueryChoice, QueryDate, QueryForm, QueryInt, QueryText
from hub.roles import STATE_STAFF, TRAINER
from sessions.models import NTH, WEEKDAYS, Audience, Kind, Repeat


class SeriesForm(FormTokenMixin, forms.Form):
    """A series' details; a new series' form carries a one-time token so that sending it twice schedules
    one series (the edit form ignores it: editing twice is the same edit)."""

    kind = forms.ChoiceField(choices=Kind.choices)
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    facilitators = ModelIdsField(
        queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Trainers and coaches who lead it.",
    )
    scenarios = ModelIdsField(
        queryset=Scenario.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Role-play scenarios", help_text="For a LEAP 101 live practice.",
    )
    audience = forms.ChoiceField(choices=Audience.choices, label="Who may register")
    district = forms.ModelChoiceField(queryset=District.objects.all(), required=False,
                                      help_text="Only when the session is for one district.")
    capacity = forms.IntegerField(min_value=1, max_value=1000, label="Seats per session", initial=20)
    join_link = forms.URLField(required=False, assume_scheme="https", label="Virtual join link", max_length=200,
                               help_text="Shown only to people with a confirmed seat.")
    repeat = forms.ChoiceField(choices=Repeat.choices, label="Repeats")
    weekday = forms.TypedChoiceField(choices=[("", "—")] + WEEKDAYS, coerce=int, empty_value=None,
                                     required=False, label="Weekday")
    nth = forms.TypedChoiceField(choices=[("", "—")] + NTH, coerce=int, empty_value=None, required=False,
                                 label="Which weekday of the month", help_text="Only for a monthly series.")
    first_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="First date")
    last_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False,
                                label="Last date", help_text="Needed when the series repeats.")
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 label="Start time (New York)")
    duration_minutes = forms.IntegerField(min_value=1, max_value=720, initial=60, label="Length in minutes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = (
            Person.objects.filter(user__groups__name__in=[TRAINER, STATE_STAFF]).select_related("user")
            .distinct().order_by("user__last_name")
        )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("form_token", None)
        data["join_link"] = data.get("join_link") or ""
        return data


class MoveForm(forms.Form):
    new_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="New date")
    new_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                               label="New start time (New York)")


class RecordingUploadForm(forms.Form):
    file = forms.FileField(label="Recording file", help_text="Video or audio: MP4, MOV, WebM, MKV, MP3, M4A, WAV.")
    title = forms.CharField(max_length=200, required=False, help_text="Defaults to the file name.")


# -- the parameters of the calendar pages (hub.queries: a value they cannot take is a 400 page) ----------

class CalendarQuery(QueryForm):
    kind = QueryChoice(label="Kind of session", choices=[("", "All sessions")] + list(Kind.choices))


class UpcomingQuery(CalendarQuery):
    start = QueryDate(label="From")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = self.fields.pop("start")  # the parameter is `from`, a keyword in Python


class RecordingsQuery(QueryForm):
    q = QueryText(label="Search", max_length=200)
    topic = QueryChoice(label="Topic")

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "All topics")] + [(t.slug, t.name) for t in topics]


class ObservationQuery(QueryForm):
    """The coach's page: whose role play, and which scenario (the rubric shown follows it)."""

    participant = QueryInt(label="Participant")
    scenario = QueryInt(label="Scenario")


class ObservationForm(FormTokenMixin, forms.Form):
    """A coach's observation of one role play. The form checks shapes; who may be observed, at which
    practice and in which scenario is the rule of `courses.services.observation_record`."""

    participant = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    scenario = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    met = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
                                         label=_("What the rubric asks"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=1000,
                           label=_("Note for the participant"),
                           help_text=_("Short and specific: what went well, what to practise. At most 1,000 characters."))
    outcome = forms.ChoiceField(widget=forms.RadioSelect, label=_("Outcome"),
                                choices=[("ready", _("Ready")), ("practise_again", _("Practise again"))])

    def __init__(self, *args, rubric=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met"].choices = [(n, line) for n, line in enumerate(rubric)]
