"""Safe double-submits: a form that creates a row creates it once, however often it is sent.

A phone on a slow connection sends a form twice (a double tap, a retry after a timeout, the back
button and "resend"). Every form that creates a row therefore carries a one-time token, made when the
form is drawn (`FormTokenMixin`), and the created row stores it (`form_token_field()`, unique per
owner). The service asks `create_once`: a token it has seen returns the row made the first time, and
two requests racing with the same token end with one row (the unique constraint decides; the loser
reads the winner's row). A request without a token (an old page, a script) simply creates.

    class VisitForm(FormTokenMixin, forms.ModelForm): ...

    class Visit(models.Model):
        form_token = form_token_field()
        class Meta:
            constraints = [form_token_unique("logged_by", name="visit_once_per_form")]

    def visit_log(*, case, by, data, form_token=None):
        visit, created = create_once(Visit, token=form_token, owner={"logged_by": by},
                                     create=lambda: Visit.objects.create(..., form_token=form_token))
"""

import uuid
from collections.abc import Callable

from django import forms
from django.db import IntegrityError, models, transaction

from hub.errors import HubError

TOKEN_FIELD = "form_token"


class FormTokenField(forms.UUIDField):
    """A hidden UUID that is never a form error: missing or malformed (not a UUID, 10,000 characters, a
    NUL byte) it is None, and the form works as an old page without a token does."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


def posted_token(data) -> uuid.UUID | None:
    """The form token of a hand-drawn form (a template's own `<input name="form_token">`), read as the
    field reads it: a UUID, or None when missing or malformed."""
    return FormTokenField().clean(data.get(TOKEN_FIELD))


def new_token() -> uuid.UUID:
    return uuid.uuid4()


class FormTokenMixin(forms.Form):
    """Adds a hidden `form_token`, new each time an unbound form is drawn; `cleaned_data["form_token"]` is
    the UUID sent back, or None when it is missing or malformed (never an error: the form still works).
    Templates draw it with the form's hidden fields (`{% for field in form.hidden_fields %}`)."""

    form_token = FormTokenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(TOKEN_FIELD, uuid.uuid4())


def form_token_field() -> models.UUIDField:
    return models.UUIDField(null=True, blank=True, editable=False,
                            help_text="The one-time token of the form that created this row (hub.idempotency).")


def form_token_unique(*owner_fields: str, name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=[*owner_fields, TOKEN_FIELD], condition=models.Q(form_token__isnull=False),
                                   name=name)


def create_once(model: type[models.Model], *, token, owner: dict, create: Callable[[], models.Model]
                ) -> tuple[models.Model, bool]:
    """(row, created): the row this token already made for this owner, or `create()`'s new one.

    The same form sent twice at once: the second may fail inside `create()` because the first has just
    committed, on the unique token (IntegrityError) or on a rule that now sees the first's row ("already
    has a case for this student", a HubError). Either way it looks again, and the row this token made
    is the answer, not the refusal."""
    if token is None:
        return create(), True
    existing = model._default_manager.filter(form_token=token, **owner).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except (IntegrityError, HubError):
        existing = model._default_manager.filter(form_token=token, **owner).first()
        if existing is None:
            raise
        return existing, False
