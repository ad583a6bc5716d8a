"""A family's message still queued when what it is about changed: a confirmation or a promotion is
skipped with the reason once the sign-up was cancelled, the roundtable cancelled or the family's
details erased; the cancellation notices themselves still go (the worker asks roundtable's rule just
before sending: `roundtable.selectors.signup_message_reason`)."""

import pytest
from django.core import mail

from hub.outbox.models import Message
from hub.outbox.services import message_deliver
from roundtable import services

pytestmark = pytest.mark.django_db


def _of(email, kind):
    return list(Message.objects.filter(recipient=email, kind=kind).order_by("pk"))


def _deliver(message) -> tuple[str, str]:
    outcome = message_deliver(message_id=message.pk)
    message.refresh_from_db()
    return outcome, message.last_error


def test_a_confirmation_queued_before_the_family_cancelled_is_skipped_and_the_cancellation_goes(
        make_roundtable, family):
    signup = services.signup_create(roundtable=make_roundtable(), **family(1)).signup
    services.signup_cancel(signup=signup)
    (confirmation,) = _of("family1@example.org", "confirmation")
    assert _deliver(confirmation) == ("skipped", "The sign-up was cancelled.")
    (cancelled,) = _of("family1@example.org", "cancellation")
    assert _deliver(cancelled) == ("sent", "")
    assert [m.subject for m in mail.outbox] == [cancelled.subject]


def test_messages_queued_before_the_roundtable_was_cancelled_are_skipped_but_its_cancellation_goes(
        make_roundtable, family, organiser):
    rt = make_roundtable(capacity=1)
    first = services.signup_create(roundtable=rt, **family(1)).signup
    services.signup_create(roundtable=rt, **family(2, preferred_language="es"))
    services.signup_cancel(signup=first)  # family 2 is promoted: a "place opened" message queued
    services.roundtable_cancel(roundtable=rt, by=organiser.user)
    (promotion,) = _of("family2@example.org", "promotion")
    assert _deliver(promotion) == ("skipped", "The roundtable was cancelled.")
    (told,) = _of("family2@example.org", "cancellation")
    assert _deliver(told) == ("sent", "")
    assert mail.outbox[0].subject.startswith("Cancelada:")  # in the family's language


def test_a_confirmation_queued_before_the_familys_details_were_erased_is_never_sent(make_roundtable, family):
    signup = services.signup_create(roundtable=make_roundtable(), **family(1)).signup
    (confirmation,) = _of("family1@example.org", "confirmation")
    signup.contact_purged_at = signup.created_at  # what erasure and the purge record
    signup.save(update_fields=["contact_purged_at"])
    assert _deliver(confirmation) == ("skipped", "The family's contact details were erased.")
    assert mail.outbox == []


def test_a_message_about_a_sign_up_that_no_longer_exists_is_skipped(make_roundtable, family):
    signup = services.signup_create(roundtable=make_roundtable(), **family(1)).signup
    (confirmation,) = _of("family1@example.org", "confirmation")
    signup.delete()
    outcome, reason = _deliver(confirmation)
    assert outcome == "skipped" and reason.startswith("What it was about was removed")


def test_a_confirmation_still_queued_when_the_roundtable_is_over_is_skipped(make_roundtable, family):
    from datetime import timedelta

    from django.utils import timezone

    rt = make_roundtable()
    signup = services.signup_create(roundtable=rt, **family(1)).signup
    (confirmation,) = _of("family1@example.org", "confirmation")
    assert signup.status in ("confirmed", "waitlisted")
    # The worker was down until after the evening: telling the family now would only confuse them.
    rt.starts_at, rt.ends_at = timezone.now() - timedelta(hours=3), timezone.now() - timedelta(hours=1)
    rt.save(update_fields=["starts_at", "ends_at"])
    assert _deliver(confirmation) == ("skipped", "The roundtable is over.")
    assert mail.outbox == []
