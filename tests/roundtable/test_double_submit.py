"""A family's sign-up form sent twice is one sign-up, and the family still gets its private link even when
the first answer never reached the phone (a double tap drops the first response, and the cookie that
remembered the link with it). Someone else's form token does not reach that family's sign-up."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from roundtable import services
from roundtable.models import FamilySignup
from tests.double_submit import at_once, form_token
from tests.roundtable.test_views import form_data, text
from tests.support import require_postgres

pytestmark = pytest.mark.django_db

SENDS = 5


def test_the_signup_form_sent_five_times_is_one_signup_on_one_private_page(client, make_roundtable):
    rt = make_roundtable()
    url = reverse("roundtable:signup", args=[rt.pk])
    token = form_token(client.get(url))
    responses = [client.post(url, form_data(form_token=token)) for _ in range(SENDS)]
    assert FamilySignup.objects.count() == 1
    assert {r.status_code for r in responses} == {302}
    assert len({r["Location"] for r in responses}) == 1


def test_when_the_first_answer_is_lost_the_resend_still_shows_the_private_link(make_roundtable):
    """Phone-only: no email carries the link, so the page is the family's only copy of it."""
    rt = make_roundtable()
    url = reverse("roundtable:signup", args=[rt.pk])
    phone = Client()
    token = form_token(phone.get(url))
    data = form_data(email="", phone="860-555-0142", form_token=token)
    lost = Client().post(url, data)  # the first send: its answer, and the cookie it set, never arrive
    again = phone.post(url, data)
    assert again.status_code == 302 and again["Location"] == lost["Location"]
    page = phone.get(again["Location"])
    assert page.status_code == 200 and "You're signed up!" in text(page)
    assert FamilySignup.objects.count() == 1


def test_another_family_sending_the_same_form_token_gets_its_own_signup_not_the_first(make_roundtable):
    """A token drawn once could still reach two families (a page kept in a shared cache, a shared
    computer): with other contact details it is ignored, and the first family's page stays theirs."""
    rt = make_roundtable(capacity=5)
    url = reverse("roundtable:signup", args=[rt.pk])
    token = form_token(Client().get(url))
    first = Client().post(url, form_data(form_token=token, accessibility_needs="Quiet room"))
    second = Client().post(url, form_data(form_token=token, name="Other family", email="other@example.org"))
    assert first.status_code == second.status_code == 302 and first["Location"] != second["Location"]
    assert "Quiet room" not in text(Client().get(second["Location"]))
    assert FamilySignup.objects.count() == 2


def test_a_fresh_form_with_the_same_email_from_another_browser_still_reveals_nothing(make_roundtable):
    rt = make_roundtable()
    url = reverse("roundtable:signup", args=[rt.pk])
    Client().post(url, form_data(form_token=form_token(Client().get(url))))
    other = Client()
    response = other.post(url, form_data(form_token=form_token(other.get(url))))
    assert response.status_code == 200 and "You are already signed up" in text(response)
    assert "/roundtables/s/" not in text(response) and FamilySignup.objects.count() == 1


@pytest.mark.parametrize("token", ["not-a-uuid", "x" * 10_000, "1234\x00", "' OR 1=1 --", ""])
def test_a_malformed_form_token_is_treated_as_none(client, make_roundtable, token):
    rt = make_roundtable()
    response = client.post(reverse("roundtable:signup", args=[rt.pk]), form_data(form_token=token))
    assert response.status_code == 302 and FamilySignup.objects.count() == 1


def test_a_cancelled_signup_sent_again_from_the_same_form_shows_the_cancelled_signup(client, make_roundtable,
                                                                                     family):
    """One form, one sign-up: resending the old page after cancelling shows that sign-up (cancelled); a
    freshly drawn form signs up again."""
    rt = make_roundtable()
    token = uuid.uuid4()
    made = services.signup_create(roundtable=rt, form_token=token, **family(1))
    services.signup_cancel(signup=made.signup)
    again = services.signup_create(roundtable=rt, form_token=token, **family(1))
    assert (again.created, again.signup.pk, again.token) == (False, made.signup.pk, made.token)
    fresh = services.signup_create(roundtable=rt, form_token=uuid.uuid4(), **family(1))
    assert fresh.created and fresh.signup.pk != made.signup.pk


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_one_form_token_sent_by_many_threads_at_once_is_one_signup_and_every_answer_has_its_link(
        make_roundtable, family):
    require_postgres(connection)
    rt = make_roundtable(capacity=5)
    token = uuid.uuid4()
    results, failures = at_once(6, lambda _: services.signup_create(roundtable=rt, form_token=token,
                                                                    **family(1, email="", phone="8605550142")))
    assert failures == []
    assert sorted(r.created for r in results) == [False] * 5 + [True]
    assert len({r.token for r in results}) == 1 and len({r.signup.pk for r in results}) == 1
    assert FamilySignup.objects.filter(roundtable=rt).count() == 1
