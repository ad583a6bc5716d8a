"""The families' pages (no login), bad input in English and Spanish, private links, spam resistance,
and the organisers' pages, CSV and insights."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from hub.exports import safe_cell as csv_safe
from roundtable import ratelimit, services
from roundtable.models import FamilySignup, Roundtable

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"name": "Ana Ruiz", "preferred_language": "en", "email": "ana@example.org", "phone": "",
            "interpretation_language": "", "children_count": "1", "accessibility_needs": "", "district": "",
            "heard_from": "school", "consent": "on", "website": ""}
    data.update(overrides)
    return data


def spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def text(response) -> str:
    return response.content.decode()


# -- public pages -------------------------------------------------------------------------------------

def test_the_list_is_public_and_shows_both_languages(client, make_roundtable):
    make_roundtable(format="virtual", address="", join_link="https://meet.example.org/x")
    response = client.get(reverse("roundtable:upcoming"))
    assert response.status_code == 200
    assert "Getting to school every day" in text(response) and "Online (video call)" in text(response)
    assert 'action="/i18n/setlang/"' in text(response)
    response = spanish(client).get(reverse("roundtable:upcoming"))
    body = text(response)
    assert '<html lang="es">' in body
    assert "Llegar a la escuela cada día" in body and "En línea (videollamada)" in body
    assert "Mesas redondas familiares" in body and "Ir al contenido principal" in body  # base.html too


def test_the_language_switcher_sets_spanish_and_dates_follow(client, make_roundtable):
    rt = make_roundtable()
    url = reverse("roundtable:signup", args=[rt.pk])
    response = client.post("/i18n/setlang/", {"language": "es", "next": url}, follow=True)
    body = text(response)
    assert "Inscribirme" in body and "Su nombre" in body and "(obligatorio)" in body
    from django.utils import translation

    from roundtable.formatting import when
    with translation.override("es"):
        assert when(rt.starts_at) in body


def test_the_nav_shows_roundtables_to_signed_out_visitors(client):
    assert 'href="/roundtables/"' in text(client.get(reverse("roundtable:upcoming")))


def test_a_family_signs_up_without_an_account_and_sees_the_private_page(client, make_roundtable):
    rt = make_roundtable()
    response = client.post(reverse("roundtable:signup", args=[rt.pk]), form_data())
    assert response.status_code == 302
    signup = FamilySignup.objects.get()
    assert signup.email == "ana@example.org" and signup.children_count == 1
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "You're signed up!" in text(page) and "Cancel my sign-up" in text(page)
    assert page["Cache-Control"] == "no-store, private"
    assert response["Location"] in text(page)  # the private link itself is shown


def test_cancelling_by_private_link_frees_the_place(client, make_roundtable):
    rt = make_roundtable(capacity=1)
    location = client.post(reverse("roundtable:signup", args=[rt.pk]), form_data())["Location"]
    waiting = services.signup_create(roundtable=rt, name="B", email="b@example.org", consent=True).signup
    token = location.rstrip("/").split("/")[-1]
    response = client.post(reverse("roundtable:cancel", args=[token]), follow=True)
    assert "Your sign-up is cancelled" in text(response)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_cancel_is_post_only(client, make_roundtable):
    result = services.signup_create(roundtable=make_roundtable(), name="A", email="a@example.org", consent=True)
    assert client.get(reverse("roundtable:cancel", args=[result.token])).status_code == 405


@pytest.mark.parametrize("token", ["x" * 32, "guess", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "a" * 200, "%3Cscript%3E"])
def test_a_guessed_private_link_is_a_404_that_reveals_nothing(client, make_roundtable, token):
    result = services.signup_create(roundtable=make_roundtable(), name="Secret Family", email="s@example.org",
                                    consent=True)
    for url in (f"/roundtables/s/{token}/", f"/roundtables/s/{result.token[:-1]}/",
                f"/roundtables/s/{result.token}x/", f"/roundtables/s/{result.token.upper()}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Secret Family" not in text(response) and "s@example.org" not in text(response)
    assert client.post(f"/roundtables/s/{token}/cancel/").status_code == 404
    assert FamilySignup.objects.get().status == "confirmed"


def test_signing_up_twice_in_the_same_browser_shows_the_existing_signup(client, make_roundtable):
    rt = make_roundtable()
    first = client.post(reverse("roundtable:signup", args=[rt.pk]), form_data())["Location"]
    again = client.post(reverse("roundtable:signup", args=[rt.pk]),
                        form_data(name="Ana R.", email="ANA@example.org", phone="860-555-0142"))
    assert again.status_code == 302 and again["Location"] == first
    assert FamilySignup.objects.count() == 1


def test_signing_up_twice_from_another_browser_is_not_duplicated_and_reveals_nothing(client, make_roundtable,
                                                                                      django_user_model):
    from django.test import Client

    rt = make_roundtable()
    client.post(reverse("roundtable:signup", args=[rt.pk]), form_data(accessibility_needs="Quiet room"))
    other = Client()
    response = other.post(reverse("roundtable:signup", args=[rt.pk]), form_data(name="Someone else"))
    assert response.status_code == 200
    assert "You are already signed up" in text(response)
    assert "Quiet room" not in text(response) and "/roundtables/s/" not in text(response)
    assert FamilySignup.objects.count() == 1


# -- bad input ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides,english,spanish_message", [
    (dict(email="", phone=""), "Please give an email address or a phone number",
     "Indique un correo electrónico o un número de teléfono"),
    (dict(email="", phone="000-000-0000"), "Enter a US phone number with 10 digits",
     "Escriba un número de teléfono de EE. UU. de 10 dígitos"),
    (dict(name="n" * 10_000), "at most 120 characters", "120 caracteres"),
    (dict(name="<script>alert(1)</script>"), "without the signs &lt; and &gt;", "sin los signos &lt; y &gt;"),
    (dict(email="<script>@x.org"), "valid email address", "correo electrónico válid"),
    (dict(phone="<script>alert(1)</script>"), "Enter a US phone number", "Escriba un número de teléfono"),
    (dict(accessibility_needs="<script>alert(1)</script>"), "without the signs", "sin los signos"),
    (dict(children_count="11"), "less than or equal to 10", "menor o igual a 10"),
    (dict(consent=""), "Please tick the box", "Marque la casilla"),
])
def test_bad_input_gets_a_clear_message_in_the_familys_language(client, make_roundtable, overrides, english,
                                                                 spanish_message):
    rt = make_roundtable()
    url = reverse("roundtable:signup", args=[rt.pk])
    data = form_data(**overrides)
    response = client.post(url, data)
    assert response.status_code == 400
    assert english in text(response)
    assert "<script>alert(1)</script>" not in text(response)  # echoed back escaped, never as HTML
    response = spanish(client).post(url, data)
    assert response.status_code == 400
    assert spanish_message in text(response)
    assert FamilySignup.objects.count() == 0


def test_an_invalid_field_points_at_its_message(client, make_roundtable):
    response = client.post(reverse("roundtable:signup", args=[make_roundtable().pk]), form_data(phone="123"))
    body = text(response)
    assert 'aria-invalid="true"' in body and 'aria-describedby="id_phone_help id_phone_error"' in body
    assert 'id="id_phone_error"' in body


def test_stored_text_is_escaped_everywhere(client, make_roundtable, organiser, family):
    rt = make_roundtable(title_en='<b onmouseover="x">Bold</b> & "quotes"')
    services.signup_create(roundtable=rt, **family(name='Ana "Nana" O\'Neil & Co'))
    client.force_login(organiser.user)
    for url in (reverse("roundtable:upcoming"), reverse("roundtable:organise_detail", args=[rt.pk])):
        body = text(client.get(url))
        assert '<b onmouseover="x">' not in body
        assert "&lt;b onmouseover=&quot;x&quot;&gt;Bold&lt;/b&gt; &amp; &quot;quotes&quot;" in body
    assert "Ana &quot;Nana&quot; O&#x27;Neil &amp; Co" in body


# -- spam -----------------------------------------------------------------------------------------------

def test_a_filled_honeypot_pretends_success_and_stores_nothing(client, make_roundtable):
    response = client.post(reverse("roundtable:signup", args=[make_roundtable().pk]),
                           form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "We received your sign-up." in text(response)
    assert FamilySignup.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, make_roundtable):
    body = text(client.get(reverse("roundtable:signup", args=[make_roundtable().pk])))
    start = body.index('class="honeypot')
    chunk = body[start - 20: body.index("</div>", start)]
    assert 'aria-hidden="true"' in chunk and "visually-hidden" in chunk
    assert 'tabindex="-1"' in chunk and 'autocomplete="off"' in chunk and 'name="website"' in chunk


def test_the_sixth_signup_from_one_address_in_ten_minutes_is_refused(client, make_roundtable):
    rt = make_roundtable(capacity=20)
    url = reverse("roundtable:signup", args=[rt.pk])
    for n in range(ratelimit.SIGNUPS_PER_WINDOW):
        assert client.post(url, form_data(email=f"f{n}@example.org"), REMOTE_ADDR="203.0.113.7").status_code == 302
    refused = spanish(client).post(url, form_data(email="f9@example.org"), REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert "Demasiadas inscripciones desde esta conexión" in text(refused)
    assert FamilySignup.objects.count() == ratelimit.SIGNUPS_PER_WINDOW
    # Another address is not affected.
    assert client.post(url, form_data(email="other@example.org"), REMOTE_ADDR="198.51.100.2").status_code == 302


def test_the_rate_limit_window_resets_after_ten_minutes(rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    cache.clear()
    start = 1_000_000 * ratelimit.WINDOW_SECONDS
    assert all(ratelimit.signup_allowed(request, now=start + n) for n in range(5))
    assert not ratelimit.signup_allowed(request, now=start + 10)
    assert ratelimit.signup_allowed(request, now=start + ratelimit.WINDOW_SECONDS)


# -- organisers --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["organise", "organise_detail", "export_csv"])
def test_organiser_pages_are_for_trainers_and_state_staff_only(client, make_roundtable, coordinator, regional,
                                                               state_staff, name):
    rt = make_roundtable()
    url = reverse(f"roundtable:{name}", args=[] if name == "organise" else [rt.pk])
    assert client.get(url).status_code == 302  # to sign in
    for person in (coordinator, regional):
        client.force_login(person.user)
        assert client.get(url).status_code == 403
    client.force_login(state_staff.user)
    assert client.get(url).status_code == 200


def test_the_organiser_sees_needs_and_checks_a_family_in(client, make_roundtable, organiser, family):
    rt = make_roundtable(days=0.01, capacity=3)
    signup = services.signup_create(roundtable=rt, **family(1, interpretation_language="ht", children_count=2)).signup
    # It began five minutes ago (check-in opens on its day: "now + 15 minutes" is tomorrow just before midnight).
    Roundtable.objects.filter(pk=rt.pk).update(starts_at=timezone.now() - timedelta(minutes=5),
                                               ends_at=timezone.now() + timedelta(hours=2))
    client.force_login(organiser.user)
    body = text(client.get(reverse("roundtable:organise_detail", args=[rt.pk])))
    assert "Haitian Creole: 1" in body and 'data-count="children">2' in body and "family1@example.org" in body
    client.post(reverse("roundtable:check_in", args=[rt.pk, signup.pk]), {"present": "1"})
    signup.refresh_from_db()
    assert signup.checked_in_at is not None
    assert "Undo check-in" in text(client.get(reverse("roundtable:organise_detail", args=[rt.pk])))


def test_the_csv_is_safe_to_open_in_a_spreadsheet(client, make_roundtable, organiser, family):
    rt = make_roundtable()
    services.signup_create(roundtable=rt, **family(1, name="=HYPERLINK(\"http://evil\")", accessibility_needs="+1 ramp"))
    services.signup_create(roundtable=rt, **family(2, name="@SUM(A1)", email="", phone="860-555-0142"))
    client.force_login(organiser.user)
    response = client.get(reverse("roundtable:export_csv", args=[rt.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Status", "Name", "Email"]
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")" and rows[1][7] == "'+1 ramp"
    assert rows[2][1] == "'@SUM(A1)" and rows[2][3] == "860-555-0142"


@pytest.mark.parametrize("value,safe", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@x", "'@x"),
                                        ("\tx", "'\tx"), ("\rx", "'\rx"), ("Ana", "Ana"), ("", ""), (3, "3")])
def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote(value, safe):
    assert csv_safe(value) == safe


def test_insights_are_recorded_by_organisers_and_read_by_program_leads(client, make_roundtable, organiser,
                                                                       regional, coordinator):
    rt = make_roundtable(days=-1)
    client.force_login(organiser.user)
    client.post(reverse("roundtable:insight_add", args=[rt.pk]),
                {"tag": "barrier", "kind": "quote", "text": "<script>alert(1)</script> no bus"})
    client.force_login(regional.user)
    body = text(client.get(reverse("roundtable:insights")))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; no bus" in body and "<script>alert(1)" not in body
    assert "Family insights" in text(client.get("/roundtables/"))  # in the nav for regional staff
    client.force_login(coordinator.user)
    assert client.get(reverse("roundtable:insights")).status_code == 403
