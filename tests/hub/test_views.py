"""Pages of the foundation: home, navigation by role, sign-in, password reset, refusals, errors."""

import pytest
from django.core import mail
from django.test import override_settings

from hub.models import School
from hub.roles import COORDINATOR, STATE_STAFF, TRAINER, VISITOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(orgs, home_page, make_person):
    return make_person("ana", roles=[VISITOR], school=School.objects.get(name="Burns Latino Studies Academy"))


@pytest.fixture
def coordinator(orgs, home_page, make_person):
    return make_person("carla", roles=[COORDINATOR], home_district=orgs["Hartford"])


def nav_labels(response):
    html = response.content.decode()
    start = html.index('aria-label="Main"')
    nav = html[start:html.index("</nav>", start)]
    import re

    return re.findall(r'<a href="[^"]*"(?: aria-current="page")?>([^<]+)</a>', nav)


def test_the_home_page_shows_its_editable_intro_and_a_sign_in_link(client, home_page):
    home_page.intro = "<p>Welcome, Hartford visitors.</p>"
    home_page.save_revision().publish()
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Welcome, Hartford visitors." in html
    assert '<html lang="en">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    labels = nav_labels(response)
    assert labels[0] == "Home" and "My profile" not in labels and "Districts" not in labels


def test_navigation_shows_each_role_what_it_can_do(client, visitor, coordinator, make_person):
    def labels_for(person):
        client.force_login(person.user)
        return set(nav_labels(client.get("/")))

    staff_only = {"Districts", "Edit the site"}
    assert "My profile" in labels_for(visitor) and not labels_for(visitor) & staff_only
    assert "Districts" in labels_for(coordinator) and "Edit the site" not in labels_for(coordinator)
    trainer = labels_for(make_person(roles=[TRAINER]))
    assert "Edit the site" in trainer and "Districts" not in trainer
    assert staff_only <= labels_for(make_person(roles=[STATE_STAFF]))


def test_a_visitor_asking_for_admin_pages_gets_a_refusal_never_data(client, visitor):
    client.force_login(visitor.user)
    for url in ("/admin/", "/admin/pages/", "/django-admin/", "/django-admin/hub/person/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "login" in response["Location"], url
        assert b"Burns Latino" not in response.content
    response = client.get("/districts/")
    assert response.status_code == 403
    assert b"You can't open this page" in response.content
    assert b"Bulkeley" not in response.content


def test_signed_out_people_are_sent_to_sign_in(client, home_page):
    response = client.get("/districts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/districts/")


def test_a_coordinator_sees_only_their_districts_in_the_directory(client, coordinator):
    client.force_login(coordinator.user)
    response = client.get("/districts/")
    assert response.status_code == 200
    assert b"Bulkeley High School" in response.content
    assert b"Fair Haven School" not in response.content
    assert b"1 district in your view" in response.content


def test_the_profile_page_shows_roles_school_and_scope(client, visitor):
    client.force_login(visitor.user)
    html = client.get("/me/").content.decode()
    assert "Visitor" in html and "Burns Latino Studies Academy" in html and "Hartford" in html


def test_signing_in_with_the_right_password_works_and_a_wrong_one_says_so(client, visitor):
    response = client.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/login/", {"username": "ana", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(visitor.user.pk)


def test_signing_out_needs_a_post_and_ends_the_session(client, visitor):
    client.force_login(visitor.user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_does_not_reveal_whether_an_address_exists(client, visitor):
    known = client.post("/accounts/password_reset/", {"email": "ana@example.org"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_unknown_addresses_get_the_friendly_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"We couldn't find that page" in response.content


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_server_error_shows_the_friendly_500(client, home_page, monkeypatch):
    import hub.views

    def boom(request):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(hub.views, "profile", boom)
    from hub.views import error_500

    response = error_500(None)
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"database on fire" not in response.content


def test_a_family_reading_spanish_gets_the_layout_and_public_navigation_in_spanish(client, home_page, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get("/").content.decode()
    assert '<html lang="es">' in html
    assert "Ir al contenido principal" in html
    assert ">Inicio<" in html and ">Cursos<" in html


def test_sign_out_everywhere_ends_every_session_of_the_person_and_no_one_elses(orgs, make_person):
    from django.test import Client

    from hub.models import UserSession
    from hub.roles import VISITOR

    ana = make_person("ana", roles=(VISITOR,), home_district=orgs["Hartford"])
    other = make_person("marcus", roles=(VISITOR,), home_district=orgs["Hartford"])
    phone, laptop, someone = Client(), Client(), Client()
    phone.force_login(ana.user)
    laptop.force_login(ana.user)
    someone.force_login(other.user)
    assert UserSession.objects.filter(user_id=ana.user.pk).count() == 2
    assert "signed in on 2 browsers or devices" in laptop.get("/me/").content.decode()
    response = laptop.post("/me/sign-out-everywhere/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not UserSession.objects.filter(user_id=ana.user.pk).exists()
    assert phone.get("/me/").status_code == 302  # the phone is signed out too
    assert someone.get("/me/").status_code == 200
    assert laptop.get("/me/sign-out-everywhere/").status_code in (302, 405)  # GET changes nothing


def test_every_help_text_and_error_a_field_points_at_is_on_the_page(client, coordinator, make_person):
    """Screen readers read a field's help and errors through aria-describedby: each id it names must be an
    element of the page (Django's widgets name `<id>_helptext`; the shared field template must match)."""
    import re

    def dangling(response) -> list[str]:
        text = response.content.decode()
        ids = set(re.findall(r'\bid="([^"]+)"', text))
        named = {token for value in re.findall(r'aria-describedby="([^"]+)"', text) for token in value.split()}
        return sorted(named - ids)

    pages = [("/accounts/login/", None), ("/join/leap-101/", None), ("/coordinators/cases/new/", coordinator),
             ("/sessions/manage/new/", make_person("tomas", roles=(TRAINER,)))]
    for path, person in pages:
        client.logout()
        if person is not None:
            client.force_login(person.user)
        response = client.get(path)
        assert response.status_code == 200, path
        assert path == "/accounts/login/" or "aria-describedby" in response.content.decode(), path
        assert dangling(response) == [], path
    client.logout()
    response = client.post("/join/leap-101/", {"email": "not an address", "password": "x"})
    assert response.status_code in (200, 400) and dangling(response) == []
