"""Many families at once for the last place: exactly one confirmed, through the shared rule
(``hub.capacity``, parent row locked). PostgreSQL, real threads."""

import threading

import pytest
from django.db import close_old_connections, connection

from roundtable import services
from roundtable.models import FamilySignup
from tests.support import require_postgres

FAMILIES = 8


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_signups_for_the_last_place_end_with_exactly_one_confirmed(make_roundtable, family):
    require_postgres(connection)
    rt = make_roundtable(capacity=2)
    services.signup_create(roundtable=rt, **family(0))  # one place left
    barrier = threading.Barrier(FAMILIES)
    outcomes, failures = [], []

    def sign_up(n):
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.signup_create(roundtable=rt, **family(n)).signup.status)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
        finally:
            close_old_connections()
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(1, FAMILIES + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert sorted(outcomes) == ["confirmed"] + ["waitlisted"] * (FAMILIES - 1)
    assert FamilySignup.objects.filter(roundtable=rt, status="confirmed").count() == 2
    assert FamilySignup.objects.filter(roundtable=rt, status="waitlisted").count() == FAMILIES - 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_same_family_submitting_twice_at_once_is_signed_up_once(make_roundtable, family):
    require_postgres(connection)
    rt = make_roundtable(capacity=5)
    barrier = threading.Barrier(4)
    created, failures = [], []

    def sign_up():
        try:
            barrier.wait(timeout=10)
            created.append(services.signup_create(roundtable=rt, **family(1)).created)
        except Exception as error:  # noqa: BLE001
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert sorted(created) == [False, False, False, True]
    assert FamilySignup.objects.filter(roundtable=rt).count() == 1
