"""Every create endpoint (tests/hostile/creates.py), replayed: the same valid POST sent N times adds one
row and answers each send alike; a freshly drawn form adds the next row; another person's token adds the
sender's own row and leaves (and shows) nothing of theirs; a token that is no token (catalogue
BAD_TOKENS) is ignored or refused with a form error, never a 500."""

import pytest
from django.apps import apps
from django.forms.models import model_to_dict
from django.test import Client

from tests.double_submit import hidden_fields
from tests.hostile import catalogue as cat
from tests.hostile.creates import CREATES, NOT_A_CREATE
from tests.hostile.endpoints import ENDPOINTS
from tests.hostile.test_forms import assert_refused

pytestmark = pytest.mark.hostile_input

SENDS = 5


def _param(test, name, entry, *values):
    defect = entry.known_defects.get(test)
    marks = [pytest.mark.xfail(reason=defect, strict=True)] if defect else []
    return pytest.param(name, *values, marks=marks, id="|".join([name, *map(str, values)]))


def _entries(test, *, token=False):
    return [_param(test, name, entry) for name, entry in CREATES.items() if entry.token or not token]


def _bad_token_cases():
    return [_param("bad-token", name, entry, input_id) for name, entry in CREATES.items() if entry.token
            for input_id, _ in cat.BAD_TOKENS]


def _client(w, who) -> Client:
    return Client() if who.startswith("family:") else w.client(who)


def _drawn(w, entry, client, who) -> dict:
    """The hidden fields of the form as the page draws it for `who` (the one-time token among them)."""
    if entry.page is None:
        return {}
    page, action = entry.page(w, who), entry.action(w, who)
    response = client.get(page)
    assert response.status_code == 200, f"the form page answered {response.status_code}"
    return hidden_fields(response, action=None if action == page else action)  # a form that posts to its page


def _rows(entry):
    return apps.get_model(entry.model)._default_manager


def _answer(response) -> tuple:
    assert response.status_code < 500, f"server error {response.status_code}"
    return response.status_code, response.get("Location", "")


@pytest.mark.parametrize("name", _entries("replay"))
def test_the_same_form_sent_again_and_again_adds_one_row(w, name):
    entry = CREATES[name]
    client = _client(w, entry.user)
    data = {**entry.data(w, entry.user, 1), **_drawn(w, entry, client, entry.user)}
    before = _rows(entry).count()
    answers = [_answer(client.post(entry.action(w, entry.user), data)) for _ in range(SENDS)]
    assert _rows(entry).count() == before + 1, f"{SENDS} sends added {_rows(entry).count() - before} rows"
    assert answers[0][0] == 302, f"the first send answered {answers[0]}"
    assert answers == [answers[0]] * SENDS, f"the sends were answered differently: {answers}"
    assert _rows(entry).filter(**entry.owner(w, entry.user, 1)).count() == 1


@pytest.mark.parametrize("name", _entries("fresh"))
def test_a_freshly_drawn_form_adds_the_next_row(w, name):
    """Two forms, each sent twice: two rows (one, where a natural key makes the second the same row)."""
    entry = CREATES[name]
    client = _client(w, entry.user)
    before = _rows(entry).count()
    for n in (1, 2):
        data = {**entry.data(w, entry.user, n), **_drawn(w, entry, client, entry.user)}
        for _ in range(2):
            _answer(client.post(entry.action(w, entry.user), data))
    assert _rows(entry).count() == before + (entry.fresh_rows or (2 if entry.token else 1))


@pytest.mark.parametrize("name", _entries("other", token=True))
def test_someone_elses_token_adds_the_senders_own_row_and_reveals_nothing_of_theirs(w, name):
    entry = CREATES[name]
    theirs_client, mine_client = _client(w, entry.other), _client(w, entry.user)
    their_form = _drawn(w, entry, theirs_client, entry.other)
    their_answer = _answer(theirs_client.post(entry.action(w, entry.other),
                                              {**entry.data(w, entry.other, 1), **their_form}))
    theirs = _rows(entry).get(**entry.owner(w, entry.other, 1))
    kept = model_to_dict(theirs)
    before = _rows(entry).count()
    stolen = {**_drawn(w, entry, mine_client, entry.user), entry.token: their_form[entry.token]}
    my_answer = _answer(mine_client.post(entry.action(w, entry.user), {**entry.data(w, entry.user, 2), **stolen}))
    assert _rows(entry).count() == before + 1, "the sender's row was not added"
    assert _rows(entry).filter(**entry.owner(w, entry.user, 2)).count() == 1
    theirs.refresh_from_db()
    assert model_to_dict(theirs) == kept, "the other person's row changed"
    if entry.lands_on_row:
        assert my_answer != their_answer, f"the sender was sent to the other person's row: {my_answer}"


@pytest.mark.parametrize(("name", "input_id"), _bad_token_cases())
def test_a_token_that_is_no_token_is_ignored_or_refused(w, name, input_id):
    entry = CREATES[name]
    value = dict(cat.BAD_TOKENS)[input_id]
    client = _client(w, entry.user)
    data = {**entry.data(w, entry.user, 1), **_drawn(w, entry, client, entry.user), entry.token: value}
    before = _rows(entry).count()
    response = client.post(entry.action(w, entry.user), data)
    status, _ = _answer(response)
    if status == 302 and _rows(entry).count() == before + 1:
        row = _rows(entry).get(**entry.owner(w, entry.user, 1))
        if hasattr(row, "form_token"):  # (a sign-up keeps no token: its link is derived from it)
            valid = input_id == "two-tokens"  # the last of the two is a well-formed token
            assert (row.form_token is not None) == valid, f"stored the token {row.form_token!r}"
        return
    assert _rows(entry).count() == before, "refused, but a row was added"
    assert_refused(response, "form", posted=value if isinstance(value, str) else None)


def test_every_post_endpoint_is_classified_as_a_create_or_not():
    unclassified = sorted(set(ENDPOINTS) - set(CREATES) - set(NOT_A_CREATE))
    assert not unclassified, f"endpoints neither in CREATES nor in NOT_A_CREATE: {unclassified}"
    assert not set(CREATES) & set(NOT_A_CREATE)
    assert all(len(reason.split()) >= 3 for reason in NOT_A_CREATE.values())
