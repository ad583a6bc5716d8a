"""Organisers and roundtables for the roundtable tests, built through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER
from roundtable import services
from roundtable.models import Format


@pytest.fixture
def organiser(orgs, home_page, make_person):
    return make_person("tomas", roles=[TRAINER])


@pytest.fixture
def state_staff(orgs, home_page, make_person):
    return make_person("samira", roles=[STATE_STAFF])


@pytest.fixture
def regional(orgs, home_page, make_person):
    from hub.models import Region

    return make_person("rita", roles=[REGIONAL_STAFF], region=Region.objects.get(code="crec"))


@pytest.fixture
def coordinator(orgs, home_page, make_person):
    return make_person("carla", roles=[COORDINATOR], home_district=orgs["Hartford"])


@pytest.fixture
def make_roundtable(organiser):
    """make_roundtable(capacity=2, days=7, ...) -> Roundtable starting `days` from now (or at `starts`), two
    hours long."""

    def make(*, days: float = 7, capacity: int = 2, starts=None, **spec):
        starts = starts or timezone.now() + timedelta(days=days)
        defaults = dict(
            title_en="Getting to school every day", title_es="Llegar a la escuela cada día",
            description_en="Tell us what helps.", description_es="Cuéntenos qué ayuda.",
            format=Format.IN_PERSON, address="195 Putnam Street, Hartford", languages=["en", "es"],
        )
        defaults.update(spec)
        return services.roundtable_create(by=organiser.user, starts_at=starts, ends_at=starts + timedelta(hours=2),
                                          capacity=capacity, **defaults)

    return make


@pytest.fixture
def family():
    """family(n) -> keyword arguments of a valid sign-up, distinct per n."""

    def make(n: int = 0, **overrides):
        data = dict(name=f"Family {n}", email=f"family{n}@example.org", phone="", preferred_language="en",
                    children_count=0, consent=True)
        data.update(overrides)
        return data

    return make
