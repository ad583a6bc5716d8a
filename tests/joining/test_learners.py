"""LEAP 101 for learners from elsewhere: the public sign-up, the trainers' queue, the emails, the sign-in
messages, and bad input (known addresses, hostile fields, robots)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from hub.audit.models import AuditEntry
from hub.joining import services
from hub.joining.models import LearnerRequest
from hub.navigation import nav_items_for
from hub.roles import LEARNER, roles_of
from hub.selectors import scope_for

pytestmark = pytest.mark.django_db
PASSWORD = "porch-light-visits-42"
SIGNUP = "/join/leap-101/"


def valid(**changes):
    data = {"name": "Keisha Brown", "email": "Keisha.Brown@providence.example.org ",
            "organisation": "Providence Public Schools", "region": "Rhode Island", "country": "United States",
            "language": "en", "password1": PASSWORD, "password2": PASSWORD, "website": ""}
    data.update(changes)
    return data


@pytest.fixture
def signup(client, send):
    def post(**changes):
        with send():
            return client.post(SIGNUP, valid(**changes))
    return post


@pytest.fixture
def decide(client, inviters, send):
    """decide("approve" | "refuse", request, by="tomas", **form) -> response (the trainer's button)."""
    def post(action, learner_request, by="tomas", **form):
        client.force_login(inviters[by].user)
        with send():
            response = client.post(reverse(f"joining:learner_{action}", args=[learner_request.pk]), form)
        client.logout()
        return response
    return post


def mails_to(mailoutbox, address):
    return [m for m in mailoutbox if address in m.to]


def test_a_learner_from_another_state_signs_up_and_is_told_it_waits_for_approval(client, signup, mailoutbox):
    response = signup()
    assert response.status_code == 302 and response["Location"] == reverse("joining:learner_waiting")
    page = client.get(response["Location"]).content.decode()
    assert "your request is waiting for approval" in page and "keisha.brown@providence.example.org" in page
    request = LearnerRequest.objects.get()
    assert (request.state, request.email, request.region, request.country) == (
        "pending", "keisha.brown@providence.example.org", "Rhode Island", "United States")
    account = request.account
    assert not account.is_active and roles_of(account) == frozenset() and account.check_password(PASSWORD)
    [mail] = mails_to(mailoutbox, "keisha.brown@providence.example.org")
    assert mail.subject == "We got your request to take LEAP 101" and "Rhode Island" in mail.body
    assert AuditEntry.objects.filter(action="joining.learner_signup", object_id=str(request.pk)).exists()
    assert not client.session.get("_auth_user_id")


def test_the_signed_out_home_page_links_to_the_sign_up(client, home_page):
    page = client.get("/").content.decode()
    assert "Not in a LEAP district?" in page and f'href="{SIGNUP}"' in page


def test_an_unapproved_learner_cannot_sign_in_and_is_told_why_only_with_their_own_password(client, signup):
    signup()
    response = client.post(reverse("login"), {"username": "keisha.brown@providence.example.org",
                                              "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 200 and "waiting for approval, so you cannot sign in yet" in page
    assert not client.session.get("_auth_user_id")
    wrong = client.post(reverse("login"), {"username": "keisha.brown@providence.example.org",
                                           "password": "not-her-password-1"}).content.decode()
    assert "waiting for approval" not in wrong and "correct" in wrong  # Django's own "enter a correct ..."


def test_a_trainer_approves_and_the_learner_signs_in_on_leap_101_with_no_district(
        client, signup, decide, inviters, mailoutbox):
    signup(language="es")
    request = LearnerRequest.objects.get()
    client.force_login(inviters["tomas"].user)
    assert ("Learners to approve", "/join/learners/") in nav_items_for(inviters["tomas"].user)
    queue = client.get("/join/learners/").content.decode()
    assert "Keisha Brown" in queue and "Providence Public Schools" in queue and "Rhode Island, United States" in queue
    client.logout()
    response = decide("approve", request, form_token="9b2e8a57-3f4c-4d0e-9a1b-2c3d4e5f6a7b")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "approved" and request.decided_by == inviters["tomas"].user and request.decided_at
    mail = mails_to(mailoutbox, request.email)[-1]
    assert mail.subject == "Ya puede empezar LEAP 101" and "/accounts/login/" in mail.body
    entry = AuditEntry.objects.get(action="joining.learner_approve")
    assert entry.actor == inviters["tomas"].user and "role Learner, no district" in entry.detail
    response = client.post(reverse("login"), {"username": request.email, "password": PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(pk=request.account_id)
    assert roles_of(user) == {LEARNER} and not scope_for(user).exists() and not user.is_staff
    assert ("Learners to approve", "/join/learners/") not in nav_items_for(user)
    # The same button sent again (a double tap): still one approval, one email, one audit entry.
    decide("approve", request, form_token="9b2e8a57-3f4c-4d0e-9a1b-2c3d4e5f6a7b")
    assert AuditEntry.objects.filter(action="joining.learner_approve").count() == 1
    assert len([m for m in mails_to(mailoutbox, request.email) if "LEAP 101" in m.subject]) == 2  # got + approved


def test_a_second_trainer_approving_later_is_told_who_decided(signup, decide, inviters, client):
    signup()
    request = LearnerRequest.objects.get()
    decide("approve", request, by="tomas")
    client.force_login(inviters["samira"].user)
    response = client.post(reverse("joining:learner_approve", args=[request.pk]), follow=True)
    assert "request was approved already, by" in response.content.decode()
    assert AuditEntry.objects.filter(action="joining.learner_approve").count() == 1


def test_a_refused_learner_gets_a_polite_email_and_cannot_sign_in(client, signup, decide, mailoutbox):
    signup()
    request = LearnerRequest.objects.get()
    decide("refuse", request, reason="Not a home-visiting program")
    request.refresh_from_db()
    assert request.state == "refused" and request.reason == "Not a home-visiting program"
    mail = mails_to(mailoutbox, request.email)[-1]
    assert mail.subject == "Your request to take LEAP 101" and "could not approve" in mail.body
    assert "Not a home-visiting program" not in mail.body  # the reason stays with the Hub
    assert AuditEntry.objects.filter(action="joining.learner_refuse", detail__contains="Not a home-visiting").exists()
    page = client.post(reverse("login"), {"username": request.email, "password": PASSWORD}).content.decode()
    assert "was not approved, so this account cannot sign in" in page
    assert not client.session.get("_auth_user_id")
    # Refusing or approving it again changes nothing.
    decide("approve", request)
    request.refresh_from_db()
    assert request.state == "refused" and not request.account.is_active


def test_only_trainers_and_state_staff_see_and_decide_the_queue(client, signup, inviters):
    signup()
    request = LearnerRequest.objects.get()
    for name in ("carla", "ana"):
        client.force_login(inviters[name].user)
        assert client.get("/join/learners/").status_code == 403
        assert client.post(reverse("joining:learner_approve", args=[request.pk])).status_code == 403
        assert client.post(reverse("joining:learner_refuse", args=[request.pk])).status_code == 403
    client.force_login(inviters["samira"].user)
    assert client.get("/join/learners/").status_code == 200
    assert client.post(reverse("joining:learner_approve", args=[987654])).status_code == 404
    client.logout()
    assert client.get("/join/learners/").status_code == 302  # to sign in
    request.refresh_from_db()
    assert request.state == "pending" and not AuditEntry.objects.filter(action__startswith="joining.learner_a").exists()


@pytest.mark.parametrize("known", ["account", "pending request", "refused request"])
def test_a_known_address_makes_nothing_new_and_the_page_says_no_more_than_for_a_new_one(
        known, client, signup, decide, inviters, mailoutbox):
    if known == "account":
        email = inviters["ana"].user.email  # ana@example.org, a visitor
    else:
        signup(email="kb@example.org")
        email = "kb@example.org"
        if known == "refused request":
            decide("refuse", LearnerRequest.objects.get())
    users, requests = get_user_model().objects.count(), LearnerRequest.objects.count()
    mailoutbox.clear()
    response = signup(email=email.upper(), name="Someone Else", password1="other-pass-phrase-7",
                      password2="other-pass-phrase-7")
    assert response.status_code == 302 and response["Location"] == reverse("joining:learner_waiting")
    assert (get_user_model().objects.count(), LearnerRequest.objects.count()) == (users, requests)
    [mail] = mails_to(mailoutbox, email)
    expected = {"account": "has an account already", "pending request": "has a request waiting",
                "refused request": "was not approved earlier"}[known]
    assert expected in mail.body
    page = client.get(response["Location"]).content.decode()
    assert "If this address already has an account or a request with us, nothing new was made" in page


def test_the_same_form_sent_twice_makes_one_request_and_one_email(signup, mailoutbox):
    token = "1c1c1c1c-2d2d-4e4e-8f8f-000000000000"
    assert signup(form_token=token).status_code == 302
    assert signup(form_token=token).status_code == 302
    assert LearnerRequest.objects.count() == 1 and len(mailoutbox) == 1


@pytest.mark.parametrize("field, value, message", [
    ("name", "n" * 151, "at most 150 characters"),
    ("name", "Keisha\x00Brown", "Null characters are not allowed."),
    ("organisation", "Providence\x1bSchools", "without control characters"),
    ("name", "<script>alert(1)</script>", "without the signs &lt; and &gt;"),
    ("organisation", '=HYPERLINK("http://evil.example/","x")', "Please start your organisation with a letter"),
    ("organisation", "@SUM(1)", "Please start your organisation with a letter"),
    ("organisation", "o" * 161, "at most 160 characters"),
    ("region", "", "This field is required."),
    ("region", "   ", "Write your state, province or region."),
    ("country", "", "This field is required."),
    ("country", "+cmd|' /C calc'!A0", "Please start your country with a letter"),
    ("region", "Rhode\u202eIsland", "without control characters"),
    ("email", "not-an-email", "Enter a valid email address."),
    ("language", "fr", "Select a valid choice."),
    ("password1", "keisha.brown@providence.example.org", "too similar to the"),
    ("password1", "password", "This password is too common."),
    ("password2", "another-pass-phrase-9", "The two passwords are not the same."),
])
def test_bad_input_is_refused_on_its_field_and_changes_nothing(field, value, message, signup, mailoutbox):
    changes = {field: value, **({"password2": value} if field == "password1" else {})}
    response = signup(**changes)
    page = response.content.decode()
    assert response.status_code == 400 and message in page, page[-3000:]
    assert "<script>alert(1)</script>" not in page
    assert not LearnerRequest.objects.exists() and not get_user_model().objects.exists() and not mailoutbox


def test_a_robot_filling_the_honeypot_is_shown_the_waiting_page_and_nothing_is_kept(signup, mailoutbox):
    response = signup(website="http://spam.example")
    assert response.status_code == 302 and response["Location"] == reverse("joining:learner_waiting")
    assert not LearnerRequest.objects.exists() and not get_user_model().objects.exists() and not mailoutbox


def test_more_than_five_sign_ups_from_one_address_in_ten_minutes_are_refused(signup):
    for n in range(5):
        assert signup(email=f"learner{n}@example.org").status_code == 302
    response = signup(email="learner6@example.org")
    assert response.status_code == 429 and "Too many sign-ups from this connection" in response.content.decode()
    assert LearnerRequest.objects.count() == 5


def test_with_open_sign_up_the_learner_is_in_at_once_on_leap_101(client, signup, settings, mailoutbox):
    settings.LEARNER_SIGNUP_APPROVAL = "open"
    response = signup()
    assert response.status_code == 302 and response["Location"] == "/courses/"  # no LEAP 101 page in this test
    request = LearnerRequest.objects.get()
    assert request.state == "approved" and request.decided_by is None and request.account.is_active
    assert roles_of(request.account) == {LEARNER} and int(client.session["_auth_user_id"]) == request.account_id
    assert [m.subject for m in mailoutbox] == ["You can start LEAP 101"]
    assert AuditEntry.objects.filter(action="joining.learner_approve", detail__contains="open").exists()


def test_an_unknown_approval_mode_means_the_queue_and_check_warns(settings, signup, capsys):
    settings.LEARNER_SIGNUP_APPROVAL = "opne"
    signup()
    assert LearnerRequest.objects.get().state == "pending"
    call_command("check")
    assert "joining.W001" in capsys.readouterr().err


def test_a_refusal_reason_over_500_characters_is_refused_and_changes_nothing(signup, decide):
    signup()
    request = LearnerRequest.objects.get()
    decide("refuse", request, reason="r" * 501)
    request.refresh_from_db()
    assert request.state == "pending" and not AuditEntry.objects.filter(action="joining.learner_refuse").exists()


def test_the_sign_up_speaks_spanish(client):
    client.cookies["django_language"] = "es"
    page = client.get(SIGNUP).content.decode()
    assert "Haga LEAP 101" in page and "Estado, provincia o región" in page and "Pedir unirme a LEAP 101" in page


def test_the_services_refuse_a_non_decider(inviters, signup):
    signup()
    from hub.joining.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.learner_approve(learner_request=LearnerRequest.objects.get(), by=inviters["carla"].user)


def test_erasing_a_learner_removes_what_their_request_said(signup, decide):
    from io import StringIO

    signup()
    request = LearnerRequest.objects.get()
    decide("approve", request)
    call_command("erase_person_data", username=request.account.username, operator="privacy officer", confirm=True,
                 stdout=StringIO(), stderr=StringIO())
    request.refresh_from_db()
    assert (request.email, request.name, request.organisation, request.region, request.country) == (
        f"removed-{request.pk}@invalid", "(removed)", "(removed)", "(removed)", "(removed)")
    assert request.state == "approved"  # the count of decisions stays


def test_a_known_address_gets_at_most_one_notice_a_day(signup, inviters, mailoutbox):
    for _n in range(3):
        assert signup(email="ana@example.org").status_code == 302
    assert len(mails_to(mailoutbox, "ana@example.org")) == 1
