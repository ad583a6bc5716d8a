"""The outbox page (/outbox/): who sees which messages, the state filter, "send again"."""

import pytest
from django.core import mail
from django.urls import reverse

from hub.outbox import services
from hub.outbox.models import Message, State
from hub.roles import COORDINATOR, STATE_STAFF, TRAINER, VISITOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_person, orgs):
    hartford, new_haven = orgs["Hartford"], orgs["New Haven"]
    return {
        "ana": make_person("ana", roles=(VISITOR,), home_district=hartford),
        "marcus": make_person("marcus", roles=(VISITOR,), home_district=new_haven),
        "carla": make_person("carla", roles=(COORDINATOR,), home_district=hartford),
        "tomas": make_person("tomas", roles=(TRAINER,)),
        "samira": make_person("samira", roles=(STATE_STAFF,)),
    }


@pytest.fixture
def messages(people, settings):
    settings.EMAIL_BACKEND = "tests.outbox.relays.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 1
    made = {
        "ana": services.message_queue(to="ana@example.org", subject="Tomorrow: LEAP 101 for Ana", body="Hi",
                                      person=people["ana"], kind="reminder"),
        "marcus": services.message_queue(to="marcus@example.org", subject="Tomorrow: LEAP 101 for Marcus",
                                         body="Hi", person=people["marcus"], kind="reminder"),
        "family": services.message_queue(to="family@example.org", subject="You're signed up: Family night",
                                         body="Hi", kind="confirmation"),
    }
    for message in made.values():
        services.message_deliver(message_id=message.pk)  # the relay refuses: each one fails (one try)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return made


def _page(client, user, query=""):
    client.force_login(user)
    return client.get(reverse("outbox:list") + query)


def test_trainers_and_state_staff_see_every_message(client, people, messages):
    for who in ("tomas", "samira"):
        page = _page(client, people[who].user).content.decode()
        assert "for Ana" in page and "for Marcus" in page and "Family night" in page


def test_a_coordinator_sees_only_the_messages_concerning_people_of_their_district(client, people, messages):
    page = _page(client, people["carla"].user)
    assert page.status_code == 200
    text = page.content.decode()
    assert "for Ana" in text
    assert "for Marcus" not in text and "Family night" not in text and "family@example.org" not in text


def test_visitors_may_not_read_the_outbox(client, people, messages):
    assert _page(client, people["ana"].user).status_code == 403
    client.logout()
    assert client.get(reverse("outbox:list")).status_code == 302  # to the sign-in page


def test_the_state_filter_shows_one_state_and_refuses_one_that_is_not(client, people, messages, settings):
    services.message_queue(to="samira@example.org", subject="A queued one", body="Hi")
    failed = _page(client, people["samira"].user, "?state=failed").content.decode()
    assert "for Ana" in failed and "A queued one" not in failed
    queued = _page(client, people["samira"].user, "?state=queued").content.decode()
    assert "A queued one" in queued and "for Ana" not in queued
    refused = _page(client, people["samira"].user, "?state=lost")
    assert refused.status_code == 400 and "state" in refused.content.decode()


def test_send_again_queues_a_failed_message_and_it_goes(client, people, messages,
                                                         django_capture_on_commit_callbacks):
    client.force_login(people["carla"].user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:send_again", args=[messages["ana"].pk]))
    assert response.status_code == 302
    messages["ana"].refresh_from_db()
    assert messages["ana"].state == State.SENT
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_send_again_is_refused_for_a_message_not_failed_out_of_scope_or_missing(client, people, messages):
    client.force_login(people["carla"].user)
    other = client.post(reverse("outbox:send_again", args=[messages["marcus"].pk]))
    assert other.status_code == 404  # another district's: as if it did not exist
    assert client.post(reverse("outbox:send_again", args=[987654])).status_code == 404
    sent = services.message_queue(to="ana@example.org", subject="Sent already", body="Hi", person=people["ana"])
    services.message_deliver(message_id=sent.pk)
    refused = client.post(reverse("outbox:send_again", args=[sent.pk]), follow=True)
    assert "Only a message that failed can be sent again." in refused.content.decode()
    sent.refresh_from_db()
    assert (sent.state, sent.attempts) == (State.SENT, 1)
    assert client.get(reverse("outbox:send_again", args=[messages["ana"].pk])).status_code == 405
    client.force_login(people["ana"].user)
    assert client.post(reverse("outbox:send_again", args=[messages["ana"].pk])).status_code == 403
    assert Message.objects.get(pk=messages["marcus"].pk).state == State.FAILED


def test_the_outbox_is_in_the_staff_navigation(client, people):
    client.force_login(people["carla"].user)
    assert f'href="{reverse("outbox:list")}"' in client.get(reverse("outbox:list")).content.decode()
