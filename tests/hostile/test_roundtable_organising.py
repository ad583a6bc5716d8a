"""Hostile requests on the organisers' roundtable pages (new, edit, copy, cancel). Bad fields on each form
are walked by test_forms (tests/hostile/endpoints.py), double submits by test_double_submit; here:

- NOT_ORGANISERS: coordinators, regional staff, visitors and signed-out people, by GET and by a crafted
  POST of a valid form: 403 (or the sign-in page), nothing changes.
- A cancelled roundtable: editing it (a valid form, a hostile one), cancelling it again, a family signing
  up or cancelling by its link: refused with a clear message, nothing changes, no email.
- A roundtable that took place: cancelling it is refused.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.hostile.endpoints import copy_valid, roundtable_edit_valid, roundtable_valid, signup_valid

pytestmark = pytest.mark.hostile_input

NOT_ORGANISERS = ["carla", "dwayne", "rita", "marcus", "ana", None]
PAGES = {
    "roundtable_new": (lambda w: reverse("roundtable:roundtable_new"), roundtable_valid),
    "roundtable_edit": (lambda w: reverse("roundtable:roundtable_edit", args=[w.roundtable.pk]), roundtable_edit_valid),
    "roundtable_copy": (lambda w: reverse("roundtable:roundtable_copy", args=[w.roundtable.pk]), copy_valid),
    "roundtable_cancel": (lambda w: reverse("roundtable:roundtable_cancel", args=[w.roundtable.pk]), lambda w: {}),
}


@pytest.mark.parametrize("who", NOT_ORGANISERS)
@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_people_who_do_not_organise_change_nothing(w, unchanged, who, page, method):
    url, valid = PAGES[page]
    with unchanged(fresh=True):
        response = getattr(w.client(who), method)(url(w), valid(w) if method == "post" else None)
    assert response.status_code == (302 if who is None else 403)
    if who is None:
        assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def cancelled(w):
    """A second roundtable next week, with one family, cancelled."""
    from roundtable import services

    starts = timezone.now() + timedelta(days=8)
    rt = services.roundtable_create(by=w.user("tomas"), starts_at=starts, ends_at=starts + timedelta(hours=2),
                                    capacity=4, title_en="Called off", address="1 Main Street")
    made = services.signup_create(roundtable=rt, name="A Family", email="called-off@example.org", consent=True)
    services.roundtable_cancel(roundtable=rt, by=w.user("tomas"))
    mail.outbox.clear()
    return rt, made.token


def _edit_form(rt, **overrides):
    starts, ends = timezone.localtime(rt.starts_at), timezone.localtime(rt.ends_at)
    data = dict(roundtable_valid(None), title_en="Renamed", title_es="", description_en="", description_es="",
                held_in="en", languages=["en"], address=rt.address, capacity="40", date=starts.date().isoformat(),
                start_time=starts.strftime("%H:%M"), end_time=ends.strftime("%H:%M"))
    data.update(overrides)
    return data


@pytest.mark.parametrize("form", ["valid", "capacity-zero", "date-passed", "script-title"])
def test_editing_a_cancelled_roundtable_is_refused_and_changes_nothing(w, unchanged, cancelled, form):
    rt, _ = cancelled
    data = {"valid": _edit_form(rt), "capacity-zero": _edit_form(rt, capacity="0"),
            "date-passed": _edit_form(rt, date="2020-01-01"),
            "script-title": _edit_form(rt, title_en="<script>alert(1)</script>")}[form]
    with unchanged(fresh=True):
        response = w.client("samira").post(reverse("roundtable:roundtable_edit", args=[rt.pk]), data)
    assert response.status_code == 409
    assert "This roundtable was cancelled: it can no longer be changed." in response.content.decode()
    assert b"<script>alert(1)</script>" not in response.content and mail.outbox == []


def test_cancelling_twice_is_refused_with_a_reason(w, unchanged, cancelled):
    rt, _ = cancelled
    with unchanged(fresh=True):
        response = w.client("tomas").post(reverse("roundtable:roundtable_cancel", args=[rt.pk]))
    assert response.status_code == 409 and "This roundtable was already cancelled." in response.content.decode()
    assert mail.outbox == []


def test_signing_up_for_a_cancelled_roundtable_is_refused(w, unchanged, cancelled):
    rt, _ = cancelled
    with unchanged(fresh=True):
        response = w.client().post(reverse("roundtable:signup", args=[rt.pk]),
                                   dict(signup_valid(w), email="late@example.org"))
    assert response.status_code == 410
    assert "This roundtable was cancelled, so sign-up is closed." in response.content.decode()


def test_a_family_cancelling_by_link_after_the_organisers_did_changes_nothing(w, unchanged, cancelled):
    rt, token = cancelled
    with unchanged(fresh=True):
        response = w.client().post(reverse("roundtable:cancel", args=[token]), follow=True)
    assert "This roundtable was cancelled by its organisers" in response.content.decode()


def test_a_copy_of_a_cancelled_roundtable_is_allowed(w, cancelled):
    from roundtable.models import Roundtable

    rt, _ = cancelled
    response = w.client("tomas").post(reverse("roundtable:roundtable_copy", args=[rt.pk]), copy_valid(w, days=30))
    copy = Roundtable.objects.filter(title_en="Called off", is_draft=True).get()
    assert response.status_code == 302 and not copy.is_cancelled and not copy.signups.exists()


def test_cancelling_a_roundtable_that_took_place_is_refused(w, unchanged):
    from roundtable import services

    starts = timezone.now() - timedelta(days=2)
    rt = services.roundtable_create(by=w.user("tomas"), starts_at=starts, ends_at=starts + timedelta(hours=2),
                                    capacity=4, title_en="Last week", address="1 Main Street")
    with unchanged(fresh=True):
        response = w.client("tomas").post(reverse("roundtable:roundtable_cancel", args=[rt.pk]))
    assert response.status_code == 409 and "already taken place" in response.content.decode()
