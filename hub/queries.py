"""Query strings (GET parameters) are read through forms, never by hand.

Every page that reads its address's parameters declares them as a `QueryForm` and reads them with
`query_read(FormClass, request.GET)`. A value the form cannot take raises `BadQuery`, which Django turns
into a 400 page (`hub.views.error_400`) naming each parameter and what was wrong with it, in the reader's
language (Django's own field messages are translated; so is the page). Parameters a form does not declare
are not read at all (an `utm_source=` or a stale `page=` on a page without pages changes nothing).

What the fields here refuse, whatever the page:
- text that is not text: a NUL byte (PostgreSQL cannot store one: a search with NUL was a 500), other
  control characters, and U+FFFD, which is what Django makes of bytes that are not UTF-8 (`%ff`) and of
  encoded UTF-16 surrogates (`%ed%a0%80`);
- numbers that are not plain ASCII digits (`1e3`, `1.5`, `١٢`, `²`, `NaN`) or outside their range (an id
  no database column can hold was an OverflowError on SQLite);
- dates that are not YYYY-MM-DD or fall outside the calendar the Hub shows (2000 to 2100: `9999-12-31`
  plus six weeks was an OverflowError);
- choices that are not among the choices;
- text longer than the field allows.
A parameter given twice is read as Django reads any form: the last value counts.
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext_lazy as _

from hub.text import normalise_name

CALENDAR_FIRST = date(2000, 1, 1)  # the first and last days the session calendar shows
CALENDAR_LAST = date(2100, 12, 31)
ID_MAX = 2**63 - 1  # the largest value a database id column holds (bigint)
PAGE_MAX = 1_000_000

# Control characters (tab, newline and carriage return aside), U+FFFD and lone surrogates.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff]")
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,19}", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

NOT_TEXT_MESSAGE = _("This has characters that are not text (a NUL byte, a control character or bytes "
                     "that are not UTF-8).")


def _text_or_refuse(value) -> str:
    value = "" if value is None else str(value)
    if _NOT_TEXT.search(value):
        raise ValidationError(NOT_TEXT_MESSAGE, code="not_text")
    return value


class QueryText(forms.CharField):
    """Free text (a search): NFC, outer spaces removed, at most `max_length` characters."""

    def __init__(self, *, max_length: int = 100, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        return normalise_name(super().to_python(_text_or_refuse(value)))


class QueryInt(forms.IntegerField):
    """A whole number in ASCII digits, within [min_value, max_value] (an id by default); empty is None."""

    def __init__(self, *, min_value: int = 1, max_value: int = ID_MAX, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        value = _text_or_refuse(value).strip()
        if value in self.empty_values:
            return None
        if not _WHOLE_NUMBER.fullmatch(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class QueryPage(QueryInt):
    """A page number (a page after the last shows the last page, as Django's paginator does)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Page"))
        super().__init__(min_value=1, max_value=PAGE_MAX, **kwargs)


class QueryChoice(forms.ChoiceField):
    """One of `choices`; empty is "". The refused value is shown cut short (it may be 10,000 characters)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(_text_or_refuse(value).strip())

    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": shown}) from None


class QueryDate(forms.DateField):
    """A date written YYYY-MM-DD, between CALENDAR_FIRST and CALENDAR_LAST; empty is None."""

    default_error_messages = {
        "out_of_range": _("Choose a date between %(first)s and %(last)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = _text_or_refuse(value).strip()
        if value in self.empty_values:
            return None
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not CALENDAR_FIRST <= day <= CALENDAR_LAST:
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range",
                                  params={"first": CALENDAR_FIRST.isoformat(), "last": CALENDAR_LAST.isoformat()})
        return day


class QueryForm(forms.Form):
    """The parameters one page reads. Always bound: no parameters at all is an empty, valid query."""

    def __init__(self, query=None, **kwargs):
        super().__init__(query if query is not None else {}, **kwargs)


class BadQuery(BadRequest):
    """A page's parameters that its `QueryForm` refused; `problems` is [(parameter, label, [messages])]."""

    def __init__(self, form: forms.Form):
        self.problems = [(name, str(form.fields[name].label or name) if name in form.fields else "",
                          [str(message) for message in messages])
                         for name, messages in form.errors.items()]
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, _label, messages in self.problems))


def query_read(form_class: type[QueryForm], query, **kwargs) -> dict:
    """The cleaned parameters of `query` (a QueryDict), or BadQuery (a 400 page) naming what was wrong."""
    form = form_class(query, **kwargs)
    if not form.is_valid():
        raise BadQuery(form)
    return form.cleaned_data


class PageQuery(QueryForm):
    """A paged list's one parameter."""

    page = QueryPage()


class SearchQuery(QueryForm):
    """A searched list's one parameter."""

    q = QueryText(label=_("Search"), max_length=100)
