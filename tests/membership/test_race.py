"""Two coordinators of one district act on the same visitor at the same moment: one change, one clear
refusal (the person's row is locked first; PostgreSQL, real threads)."""

import threading

import pytest
from django.db import close_old_connections, connection

from hub.membership import errors, services
from hub.membership.models import Departure
from hub.models import Person
from hub.roles import COORDINATOR
from tests.support import require_postgres

ACTIONS = {
    "leave": lambda person, by, district: services.visitor_leave(person_id=person.pk, by=by),
    "move": lambda person, by, district: services.visitor_move(person_id=person.pk, to_district_id=district.pk,
                                                               by=by),
    "deactivate": lambda person, by, district: services.visitor_deactivate(person_id=person.pk, by=by),
}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("first", "second"), [("leave", "deactivate"), ("move", "leave"), ("deactivate", "move"),
                                               ("leave", "leave")])
def test_two_coordinators_acting_at_once_make_one_change_and_one_clear_refusal(
        first, second, coordinator, make_person, hartford, marcus, orgs):
    require_postgres(connection)
    elena = make_person("elena", roles=[COORDINATOR], first_name="Elena", last_name="Marquez", home_district=hartford)
    new_haven = orgs["New Haven"]
    barrier = threading.Barrier(2)
    done, refused, failures = [], [], []

    def act(name, by):
        try:
            barrier.wait(timeout=10)
            ACTIONS[name](marcus, by, new_haven)
            done.append(name)
        except errors.Refused as refusal:
            refused.append(str(refusal))
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=act, args=(first, coordinator.user)),
               threading.Thread(target=act, args=(second, elena.user))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert len(done) == 1 and len(refused) == 1, (done, refused)
    assert "Marcus Bell" in refused[0] and ("already" in refused[0])
    assert Departure.objects.filter(person=marcus).count() == 1
    person = Person.objects.select_related("user").get(pk=marcus.pk)
    kind = Departure.objects.get(person=marcus).kind
    assert (kind == Departure.Kind.DEACTIVATED) == (not person.user.is_active)
    assert (kind == Departure.Kind.LEFT) == (person.home_district_id is None)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_receiving_coordinators_answering_one_move_at_once_decide_it_once(coordinator, coordinator_nh,
                                                                             make_person, marcus, orgs):
    require_postgres(connection)
    new_haven = orgs["New Haven"]
    priya = make_person("priya", roles=[COORDINATOR], first_name="Priya", last_name="Shah", home_district=new_haven)
    move, _ = services.visitor_move(person_id=marcus.pk, to_district_id=new_haven.pk, by=coordinator.user)
    barrier = threading.Barrier(2)
    done, refused, failures = [], [], []

    def answer(by, accept):
        try:
            barrier.wait(timeout=10)
            done.append(services.move_decide(move_id=move.pk, by=by, accept=accept).state)
        except errors.Refused as refusal:
            refused.append(str(refusal))
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=answer, args=(coordinator_nh.user, True)),
               threading.Thread(target=answer, args=(priya.user, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert len(done) == 1 and len(refused) == 1, (done, refused)
    assert refused[0] in ("This move was accepted already.", "This move was declined already.")
    person = Person.objects.get(pk=marcus.pk)
    assert (person.home_district_id == new_haven.pk) == (done == [Departure.State.DONE])
