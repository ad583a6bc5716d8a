"""Expired sessions and replayed tokens: a session expired in the store, a used roundtable cancel link,
the old value of a regenerated calendar token, a CSRF token from another session, a used password-reset
link, other people's certificates and sign-ups. Each is refused and changes nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from hub.models import UserSession as Session
from tests.hostile.test_forms import assert_refused

pytestmark = pytest.mark.hostile_input


def test_a_session_expired_in_the_store_is_signed_out_and_posts_nothing(w, unchanged):
    Session.objects.filter(session_key=w.keys["ana"]).update(expire_date=timezone.now() - timedelta(minutes=1))
    client = w.client("ana")
    with unchanged(fresh=True):
        response = client.post(reverse("discussion:room", args=["district-hartford"]),
                               {"body": "still here?", "client_id": "expired-1"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_used_cancel_link_is_refused_with_a_message(w, unchanged):
    with unchanged():
        response = Client().post(reverse("roundtable:cancel", args=[w.cancelled_token]))
        text = assert_refused(response, "flash")
    assert "cancel" in text.lower() or "already" in text.lower(), text


@pytest.mark.parametrize("token", ["not-a-token", "x" * 2000, "' OR 1=1 --", "%00"])
def test_an_unknown_cancel_or_private_token_is_a_404(w, unchanged, token):
    with unchanged():
        for url in (reverse("roundtable:cancel", args=[token]), reverse("roundtable:private", args=[token])):
            response = Client().post(url) if url.endswith("cancel/") else Client().get(url)
            assert response.status_code == 404


def test_another_familys_token_does_not_reach_a_second_family(w, unchanged):
    """A family's link shows their sign-up only: the private page of another token is another sign-up."""
    with unchanged():
        page = Client().get(reverse("roundtable:private", args=[w.signup_token])).content.decode()
    assert "Family One" in page and "Family Two" not in page


def test_the_old_calendar_token_is_dead_after_regenerating(w, unchanged):
    with unchanged():
        old = Client().get(reverse("training_sessions:personal_feed", args=[w.old_feed_token]))
        new = Client().get(reverse("training_sessions:personal_feed", args=[w.feed_token]))
    assert old.status_code == 404
    assert new.status_code == 200 and b"BEGIN:VCALENDAR" in new.content


def test_a_csrf_token_from_another_session_is_refused(w, unchanged):
    other = Client(enforce_csrf_checks=True)
    other.cookies["sessionid"] = w.keys["marcus"]
    other.get(reverse("discussion:room", args=["district-hartford"]))
    stolen = other.cookies["csrftoken"].value
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = w.keys["ana"]
    with unchanged(fresh=True):  # marcus's page view above marked his room read
        response = client.post(reverse("discussion:room", args=["district-hartford"]),
                               {"body": "forged", "client_id": "csrf-1", "csrfmiddlewaretoken": stolen})
    assert response.status_code == 403


def test_a_used_password_reset_link_is_refused(w, unchanged):
    user = w.user("ana")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    client = Client()
    url = reverse("password_reset_confirm", args=[uid, token])
    first = client.get(url, follow=True)
    form_url = first.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"})
    assert done.status_code == 302
    replay = Client()
    with unchanged(fresh=True):
        again = replay.get(url, follow=True)
        assert again.status_code == 200
        assert b"no longer works" in again.content
        posted = replay.post(again.redirect_chain[-1][0] if again.redirect_chain else url,
                             {"new_password1": "evil-pass-42-x", "new_password2": "evil-pass-42-x"})
        assert posted.status_code in (200, 400, 404) and b"no longer works" in posted.content


@pytest.mark.parametrize("uid,token", [("MQ", "bad-token"), ("!!", "x" * 500), ("OTk5OTk5", "abc-def"),
                                       ("' OR 1=1 --", "set-password")])
def test_a_forged_password_reset_link_is_refused(w, unchanged, uid, token):
    with unchanged():
        response = Client().get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    assert response.status_code == 200 and b"no longer works" in response.content


def test_someone_elses_certificate_pdf_is_a_404(w, unchanged):
    with unchanged():
        response = w.client("ana").get(reverse("courses:certificate_pdf", args=[w.certificate.code]))
    assert response.status_code == 404


def test_a_resent_discussion_form_is_stored_once(w, unchanged):
    """The form's client id makes a double submit (or a replayed POST) land on the stored message."""
    with unchanged(ignore={"hub_roommembership"}):
        response = w.client("ana").post(reverse("discussion:room", args=["district-hartford"]),
                                        {"body": "Hello Hartford", "client_id": "ana-1"})
    assert response.status_code == 302 and response["Location"].endswith(f"#m{w.messages['ana'].pk}")


def test_a_client_id_reused_in_another_room_is_refused(w, unchanged):
    with unchanged():
        response = w.client("ana").post(reverse("discussion:room", args=["community"]),
                                        {"body": "again", "client_id": "ana-1"})
    assert response.status_code == 400 and b"another room" in response.content
