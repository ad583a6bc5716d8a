"""Demo account life: Fatima Haddad (Hartford) is moving to New Haven, waiting for Dwayne Harris
(`coordinator.nh`) to accept under "People moving to your district". Built through the services;
idempotent (a person with a move already is skipped)."""

from django.contrib.auth import get_user_model

from hub.demo import demo_step
from hub.membership import services
from hub.membership.models import Departure
from hub.models import District, Person


@demo_step(order=97)
def seed_account_life() -> str:
    fatima = Person.objects.filter(user__username="fatima").first()
    carla = get_user_model().objects.filter(username="coordinator").first()
    new_haven = District.objects.filter(name="New Haven").first()
    if fatima is None or carla is None or new_haven is None:
        return "no account-life demo (the demo people are missing)"
    if not Departure.objects.filter(person=fatima).exists():
        services.visitor_move(person_id=fatima.pk, to_district_id=new_haven.pk, by=carla)
    return f"{Departure.objects.filter(state=Departure.State.PENDING).count()} move(s) waiting"
