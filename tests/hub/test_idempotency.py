"""The one-time form token (hub.idempotency): a new one each time a form is drawn, the one sent back
when bound, and never a form error: missing or malformed, it is None and the form works as before."""

import uuid

import pytest
from django import forms

from hub.idempotency import FormTokenMixin
from tests.hostile import catalogue as cat


class NoteForm(FormTokenMixin, forms.Form):
    note = forms.CharField()


def test_each_drawn_form_carries_a_new_hidden_token():
    first, second = NoteForm(), NoteForm()
    assert first["form_token"].value() != second["form_token"].value()
    assert 'type="hidden" name="form_token"' in str(first["form_token"])
    assert [f.name for f in first.hidden_fields()] == ["form_token"] and len(first.visible_fields()) == 1


def test_a_bound_form_gives_back_the_token_it_was_sent():
    token = uuid.uuid4()
    form = NoteForm({"note": "hi", "form_token": str(token)})
    assert form.is_valid() and form.cleaned_data["form_token"] == token
    assert f'value="{token}"' in str(form["form_token"])  # re-drawn after an error: the same token


@pytest.mark.parametrize("value", [pytest.param(v, id=i) for i, v in cat.BAD_TOKENS if isinstance(v, str)]
                         + [pytest.param(None, id="missing")])
def test_a_missing_or_malformed_token_is_none_and_never_an_error(value):
    data = {"note": "hi"} if value is None else {"note": "hi", "form_token": value}
    form = NoteForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["form_token"] is None
