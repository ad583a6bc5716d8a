"""Organisers and families at the same moment (PostgreSQL, real threads): the roundtable row is locked by
every rule that decides on it (`hub.capacity.lock_parent`), so a cancel, an edit of the seats, a sign-up
and a doubly sent create form each see the others' result, never a half."""

import threading
import uuid
from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from roundtable import errors, services
from roundtable.models import FamilySignup, Roundtable
from tests.support import require_postgres

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _at_once(*calls):
    """Run the calls in threads released together; returns (results, failures) in call order."""
    barrier = threading.Barrier(len(calls))
    results, failures = [None] * len(calls), []

    def run(n, call):
        try:
            barrier.wait(timeout=10)
            results[n] = call()
        except errors.RoundtableError as refused:
            results[n] = refused
        except Exception as error:  # noqa: BLE001 - reported by the test
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, failures


def test_families_signing_up_while_the_organiser_cancels_are_either_told_or_refused(make_roundtable, organiser,
                                                                                   family):
    require_postgres(connection)
    rt = make_roundtable(capacity=10)
    mail.outbox.clear()
    families = [lambda n=n: services.signup_create(roundtable=rt, **family(n)) for n in range(6)]
    results, failures = _at_once(lambda: services.roundtable_cancel(roundtable=rt, by=organiser.user), *families)
    assert failures == []
    signed_up = {r.signup.email for r in results[1:] if isinstance(r, services.SignupResult)}
    refused = [r for r in results[1:] if isinstance(r, errors.RoundtableCancelled)]
    assert len(signed_up) + len(refused) == 6
    told = {m.to[0] for m in mail.outbox if m.subject.startswith("Cancelled:")}
    assert told == signed_up  # every family that got a place before the cancel is told; no one else is
    assert FamilySignup.objects.filter(roundtable=rt).count() == len(signed_up)


def test_seats_lowered_while_families_sign_up_never_drop_below_the_confirmed(make_roundtable, organiser, family):
    require_postgres(connection)
    rt = make_roundtable(capacity=5)
    for n in range(3):
        services.signup_create(roundtable=rt, **family(n))
    families = [lambda n=n: services.signup_create(roundtable=rt, **family(n)) for n in range(3, 7)]
    results, failures = _at_once(lambda: services.roundtable_edit(roundtable=rt, by=organiser.user, capacity=3),
                                 *families)
    assert failures == []
    rt.refresh_from_db()
    confirmed = FamilySignup.objects.filter(roundtable=rt, status="confirmed").count()
    assert confirmed <= rt.capacity
    # Either the edit came first (3 seats, the four new families waitlisted) or it was refused, naming seats.
    assert (rt.capacity, confirmed) == (3, 3) or (isinstance(results[0], errors.InvalidRoundtable)
                                                 and results[0].field == "capacity" and rt.capacity == 5)


def test_the_create_form_sent_twice_at_once_makes_one_roundtable(organiser):
    require_postgres(connection)
    token = uuid.uuid4()
    starts, ends = services.roundtable_times(day=timezone.localdate() + timedelta(days=9), start=time(18),
                                             end=time(20))

    def create():
        return services.roundtable_create(by=organiser.user, title_en="Once only", starts_at=starts, ends_at=ends,
                                          capacity=10, address="1 Main Street", form_token=token,
                                          must_be_upcoming=True)

    results, failures = _at_once(create, create, create)
    assert failures == []
    assert len({r.pk for r in results}) == 1 and Roundtable.objects.filter(title_en="Once only").count() == 1
