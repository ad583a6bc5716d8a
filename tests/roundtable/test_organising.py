"""Organisers run roundtables in the Hub's own pages: create, edit, copy and cancel, with the rules in
`roundtable.services` and who may do it in `roundtable.selectors.may_organise`."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hub.audit.models import AuditEntry
from hub.program import PROGRAM_TZ
from hub.roles import VISITOR
from roundtable import errors, selectors, services
from roundtable.models import FamilySignup, Roundtable

pytestmark = pytest.mark.django_db


def _day(days: int = 14) -> date:
    return timezone.localdate() + timedelta(days=days)


def form_data(**overrides) -> dict:
    data = {"title_en": "Mornings that work", "title_es": "Mañanas que funcionan",
            "description_en": "What helps in the morning.", "description_es": "Qué ayuda por la mañana.",
            "held_in": "es", "languages": ["es", "en"], "format": "in_person",
            "address": "195 Putnam Street, Hartford", "address_es": "", "join_link": "",
            "date": _day().isoformat(), "start_time": "18:00", "end_time": "20:00", "capacity": "12",
            "childcare": "on", "district": "", "publish": "on"}
    data.update(overrides)
    return data


@pytest.fixture
def visitor(orgs, home_page, make_person):
    return make_person("ana", roles=[VISITOR], home_district=orgs["Hartford"])


def _full(rt, family, n: int, **extra):
    return [services.signup_create(roundtable=rt, **family(i, **extra)).signup for i in range(n)]


# -- services ----------------------------------------------------------------------------------------

def test_the_same_create_form_sent_twice_makes_one_roundtable(organiser):
    starts, ends = services.roundtable_times(day=_day(), start=time(18), end=time(20))
    token = __import__("uuid").uuid4()
    kwargs = dict(by=organiser.user, title_en="Once", starts_at=starts, ends_at=ends, capacity=10,
                  address="1 Main Street", form_token=token, must_be_upcoming=True)
    first, second = services.roundtable_create(**kwargs), services.roundtable_create(**kwargs)
    assert first.pk == second.pk and Roundtable.objects.filter(title_en="Once").count() == 1


@pytest.mark.parametrize("who", ["coordinator", "regional", "visitor"])
def test_only_trainers_and_state_staff_create_edit_copy_or_cancel(request, who, make_roundtable, state_staff):
    person = request.getfixturevalue(who)
    rt = make_roundtable()
    assert selectors.may_organise(state_staff.user) and not selectors.may_organise(person.user)
    with pytest.raises(errors.NotAllowed):
        services.roundtable_create(by=person.user, title_en="x", starts_at=rt.starts_at, ends_at=rt.ends_at,
                                   capacity=5, address="1 Main Street")
    with pytest.raises(errors.NotAllowed):
        services.roundtable_edit(roundtable=rt, by=person.user, capacity=40)
    with pytest.raises(errors.NotAllowed):
        services.roundtable_copy(roundtable=rt, by=person.user, starts_at=rt.starts_at, ends_at=rt.ends_at)
    with pytest.raises(errors.NotAllowed):
        services.roundtable_cancel(roundtable=rt, by=person.user)
    rt.refresh_from_db()
    assert rt.capacity == 2 and not rt.is_cancelled and Roundtable.objects.count() == 1


@pytest.mark.parametrize("spec, field", [
    (dict(title_es=""), "title_es"),
    (dict(description_es=""), "description_es"),
    (dict(capacity=0), "capacity"),
    (dict(capacity=-3), "capacity"),
    (dict(capacity=10**9), "capacity"),
    (dict(address=""), "address"),
    (dict(languages=["xx"]), "languages"),
    (dict(join_link="http://meet.example.org/x"), "join_link"),
])
def test_impossible_details_are_refused_naming_the_field(organiser, spec, field):
    starts, ends = services.roundtable_times(day=_day(), start=time(18), end=time(20))
    kwargs = dict(title_en="An evening", title_es="Una tarde", description_en="About", description_es="Sobre",
                  address="1 Main Street", languages=["en", "es"], capacity=10)
    kwargs.update(spec)
    with pytest.raises(errors.InvalidRoundtable) as refused:
        services.roundtable_create(by=organiser.user, starts_at=starts, ends_at=ends, **kwargs)
    assert refused.value.field == field and not Roundtable.objects.exists()


def test_spanish_text_is_needed_only_where_spanish_is_offered(organiser):
    starts, ends = services.roundtable_times(day=_day(), start=time(18), end=time(20))
    rt = services.roundtable_create(by=organiser.user, title_en="English only", description_en="About",
                                    starts_at=starts, ends_at=ends, capacity=5, address="1 Main St", languages=["en"])
    assert rt.title_es == "" and not rt.offers_spanish


@pytest.mark.parametrize("day, start, end, field", [
    (_day(-1), time(18), time(20), "starts_at"),  # passed
    (_day(800), time(18), time(20), "starts_at"),  # beyond two years
    (date(9999, 12, 31), time(23), time(23, 30), "starts_at"),  # would overflow in UTC
    (_day(), time(20), time(18), "ends_at"),
    (_day(), time(18), time(18), "ends_at"),
])
def test_bad_dates_are_refused(organiser, day, start, end, field):
    with pytest.raises(errors.InvalidRoundtable) as refused:
        starts, ends = services.roundtable_times(day=day, start=start, end=end)
        services.roundtable_create(by=organiser.user, title_en="x", starts_at=starts, ends_at=ends, capacity=5,
                                   address="1 Main St", must_be_upcoming=True)
    assert refused.value.field == field and not Roundtable.objects.exists()


def test_seats_cannot_drop_below_the_families_already_confirmed(make_roundtable, organiser, family):
    rt = make_roundtable(capacity=3)
    _full(rt, family, 3)
    with pytest.raises(errors.InvalidRoundtable) as refused:
        services.roundtable_edit(roundtable=rt, by=organiser.user, capacity=2, title_en="Renamed")
    assert refused.value.field == "capacity" and "3 families already have a confirmed place" in str(refused.value)
    rt.refresh_from_db()
    assert rt.capacity == 3 and rt.title_en == "Getting to school every day"
    services.roundtable_edit(roundtable=rt, by=organiser.user, capacity=3, title_en="Renamed")
    assert Roundtable.objects.get(pk=rt.pk).title_en == "Renamed"


def test_more_seats_promote_the_waitlist_and_tell_the_family(make_roundtable, organiser, family,
                                                           django_capture_on_commit_callbacks):
    rt = make_roundtable(capacity=1)
    _full(rt, family, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.roundtable_edit(roundtable=rt, by=organiser.user, capacity=2)
    assert FamilySignup.objects.filter(roundtable=rt, status="confirmed").count() == 2
    assert [m.to for m in mail.outbox] == [["family1@example.org"]]
    assert AuditEntry.objects.filter(action="roundtable.edit", object_id=str(rt.pk)).exists()


def test_a_roundtable_with_families_cannot_go_back_to_draft(make_roundtable, organiser, family):
    rt = make_roundtable()
    _full(rt, family, 1)
    with pytest.raises(errors.InvalidRoundtable) as refused:
        services.roundtable_edit(roundtable=rt, by=organiser.user, is_draft=True)
    assert refused.value.field == "is_draft" and not Roundtable.objects.get(pk=rt.pk).is_draft


def test_a_copy_is_a_draft_on_its_new_date_without_families(make_roundtable, organiser, family):
    rt = make_roundtable(capacity=7, childcare=False, address_es="Escuela Burns")
    _full(rt, family, 2)
    starts, ends = services.roundtable_times(day=_day(40), start=time(17, 30), end=time(19))
    token = __import__("uuid").uuid4()
    copy = services.roundtable_copy(roundtable=rt, by=organiser.user, starts_at=starts, ends_at=ends, form_token=token)
    again = services.roundtable_copy(roundtable=rt, by=organiser.user, starts_at=starts, ends_at=ends, form_token=token)
    assert copy.pk == again.pk != rt.pk and Roundtable.objects.count() == 2
    assert copy.is_draft and copy.starts_at == datetime.combine(_day(40), time(17, 30), tzinfo=PROGRAM_TZ)
    assert (copy.title_es, copy.capacity, copy.childcare, copy.address_es, copy.languages) == (
        rt.title_es, 7, False, "Escuela Burns", rt.languages)
    assert not copy.signups.exists()
    assert copy not in selectors.upcoming() and selectors.roundtable_public(pk=copy.pk) is None
    with pytest.raises(errors.RoundtableNotOpen):
        services.signup_create(roundtable=copy, **family(9))
    services.roundtable_edit(roundtable=copy, by=organiser.user, is_draft=False)
    assert services.signup_create(roundtable=copy, **family(9)).created


def test_a_copy_needs_a_date_that_has_not_passed(make_roundtable, organiser):
    rt = make_roundtable()
    with pytest.raises(errors.InvalidRoundtable):
        services.roundtable_copy(roundtable=rt, by=organiser.user, starts_at=timezone.now() - timedelta(hours=3),
                                 ends_at=timezone.now() - timedelta(hours=1))
    assert Roundtable.objects.count() == 1


def test_cancelling_tells_each_family_in_their_language_and_keeps_the_counts(make_roundtable, organiser, family,
                                                                           django_capture_on_commit_callbacks):
    rt = make_roundtable(capacity=2)
    _full(rt, family, 1)
    services.signup_create(roundtable=rt, **family(1, preferred_language="es"))
    services.signup_create(roundtable=rt, **family(2, email="", phone="860-555-0142"))  # waitlisted, phone only
    before = selectors.needs_summary(roundtable=rt)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = services.roundtable_cancel(roundtable=rt, by=organiser.user)
    assert (done.emailed, done.phone_only) == (2, 1)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["family0@example.org"].subject == "Cancelled: Getting to school every day"
    assert by_address["family1@example.org"].subject == "Cancelada: Llegar a la escuela cada día"
    assert "está cancelada" in by_address["family1@example.org"].body
    assert selectors.needs_summary(roundtable=rt) == before  # nobody's seat changed
    assert AuditEntry.objects.filter(action="roundtable.cancel", object_id=str(rt.pk)).exists()


def test_a_cancelled_roundtable_refuses_sign_ups_edits_and_a_second_cancel(make_roundtable, organiser, family,
                                                                         django_capture_on_commit_callbacks):
    rt = make_roundtable()
    signup = _full(rt, family, 1)[0]
    services.roundtable_cancel(roundtable=rt, by=organiser.user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _refusals(rt, signup, organiser, family)
    assert FamilySignup.objects.get(pk=signup.pk).status == "confirmed" and FamilySignup.objects.count() == 1
    assert Roundtable.objects.get(pk=rt.pk).title_en == "Getting to school every day" and mail.outbox == []


def _refusals(rt, signup, organiser, family):
    with pytest.raises(errors.RoundtableCancelled):
        services.signup_create(roundtable=rt, **family(5))
    with pytest.raises(errors.RoundtableCancelled):
        services.roundtable_edit(roundtable=rt, by=organiser.user, title_en="Changed")
    with pytest.raises(errors.RoundtableCancelled):
        services.roundtable_cancel(roundtable=rt, by=organiser.user)
    with pytest.raises(errors.RoundtableCancelled):
        services.signup_cancel(signup=signup)


def test_a_roundtable_that_took_place_cannot_be_cancelled(make_roundtable, organiser):
    rt = make_roundtable(days=-1)
    with pytest.raises(errors.InvalidRoundtable):
        services.roundtable_cancel(roundtable=rt, by=organiser.user)
    assert not Roundtable.objects.get(pk=rt.pk).is_cancelled


# -- pages -------------------------------------------------------------------------------------------

URLS = {"roundtable_new": False, "roundtable_edit": True, "roundtable_copy": True, "roundtable_cancel": True}


def _url(name, rt):
    return reverse(f"roundtable:{name}", args=[rt.pk] if URLS[name] else [])


@pytest.mark.parametrize("name", list(URLS))
def test_organiser_pages_answer_403_to_coordinators_and_visitors_and_change_nothing(
        client, make_roundtable, coordinator, visitor, state_staff, name):
    rt = make_roundtable()
    assert client.get(_url(name, rt)).status_code == 302  # signed out: to sign in
    assert client.post(_url(name, rt), form_data()).status_code == 302
    for person in (coordinator, visitor):
        client.force_login(person.user)
        assert client.get(_url(name, rt)).status_code == 403
        assert client.post(_url(name, rt), form_data()).status_code == 403
    rt.refresh_from_db()
    assert Roundtable.objects.count() == 1 and not rt.is_cancelled and rt.title_en == "Getting to school every day"
    client.force_login(state_staff.user)
    assert client.get(_url(name, rt)).status_code == 200


def test_an_organiser_creates_a_spanish_roundtable_that_families_see(client, organiser):
    client.force_login(organiser.user)
    page = client.get(reverse("roundtable:roundtable_new"))
    token = page.context["form"].initial["form_token"]
    response = client.post(reverse("roundtable:roundtable_new"), form_data(form_token=str(token)))
    again = client.post(reverse("roundtable:roundtable_new"), form_data(form_token=str(token)))
    rt = Roundtable.objects.get()
    assert response.status_code == again.status_code == 302
    assert response["Location"] == reverse("roundtable:organise_detail", args=[rt.pk])
    assert (rt.held_in, rt.languages, rt.capacity, rt.childcare, rt.is_draft) == ("es", ["es", "en"], 12, True, False)
    assert timezone.localtime(rt.starts_at).time() == time(18)
    client.logout()
    client.cookies["django_language"] = "es"
    assert "Mañanas que funcionan" in client.get(reverse("roundtable:upcoming")).content.decode()


@pytest.mark.parametrize("overrides, field, message", [
    (dict(title_es=""), "title_es", "Spanish is offered: give the title in Spanish too."),
    (dict(description_es=""), "description_es", "give the description in Spanish too"),
    (dict(capacity="0"), "capacity", "greater than or equal to 1"),
    (dict(capacity="-5"), "capacity", "greater than or equal to 1"),
    (dict(capacity="99999999999999999999"), "capacity", "less than or equal to 500"),
    (dict(date="2026-02-30"), "date", "Enter a valid date"),
    (dict(date="99999-01-01"), "date", "Enter a valid date"),
    (dict(date="9999-12-31"), "date", "within the next two years"),
    (dict(date=(timezone.localdate() - timedelta(days=1)).isoformat()), "date", "have not passed yet"),
    (dict(end_time="17:00"), "end_time", "must end after it starts"),
    (dict(start_time="25:00"), "start_time", "Enter a valid time"),
    (dict(languages=["tlh"]), "languages", "Select a valid choice"),
    (dict(held_in="fr"), "held_in", "Select a valid choice"),
    (dict(address=""), "address", "Give the address"),
])
def test_bad_input_on_the_create_form_is_a_form_error_and_nothing_is_made(client, organiser, overrides, field,
                                                                          message):
    client.force_login(organiser.user)
    response = client.post(reverse("roundtable:roundtable_new"), form_data(**overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors.get(field, []))
    assert not Roundtable.objects.exists()


def test_the_edit_form_says_why_seats_cannot_drop_below_the_sign_ups(client, make_roundtable, organiser, family):
    # At 10:00 a week from today: an evening run must not make "now + 7 days" end after midnight.
    ten = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=7), time(10)))
    rt = make_roundtable(capacity=3, starts=ten)
    _full(rt, family, 2)
    client.force_login(organiser.user)
    page = client.get(reverse("roundtable:roundtable_edit", args=[rt.pk]))
    assert page.status_code == 200 and page.context["form"].initial["capacity"] == 3
    data = form_data(capacity="1", title_en="Renamed", held_in="en", languages=["en", "es"],
                     title_es=rt.title_es, date=timezone.localtime(rt.starts_at).date().isoformat(),
                     start_time=timezone.localtime(rt.starts_at).strftime("%H:%M"),
                     end_time=timezone.localtime(rt.ends_at).strftime("%H:%M"))
    response = client.post(reverse("roundtable:roundtable_edit", args=[rt.pk]), data)
    assert response.status_code == 400
    assert "2 families already have a confirmed place" in " ".join(response.context["form"].errors["capacity"])
    assert Roundtable.objects.get(pk=rt.pk).capacity == 3
    response = client.post(reverse("roundtable:roundtable_edit", args=[rt.pk]), dict(data, capacity="2"))
    assert response.status_code == 302 and Roundtable.objects.get(pk=rt.pk).title_en == "Renamed"


def test_copy_makes_a_draft_and_opens_its_edit_page(client, make_roundtable, organiser):
    rt = make_roundtable()
    client.force_login(organiser.user)
    page = client.get(reverse("roundtable:roundtable_copy", args=[rt.pk]))
    token = str(page.context["form"].initial["form_token"])
    data = {"date": _day(30).isoformat(), "start_time": "18:30", "end_time": "20:00", "form_token": token}
    response = client.post(reverse("roundtable:roundtable_copy", args=[rt.pk]), data)
    client.post(reverse("roundtable:roundtable_copy", args=[rt.pk]), data)
    copy = Roundtable.objects.exclude(pk=rt.pk).get()
    assert response["Location"] == reverse("roundtable:roundtable_edit", args=[copy.pk]) and copy.is_draft
    assert "Draft" in client.get(reverse("roundtable:organise")).content.decode()


def test_cancelling_asks_first_then_shows_cancelled_everywhere(client, make_roundtable, organiser, family):
    rt = make_roundtable()
    made = services.signup_create(roundtable=rt, **family(1, preferred_language="es"))
    client.force_login(organiser.user)
    confirm = client.get(reverse("roundtable:roundtable_cancel", args=[rt.pk])).content.decode()
    assert "1 family will be told by email" in confirm and not Roundtable.objects.get(pk=rt.pk).is_cancelled
    response = client.post(reverse("roundtable:roundtable_cancel", args=[rt.pk]))
    assert response.status_code == 302 and Roundtable.objects.get(pk=rt.pk).is_cancelled
    detail = client.get(reverse("roundtable:organise_detail", args=[rt.pk])).content.decode()
    assert "This roundtable is cancelled." in detail and 'data-count="confirmed">1 / 2' in detail
    assert client.post(reverse("roundtable:roundtable_cancel", args=[rt.pk])).status_code == 409
    edit = client.post(reverse("roundtable:roundtable_edit", args=[rt.pk]), form_data())
    assert edit.status_code == 409 and Roundtable.objects.get(pk=rt.pk).title_en == "Getting to school every day"
    client.logout()
    signup_page = client.get(reverse("roundtable:signup", args=[rt.pk])).content.decode()
    assert "This roundtable was cancelled, so sign-up is closed." in signup_page
    from tests.roundtable.test_views import form_data as signup_form

    refused = client.post(reverse("roundtable:signup", args=[rt.pk]), signup_form(email="late@example.org"))
    assert refused.status_code == 410 and FamilySignup.objects.count() == 1
    private = client.get(reverse("roundtable:private", args=[made.token])).content.decode()
    assert "Esta mesa redonda fue cancelada" in private and "Cancelar mi inscripción" not in private


def test_a_roundtable_without_childcare_does_not_ask_about_children(client, make_roundtable):
    rt = make_roundtable(childcare=False)
    body = client.get(reverse("roundtable:signup", args=[rt.pk])).content.decode()
    assert "No childcare at this roundtable" in body and 'name="children_count"' not in body
